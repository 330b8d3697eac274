package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests re-run this test binary as helper processes (the os/exec TestHelperProcess pattern), so
// that locking and crashes are tested between real processes.
const (
	helperEnv     = "SSOCTL_CONFIG_TEST_HELPER" // add | loop
	helperPathEnv = "SSOCTL_CONFIG_TEST_PATH"
	helperArgEnv  = "SSOCTL_CONFIG_TEST_ARG"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		if err := runHelper(mode, os.Getenv(helperPathEnv), os.Getenv(helperArgEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runHelper(mode, path, arg string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	switch mode {
	case "add":
		// Hold the lock a little while, so that the writers really overlap.
		return Update(ctx, path, func(f *File) error {
			time.Sleep(2 * time.Millisecond)
			return f.AddProvider(Provider{Name: arg, Type: TypeOIDC, Issuer: "https://" + arg + ".example.com"})
		})
	case "loop":
		// Write the two contents in turn until killed, slowly, like a busy disk, so that most kills land
		// in the middle of a write.
		writeData = func(w io.Writer, data []byte) error {
			for len(data) > 0 {
				n := min(len(data), 8<<10)
				if _, err := w.Write(data[:n]); err != nil {
					return err
				}
				data = data[n:]
				time.Sleep(500 * time.Microsecond)
			}
			return nil
		}
		a, err := os.ReadFile(arg + ".a")
		if err != nil {
			return err
		}
		b, err := os.ReadFile(arg + ".b")
		if err != nil {
			return err
		}
		for {
			err := Update(ctx, path, func(f *File) error {
				if bytes.Equal(f.Data, a) {
					f.Data = b
				} else {
					f.Data = a
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("unknown helper %q", mode)
}

func helperCmd(t *testing.T, mode, path, arg string) *exec.Cmd {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the helper processes are killed with SIGKILL")
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperPathEnv+"="+path, helperArgEnv+"="+arg)
	return cmd
}

// tempFiles lists renameio's temporary files next to path.
func tempFiles(t *testing.T, path string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"[0-9]*"))
	require.NoError(t, err)
	return m
}

func TestUpdateConcurrentProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("# shared by 20 writers\nversion: 1\n"), 0o600))
	const n = 20
	cmds := make([]*exec.Cmd, n)
	outs := make([]*bytes.Buffer, n)
	for i := range cmds {
		cmds[i] = helperCmd(t, "add", path, fmt.Sprintf("p%d", i))
		outs[i] = &bytes.Buffer{}
		cmds[i].Stderr = outs[i]
	}
	for _, c := range cmds {
		require.NoError(t, c.Start())
	}
	for i, c := range cmds {
		assert.NoError(t, c.Wait(), "writer p%d: %s", i, outs[i])
	}
	f, err := Load(path)
	require.NoError(t, err)
	require.NoError(t, f.DecodeErr)
	names := f.Config.ProviderNames()
	assert.Len(t, names, n)
	for i := range n {
		assert.Contains(t, names, fmt.Sprintf("p%d", i))
	}
	assert.True(t, strings.HasPrefix(string(f.Data), "# shared by 20 writers\nversion: 1\nproviders:\n  - name: "), "comment kept:\n%s", f.Data)
	assert.Empty(t, tempFiles(t, path))
	assertLockRemoved(t, path+".lock")
}

func TestUpdateConcurrentGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = Update(context.Background(), path, func(f *File) error {
				time.Sleep(time.Millisecond)
				return f.AddProvider(Provider{Name: fmt.Sprintf("g%d", i), Type: TypeGitHub})
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "writer g%d", i)
	}
	f, err := Load(path)
	require.NoError(t, err)
	assert.Len(t, f.Config.Providers, n)
	assert.Equal(t, 1, f.Config.Version)
	assertLockRemoved(t, path+".lock")
}

// bigConfig makes a config of about size bytes, so that writing it takes long enough to be killed in
// the middle.
func bigConfig(tag string, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# content %s\nversion: 1\nproviders:\n", tag)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "  - name: %s-%d\n    type: oidc\n    issuer: https://%s-%d.example.com/realms/main\n    scopes: [openid, email, profile]\n", tag, i, tag, i)
	}
	return b.Bytes()
}

