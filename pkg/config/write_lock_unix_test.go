//go:build unix

package config

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLockUnlinkBeforeUnlock checks the order the release keeps: the lock file is removed while
// the lock is still held, so a writer that opened the file earlier and locks it once it is
// released always finds it removed (and tries again, see TestLockRemovedSafely). Unlocking first
// would let that writer lock the file, find it still named by the path, and keep a lock on a file
// removed a moment later, while a third writer locks a new one.
func TestLockUnlinkBeforeUnlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml.lock")
	release, err := lock(context.Background(), path)
	require.NoError(t, err)
	earlier, err := os.Open(path) // a writer that opened the lock file before the release
	require.NoError(t, err)
	defer earlier.Close()
	checked := false
	lockFileRemoved = func() {
		checked = true
		assert.NoFileExists(t, path, "the lock file is still there")
		err := syscall.Flock(int(earlier.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		assert.ErrorIs(t, err, syscall.EWOULDBLOCK, "the lock was released before its file was removed")
	}
	t.Cleanup(func() { lockFileRemoved = func() {} })
	release()
	assert.True(t, checked, "the release did not remove the lock file")
	require.NoError(t, syscall.Flock(int(earlier.Fd()), syscall.LOCK_EX|syscall.LOCK_NB), "the lock was not released")
}
