package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// NotRegularError is a write to a path that exists but is no regular file: a device such as
// /dev/null, a named pipe, a socket or a directory. The atomic write would rename a new regular file
// over it (as root, /dev/null would become a world-writable file), so ssoctl refuses and leaves it
// alone. A symlink is followed first; only its target must be a regular file.
type NotRegularError struct {
	// Path is the path as given; Real is the file it resolves to.
	Path, Real string
	Mode       fs.FileMode
}

func (e *NotRegularError) Error() string {
	name := e.Path
	if e.Real != "" && e.Real != filepath.Clean(e.Path) {
		name = fmt.Sprintf("%s (which leads to %s)", e.Path, e.Real)
	}
	return fmt.Sprintf("refusing to write %s: it is %s, not a regular file", name, fileTypeName(e.Mode))
}

// ExitCode makes the refusal a usage error (exit 2): the path given is wrong, nothing was checked.
func (e *NotRegularError) ExitCode() int { return 2 }

// Hint says what to do.
func (e *NotRegularError) Hint() string {
	return "point --config or $SSOCTL_CONFIG at a regular file (a symlink to one is followed and its target written)"
}

// fileTypeName names a file type the way a user knows it.
func fileTypeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeIrregular != 0:
		return "a special file"
	}
	return "not a regular file"
}

// checkRegular returns a *NotRegularError when real exists and is no regular file. A missing file
// is fine: the write creates it.
func checkRegular(path, real string) error {
	fi, err := os.Stat(real)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return &ReadError{Path: path, Err: err}
	}
	if !fi.Mode().IsRegular() {
		return &NotRegularError{Path: path, Real: real, Mode: fi.Mode()}
	}
	return nil
}
