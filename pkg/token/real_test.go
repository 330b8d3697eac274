package token_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
	"github.com/ssoctl/ssoctl/pkg/token"
)

// TestVerifyRealProvider verifies ID tokens the OpenID Certified provider under testdata/oidcprovider
// issues, RS256 with its published key and HS256 with the client secret, fetching keys through
// discovery as `token decode --verify` does.
func TestVerifyRealProvider(t *testing.T) {
	op, err := logintest.StartNode()
	logintest.Require(t, err)
	t.Cleanup(op.Stop)

	rep, err := discovery.Inspect(context.Background(), op.Issuer, discovery.Options{Client: &http.Client{}})
	require.NoError(t, err)
	require.True(t, rep.OK(), "%+v", rep.Checks)

	idToken := func(t *testing.T, clientID, secret string) string {
		t.Helper()
		lrep, err := login.Run(context.Background(), login.Input{
			Provider: config.Provider{Name: "real", Type: config.TypeOIDC, Issuer: op.Issuer, ClientID: clientID,
				RedirectURL: "http://127.0.0.1/callback", Scopes: []string{"openid", "profile", "email"}},
			ClientSecret: secret,
			Browser:      logintest.NewBrowser(logintest.FollowOptions{LoginHint: "alice"}),
			Timeout:      20 * time.Second,
			Reveal:       true,
		})
		require.NoError(t, err, op.Stderr())
		return lrep.Tokens.IDToken
	}
	tests := []struct {
		name, clientID, secret, alg string
	}{
		{name: "RS256 with the published key", clientID: logintest.PublicClientID, alg: "RS256"},
		{name: "HS256 with the client secret", clientID: logintest.HS256ClientID, secret: logintest.HS256Secret, alg: "HS256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := token.Parse(idToken(t, tt.clientID, tt.secret))
			require.NoError(t, err)
			assert.Equal(t, tt.alg, tok.Alg)
			opts := token.VerifyOptions{Issuer: rep.Issuer, Audience: tt.clientID, Keys: rep.SigningKeys(),
				AnnouncedAlgs: rep.Metadata.IDTokenSigningAlgValuesSupported}
			if tt.secret != "" {
				opts.Secret = []byte(tt.secret)
			}
			passed, err := token.Verify(tok, opts)
			require.NoError(t, err)
			assert.Equal(t, "signature", passed[0].Check)
			assert.Contains(t, passed[0].Detail, tt.alg)

			// The same token for another client is refused, naming aud.
			opts.Audience = "someone-else"
			_, err = token.Verify(tok, opts)
			var ce *token.CheckError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "aud", ce.Check)
		})
	}
}
