package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ssoctl/ssoctl/pkg/cmd/root"
)

// exitFileEnv names a file where the scripted ssoctl records its exit code, so scripts can assert
// the exact code (testscript itself only knows zero or non-zero).
const exitFileEnv = "SSOCTL_TEST_EXITFILE"

// TestMain lets testscript run ssoctl as a subprocess of the test binary, so scripts exercise the
// real main: flag parsing, stdout/stderr, exit codes.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ssoctl": func() {
			code := root.Main()
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
		Setup: func(env *testscript.Env) error {
			// No real $HOME or XDG dirs: every script gets its own.
			env.Setenv("HOME", env.WorkDir+"/home")
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/home/.config")
			env.Setenv("XDG_STATE_HOME", env.WorkDir+"/home/.local/state")
			env.Setenv("NO_COLOR", "1")
			env.Setenv(exitFileEnv, env.WorkDir+"/.exitcode")
			return nil
		},
		Cmds: scriptCmds(),
	})
}
