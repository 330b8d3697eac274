package login

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/redact"
)

// ExchangeMissingCode does what an app whose callback ignores an authorize error does next (AList's
// and OpenList's OIDC callback, app.Client.ExchangesAfterAuthorizeError): it redeems the callback's
// missing code with x/oauth2, authenticating as the app does (its auto-detection tries HTTP Basic,
// then the form body), and returns x/oauth2's error word for word, which is what the app shows its
// user, with the client secret masked where the provider echoes it. "" when the token endpoint took
// the request, which no real provider does.
func ExchangeMissingCode(ctx context.Context, client *http.Client, c app.Client, tokenURL, clientID, secret, redirectURI string) string {
	style := oauth2.AuthStyleAutoDetect
	switch c.Auth {
	case app.AuthBasic:
		style = oauth2.AuthStyleInHeader
	case app.AuthPost, app.AuthNone:
		style = oauth2.AuthStyleInParams
	}
	conf := &oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: redirectURI,
		Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: style}}
	if client == nil {
		client = http.DefaultClient
	}
	masked := *client
	masked.Transport = redact.ErrorTransport(client.Transport, secret)
	ctx = context.WithValue(ctx, oauth2.HTTPClient, &masked)
	if _, err := conf.Exchange(ctx, ""); err != nil {
		return err.Error()
	}
	return ""
}
