package config

import (
	"io/fs"
	"os"
	"path/filepath"
)

// winPending is renameio's PendingFile for Windows, which renameio does not support: os.Rename replaces
// the target with MoveFileEx(MOVEFILE_REPLACE_EXISTING), which is atomic on NTFS.
type winPending struct {
	*os.File
	path string
	done bool
}

// newPending creates the temporary file that will replace path, named as renameio names it.
func newPending(path string, perm fs.FileMode) (pendingFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"*")
	if err != nil {
		return nil, err
	}
	_ = f.Chmod(perm)
	return &winPending{File: f, path: path}, nil
}

func (p *winPending) CloseAtomicallyReplace() error {
	if err := p.Sync(); err != nil {
		return err
	}
	if err := p.File.Close(); err != nil {
		return err
	}
	if err := os.Rename(p.Name(), p.path); err != nil {
		return err
	}
	p.done = true
	return nil
}

func (p *winPending) Cleanup() error {
	if p.done {
		return nil
	}
	_ = p.File.Close()
	return os.Remove(p.Name())
}
