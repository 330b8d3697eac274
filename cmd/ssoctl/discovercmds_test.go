package main

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
)

// discoverScriptCmds start providers for discover and token scripts.
func discoverScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// discoveryop FAULT [tls|tls-CHAIN]: serve a discovery document and JWKS broken one way
		// (with $SSOCTL_TEST_NOW set, its clock-ahead Date header counts from that fixed time)
		// (discoverytest.Faults, or ok); set $ISSUER and tokens signed for audience "files":
		// $TOKEN (valid for an hour), $TOKEN_EXPIRED, $TOKEN_OTHER_KEY (signed with a key the JWKS
		// does not hold). With tls the server speaks HTTPS with a self-signed certificate, with
		// tls-CHAIN with a private CA's chain (discoverytest.Chains: tls-no-intermediate,
		// tls-full-chain, tls-with-root); the certificate to trust is in $WORK/ca.pem, and
		// $ISSUER_LOCALHOST reaches the server by a name the certificate does not hold.
		"discoveryop": func(ts *testscript.TestScript, neg bool, args []string) {
			chain, isTLS := "", false
			if len(args) == 2 {
				chain, isTLS = strings.CutPrefix(args[1], "tls")
				chain = strings.TrimPrefix(chain, "-")
			}
			if neg || len(args) < 1 || len(args) > 2 || len(args) == 2 && (!isTLS || chain != "" && !slices.Contains(discoverytest.Chains, chain)) {
				ts.Fatalf("usage: discoveryop FAULT [tls|tls-CHAIN]")
			}
			var s *discoverytest.Server
			if len(args) == 2 {
				s = discoverytest.NewTLSChain(args[0], cmp.Or(chain, discoverytest.ChainSelfSigned))
				ts.Check(os.WriteFile(filepath.Join(ts.Getenv("WORK"), "ca.pem"), s.CAPEM(), 0o600))
				ts.Setenv("ISSUER_LOCALHOST", strings.Replace(s.URL, "127.0.0.1", "localhost", 1))
			} else {
				var clock func() time.Time
				if v := ts.Getenv(testNowEnv); v != "" {
					now, err := time.Parse(time.RFC3339, v)
					ts.Check(err)
					clock = func() time.Time { return now }
				}
				s = discoverytest.NewWithClock(args[0], clock)
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
