//go:build unix

package config

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nullDevice returns a character device that is safe to aim a write at: /dev/null itself for a user
// who may not replace it anyway, and for root (who could) a twin of it made in a temporary directory,
// so that a regression cannot break the machine's /dev/null.
func nullDevice(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return "/dev/null"
	}
	p := filepath.Join(t.TempDir(), "null")
	// makedev(1, 3) is /dev/null's device number on Linux; the node is never read or written here.
	if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("cannot make a device node: %v", err)
	}
	return p
}

func TestUpdateRefusesWhatIsNoRegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	require.NoError(t, err)
	defer l.Close()
	sub := filepath.Join(dir, "dir")
	require.NoError(t, os.Mkdir(sub, 0o700))
	dev := nullDevice(t)
	link := filepath.Join(dir, "link-to-device")
	require.NoError(t, os.Symlink(dev, link))

	tests := []struct {
		name, path, real, kind string
	}{
		{name: "character device", path: dev, real: dev, kind: "a character device"},
		{name: "symlink to a device", path: link, real: dev, kind: "a character device"},
		{name: "named pipe", path: fifo, real: fifo, kind: "a named pipe (FIFO)"},
		{name: "socket", path: sock, real: sock, kind: "a socket"},
		{name: "directory", path: sub, real: sub, kind: "a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := os.Stat(tt.real)
			require.NoError(t, err)
			called := false
			err = Update(context.Background(), tt.path, func(f *File) error {
				called = true
				return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
			})
			var nr *NotRegularError
			require.ErrorAs(t, err, &nr)
			assert.Equal(t, 2, nr.ExitCode())
			assert.Contains(t, err.Error(), "refusing to write "+tt.path)
			assert.Contains(t, err.Error(), "it is "+tt.kind+", not a regular file")
			assert.Contains(t, nr.Hint(), "a symlink to one is followed")
			assert.False(t, called, "the edit ran on a file that cannot be written")

			after, err := os.Stat(tt.real)
			require.NoError(t, err)
			assert.Equal(t, before.Mode(), after.Mode(), "the file's type and mode changed")
			assert.True(t, os.SameFile(before, after), "the file was replaced")
			assert.NoFileExists(t, tt.real+".lock", "a lock file was created beside it")
		})
	}

	t.Run("WriteFileAtomic", func(t *testing.T) {
		for _, p := range []string{dev, link, fifo, sock, sub} {
			before, err := os.Stat(p)
			require.NoError(t, err)
			var nr *NotRegularError
			require.ErrorAs(t, WriteFileAtomic(p, []byte("x"), 0o600), &nr, p)
			after, err := os.Stat(p)
			require.NoError(t, err)
			assert.True(t, os.SameFile(before, after), p)
		}
	})

	t.Run("symlink to a regular file is followed", func(t *testing.T) {
		target := filepath.Join(dir, "real.yaml")
		require.NoError(t, os.WriteFile(target, []byte("version: 1\n"), 0o600))
		l := filepath.Join(dir, "link.yaml")
		require.NoError(t, os.Symlink(target, l))
		require.NoError(t, Update(context.Background(), l, func(f *File) error {
			return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
		}))
		got, err := os.ReadFile(target)
		require.NoError(t, err)
		assert.Contains(t, string(got), "name: a")
	})
}

func TestWriteErrorNamesNoGoOperation(t *testing.T) {
	err := &WriteError{Path: "c.yaml", Err: &os.LinkError{Op: "rename", Old: ".c.yaml123", New: "c.yaml", Err: syscall.EEXIST}}
	assert.Equal(t, "cannot write config file c.yaml: file exists", err.Error())
}

