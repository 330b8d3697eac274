package main

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// flavorScriptCmds are the script commands that read the recorded provider flavour logins.
func flavorScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// flavorlogin NAME: write NAME.userinfo.json and NAME.id_token.json to $WORK from the recorded
		// login testdata/flavors/NAME.json, for map eval --input and --id-token-claims.
		"flavorlogin": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: flavorlogin NAME")
			}
			raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "flavors", args[0]+".json"))
			ts.Check(err)
			var rec struct {
				IDToken  json.RawMessage `json:"id_token"`
				Userinfo json.RawMessage `json:"userinfo"`
			}
			ts.Check(json.Unmarshal(raw, &rec))
			ts.Check(os.WriteFile(ts.MkAbs(args[0]+".userinfo.json"), rec.Userinfo, 0o600))
			ts.Check(os.WriteFile(ts.MkAbs(args[0]+".id_token.json"), rec.IDToken, 0o600))
		},
	}
}
