// Command testbrowser is the $BROWSER of ssoctl's end-to-end tests: it opens its last argument like a
// browser (following redirects itself, loopback hosts only) so a login finishes without a real
// browser.
//
// Environment:
//
//	SSOCTL_TEST_LOGIN_HINT     login_hint to add (the test provider logs that user in; "deny" refuses)
//	SSOCTL_TEST_BROWSER_PARAMS query parameters to change first, "name=value,other=" ("" deletes)
//	SSOCTL_TEST_BROWSER_STRAY  a query ("code=x&state=forged") sent to the callback (the authorize
//	                           URL's redirect_uri) before the login, as a stray request from another
//	                           tab; the browser fails unless the callback answers it with 400
//	SSOCTL_TEST_BROWSER_DONE   a file (or a FIFO the script made, to wait on) that gets one line
//	                           "STATUS URL" when the walk ends
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
	authorize := os.Args[len(os.Args)-1]
	if stray := os.Getenv("SSOCTL_TEST_BROWSER_STRAY"); stray != "" {
		if err := sendStray(authorize, stray); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
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
	res, err := logintest.Follow(context.Background(), authorize, opts)
	if done := os.Getenv("SSOCTL_TEST_BROWSER_DONE"); done != "" {
		line := "error " + fmt.Sprint(err) + "\n"
		if err == nil {
			line = fmt.Sprintf("%d %s\n", res.Status, res.URL)
		}
		if werr := os.WriteFile(done, []byte(line), 0o600); werr != nil {
			fmt.Fprintln(os.Stderr, werr)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// sendStray requests the login's callback with the given query, before the login, and checks that
// the callback listener answers it 400 (ignored) rather than taking it as the login's answer.
func sendStray(authorize, query string) error {
	u, err := url.Parse(authorize)
	if err != nil {
		return err
	}
	callback := u.Query().Get("redirect_uri")
	res, err := logintest.Follow(context.Background(), callback+"?"+query, logintest.FollowOptions{})
	if err != nil {
		return fmt.Errorf("test browser: stray request: %w", err)
	}
	if res.Status != 400 {
		return fmt.Errorf("test browser: the callback answered the stray request with %d, not 400: %s", res.Status, res.Body)
	}
	return nil
}
