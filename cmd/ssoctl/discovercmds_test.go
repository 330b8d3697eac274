package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
)

// discoverScriptCmds start providers for discover and token scripts.
func discoverScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// discoveryop FAULT [tls]: serve a discovery document and JWKS broken one way
		// (discoverytest.Faults, or ok); set $ISSUER and tokens signed for audience "files":
		// $TOKEN (valid for an hour), $TOKEN_EXPIRED, $TOKEN_OTHER_KEY (signed with a key the JWKS
		// does not hold). With tls the server speaks HTTPS, its certificate is in $WORK/ca.pem, and
		// $ISSUER_LOCALHOST reaches it by a name the certificate does not hold.
		"discoveryop": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 1 || len(args) > 2 || len(args) == 2 && args[1] != "tls" {
				ts.Fatalf("usage: discoveryop FAULT [tls]")
			}
			var s *discoverytest.Server
			if len(args) == 2 {
				s = discoverytest.NewTLS(args[0])
				ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), "ca.pem"), s.CAPEM(), 0o600))
				ts.Setenv("ISSUER_LOCALHOST", strings.Replace(s.URL, "127.0.0.1", "localhost", 1))
			} else {
				s = discoverytest.New(args[0])
			}
			ts.Defer(s.Close)
			now := time.Now()
			expired := s.Claims("files", now.Add(-2*time.Hour))
			ts.Setenv("ISSUER", s.Issuer())
			ts.Setenv("TOKEN", s.Sign(s.Claims("files", now)))
			ts.Setenv("TOKEN_EXPIRED", s.Sign(expired))
			ts.Setenv("TOKEN_OTHER_KEY", discoverytest.SignRS256(s.Other, discoverytest.KeyID, s.Claims("files", now)))
		},
	}
}
