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

	"github.com/ssoctl/ssoctl/pkg/readfile"
)

func TestLoadBounded(t *testing.T) {
	t.Run("/dev/zero is cut off at 4 MiB", func(t *testing.T) {
		_, err := Load("/dev/zero")
		var re *ReadError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "cannot read config file /dev/zero: it is a character device and gave more than the 4.0 MiB a config file may be", err.Error())
		assert.Equal(t, 2, re.ExitCode())
		assert.Equal(t, readfile.Config.Hint, re.Hint())
	})
	t.Run("a named pipe is read until its writer closes it", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "fifo")
		require.NoError(t, syscall.Mkfifo(p, 0o600))
		go func() {
			w, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err == nil {
				_, _ = w.WriteString("version: 1\nproviders: []\n")
				_ = w.Close()
			}
		}()
		f, err := Load(p)
		require.NoError(t, err)
		assert.Equal(t, "version: 1\nproviders: []\n", string(f.Data))
	})
	t.Run("a named pipe nobody writes to ends with the context", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "fifo")
		require.NoError(t, syscall.Mkfifo(p, 0o600))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := LoadContext(ctx, p)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("symlink loop", func(t *testing.T) {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		require.NoError(t, os.Symlink(b, a))
		require.NoError(t, os.Symlink(a, b))
		_, err := Load(a)
		var re *ReadError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "cannot read config file "+a+": its symlinks lead in a circle (or through more than 255 links)", err.Error())
		assert.NotContains(t, err.Error(), "EvalSymlinks")
		assert.Contains(t, re.Hint(), "ls -l")
	})
	t.Run("secret file:/dev/zero", func(t *testing.T) {
		_, err := Secret("file:/dev/zero").Resolve(nil)
		var se *SecretFileError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "cannot read secret file /dev/zero: it is larger than the 64.0 KiB a secret file may be", err.Error())
		assert.Equal(t, 2, se.ExitCode())
	})
}