func TestUpdateSurvivesKill(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	a, b := bigConfig("a", 200<<10), bigConfig("b", 240<<10)
	require.NoError(t, os.WriteFile(path+".a", a, 0o600))
	require.NoError(t, os.WriteFile(path+".b", b, 0o600))
	require.NoError(t, os.WriteFile(path, a, 0o600))

	leftovers := 0
	for round := range 20 {
		cmd := helperCmd(t, "loop", path, path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(20+rand.IntN(150)) * time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		err := cmd.Wait()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "round %d: the writer ended before it was killed: %s", round, stderr.String())

		got, err := os.ReadFile(path)
		require.NoError(t, err)
		if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
			t.Fatalf("round %d: the file is neither content after kill -9 (%d bytes)", round, len(got))
		}
		f, err := Load(path)
		require.NoError(t, err, "round %d", round)
		require.NoError(t, f.DecodeErr)
		leftovers += len(tempFiles(t, path))
	}
	t.Logf("%d of 20 kills left a temporary file behind", leftovers)

	// The next write cleans up what killed writers left.
	require.NoError(t, Update(context.Background(), path, func(f *File) error {
		return f.AddProvider(Provider{Name: "after-kill", Type: TypeOIDC})
	}))
	assert.Empty(t, tempFiles(t, path))
}

func TestUpdateFailuresKeepOldFile(t *testing.T) {
	const old = "# keep me\nversion: 1\nproviders:\n  - name: github\n    type: github\n"
	addX := func(f *File) error { return f.AddProvider(Provider{Name: "x", Type: TypeOIDC}) }
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		data  string
		fn    func(f *File) error
		check func(t *testing.T, err error)
	}{
		{
			name: "fn fails", data: old,
			fn: func(f *File) error {
				_ = f.AddProvider(Provider{Name: "half", Type: TypeOIDC})
				return errors.New("user gave up")
			},
			check: func(t *testing.T, err error) { assert.EqualError(t, err, "user gave up") },
		},
		{
			name: "fn leaves data that does not parse", data: old,
			fn: func(f *File) error { f.Data = []byte("version: [1\n"); return nil },
			check: func(t *testing.T, err error) {
				var ee *EditError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, 2, ee.ExitCode())
			},
		},
		{
			name: "the file does not parse", data: "version: 1\nproviders:\n  - name: a\n   type: b\n", fn: addX,
			check: func(t *testing.T, err error) {
				var ne *NotEditableError
				require.ErrorAs(t, err, &ne)
				var pe *ParseError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, 2, ne.ExitCode())
				assert.Contains(t, err.Error(), "was not changed because it cannot be read: line 4")
			},
		},
		{
			name: "the file has values of the wrong type", data: "version: one\n", fn: addX,
			check: func(t *testing.T, err error) {
				var ne *NotEditableError
				require.ErrorAs(t, err, &ne)
				assert.Contains(t, ne.Hint(), "ssoctl validate")
			},
		},
		{
			name: "disk full", data: old, fn: addX,
			setup: func(t *testing.T, _ string) {
				orig := writeData
				writeData = func(w io.Writer, data []byte) error {
					_, _ = w.Write(data[:len(data)/2])
					return &fs.PathError{Op: "write", Path: "tmp", Err: syscall.ENOSPC}
				}
				t.Cleanup(func() { writeData = orig })
			},
			check: func(t *testing.T, err error) {
				var we *WriteError
				require.ErrorAs(t, err, &we)
				assert.Contains(t, err.Error(), "no space left on device")
				assert.Contains(t, we.Hint(), "free some disk space")
			},
		},
		{
			name: "read-only directory", data: old, fn: addX,
			setup: func(t *testing.T, path string) {
				// The lock file exists from an earlier write; only the new file cannot be created.
				require.NoError(t, os.WriteFile(path+".lock", nil, 0o600))
				makeReadOnly(t, filepath.Dir(path))
			},
			check: func(t *testing.T, err error) {
				var we *WriteError
				require.ErrorAs(t, err, &we)
				assert.Contains(t, we.Hint(), "the file was left unchanged")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			require.NoError(t, os.WriteFile(path, []byte(tt.data), 0o640))
			before, err := os.Stat(path)
			require.NoError(t, err)
			if tt.setup != nil {
				tt.setup(t, path)
			}
			err = Update(context.Background(), path, tt.fn)
			require.Error(t, err)
			tt.check(t, err)
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.data, string(got), "the old file changed")
			after, err := os.Stat(path)
			require.NoError(t, err)
			assert.True(t, os.SameFile(before, after), "the old file was replaced")
			assert.Empty(t, tempFiles(t, path))
		})
	}
}

