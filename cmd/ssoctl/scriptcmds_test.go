package main

import (
	"maps"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds are the custom testscript commands, such as ones that start local servers.
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// exitcode N: the last ssoctl run exited with code N.
		"exitcode": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: exitcode N")
			}
			b, err := os.ReadFile(ts.Getenv(exitFileEnv))
			ts.Check(err)
			got := strings.TrimSpace(string(b))
			if (got == args[0]) == neg {
				ts.Fatalf("ssoctl exited with %s, want %s%s", got, map[bool]string{true: "not ", false: ""}[neg], args[0])
			}
		},
	}
	maps.Copy(cmds, loginScriptCmds())
	maps.Copy(cmds, discoverScriptCmds())
	maps.Copy(cmds, fileScriptCmds())
	maps.Copy(cmds, flavorScriptCmds())
	return cmds
}
