//go:build !windows

package config

import (
	"io/fs"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// newPending creates the temporary file that will replace path.
func newPending(path string, perm fs.FileMode) (pendingFile, error) {
	return renameio.NewPendingFile(path, renameio.WithTempDir(filepath.Dir(path)), renameio.WithStaticPermissions(perm))
}
