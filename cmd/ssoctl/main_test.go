package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ssoctl/ssoctl/pkg/cmd/factory"
	"github.com/ssoctl/ssoctl/pkg/cmd/root"
)

// exitFileEnv names a file where the scripted ssoctl records its exit code, so scripts can assert
// the exact code (testscript itself only knows zero or non-zero).
const exitFileEnv = "SSOCTL_TEST_EXITFILE"

// testNowEnv names the fixed time (RFC 3339) the scripted ssoctl and discoveryop's server use as now.
const testNowEnv = "SSOCTL_TEST_NOW"

// TestMain lets testscript run ssoctl as a subprocess of the test binary, so scripts exercise the
// real main: flag parsing, stdout/stderr, exit codes.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ssoctl": func() {
			f := factory.New()
			// $SSOCTL_TEST_NOW (RFC 3339) freezes the command's clock, for scripts that compare it with
			// a test server's stamped from the same fixed time (discoveryop), so that no result
			// depends on which second the machine reaches first.
			if v := os.Getenv(testNowEnv); v != "" {
				now, err := time.Parse(time.RFC3339, v)
				if err != nil {
					panic("bad " + testNowEnv + ": " + err.Error())
				}
				f.Now = func() time.Time { return now }
			}
			code := root.MainWith(f)
			if p := os.Getenv(exitFileEnv); p != "" {
				_ = os.WriteFile(p, []byte(strconv.Itoa(code)), 0o600)
			}
			os.Exit(code)
		},
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") == "1",
		Setup:               isolatedScriptEnv,
		Cmds:                scriptCmds(),
	})
}

// isolatedScriptEnv gives a script no real $HOME or XDG directories (every script gets its own), no
// colour, and the file where the scripted ssoctl records its exit code.
func isolatedScriptEnv(env *testscript.Env) error {
	env.Setenv("HOME", env.WorkDir+"/home")
	env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/home/.config")
	env.Setenv("XDG_STATE_HOME", env.WorkDir+"/home/.local/state")
	env.Setenv("NO_COLOR", "1")
	env.Setenv(exitFileEnv, env.WorkDir+"/.exitcode")
	return nil
}
