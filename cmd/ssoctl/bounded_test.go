//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxRSSKiB is the peak resident memory of a finished child process.
func maxRSSKiB(t *testing.T, ps *os.ProcessState) int64 {
	t.Helper()
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage here")
	}
	return ru.Maxrss // KiB on Linux
}

// TestEndlessInputsAreBounded gives ssoctl files that never end (/dev/zero) where it reads a file
// whole: each is one sentence, exit 2, and the process stays small.
func TestEndlessInputsAreBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ssoctl.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\nproviders:\n  - name: gh\n    type: github\n    client_id: a\n    client_secret: file:/dev/zero\n"), 0o600))
	userinfo := filepath.Join(dir, "userinfo.json")
	require.NoError(t, os.WriteFile(userinfo, []byte(`{"id": 1, "login": "octocat"}`), 0o600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "config", args: []string{"--config", "/dev/zero", "validate"},
			want: "error: cannot read config file /dev/zero: it is a character device and gave more than the 4.0 MiB a config file may be\n"},
		{name: "secret file with export --reveal", args: []string{"--config", cfg, "export", "gh", "--target", "alist", "--reveal"},
			want: "error: cannot reveal the client secret of provider \"gh\": cannot read secret file /dev/zero: it is larger than the 64.0 KiB a secret file may be\n"},
		{name: "ca file", args: []string{"--config", cfg, "--ca-file", "/dev/zero", "discover", "https://127.0.0.1:1"},
			want: "error: cannot read --ca-file /dev/zero: it is larger than the 4.0 MiB a CA file may be\n"},
		{name: "id token claims", args: []string{"--config", cfg, "map", "eval", "--mapping-type", "github", "--input", userinfo, "--id-token-claims", "/dev/zero"},
			want: "error: cannot read --id-token-claims /dev/zero: it is larger than the 16.0 MiB a JSON document may be\n"},
	}
	bin := ssoctlBinary(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = isolatedEnv(t)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "stderr: %s", stderr.String())
			assert.Equal(t, 2, exit.ExitCode(), "stderr: %s", stderr.String())
			assert.Empty(t, stdout.String())
			lines := strings.SplitAfter(stderr.String(), "\n")
			assert.Equal(t, tt.want, lines[0])
			assert.True(t, strings.HasPrefix(lines[1], "hint: "), "the sentence has a hint: %s", stderr.String())
			// The test binary itself is about 30 MiB resident (more under -race, whose shadow memory
			// multiplies what a 16 MiB document read costs: 139 MiB was seen); an unbounded read of
			// /dev/zero grows until the machine runs out of memory.
			assert.Less(t, maxRSSKiB(t, cmd.ProcessState), int64(512<<10), "peak memory in KiB")
		})
	}
}

// waitForReader waits until a process has the named pipe at path open for reading: opening its write
// end without blocking fails with ENXIO until then. It returns the write end.
func waitForReader(t *testing.T, path string, exited <-chan struct{}) *os.File {
	t.Helper()
	for {
		w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err == nil {
			return w
		}
		if !errors.Is(err, syscall.ENXIO) {
			require.NoError(t, err)
		}
		select {
		case <-exited:
			t.Fatal("ssoctl exited before it opened the pipe")
		case <-time.After(5 * time.Millisecond): // a poll for the event, not a deadline
		}
	}
}

// TestInterruptEndsPipeRead gives ssoctl a named pipe that nobody writes to where it reads a file
// whole: Ctrl-C must end the command with "interrupted" and exit 130.
func TestInterruptEndsPipeRead(t *testing.T) {
	dir := t.TempDir()
	secretPipe := filepath.Join(dir, "secret.fifo")
	require.NoError(t, syscall.Mkfifo(secretPipe, 0o600))
	cfg := filepath.Join(dir, "ssoctl.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\nproviders:\n  - name: gh\n    type: github\n    client_id: a\n    client_secret: file:"+secretPipe+"\n"), 0o600))
	configPipe := filepath.Join(dir, "config.fifo")
	require.NoError(t, syscall.Mkfifo(configPipe, 0o600))

	tests := []struct {
		name string
		pipe string
		args []string
	}{
		{name: "config", pipe: configPipe, args: []string{"--config", configPipe, "validate"}},
		{name: "secret file with export --reveal", pipe: secretPipe, args: []string{"--config", cfg, "export", "gh", "--target", "alist", "--reveal"}},
		{name: "ca file", pipe: secretPipe, args: []string{"--config", cfg, "--ca-file", secretPipe, "discover", "https://127.0.0.1:1"}},
	}
	bin := ssoctlBinary(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = isolatedEnv(t)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			exited := make(chan struct{})
			var waitErr error
			go func() { waitErr = cmd.Wait(); close(exited) }()

			// Open the write end and write nothing: ssoctl now waits in read(2) for data.
			w := waitForReader(t, tt.pipe, exited)
			defer w.Close()
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
			<-exited
			var exit *exec.ExitError
			require.ErrorAs(t, waitErr, &exit, "stderr: %s", stderr.String())
			assert.Equal(t, 130, exit.ExitCode(), "stderr: %s", stderr.String())
			assert.Equal(t, "interrupted\n", stderr.String())
		})
	}
}
