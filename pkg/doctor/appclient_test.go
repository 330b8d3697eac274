package doctor_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
)

func appClient(t *testing.T, kind, version, typ string) app.Client {
	t.Helper()
	tg, err := app.Resolve(&config.App{Kind: kind, Version: version})
	require.NoError(t, err)
	c, ok := app.ClientFor(tg, typ)
	require.True(t, ok)
	return c
}

func TestIsPKCERefusal(t *testing.T) {
	for _, said := range []string{
		"invalid_request: Authorization Server policy requires PKCE to be used for this request",            // oidc-provider
		"Clients must include a code_challenge when performing the authorize code flow, but it is missing.", // ORY Hydra
		"Missing parameter: code_challenge_method",                                                          // Keycloak
	} {
		assert.True(t, doctor.IsPKCERefusal(said), said)
	}
	assert.False(t, doctor.IsPKCERefusal("invalid_client: client authentication failed"))
}

func TestClientAuthForApp(t *testing.T) {
	lc := appClient(t, config.AppLobeChat, "1.110", config.TypeOIDC)
	f := doctor.ClientAuthForApp(lc, "chat", app.AuthPost, "", true, nil)
	require.NotNil(t, f)
	assert.Equal(t, doctor.CodeClientAuthForApp, f.Code)
	assert.Equal(t, doctor.SeverityError, f.Severity)
	assert.Equal(t, "the token endpoint accepts client chat only with client_secret_post, which LobeChat 1.110 never sends (it uses client_secret_basic)", f.Message)
	assert.Contains(t, f.Hint, "set client chat's token endpoint authentication method at the provider to client_secret_basic")

	// AList auto-detects: it would send the body after Basic, so a post-only client is no finding.
	assert.Nil(t, doctor.ClientAuthForApp(appClient(t, config.AppAList, "", config.TypeOIDC), "files", app.AuthPost, "", true, nil))

	// InvenTree lets the admin choose: the finding names the app's setting.
	inv := appClient(t, config.AppInvenTree, "", config.TypeOIDC)
	f = doctor.ClientAuthForApp(inv, "inv", app.AuthBasic, "", true, []string{app.AuthBasic, app.AuthPost})
	require.NotNil(t, f)
	assert.Equal(t, "token_endpoint_auth_method", f.Field)
	assert.Contains(t, f.Hint, `"token_auth_method": "client_secret_basic"`)
	assert.Equal(t, "token_endpoint_auth_method: client_secret_basic", f.Fix, "the config line, not the method the app sends now")
}

func TestScopesForApp(t *testing.T) {
	lc := appClient(t, config.AppLobeChat, "1.110", config.TypeOIDC)
	fs := doctor.ScopesForApp(lc, config.Provider{Scopes: []string{"openid", "email", "groups"}})
	require.Len(t, fs, 1)
	assert.Equal(t, doctor.CodeScopeNotRequested, fs[0].Code)
	assert.Equal(t, "scope groups is in the config, but LobeChat 1.110 never requests it: it always sends openid email profile", fs[0].Message)
	assert.Empty(t, doctor.ScopesForApp(appClient(t, config.AppAList, "", config.TypeOIDC), config.Provider{Scopes: []string{"openid", "groups"}}), "AList appends sso_extra_scopes")
	assert.Empty(t, doctor.ScopesForApp(app.StrictClient(), config.Provider{Scopes: []string{"x"}}))
}
