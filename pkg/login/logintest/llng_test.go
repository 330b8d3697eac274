package logintest

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestLLNGAuthorizeRedirectsWithCode starts the real LemonLDAP::NG and walks its authorize
// endpoint with the scripted browser: the web server's REMOTE_USER logs the Demo user in, and the
// portal redirects to the registered redirect URI with a code and the state.
func TestLLNGAuthorizeRedirectsWithCode(t *testing.T) {
	l := StartLLNG(t, LLNGOptions{})
	q := url.Values{"response_type": {"code"}, "client_id": {LLNGClientID}, "redirect_uri": {l.RedirectURL},
		"scope": {"openid profile email groups"}, "state": {"st4te"}}
	res, err := Follow(context.Background(), l.Issuer+"oauth2/authorize?"+q.Encode(), FollowOptions{
		StopAt: func(u *url.URL) bool { return strings.HasPrefix(u.String(), l.RedirectURL) },
	})
	if err != nil {
		t.Fatalf("scripted browser: %v\n%s", err, l.Logs())
	}
	got, err := url.Parse(res.URL)
	if err != nil || !strings.HasPrefix(res.URL, l.RedirectURL+"?") {
		t.Fatalf("the walk ended at %s (HTTP %d), not at the redirect URI %s: %.500s\n%s", res.URL, res.Status, l.RedirectURL, res.Body, l.Logs())
	}
	if got.Query().Get("code") == "" || got.Query().Get("state") != "st4te" {
		t.Errorf("callback query %q: want a code and state=st4te", got.RawQuery)
	}
}
