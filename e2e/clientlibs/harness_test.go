package clientlibs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// harnessStartTimeout bounds a harness's start; node and Django start in about a second, far
// longer on two loaded cores.
const harnessStartTimeout = 2 * time.Minute

// requireTool fails the test under CI=true (these tests must run there) and skips it elsewhere,
// naming what is missing and how to install it.
func requireTool(t *testing.T, missing string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true: these tests must run)", missing)
	}
	t.Skip(missing)
}

// requireNodeModules checks that node and the npm packages of e2e/clientlibs/node are installed.
func requireNodeModules(t *testing.T, pkg string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		requireTool(t, "node is not installed (apt-get install nodejs npm)")
	}
	if _, err := os.Stat(filepath.Join("node", "node_modules", pkg, "package.json")); err != nil {
		requireTool(t, fmt.Sprintf("the npm package %s is not installed; run: cd e2e/clientlibs/node && npm ci", pkg))
	}
}

// startHarness runs a harness (an app's real client library behind a loopback HTTP server) until
// the test ends and returns the URL from its "READY=<url>" line.
func startHarness(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	proc, u, err := logintest.StartProcess(cmd, "READY", harnessStartTimeout)
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	t.Cleanup(proc.Stop)
	return u
}

// harnessResult is what a harness's last page says about the login.
type harnessResult struct {
	OK    bool           `json:"ok"`
	Error string         `json:"error"`
	User  map[string]any `json:"user"`
	// Profile is the claims the library handed the app (the ID token's or userinfo's).
	Profile map[string]any `json:"profile"`
}

// harnessLogin drives the scripted browser from the harness's /start to the end of the login and
// reads the harness's verdict from the last page.
func harnessLogin(t *testing.T, base string, c loginCase) harnessResult {
	t.Helper()
	res, err := logintest.Follow(context.Background(), base+"/start", logintest.FollowOptions{LoginHint: c.user})
	if err != nil {
		t.Fatalf("scripted browser: %v", err)
	}
	var out harnessResult
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		page, _, _ := strings.Cut(res.URL, "?")
		return harnessResult{Error: fmt.Sprintf("the browser ended at %s with HTTP %d: %s", page, res.Status, strings.TrimSpace(res.Body))}
	}
	if !out.OK && out.Error == "" {
		out.Error = "the library reported a failure without a message"
	}
	return out
}

func (h harnessResult) login() string {
	if h.OK {
		return "ok"
	}
	return "failed: " + normalize(h.Error)
}
