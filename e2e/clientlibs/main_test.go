// Package clientlibs_test proves ssoctl's login rehearsal against the apps' real OAuth client
// libraries: each library, configured as its app configures it, logs in to the project's test
// provider (testdata/oidcprovider) for a set of cases (PKCE required, post-only and basic-only
// clients, HS256 and ES256 ID tokens, claims only in userinfo, a groups claim that is a string).
// What each library did (did its login succeed, what it sent according to the provider's request
// log, what user fields it read) is kept as a golden file per app (testdata/<app>.json, refreshed
// with -update). Then `ssoctl test-login NAME -o json` runs the same case with the config's app.kind
// set, and the test asserts that ssoctl sent what the library sent and predicted what it read.
package clientlibs_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/ssoctl/ssoctl/e2e/e2ecli"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

var update = flag.Bool("update", false, "rewrite the golden files of what each real client library did")

// bin holds the ssoctl and testbrowser binaries TestMain builds.
var bin *e2ecli.Binaries

// provider and idTokenProvider are the test providers of this test binary, with every case's
// client registered; idTokenProvider puts the profile claims into the ID token as well.
var provider, idTokenProvider *logintest.NodeProvider

// providerErr is why a provider is nil; each test reports it through logintest.Require.
var providerErr error

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if bin, err = e2ecli.Build("clientlibs"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer bin.Remove()
	provider, providerErr = logintest.StartNode(providerEnv()...)
	defer provider.Stop()
	if providerErr == nil {
		idTokenProvider, providerErr = logintest.StartNode(append(providerEnv(), "CONFORM_ID_TOKEN_CLAIMS=false")...)
		defer idTokenProvider.Stop()
	}
	return m.Run()
}

// moduleRoot is ssoctl's module root.
func moduleRoot() string {
	root, err := e2ecli.ModuleRoot()
	if err != nil {
		panic(err)
	}
	return root
}
