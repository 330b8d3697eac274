package validate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// TestCheckOnline checks providers against discoverytest servers: findings carry their DSC or DOC
// code, the provider, the field's position, and are silenced like offline ones.
func TestCheckOnline(t *testing.T) {
	ok := discoverytest.New(discoverytest.OK)
	defer ok.Close()
	wrong := discoverytest.New(discoverytest.WrongIssuer)
	defer wrong.Close()
	legacy := discoverytest.New(discoverytest.KeycloakLegacy)
	defer legacy.Close()

	text := strings.NewReplacer("$OK", ok.URL, "$WRONG", wrong.URL, "$LEGACY", legacy.URL).Replace(`version: 1
app: {kind: inventree, url: https://inv.example.com}
providers:
  - name: good
    type: oidc
    issuer: $OK
    client_id: files  # ssoctl:ignore DOC011 stale: this client is known
    client_secret: env:S
  - name: wrong
    type: oidc
    issuer: $WRONG  # ssoctl:ignore DOC031 checked by hand
    client_id: files
    client_secret: env:S
  - name: legacy
    type: oidc
    client_id: files
    issuer: $LEGACY/realms/main
    client_secret: env:S
  - name: skipped
    type: oidc
    client_id: files
    issuer: "not a url"
`)
	f, err := config.Parse("c.yaml", []byte(text))
	require.NoError(t, err)
	opts := validate.Options{LookupEnv: func(string) (string, bool) { return "secret", true }}
	r := validate.CheckOnline(context.Background(), f, opts, validate.OnlineOptions{Concurrency: 1})

	type got struct {
		code, provider, path string
		line                 int
	}
	var online []got
	for _, fd := range r.Findings {
		if !strings.HasPrefix(fd.Code, "SSO") {
			online = append(online, got{fd.Code, fd.Provider, fd.Path, fd.Line})
		}
	}
	assert.Equal(t, []got{
		// InvenTree's issuer-for-app note, at the issuer of each provider whose discovery worked.
		{"DOC031", "good", "providers[0].issuer", 6},
		{"DSC020", "wrong", "providers[1].issuer", 11},
		// Its document names another host than the endpoints'.
		{"DSC024", "wrong", "providers[1].issuer", 11},
		{"DOC030", "legacy", "providers[2].issuer", 17},
		{"DSC009", "legacy", "providers[2].issuer", 17},
	}, online)
	require.Len(t, r.Ignored, 1)
	assert.Equal(t, "DOC031", r.Ignored[0].Code)
	for _, fd := range r.Findings {
		if fd.Code == "DOC030" {
			assert.Equal(t, "issuer: "+legacy.URL+discoverytest.LegacyRealmPath, fd.Fix)
			assert.Equal(t, legacy.URL+discoverytest.LegacyRealmPath, fd.Expected)
			assert.Equal(t, validate.SeverityError, fd.Severity)
		}
		if fd.Code == "DOC031" {
			assert.Equal(t, ok.URL+"/.well-known/openid-configuration", fd.Fix)
			assert.Equal(t, validate.SeverityNote, fd.Severity)
		}
	}

	// An ignore of an online code that silenced nothing is stale online...
	var stale []string
	for _, fd := range r.Findings {
		if fd.Code == validate.CodeIgnoreUnused {
			stale = append(stale, fd.Message)
		}
	}
	assert.Equal(t, []string{"ignore comment for DOC011 matches no finding"}, stale)

	// ...but not offline, where the online checks did not run; and the file has none of their findings.
	for _, fd := range validate.Check(f, opts).Findings {
		assert.True(t, strings.HasPrefix(fd.Code, "SSO"), fd.Code)
		assert.NotEqual(t, validate.CodeIgnoreUnused, fd.Code, fd.Message)
	}
}

func TestCheckOnlineCancelled(t *testing.T) {
	ok := discoverytest.New(discoverytest.OK)
	defer ok.Close()
	f, err := config.Parse("c.yaml", []byte("version: 1\nproviders:\n  - {name: a, type: oidc, client_id: x, client_secret: env:S, issuer: "+ok.URL+"}\n"))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := validate.CheckOnline(ctx, f, validate.Options{LookupEnv: func(string) (string, bool) { return "s", true }}, validate.OnlineOptions{})
	for _, fd := range r.Findings {
		assert.True(t, strings.HasPrefix(fd.Code, "SSO"), "a cancelled run checks nothing online: %s", fd.Code)
	}
}

// BenchmarkCheckOnline measures validate --online for one provider against a local provider
// (discoverytest: discovery, JWKS, authorize, token and userinfo on loopback):
//
//	go test -run '^$' -bench CheckOnline ./pkg/validate
func BenchmarkCheckOnline(b *testing.B) {
	srv := discoverytest.New(discoverytest.OK)
	defer srv.Close()
	f, err := config.Parse("c.yaml", []byte("version: 1\nproviders:\n  - {name: a, type: oidc, client_id: x, client_secret: env:S, redirect_url: 'http://127.0.0.1/callback', issuer: "+srv.URL+"}\n"))
	require.NoError(b, err)
	opts := validate.Options{LookupEnv: func(string) (string, bool) { return "s", true }}
	for b.Loop() {
		r := validate.CheckOnline(context.Background(), f, opts, validate.OnlineOptions{})
		if len(r.Findings) != 0 {
			b.Fatalf("findings: %+v", r.Findings)
		}
	}
}
