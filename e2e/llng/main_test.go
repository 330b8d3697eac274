// Package llng_test runs the built ssoctl CLI against the real LemonLDAP::NG 2.16 (Debian bookworm's
// packages, installed by scripts/setup-llng.sh and started by logintest.StartLLNG): provider add
// --flavor lemonldap builds the issuer the portal really announces, validate --online passes, and
// test-login verifies the ID token and shows userinfo, with the defaults the 2.16 manager gives a
// new relying party and with the settings an admin changes for an app.
package llng_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssoctl/ssoctl/e2e/e2ecli"
)

// bin holds the ssoctl and testbrowser binaries TestMain builds.
var bin *e2ecli.Binaries

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if bin, err = e2ecli.Build("llng"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer bin.Remove()
	return m.Run()
}

// moduleRoot is ssoctl's module root.
func moduleRoot() string {
	root, err := e2ecli.ModuleRoot()
	if err != nil {
		panic(err)
	}
	return root
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
		"BROWSER=" + bin.Browser,
		"NO_COLOR=1",
	}}
}

// result is one ssoctl run.
type result = e2ecli.Result

// ssoctl runs the built CLI in the work dir with its environment plus env.
func (w *workdir) ssoctl(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return e2ecli.Run(t, bin.SSOctl, w.dir, append(append(os.Environ(), w.env...), env...), args...)
}
