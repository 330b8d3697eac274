// Package llng_test runs the built ssoctl CLI against the real LemonLDAP::NG 2.16 (Debian bookworm's
// packages, installed by scripts/setup-llng.sh and started by logintest.StartLLNG): provider add
// --flavor lemonldap builds the issuer the portal really announces, validate --online passes, and
// test-login verifies the ID token and shows userinfo, with the defaults the 2.16 manager gives a
// new relying party and with the settings an admin changes for an app.
package llng_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bin holds the ssoctl and testbrowser binaries TestMain builds.
var bin struct {
	ssoctl, browser string
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "ssoctl-e2e-llng-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin.ssoctl = filepath.Join(dir, "ssoctl")
	bin.browser = filepath.Join(dir, "testbrowser")
	for out, pkg := range map[string]string{bin.ssoctl: "./cmd/ssoctl", bin.browser: "./pkg/login/logintest/testbrowser"} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = moduleRoot()
		if b, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "go build %s: %v\n%s", pkg, err, b)
			return 1
		}
	}
	return m.Run()
}

// moduleRoot is the directory of go.mod (two levels up from this package).
func moduleRoot() string {
	wd, _ := os.Getwd()
	return filepath.Clean(filepath.Join(wd, "..", ".."))
}

// workdir is one test's ssoctl.yaml, home and state.
type workdir struct {
	dir string
	env []string
}

func newWorkdir(t *testing.T) *workdir {
	dir := t.TempDir()
	return &workdir{dir: dir, env: []string{
		"HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, ".local", "state"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, ".cache"),
		"SSOCTL_CONFIG=" + filepath.Join(dir, "ssoctl.yaml"),
		"BROWSER=" + bin.browser,
		"NO_COLOR=1",
	}}
}

// result is one ssoctl run.
type result struct {
	stdout, stderr string
	code           int
}

// ssoctl runs the built CLI in the work dir with its environment plus env.
func (w *workdir) ssoctl(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin.ssoctl, args...)
	cmd.Dir = w.dir
	cmd.Env = append(append(os.Environ(), w.env...), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("ssoctl %v: %v", args, err)
	}
	return r
}