// makeReadOnly stops file creation in dir. Root ignores permission bits, so as root the directory is
// made immutable (chattr +i) instead; where that is impossible the test is skipped.
func makeReadOnly(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		require.NoError(t, os.Chmod(dir, 0o500))
		t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
		return
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("running as root and cannot make %s immutable: %v %s", dir, err, out)
	}
	t.Cleanup(func() { _ = exec.Command("chattr", "-i", dir).Run() })
}

func TestUpdateModes(t *testing.T) {
	t.Run("new file is 0600 in new 0700 directories", func(t *testing.T) {
		root := t.TempDir()
		path := filepath.Join(root, "xdg", "ssoctl", "config.yaml")
		require.NoError(t, Update(context.Background(), path, func(f *File) error {
			assert.False(t, f.Exists)
			// The lock file exists while the lock is held; nobody else may open it.
			li, err := os.Stat(path + ".lock")
			if assert.NoError(t, err) {
				assert.Equal(t, fs.FileMode(0o600), li.Mode().Perm())
			}
			return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
		}))
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o600), fi.Mode().Perm())
		for _, d := range []string{filepath.Join(root, "xdg"), filepath.Join(root, "xdg", "ssoctl")} {
			di, err := os.Stat(d)
			require.NoError(t, err)
			assert.Equal(t, fs.FileMode(0o700), di.Mode().Perm(), d)
		}
		assertLockRemoved(t, path+".lock")
	})
	for _, mode := range []fs.FileMode{0o644, 0o640, 0o600} {
		t.Run(fmt.Sprintf("existing %04o file keeps its mode", mode), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			require.NoError(t, os.WriteFile(path, []byte("version: 1\n"), 0o600))
			require.NoError(t, os.Chmod(path, mode))
			require.NoError(t, Update(context.Background(), path, func(f *File) error {
				return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
			}))
			fi, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, mode, fi.Mode().Perm())
		})
	}
}

func TestUpdateSymlink(t *testing.T) {
	t.Run("existing target", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "dotfiles", "ssoctl.yaml")
		require.NoError(t, os.MkdirAll(filepath.Dir(target), 0o700))
		require.NoError(t, os.WriteFile(target, []byte("version: 1\n"), 0o600))
		link := filepath.Join(dir, "config.yaml")
		require.NoError(t, os.Symlink(target, link))
		require.NoError(t, Update(context.Background(), link, func(f *File) error {
			assert.Equal(t, target, f.RealPath)
			// Under the lock: it is taken beside the target, where a writer given the target's own
			// path locks too, and not beside the link.
			assert.FileExists(t, target+".lock")
			assert.NoFileExists(t, link+".lock")
			return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
		}))
		li, err := os.Lstat(link)
		require.NoError(t, err)
		assert.Equal(t, fs.ModeSymlink, li.Mode().Type(), "the link was replaced by a file")
		got, err := os.ReadFile(target)
		require.NoError(t, err)
		assert.Contains(t, string(got), "name: a")
		assertLockRemoved(t, target+".lock")
	})
	t.Run("dangling link creates the target", func(t *testing.T) {
		dir := t.TempDir()
		link := filepath.Join(dir, "config.yaml")
		require.NoError(t, os.Symlink("real.yaml", link))
		require.NoError(t, Update(context.Background(), link, func(f *File) error {
			return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
		}))
		got, err := os.ReadFile(filepath.Join(dir, "real.yaml"))
		require.NoError(t, err)
		assert.Contains(t, string(got), "name: a")
		li, err := os.Lstat(link)
		require.NoError(t, err)
		assert.Equal(t, fs.ModeSymlink, li.Mode().Type())
	})
}

func TestUpdateLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	held := flock.New(path + ".lock")
	require.NoError(t, held.Lock())
	defer held.Unlock()

	t.Run("times out", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		called := false
		err := Update(ctx, path, func(*File) error { called = true; return nil })
		var le *LockError
		require.ErrorAs(t, err, &le)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, fmt.Sprintf("another ssoctl command held the lock %s.lock for too long", path), err.Error())
		assert.Equal(t, 1, le.ExitCode())
		assert.Contains(t, le.Hint(), "wait for the other command")
		assert.False(t, called)
	})
	t.Run("interrupted", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		err := Update(ctx, path, func(*File) error { return nil })
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("waits for the holder", func(t *testing.T) {
		time.AfterFunc(100*time.Millisecond, func() { _ = held.Unlock() })
		start := time.Now()
		require.NoError(t, Update(context.Background(), path, func(f *File) error {
			return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
		}))
		assert.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond)
	})
}

func TestUpdateWithoutChangeDoesNotWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte("version: 1\n"), 0o600))
	before, err := os.Stat(path)
	require.NoError(t, err)
	require.NoError(t, Update(context.Background(), path, func(*File) error { return nil }))
	after, err := os.Stat(path)
	require.NoError(t, err)
	assert.True(t, os.SameFile(before, after))

	missing := filepath.Join(t.TempDir(), "none.yaml")
	require.NoError(t, Update(context.Background(), missing, func(*File) error { return nil }))
	assert.NoFileExists(t, missing)
}

func TestUpdateRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	stale := filepath.Join(dir, ".config.yaml5577006791947779410")
	other := filepath.Join(dir, ".config.yaml.bak")
	for _, p := range []string{stale, other} {
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
	}
	require.NoError(t, Update(context.Background(), path, func(f *File) error {
		return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
	}))
	assert.NoFileExists(t, stale)
	assert.FileExists(t, other)
}

func TestUpdateJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	require.NoError(t, Update(context.Background(), path, func(f *File) error {
		return f.AddProvider(Provider{Name: "a", Type: TypeOIDC, Scopes: []string{"openid"}})
	}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, `{
  "version": 1,
  "providers": [
    {
      "name": "a",
      "type": "oidc",
      "scopes": [
        "openid"
      ]
    }
  ]
}
`, string(got))
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "last-login.json")
	require.NoError(t, WriteFileAtomic(p, []byte("old\n"), 0o600))
	require.NoError(t, WriteFileAtomic(p, []byte("new\n"), 0o600))
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(b))
	fi, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")

	err = WriteFileAtomic(filepath.Join(dir, "missing", "x.json"), []byte("x"), 0o600)
	require.Error(t, err, "a directory that does not exist is an error, not a partial write")
}

// TestLockRemovedSafely checks the protocol that lets the lock file be removed on release. A writer
// may open the lock file just before the holder removes it and lock it just after: it must then not
// hold a lock on the removed file (while a third writer locks a new file at the same path) but try
// again on the file the path names now. The seam lockTaken removes the file at that moment.
func TestLockRemovedSafely(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("an open file cannot be removed on Windows, so the holder never removes the lock file there")
	}
	path := filepath.Join(t.TempDir(), "config.yaml.lock")
	taken := 0
	lockTaken = func() {
		taken++
		if taken == 1 {
			// What the previous holder does on release, after this writer opened the file.
			require.NoError(t, os.Remove(path))
		}
	}
	t.Cleanup(func() { lockTaken = func() {} })
	release, err := lock(context.Background(), path)
	require.NoError(t, err)
	assert.Equal(t, 2, taken, "the writer did not try again after its lock file was removed")
	require.FileExists(t, path, "the writer holds a lock on a removed file")
	third := flock.New(path)
	ok, err := third.TryLock()
	require.NoError(t, err)
	assert.False(t, ok, "a third writer could lock the path while the second held its lock")
	release()
	assert.NoFileExists(t, path)
}

// TestUpdateRemovesStaleLockFile checks that a lock file a killed writer left behind is taken and
// then removed by the next write.
func TestUpdateRemovesStaleLockFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path+".lock", nil, 0o600))
	require.NoError(t, Update(context.Background(), path, func(f *File) error {
		return f.AddProvider(Provider{Name: "a", Type: TypeOIDC})
	}))
	assertLockRemoved(t, path+".lock")
}

// assertLockRemoved checks that the lock file at path was removed when the lock was released. On
// Windows an open file cannot be removed, so the file stays there (see lock).
func assertLockRemoved(t *testing.T, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	assert.NoFileExists(t, path, "the lock file was left beside the config")
}
