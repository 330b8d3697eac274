package doctor_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// A login at the real provider whose client signs ID tokens with HS512 and a 22-byte secret fails
// the secret length check; the doctor names it DOC065 and says what each app would do with such a
// token (its pkg/app client profile): AList and PhotoPrism refuse any HMAC, so only RS256 helps;
// InvenTree does not verify the signature. A known flavour names its own signing setting.
func TestShortHMACSecretFinding(t *testing.T) {
	extra, err := json.Marshal([]any{map[string]any{"client_id": "hs512-short", "client_secret": "hs512-secret-too-short",
		"application_type": "native", "token_endpoint_auth_method": "client_secret_basic", "id_token_signed_response_alg": "HS512",
		"redirect_uris": []string{"http://127.0.0.1/callback"}, "grant_types": []string{"authorization_code"}, "response_types": []string{"code"}}})
	require.NoError(t, err)
	op, err := logintest.StartNode("EXTRA_CLIENTS=" + string(extra))
	logintest.Require(t, err)
	t.Cleanup(op.Stop)

	p := config.Provider{Name: "t", Type: config.TypeOIDC, Issuer: op.Issuer, ClientID: "hs512-short", RedirectURL: "http://127.0.0.1/callback",
		Scopes: []string{"openid", "profile", "email"}}
	ep, err := provider.Resolve(p)
	require.NoError(t, err)
	pre := doctor.CheckLogin(ctx(t), nil, doctor.LoginCheck{Provider: p, Endpoints: ep, RedirectURI: "http://127.0.0.1:1/callback"})
	require.NotNil(t, pre.Metadata)
	rep, loginErr := login.Run(context.Background(), login.Input{Provider: p, ClientSecret: "hs512-secret-too-short", Timeout: 10 * time.Second,
		Browser: logintest.NewBrowser(logintest.FollowOptions{LoginHint: "alice"})})
	require.Error(t, loginErr)

	for _, tt := range []struct {
		name   string
		app    *config.App
		flavor string
		words  []string
		hint   []string
	}{
		{name: "no app", words: []string{"the provider signs ID tokens with HS512 keyed with the client secret, which is 22 bytes; HS512 needs at least 64 bytes (RFC 7518 §3.2), and ssoctl's verifier (go-jose) refuses a shorter key"},
			hint: []string{"give the client a secret of at least 64 bytes at the provider and in the config", "or make the provider sign this client's ID tokens with RS256"}},
		{name: "AList", app: &config.App{Kind: config.AppAList, URL: "https://files.example.com"},
			words: []string{"AList's go-oidc refuses HMAC-signed ID tokens whatever the secret"}, hint: []string{"a longer secret alone does not help AList"}},
		{name: "PhotoPrism", app: &config.App{Kind: config.AppPhotoPrism, URL: "https://photos.example.com"},
			words: []string{"PhotoPrism's zitadel/oidc refuses HMAC-signed ID tokens whatever the secret"}},
		{name: "InvenTree", app: &config.App{Kind: config.AppInvenTree, URL: "https://inv.example.com"},
			words: []string{"InvenTree (django-allauth 65.18.0 openid_connect) does not verify the ID token's signature, so it would log in"}, hint: []string{"give the client a secret of at least 64 bytes"}},
		{name: "LemonLDAP::NG", flavor: provider.FlavorLemonLDAP,
			hint: []string{"LemonLDAP::NG: Manager → OpenID Connect Relying Parties → hs512-short → Options → Security → ID Token signature algorithm: RS256"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pf := p
			pf.Flavor = tt.flavor
			fs := doctor.Analyze(doctor.Login{App: tt.app, Provider: pf, Report: rep, Err: loginErr, Metadata: pre.Metadata, Now: time.Now()})
			f := find(t, fs, doctor.CodeShortHMACSecret)
			assert.Equal(t, doctor.SeverityError, f.Severity)
			assert.Equal(t, "at least 64 bytes (HS512)", f.Expected)
			assert.Equal(t, "22 bytes", f.Actual)
			for _, w := range tt.words {
				assert.Contains(t, f.Message, w)
			}
			for _, w := range tt.hint {
				assert.Contains(t, f.Hint, w)
			}
			assert.NotContains(t, f.Message+f.Hint+f.Fix, "hs512-secret-too-short")
		})
	}
}

// A login rehearsing AList's client at the real provider's hs256-client (PKCE optional for it) fails the app's algorithm
// check (AList's go-oidc takes no HMAC); the doctor turns it into DOC057, whose fix names the
// flavour's signing setting (here authentik's, configured).
func TestAppSigningAlgorithmFinding(t *testing.T) {
	op, err := logintest.StartNode("PKCE_OPTIONAL_CLIENTS=" + logintest.HS256ClientID) // AList sends no PKCE
	logintest.Require(t, err)
	t.Cleanup(op.Stop)
	p := config.Provider{Name: "t", Type: config.TypeOIDC, Issuer: op.Issuer, ClientID: logintest.HS256ClientID, RedirectURL: "http://127.0.0.1/callback",
		Scopes: []string{"openid", "profile", "email"}, Flavor: provider.FlavorAuthentik}
	alist := &config.App{Kind: config.AppAList, URL: "https://files.example.com"}
	target, err := app.Resolve(alist)
	require.NoError(t, err)
	c, ok := app.ClientFor(target, p.Type)
	require.True(t, ok)
	ep, err := provider.Resolve(p)
	require.NoError(t, err)
	pre := doctor.CheckLogin(ctx(t), nil, doctor.LoginCheck{Provider: p, Endpoints: ep, RedirectURI: "http://127.0.0.1:1/callback"})
	require.NotNil(t, pre.Metadata)
	rep, loginErr := login.Run(context.Background(), login.Input{Provider: p, ClientSecret: logintest.HS256Secret, Client: &c, Timeout: 10 * time.Second,
		Browser: logintest.NewBrowser(logintest.FollowOptions{LoginHint: "alice"})})
	var le *login.Error
	require.ErrorAs(t, loginErr, &le)
	require.Equal(t, "app signing algorithm", le.Check, le.Message)

	fs := doctor.Analyze(doctor.Login{App: alist, Provider: p, Report: rep, Err: loginErr, Metadata: pre.Metadata, Now: time.Now()})
	f := find(t, fs, doctor.CodeHMACToken)
	assert.Contains(t, f.Message, "the ID token is signed with HS256, keyed with the client secret; AList's go-oidc verifies only with the provider's published keys")
	assert.Contains(t, f.Fix, "authentik: Applications → Providers → <provider> → Edit → Advanced protocol settings → Signing Key")
}
