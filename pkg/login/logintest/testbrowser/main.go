// Command testbrowser is the $BROWSER of ssoctl's end-to-end tests: it opens its last argument like a
// browser (following redirects itself, loopback hosts only) so a login finishes without a real
// browser.
//
// Environment:
//
//	SSOCTL_TEST_LOGIN_HINT     login_hint to add (the test provider logs that user in; "deny" refuses)
//	SSOCTL_TEST_BROWSER_PARAMS query parameters to change first, "name=value,other=" ("" deletes)
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testbrowser URL")
		os.Exit(2)
	}
	mods := logintest.ParseParams(os.Getenv("SSOCTL_TEST_BROWSER_PARAMS"))
	opts := logintest.FollowOptions{
		LoginHint: os.Getenv("SSOCTL_TEST_LOGIN_HINT"),
		Modify: func(u *url.URL) {
			for _, m := range mods {
				m(u)
			}
		},
	}
	if _, err := logintest.Follow(context.Background(), os.Args[len(os.Args)-1], opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
