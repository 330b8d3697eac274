package doctor_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// TestCheckLoginAListPlatform: test-login's pre-flight under AList's Casdoor platform sends AList's
// own authorize request (pkg/app's PlainLogin): to the configured authorize_url (the test provider's,
// as test-login's rehearsal does; AList itself would build <endpoint>/login/oauth/authorize), with
// scope profile alone (no openid added), no code_challenge, and no discovery. The real provider
// requires PKCE of this client, so it refuses before anyone logs in, and the finding names AList's
// platform.
func TestCheckLoginAListPlatform(t *testing.T) {
	op := requireNode(t)
	tg, err := app.Resolve(&config.App{Kind: config.AppAList, Version: "3.63"})
	require.NoError(t, err)
	c, ok := app.ClientFor(tg, config.TypeCasdoor)
	require.True(t, ok)
	p := config.Provider{Name: "c", Type: config.TypeCasdoor, Issuer: op.Issuer, ClientID: "confidential-client",
		AuthorizeURL: op.Issuer + "/auth", RedirectURL: "http://127.0.0.1/callback"}
	ep, err := provider.Resolve(p)
	require.NoError(t, err)

	pre := doctor.CheckLogin(ctx(t), nil, doctor.LoginCheck{Provider: p, Endpoints: ep, RedirectURI: "http://127.0.0.1:1/callback", Client: &c})
	assert.Nil(t, pre.Metadata, "AList's Casdoor platform reads no discovery document")
	require.NotNil(t, pre.Preflight.Finding)
	assert.Equal(t, doctor.CodePKCERequired, pre.Preflight.Finding.Code)
	assert.Contains(t, pre.Preflight.Finding.Message, "AList 3.63 (Casdoor) sends no code_challenge")

	// What the provider saw: AList's scope, and nothing of PKCE.
	resp, err := http.Get(op.Issuer + "/_log?client_id=confidential-client")
	require.NoError(t, err)
	defer resp.Body.Close()
	var entries []struct {
		Endpoint string            `json:"endpoint"`
		Params   map[string]string `json:"params"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&entries))
	require.NotEmpty(t, entries)
	last := entries[len(entries)-1]
	assert.Equal(t, "authorization", last.Endpoint)
	assert.Equal(t, "profile", last.Params["scope"])
	assert.NotContains(t, last.Params, "code_challenge")
	assert.NotContains(t, last.Params, "nonce")
}
