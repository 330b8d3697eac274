// Package apps runs ssoctl's predictions against the real AList v3.63.0 and OpenList v4.2.5: each
// case sets the app's SSO through its admin API with what `ssoctl export` writes, logs a user in
// through the app against the real test OpenID provider with the scripted browser, reads what the
// app did (its answer, /api/me, the admin user list, a mkdir on a mounted local storage) and
// compares that with what `ssoctl test-login` and `ssoctl map eval` predicted for the same claims.
// Each case's app answer is kept as a golden file (testdata/<app>/<case>.app.json) beside ssoctl's
// prediction (<case>.prediction.json); `go test ./e2e/apps -update` refreshes both.
//
// The apps are built from the source archives in ../shared/apps (build.sh, cached in
// ~/.cache/ssoctl-apps). Without them the suite skips with one line saying how to point it at
// them (SSOCTL_APPS_DIR); under CI=true it fails instead.
package apps

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ssoctl/ssoctl/e2e/e2ecli"
)

var update = flag.Bool("update", false, "rewrite the golden app answers and predictions in testdata/")

// appsDirEnv points the suite at a folder holding build.sh and the apps' source archives.
const appsDirEnv = "SSOCTL_APPS_DIR"

// bins are the executables TestMain builds once: ssoctl and the scripted $BROWSER.
var bins struct {
	ssoctl, browser string
	err             error
}

func TestMain(m *testing.M) {
	flag.Parse()
	if _, err := appsDir(); errors.Is(err, errNoApps) && os.Getenv("CI") != "true" {
		// A user's clone: one line, and nothing else runs.
		fmt.Printf("skipping the real AList/OpenList tests: %v; set %s to a folder with build.sh and the AList/OpenList source archives\n", err, appsDirEnv)
		os.Exit(0)
	}
	b, err := e2ecli.Build("apps")
	if bins.err = err; err == nil {
		bins.ssoctl, bins.browser = b.SSOctl, b.Browser
	}
	code := m.Run()
	stopProviders()
	b.Remove()
	os.Exit(code)
}

func moduleRoot() (string, error) { return e2ecli.ModuleRoot() }

// appsDir finds the folder with build.sh: $SSOCTL_APPS_DIR, else ../shared/apps beside the clone
// (or beside the folder holding a worktree).
func appsDir() (string, error) {
	if d := os.Getenv(appsDirEnv); d != "" {
		if _, err := os.Stat(filepath.Join(d, "build.sh")); err != nil {
			return "", fmt.Errorf("%s=%s has no build.sh", appsDirEnv, d)
		}
		return d, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	for _, d := range []string{filepath.Join(root, "..", "shared", "apps"), filepath.Join(root, "..", "..", "shared", "apps")} {
		if _, err := os.Stat(filepath.Join(d, "build.sh")); err == nil {
			return filepath.Clean(d), nil
		}
	}
	return "", errNoApps
}

var errNoApps = errors.New("no ../shared/apps beside this clone")

// built caches one build per app for the test binary.
var built = map[string]*buildResult{"alist": {}, "openlist": {}}

type buildResult struct {
	once sync.Once
	bin  string
	err  error
}

// requireApp returns the app's binary, building it once (build.sh is idempotent and cached).
// Without the sources the test skips with one line, or fails under CI=true.
func requireApp(t *testing.T, kind string) string {
	t.Helper()
	if bins.err != nil {
		t.Fatal(bins.err)
	}
	b := built[kind]
	b.once.Do(func() {
		dir, err := appsDir()
		if err != nil {
			b.err = err
			return
		}
		var stderr bytes.Buffer
		cmd := exec.Command("bash", filepath.Join(dir, "build.sh"), kind)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.err = fmt.Errorf("build.sh %s failed: %v\n%s", kind, err, stderr.String())
			return
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		b.bin = lines[len(lines)-1]
	})
	if errors.Is(b.err, errNoApps) {
		t.Fatalf("CI=true and %v: set %s to a folder with build.sh and the AList/OpenList source archives", b.err, appsDirEnv)
	}
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.bin
}
