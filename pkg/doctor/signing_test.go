package doctor_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/login"
)

func TestSigningAlgsForApp(t *testing.T) {
	tests := []struct {
		name      string
		app, typ  string
		supported []string
		words     []string // nil: no finding
		hint      string
	}{
		{name: "AList, HS256 only (authentik without a signing key)", app: config.AppAList, typ: config.TypeOIDC, supported: []string{"HS256"},
			words: []string{"the provider signs ID tokens with HS256 only (id_token_signing_alg_values_supported), none of which AList's go-oidc accepts", "logins would pass at the provider and fail at AList"},
			hint:  "authentik: select a signing key in the provider's settings"},
		// go-oidc v2 takes the discovery document's asymmetric algorithms: both real apps accepted an
		// ES256 ID token (e2e/apps id-token-es256).
		{name: "AList, ES256 only: go-oidc takes it from discovery", app: config.AppAList, typ: config.TypeOIDC, supported: []string{"ES256", "ES384"}},
		{name: "AList, RS256 among others", app: config.AppAList, typ: config.TypeOIDC, supported: []string{"PS256", "RS256", "HS256"}},
		{name: "AList's GitHub login reads no ID token", app: config.AppAList, typ: config.TypeGitHub, supported: []string{"HS256"}},
		{name: "PhotoPrism, HS256 only", app: config.AppPhotoPrism, typ: config.TypeOIDC, supported: []string{"HS256", "HS512"},
			words: []string{"none of which PhotoPrism's zitadel/oidc accepts (PhotoPrism accepts RSA, ECDSA and EdDSA signatures, no HMAC)"}, hint: "select a signing key"},
		{name: "PhotoPrism, EdDSA", app: config.AppPhotoPrism, typ: config.TypeOIDC, supported: []string{"EdDSA"}},
		{name: "InvenTree does not check the signature", app: config.AppInvenTree, typ: config.TypeOIDC, supported: []string{"HS256"}},
		{name: "LobeChat is not compared", app: config.AppLobeChat, typ: config.TypeOIDC, supported: []string{"HS256"}},
		{name: "no app", typ: config.TypeOIDC, supported: []string{"HS256"}},
		{name: "nothing announced", app: config.AppAList, typ: config.TypeOIDC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := doctor.SigningAlgsForApp(tt.app, tt.typ, tt.supported)
			if tt.words == nil {
				assert.Nil(t, f)
				return
			}
			require.NotNil(t, f)
			assert.Equal(t, doctor.CodeSigningAlgForApp, f.Code)
			assert.Equal(t, doctor.SeverityError, f.Severity)
			for _, w := range tt.words {
				assert.Contains(t, f.Message, w)
			}
			assert.Contains(t, f.Hint, tt.hint)
			el, al := f.Labels()
			assert.Equal(t, []string{"app accepts", "provider signs"}, []string{el, al})
		})
	}
}

// TestCheckProviderSigningAlgs runs the online checks against a provider that signs with HS256
// only: AList cannot take its tokens, InvenTree can.
func TestCheckProviderSigningAlgs(t *testing.T) {
	srv := discoverytest.New(discoverytest.HMACOnly)
	defer srv.Close()
	p := config.Provider{Name: "sso", Type: config.TypeOIDC, Issuer: srv.Issuer(), ClientID: "files", RedirectURL: "http://127.0.0.1/callback"}
	for kind, want := range map[string]bool{config.AppAList: true, config.AppInvenTree: false} {
		t.Run(kind, func(t *testing.T) {
			rep := doctor.CheckProvider(ctx(t), srv.Client(), doctor.ProviderCheck{App: &config.App{Kind: kind}, Provider: p})
			i := slices.IndexFunc(rep.Findings, func(f doctor.Finding) bool { return f.Code == doctor.CodeSigningAlgForApp })
			assert.Equal(t, want, i >= 0, "%+v", rep.Findings)
			if want {
				assert.Equal(t, "RS256", rep.Findings[i].Expected)
				assert.Equal(t, "HS256", rep.Findings[i].Actual)
			}
		})
	}
}

// TestAnalyzeTokenAlg compares a login's ID token algorithm with the app's.
func TestAnalyzeTokenAlg(t *testing.T) {
	tests := []struct {
		app, typ, alg string
		want          string // "" for none
	}{
		{config.AppAList, config.TypeOIDC, "HS256", doctor.CodeHMACToken},
		{config.AppAList, config.TypeOIDC, "ES256", doctor.CodeSigningAlgForApp},
		{config.AppAList, config.TypeOIDC, "RS256", ""},
		{config.AppPhotoPrism, config.TypeOIDC, "HS256", doctor.CodeHMACToken},
		{config.AppPhotoPrism, config.TypeGoogle, "ES256", ""},
		{config.AppInvenTree, config.TypeOIDC, "HS256", ""},
	}
	for _, tt := range tests {
		t.Run(tt.app+" "+tt.alg, func(t *testing.T) {
			rep := &login.Report{IDToken: &login.IDTokenReport{Header: login.Header{Alg: tt.alg}, Claims: map[string]any{"sub": "1"}}}
			fs := doctor.Analyze(doctor.Login{App: &config.App{Kind: tt.app}, Provider: config.Provider{Type: tt.typ}, Report: rep})
			var got []string
			for _, f := range fs {
				if f.Code == doctor.CodeHMACToken || f.Code == doctor.CodeSigningAlgForApp {
					got = append(got, f.Code)
					assert.Equal(t, tt.alg, f.Actual)
				}
			}
			if tt.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, []string{tt.want}, got)
			}
		})
	}
}

// TestTLSFailure classifies a login step that failed in TLS.
func TestTLSFailure(t *testing.T) {
	srv := discoverytest.NewTLSChain(discoverytest.OK, discoverytest.ChainNoIntermediate)
	defer srv.Close()
	_, err := (&http.Client{}).Get(srv.Issuer() + "/token")
	require.Error(t, err)

	f := doctor.TLSFailure(&login.Error{Step: "code exchange", Message: "code exchange failed: tls: failed to verify certificate", Err: err})
	require.NotNil(t, f)
	assert.Equal(t, doctor.CodeUnreachable, f.Code)
	assert.Equal(t, "token_url", f.Field)
	assert.Contains(t, f.Message, "cannot reach the token endpoint at "+srv.Issuer()+"/token: TLS: the server sends no intermediate certificate")
	assert.Contains(t, f.Hint, "fullchain.pem")

	fs := doctor.Analyze(doctor.Login{Provider: config.Provider{Type: config.TypeOIDC}, Err: &login.Error{Step: "discovery", Message: "discovery failed", Err: err}})
	require.Len(t, fs, 1)
	assert.Equal(t, "issuer", fs[0].Field)

	assert.Nil(t, doctor.TLSFailure(&login.Error{Step: "id token", Check: "signature", Message: "x"}), "not a request")
	_, refused := (&http.Client{}).Get("http://127.0.0.1:1/")
	assert.Nil(t, doctor.TLSFailure(&login.Error{Step: "discovery", Message: "x", Err: refused}), "the login's own message says it")
}
