package hydra

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/e2e/e2ecli"
)

// workdir is one test's config file, home and state, where ssoctl runs as a user would run it.
type workdir struct {
	dir    string
	config string
	env    []string
}

// newWorkdir writes config (may be "") as the test's ssoctl.yaml.
func newWorkdir(t *testing.T, config string) *workdir {
	t.Helper()
	dir := t.TempDir()
	w := &workdir{dir: dir, config: filepath.Join(dir, "ssoctl.yaml")}
	if config != "" {
		if err := os.WriteFile(w.config, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w.env = []string{
		"HOME=" + filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "home", ".config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "home", ".local", "state"),
		"NO_COLOR=1",
		"SSOCTL_CONFIG=" + w.config,
		"PATH=" + os.Getenv("PATH"),
		"BROWSER=" + bins.Browser,
		"HYDRA_SECRET=" + hydraSecret,
	}
	return w
}

// result is one ssoctl command's outcome.
type result = e2ecli.Result

// ssoctl runs the built ssoctl in the workdir with extra environment.
func (w *workdir) ssoctl(t *testing.T, env []string, args ...string) result {
	t.Helper()
	r := e2ecli.Run(t, bins.SSOctl, w.dir, append(slices.Clone(w.env), env...), args...)
	if testing.Verbose() {
		t.Logf("ssoctl %s: %s", strings.Join(args, " "), r)
	}
	return r
}

// testLogin runs `ssoctl test-login NAME` with the scripted browser logging user in. The timeout
// is a cap against a hang on a loaded machine, not a speed test.
func (w *workdir) testLogin(t *testing.T, user, name string, args ...string) result {
	t.Helper()
	return w.ssoctl(t, []string{"SSOCTL_TEST_LOGIN_HINT=" + user},
		append([]string{"test-login", name, "--timeout", "2m"}, args...)...)
}