// Issue 14 item 10: a read-only config file was replaced by the atomic rename, which needs only the
// directory's permission. Update refuses it (exit 2) and leaves it, and its directory, as they were.
func TestUpdateRefusesReadOnlyFile(t *testing.T) {
	const content = "version: 1\nproviders: []\n"
	tests := []struct {
		name string
		mode os.FileMode
		// root ignores permissions, so only a mode without any write bit is refused for root.
		forRoot bool
		want    string
	}{
		{name: "no write bit", mode: 0o444, forRoot: true, want: "the file is read-only (mode 0444)"},
		{name: "group and others may write, the owner not", mode: 0o466, forRoot: false, want: "you have no write permission on it (mode 0466)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if os.Geteuid() == 0 && !tt.forRoot {
				t.Skip("root may write the file")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "config.yaml")
			require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
			require.NoError(t, os.Chmod(path, tt.mode))
			link := filepath.Join(dir, "link.yaml")
			require.NoError(t, os.Symlink(path, link))
			for _, p := range []string{path, link} {
				called := false
				err := Update(context.Background(), p, func(f *File) error {
					called = true
					return f.AddProvider(Provider{Name: "x", Type: TypeGitHub})
				})
				var ro *ReadOnlyError
				require.ErrorAs(t, err, &ro)
				assert.False(t, called, "nothing is read or edited")
				assert.Contains(t, err.Error(), tt.want)
				assert.Equal(t, 2, ro.ExitCode())
				assert.Contains(t, ro.Hint(), "chmod u+w")
				got, rerr := os.ReadFile(path)
				require.NoError(t, rerr)
				assert.Equal(t, content, string(got))
				fi, serr := os.Stat(path)
				require.NoError(t, serr)
				assert.Equal(t, tt.mode, fi.Mode().Perm())
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, 2, "no lock file or temporary file is left")
		})
	}
}

// UpdateWith's Check sees the file as read and as edited, under the lock, and its error stops the
// write.
func TestUpdateWithCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	const content = "version: 1\nproviders: []\n"
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	refused := errors.New("refused")
	var sawBefore, sawAfter int
	err := UpdateWith(context.Background(), path, UpdateOptions{Check: func(before, after *File) error {
		sawBefore, sawAfter = len(before.Config.Providers), len(after.Config.Providers)
		return refused
	}}, func(f *File) error { return f.AddProvider(Provider{Name: "x", Type: TypeGitHub}) })
	require.ErrorIs(t, err, refused)
	assert.Equal(t, 0, sawBefore)
	assert.Equal(t, 1, sawAfter)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, content, string(got))

	require.NoError(t, UpdateWith(context.Background(), path, UpdateOptions{Check: func(before, after *File) error { return nil }},
		func(f *File) error { return f.AddProvider(Provider{Name: "x", Type: TypeGitHub}) }))
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(got), "name: x")
}

// UpdateOptions.Loaded: the command's own load is reused when the file is unchanged under the lock
// (and left as it was), and not when another writer changed the file meanwhile.
func TestUpdateReusesLoaded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	const content = "version: 1\nproviders: []\n"
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	loaded, err := Load(path)
	require.NoError(t, err)
	var sawDoc *File
	require.NoError(t, UpdateWith(context.Background(), path, UpdateOptions{Loaded: loaded}, func(f *File) error {
		sawDoc = f
		assert.Same(t, loaded.Doc, f.Doc, "the unchanged file is not parsed again")
		assert.NotSame(t, loaded, f)
		return f.AddProvider(Provider{Name: "x", Type: TypeGitHub})
	}))
	require.NotNil(t, sawDoc)
	assert.Equal(t, content, string(loaded.Data), "the loaded file is not changed by the edit")
	assert.Len(t, loaded.Config.Providers, 0)

	// Another writer changed the file after this command loaded it: the change is read and kept.
	require.NoError(t, os.WriteFile(path, []byte("version: 1\nproviders:\n  - {name: y, type: github}\n"), 0o600))
	require.NoError(t, UpdateWith(context.Background(), path, UpdateOptions{Loaded: loaded}, func(f *File) error {
		assert.NotSame(t, loaded.Doc, f.Doc)
		return f.AddProvider(Provider{Name: "z", Type: TypeGitHub})
	}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(got), "name: y")
	assert.Contains(t, string(got), "name: z")
}
