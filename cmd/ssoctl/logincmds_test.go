package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// browserDoneLimit only stops a script whose browser never runs; browserdone waits on the pipe, and
// a loaded machine finishes a scripted login far sooner.
const browserDoneLimit = 2 * time.Minute

// loginScriptCmds start identity providers for test-login scripts.
func loginScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// oidcprovider [NAME=VALUE...]: start the real OpenID provider (testdata/oidcprovider) with
		// that environment; set $ISSUER, and $BROWSER to the scripted test browser.
		"oidcprovider": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg {
				ts.Fatalf("unsupported: ! oidcprovider")
			}
			p, err := logintest.StartNode(args...)
			if err != nil {
				ts.Fatalf("%v (scripts skip only when node itself is missing: [!exec:node] skip)", err)
			}
			ts.Defer(p.Stop)
			ts.Setenv("ISSUER", p.Issuer)
			ts.Setenv("BROWSER", buildTestBrowser(ts))
		},
		// hostileop MODE: start a provider that misbehaves in one way (logintest.HostileModes, or
		// logintest.QuirkModes, whose logins pass); set $ISSUER, $CLIENT_ID, $CLIENT_SECRET and $BROWSER.
		"hostileop": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: hostileop MODE")
			}
			// A misspelt mode would run a provider that behaves.
			if modes := slices.Concat([]string{logintest.ModeOK}, logintest.HostileModes, logintest.QuirkModes); !slices.Contains(modes, args[0]) {
				ts.Fatalf("unknown hostile mode %q; modes: %s", args[0], strings.Join(modes, ", "))
			}
			h := logintest.NewHostile(args[0])
			ts.Defer(h.Close)
			ts.Setenv("ISSUER", h.Issuer())
			ts.Setenv("CLIENT_ID", logintest.HostileClientID)
			ts.Setenv("CLIENT_SECRET", logintest.HostileSecret)
			ts.Setenv("BROWSER", buildTestBrowser(ts))
		},
		// fakeplatform KIND [MODE]: start a fake SSO platform (logintest.PlatformModes: github,
		// dingtalk, lark, oauth2, microsoft); set $AUTHORIZE_URL, $TOKEN_URL, $USERINFO_URL, $ISSUER
		// (microsoft), $CLIENT_ID, $CLIENT_SECRET and $BROWSER.
		"fakeplatform": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 1 || len(args) > 2 {
				ts.Fatalf("usage: fakeplatform KIND [MODE]")
			}
			mode := logintest.ModeOK
			if len(args) == 2 {
				mode = args[1]
			}
			p, err := logintest.NewPlatform(args[0], mode)
			ts.Check(err)
			ts.Defer(p.Close)
			for k, v := range map[string]string{"AUTHORIZE_URL": p.AuthorizeURL(), "TOKEN_URL": p.TokenURL(), "USERINFO_URL": p.UserinfoURL(),
				"ISSUER": p.Issuer(), "CLIENT_ID": logintest.PlatformClientID, "CLIENT_SECRET": logintest.PlatformSecret} {
				ts.Setenv(k, v)
			}
			ts.Setenv("BROWSER", buildTestBrowser(ts))
		},
		// fifo NAME: make a named pipe, for browserdone to wait on (set $SSOCTL_TEST_BROWSER_DONE to it).
		"fifo": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: fifo NAME")
			}
			makeFIFO(ts, ts.MkAbs(args[0]))
		},
		// browserdone FIFO STATUS: wait until the test browser's walk has ended (it writes "STATUS URL"
		// to $SSOCTL_TEST_BROWSER_DONE) and check the status of its last page. It waits on the pipe,
		// not on a timer, so a script can act on a login still running (kill it) at the right moment.
		"browserdone": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 2 {
				ts.Fatalf("usage: browserdone FIFO STATUS")
			}
			path := ts.MkAbs(args[0])
			type read struct {
				b   []byte
				err error
			}
			done := make(chan read, 1)
			go func() {
				b, err := os.ReadFile(path)
				done <- read{b, err}
			}()
			var r read
			select {
			case r = <-done:
			case <-time.After(browserDoneLimit):
				// Only a hung script ends here (the browser never ran): open the pipe's other end so
				// that the read above returns, and fail.
				if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					w.Close()
				}
				ts.Fatalf("the test browser did not finish within %s", browserDoneLimit)
			}
			ts.Check(r.err)
			line := strings.TrimSpace(string(r.b))
			ts.Logf("test browser: %s", line)
			if status, _, _ := strings.Cut(line, " "); status != args[1] {
				ts.Fatalf("the test browser ended with %q, want status %s", line, args[1])
			}
		},
		// envsubst FILE...: expand $VARIABLES in the files, in place (configs holding $ISSUER).
		"envsubst": func(ts *testscript.TestScript, neg bool, args []string) {
			for _, f := range args {
				p := ts.MkAbs(f)
				ts.Check(os.WriteFile(p, []byte(os.Expand(ts.ReadFile(f), ts.Getenv)), 0o600))
			}
		},
	}
}

// buildTestBrowser builds the $BROWSER helper into the script's work directory.
func buildTestBrowser(ts *testscript.TestScript) string {
	out := filepath.Join(ts.Getenv("WORK"), ".bin", "testbrowser")
	if _, err := os.Stat(out); err == nil {
		return out
	}
	cmd := exec.Command("go", "build", "-o", out, "github.com/ssoctl/ssoctl/pkg/login/logintest/testbrowser")
	if b, err := cmd.CombinedOutput(); err != nil {
		ts.Fatalf("build the test browser: %v\n%s", err, strings.TrimSpace(string(b)))
	}
	return out
}
