// Package hydra runs the built ssoctl CLI against a real ORY Hydra v2.3.0 (OpenID Certified), started
// by logintest.StartHydra with DSN=memory and a login/consent app inside the test process, and
// logs in with the scripted $BROWSER: `provider add --flavor hydra`, `validate --online` and
// `test-login` as a new user runs them (issue 16), and test-login rehearsing AList's, LobeChat's and
// InvenTree's own OAuth clients against what Hydra really does (issue 13): a client registered for
// client_secret_post only, one for client_secret_basic only, and oauth2.pkce.enforced, which Hydra
// refuses only after the login. TestRecordedDiscoveryIsHydras keeps testdata/discovery/hydra.json
// equal to the real document.
//
// Hydra is built by scripts/build-hydra.sh (cached in ~/.cache/ssoctl-hydra). Without it the
// suite skips with one line saying how to build it; under CI=true it fails instead.
package hydra

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/ssoctl/ssoctl/e2e/e2ecli"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

var update = flag.Bool("update", false, "rewrite testdata/discovery/hydra.json from the real Hydra")

// bins are the executables TestMain builds once: ssoctl and the scripted $BROWSER.
var bins *e2ecli.Binaries

// hydras are the two Hydra instances of the suite: the default configuration, and one with
// oauth2.pkce.enforced.
var hydras struct {
	plain, pkce *logintest.Hydra
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if _, err := logintest.HydraBinary(); errors.Is(err, logintest.ErrHydraUnavailable) && os.Getenv("CI") != "true" {
		// A user's clone: one line, and nothing else runs.
		fmt.Printf("skipping the real ORY Hydra tests: %v\n", err)
		return 0
	}
	var err error
	if bins, err = e2ecli.Build("hydra"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer bins.Remove()
	if hydras.plain, err = logintest.StartHydra(logintest.HydraOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer hydras.plain.Stop()
	if hydras.pkce, err = logintest.StartHydra(logintest.HydraOptions{PKCEEnforced: true}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer hydras.pkce.Stop()
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
