package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// ssoctlBinary returns a path that runs the real ssoctl main: a link named "ssoctl" to this test
// binary, which testscript.Main dispatches on its name.
func ssoctlBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	bin := filepath.Join(t.TempDir(), "ssoctl")
	require.NoError(t, os.Symlink(exe, bin))
	return bin
}

// isolatedEnv is an environment with its own HOME and XDG dirs, without the caller's SSOCTL_CONFIG.
func isolatedEnv(t *testing.T, extra ...string) []string {
	t.Helper()
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/.config", "XDG_STATE_HOME=" + home + "/.state", "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}
	return append(env, extra...)
}

// TestConcurrentProviderAdd runs 20 `ssoctl provider add` processes on one file at once: the file lock
// must serialise them, so all 20 providers end up in a file that still parses.
func TestConcurrentProviderAdd(t *testing.T) {
	bin := ssoctlBinary(t)
	cfg := filepath.Join(t.TempDir(), "ssoctl.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("# shared by 20 writers\nversion: 1\nproviders: []\n"), 0o600))
	env := isolatedEnv(t)

	const n = 20
	var wg sync.WaitGroup
	errs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(bin, "--config", cfg, "provider", "add", fmt.Sprintf("p%02d", i),
				"--type", "github", "--client-id", fmt.Sprintf("id-%d", i), "--client-secret-env", "GH_SECRET")
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Sprintf("writer %d: %v: %s", i, err, out)
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		assert.Empty(t, e)
	}

	f, err := config.Load(cfg)
	require.NoError(t, err)
	require.NotNil(t, f.Config)
	assert.Len(t, f.Config.Providers, n)
	for i := range n {
		_, ok := f.Config.Provider(fmt.Sprintf("p%02d", i))
		assert.True(t, ok, "provider p%02d missing", i)
	}
	assert.True(t, strings.HasPrefix(string(f.Data), "# shared by 20 writers\n"), "the comment survives")
}

// TestLiteralSecretNeverPrinted runs the commands that read a provider against a file holding a
// literal client secret: without --reveal the value must appear in no output, in any format.
func TestLiteralSecretNeverPrinted(t *testing.T) {
	const secret = "Sup3r-Literal-S3cret-Value"
	bin := ssoctlBinary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ssoctl.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(`version: 1
app:
  kind: alist
  url: https://files.example.com
providers:
  - name: kc
    type: oidc
    issuer: http://127.0.0.1:1/realms/demo
    client_id: files
    client_secret: `+secret+`
    redirect_url: https://files.example.com/api/auth/sso_callback
`), 0o600))
	env := isolatedEnv(t)

	runs := [][]string{
		{"provider", "list"},
		{"provider", "list", "-o", "json"},
		{"provider", "show", "kc"},
		{"provider", "show", "kc", "-o", "json"},
		{"provider", "show", "kc", "-o", "yaml"},
		{"validate"},
		{"validate", "--format", "json"},
		{"validate", "--format", "github"},
		{"validate", "--format", "sarif"},
		{"export", "kc", "--target", "alist"},
		{"export", "kc", "--target", "alist", "-o", "json"},
		{"export", "kc", "--target", "photoprism"},
		{"export", "kc", "--target", "lobechat"},
		{"export", "kc", "--target", "inventree"},
		{"export", "kc", "--target", "generic"},
		// A login that fails (nothing listens on the issuer) must not leak the secret in its error.
		{"test-login", "kc", "--no-browser", "--timeout", "5s"},
		{"test-login", "kc", "--no-browser", "--timeout", "5s", "-o", "json"},
	}
	for _, args := range runs {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, append([]string{"--config", cfg}, args...)...)
			cmd.Env = env
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run() // some of these fail on purpose; only the output matters here
			assert.NotContains(t, stdout.String(), secret, "stdout")
			assert.NotContains(t, stderr.String(), secret, "stderr")
			assert.NotContains(t, stderr.String(), "goroutine ", "no stack trace")
		})
	}

	// The control: --reveal is the one way to see it.
	cmd := exec.Command(bin, "--config", cfg, "provider", "show", "kc", "--reveal")
	cmd.Env = env
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Contains(t, string(out), secret)
}

// TestInterruptEndsWaitingCommand sends SIGINT to a command waiting on a provider that never answers:
// it must stop at once, say "interrupted" and exit 130, not wait for its timeout.
func TestInterruptEndsWaitingCommand(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	connected := make(chan struct{}, 1)
	go func() { // accept and never answer
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			select {
			case connected <- struct{}{}:
			default:
			}
		}
	}()

	cmd := exec.Command(ssoctlBinary(t), "discover", "http://"+ln.Addr().String(), "--timeout", "60s")
	cmd.Env = isolatedEnv(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	// Wait until the request is on its way, so the signal reaches the command, not startup.
	select {
	case <-connected:
	case <-time.After(time.Minute):
		t.Fatal("ssoctl discover never connected")
	}
	start := time.Now()
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "stderr: %s", stderr.String())
	assert.Equal(t, 130, exit.ExitCode(), "stderr: %s", stderr.String())
	assert.Contains(t, stderr.String(), "interrupted")
	assert.Less(t, time.Since(start), 10*time.Second)
}
