package doctor

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// recordedBehaviour is how a provider with a flavour's defaults answers what validate --online
// sends without a user: the authorize request of an app that sends no PKCE, and the client probe's
// token request. It is written here from the providers' documentation (see the flavour files), not
// read from the flavour data the matrix predicts from.
type recordedBehaviour struct {
	// errorPage, when set, is the page the authorize endpoint answers a request without
	// code_challenge with: HTTP 200, no redirect back to the app. Kanidm does so before anyone logs
	// in (kanidmErrorPageHTML, cited there); no flavour's default refuses a missing challenge with an
	// error redirect.
	errorPage string
	// onlyMethod, when set, is the one client authentication method the token endpoint accepts.
	onlyMethod string
	// portalCode, when set, is LemonLDAP::NG's portal error code the authorize endpoint answers a
	// request that accepts JSON with: {"result":0,"error":N}, 401 for 9 (no session), else 400
	// (Portal/Main/Run.pm, 2.16.1).
	portalCode string
}

var recorded = map[string]struct {
	discovery string
	behaviour recordedBehaviour
}{
	provider.FlavorAuthentik: {"authentik.json", recordedBehaviour{}},
	provider.FlavorKeycloak:  {"keycloak.json", recordedBehaviour{}},
	provider.FlavorAuthelia:  {"authelia.json", recordedBehaviour{onlyMethod: app.AuthBasic}},
	provider.FlavorZitadel:   {"zitadel.json", recordedBehaviour{}},
	provider.FlavorKanidm:    {"kanidm.json", recordedBehaviour{errorPage: kanidmErrorPageHTML(kanidmDisplayName)}},
	provider.FlavorPocketID:  {"pocket-id.json", recordedBehaviour{}},
	provider.FlavorDex:       {"dex.json", recordedBehaviour{}},
	provider.FlavorLemonLDAP: {"lemonldap.json", recordedBehaviour{}},
	provider.FlavorHydra:     {"hydra.json", recordedBehaviour{onlyMethod: app.AuthBasic}},
}

// recordedProvider serves a recorded discovery document (testdata/discovery) from an httptest
// server, every URL moved to the server with its path kept, with a JWKS of the document's first
// algorithm, an authorize endpoint and a token endpoint that behave as b says.
func recordedProvider(t *testing.T, file string, b recordedBehaviour) (*httptest.Server, *provider.Discovery) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "discovery", file))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	delete(doc, "_comment")
	var paths struct{ issuer, auth, token, userinfo, jwks string }
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	move := func(key string) string {
		s, _ := doc[key].(string)
		u, err := url.Parse(s)
		require.NoError(t, err, key)
		doc[key] = srv.URL + u.Path
		return u.Path
	}
	paths.issuer, paths.auth, paths.token, paths.userinfo, paths.jwks = move("issuer"), move("authorization_endpoint"), move("token_endpoint"), move("userinfo_endpoint"), move("jwks_uri")
	for _, k := range []string{"end_session_endpoint", "revocation_endpoint", "introspection_endpoint"} {
		if _, ok := doc[k]; ok {
			move(k)
		}
	}
	body, err := json.Marshal(doc)
	require.NoError(t, err)
	var md provider.Discovery
	require.NoError(t, json.Unmarshal(body, &md))
	algs := md.IDTokenSigningAlgValuesSupported
	jwks := jwksFor(t, algs)

	mux.HandleFunc(strings.TrimSuffix(paths.issuer, "/")+"/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	mux.HandleFunc(paths.jwks, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	})
	mux.HandleFunc(paths.auth, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if b.portalCode != "" && strings.Contains(r.Header.Get("Accept"), "application/json") {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			status := http.StatusBadRequest
			if b.portalCode == "9" {
				status = http.StatusUnauthorized
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"result":0,"error":"` + b.portalCode + `"}`))
			return
		}
		if b.errorPage != "" && q.Get("code_challenge") == "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(b.errorPage))
			return
		}
		http.Redirect(w, r, srv.URL+"/login?client_id="+url.QueryEscape(q.Get("client_id")), http.StatusFound)
	})
	mux.HandleFunc(paths.token, func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		method := app.AuthPost
		if _, _, ok := r.BasicAuth(); ok {
			method = app.AuthBasic
		}
		w.Header().Set("Content-Type", "application/json")
		if b.onlyMethod != "" && method != b.onlyMethod {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"Client authentication failed."}`))
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"The provided authorization grant is invalid."}`))
	})
	mux.HandleFunc(paths.userinfo, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	})
	return srv, &md
}

// jwksFor is a JWKS with one public key for the first asymmetric algorithm of algs (RS256 when
// there is none: an HMAC-only provider still publishes its JWKS).
func jwksFor(t *testing.T, algs []string) []byte {
	t.Helper()
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	alg := "RS256"
	for _, a := range algs {
		if !strings.HasPrefix(a, "HS") {
			alg = a
			break
		}
	}
	var key map[string]any
	if alg == "ES256" {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		pub, err := k.PublicKey.ECDH()
		require.NoError(t, err)
		xy := pub.Bytes()[1:]
		key = map[string]any{"kty": "EC", "crv": "P-256", "kid": "k1", "use": "sig", "alg": alg, "x": b64(xy[:32]), "y": b64(xy[32:])}
	} else {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		key = map[string]any{"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	}
	out, err := json.Marshal(map[string]any{"keys": []any{key}})
	require.NoError(t, err)
	return out
}

// recordedLogin is the flavour's recorded login (testdata/flavors/<flavor>.json) as test-login's
// report of a login that requested scopes.
func recordedLogin(t *testing.T, flavor string, scopes []string) *login.Report {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "flavors", flavor+".json"))
	require.NoError(t, err)
	var rec struct {
		Source   string         `json:"_source"`
		Alg      string         `json:"id_token_alg"`
		IDToken  map[string]any `json:"id_token"`
		Userinfo map[string]any `json:"userinfo"`
	}
	require.NoError(t, json.Unmarshal(raw, &rec))
	require.NotEmpty(t, rec.Source, "a recorded login says where it comes from")
	return &login.Report{Provider: "idp", Type: config.TypeOIDC, ClientID: MatrixClientID, RequestedScopes: scopes, GrantedScopes: scopes,
		IDToken: &login.IDTokenReport{Header: login.Header{Alg: rec.Alg}, Claims: rec.IDToken}, Userinfo: rec.Userinfo,
		Steps: []login.Step{{Name: "discovery"}, {Name: "code exchange"}, {Name: "id token"}, {Name: "userinfo"}}}
}

// onlineMatrixCodes are validate --online's codes the matrix covers; any of them not expected fails
// the pair (a redirect or client the recorded provider refused, say).
var onlineMatrixCodes = []string{CodeRedirectUnregistered, CodeUnknownClient, CodeAuthorizeRefused, CodePKCERequired,
	CodeClientRejected, CodeClientAuthMethod, CodeClientAuthForApp, CodeSigningAlgForApp, CodeHMACToken}

// The 36 pairs: for each flavour × app, the findings ssoctl gives when the provider runs with the
// flavour's defaults and was added with `provider add --flavor` under the app. Each pair runs
// validate --online's doctor (CheckProvider) against the flavour's recorded discovery document on
// a recorded provider, and test-login's doctor (Analyze) on the flavour's recorded login, and
// compares both with the table below and with FlavorMatrix's prediction from the flavour data; every
// finding's fix must name the provider's own setting.
func TestFlavorMatrix(t *testing.T) {
	type want struct{ online, login []string }
	table := map[string]map[string]want{
		provider.FlavorAuthentik: {
			config.AppAList:      {online: []string{CodeSigningAlgForApp}, login: []string{CodeHMACToken}},
			config.AppPhotoPrism: {online: []string{CodeSigningAlgForApp}, login: []string{CodeHMACToken}},
			config.AppInvenTree:  {}, config.AppLobeChat: {},
		},
		provider.FlavorKeycloak: {
			config.AppAList: {}, config.AppPhotoPrism: {},
			config.AppInvenTree: {login: []string{CodeDefaultRoleOnly}},
			config.AppLobeChat:  {},
		},
		provider.FlavorAuthelia: {
			config.AppAList:      {login: []string{CodeAppClaimAbsent}},
			config.AppPhotoPrism: {},
			config.AppInvenTree:  {online: []string{CodeClientAuthForApp}},
			config.AppLobeChat:   {online: []string{CodeClientAuthForApp}, login: []string{CodeClaimMissingForApp}},
		},
		provider.FlavorZitadel: {
			config.AppAList:      {login: []string{CodeAppClaimAbsent}},
			config.AppPhotoPrism: {},
			config.AppInvenTree:  {login: []string{CodeDefaultRoleOnly}},
			config.AppLobeChat:   {login: []string{CodeClaimMissingForApp}},
		},
		provider.FlavorKanidm: {
			config.AppAList: {online: []string{CodePKCERequired}}, config.AppPhotoPrism: {},
			config.AppInvenTree: {online: []string{CodePKCERequired}}, config.AppLobeChat: {},
		},
		provider.FlavorPocketID: {config.AppAList: {}, config.AppPhotoPrism: {}, config.AppInvenTree: {}, config.AppLobeChat: {}},
		provider.FlavorDex:      {config.AppAList: {}, config.AppPhotoPrism: {}, config.AppInvenTree: {}, config.AppLobeChat: {}},
		// The manager signs a new relying party's ID tokens with HS512 and the client secret, which
		// AList's go-oidc and PhotoPrism's zitadel/oidc refuse; discovery lists RS256 too, so
		// validate --online cannot tell (flavor_lemonldap.go; e2e/llng TestManagerDefaultHS512MeetsAList).
		provider.FlavorLemonLDAP: {
			config.AppAList:      {login: []string{CodeAppClaimAbsent, CodeHMACToken}},
			config.AppPhotoPrism: {login: []string{CodeHMACToken}},
			config.AppInvenTree:  {login: []string{CodeDefaultRoleOnly}},
			config.AppLobeChat:   {login: []string{CodeClaimMissingForApp}},
		},
		provider.FlavorHydra: {
			config.AppAList: {}, config.AppPhotoPrism: {},
			config.AppInvenTree: {online: []string{CodeClientAuthForApp}},
			config.AppLobeChat:  {online: []string{CodeClientAuthForApp}},
		},
	}
	// What each flavour's fix must say: its own setting or command, per code.
	setting := map[string]map[string]string{
		provider.FlavorAuthentik: {CodeSigningAlgForApp: "Advanced protocol settings → Signing Key", CodeHMACToken: "Advanced protocol settings → Signing Key"},
		provider.FlavorKeycloak:  {CodeDefaultRoleOnly: "Add mapper → By configuration → Group Membership"},
		provider.FlavorAuthelia: {CodeAppClaimAbsent: "claims_policy", CodeClaimMissingForApp: "claims_policy",
			CodeClientAuthForApp: "identity_providers.oidc.clients[client_id: <client>].token_endpoint_auth_method"},
		provider.FlavorZitadel: {CodeAppClaimAbsent: "User Info inside ID Token", CodeClaimMissingForApp: "User Info inside ID Token",
			CodeDefaultRoleOnly: "Assert Roles on Authentication"},
		provider.FlavorKanidm: {CodePKCERequired: "kanidm system oauth2 warning-insecure-client-disable-pkce <client>"},
		provider.FlavorHydra:  {CodeClientAuthForApp: "hydra update oauth2-client <client> --token-endpoint-auth-method"},
		provider.FlavorLemonLDAP: {CodeAppClaimAbsent: "Force claims to be returned in ID Token", CodeClaimMissingForApp: "Force claims to be returned in ID Token",
			CodeDefaultRoleOnly: "Exported attributes (claims)", CodeHMACToken: "ID Token signature algorithm: RS256"},
	}
	require.Len(t, table, len(provider.Flavors()))
	pairs := 0
	for _, fl := range provider.Flavors() {
		rec, ok := recorded[fl.Name]
		require.True(t, ok, fl.Name)
		srv, md := recordedProvider(t, rec.discovery, rec.behaviour)
		for _, kind := range provider.MatrixApps {
			w, ok := table[fl.Name][kind]
			require.True(t, ok, "%s × %s has no row", fl.Name, kind)
			pairs++
			t.Run(fl.Name+"/"+kind, func(t *testing.T) {
				a := MatrixApp(kind, "https://app.example.com")
				p := FlavorMatrixProvider(fl, kind, md.Issuer)

				// validate --online's doctor against the recorded provider.
				rep := CheckProvider(context.Background(), srv.Client(), ProviderCheck{App: a, Provider: p, Secret: "s3cret", SecretKnown: true})
				var online []Finding
				for _, f := range rep.Findings {
					if slices.Contains(onlineMatrixCodes, f.Code) {
						online = append(online, f)
					}
				}
				assert.Equal(t, w.online, codesOf(online), "validate --online")

				// test-login's doctor on the recorded login, with the scopes the app's client sends.
				target, err := app.Resolve(a)
				require.NoError(t, err)
				c, _ := app.ClientFor(target, p.Type)
				pr, _ := provider.Lookup(p.Type)
				scopes := p.Scopes
				if len(scopes) == 0 {
					scopes = pr.DefaultScopes
				}
				var got []Finding
				for _, f := range Analyze(Login{App: a, Provider: p, Report: recordedLogin(t, fl.Name, c.ScopesFor(scopes)), Metadata: md}) {
					if slices.Contains(matrixLoginCodes, f.Code) {
						got = append(got, f)
					}
				}
				assert.Equal(t, w.login, codesOf(got), "test-login's doctor")

				// The prediction from the flavour data says the same.
				cell := FlavorMatrix(fl, kind)
				assert.Equal(t, w.online, codesOf(cell.Online), "FlavorMatrix online")
				assert.Equal(t, w.login, codesOf(cell.Login), "FlavorMatrix login")

				// A PKCE refusal quotes what the provider answered (Kanidm's page: "Error Code:
				// InvalidState"), as the prediction does from the flavour data.
				for _, f := range append(online, cell.Online...) {
					if f.Code == CodePKCERequired {
						assert.Contains(t, f.Message, strconv.Quote(fl.PKCERefusal), "what the provider said")
					}
				}

				// Every fix names the provider's own setting.
				for _, f := range append(online, got...) {
					words, ok := setting[fl.Name][f.Code]
					require.True(t, ok, "no setting words for %s %s", fl.Name, f.Code)
					assert.True(t, strings.HasPrefix(f.Fix, fl.Title+": ") || strings.Contains(f.Hint, fl.Title+": "), "%s names %s: fix %q hint %q", f.Code, fl.Title, f.Fix, f.Hint)
					assert.Contains(t, f.Fix+" "+f.Hint, words, f.Code)
				}
			})
		}
	}
	assert.Equal(t, 36, pairs)
}

// codesOf lists the findings' codes once each (AList sends two redirect URIs, and a PKCE refusal
// is found for both).
func codesOf(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, f.Code) {
			out = append(out, f.Code)
		}
	}
	return out
}

// A provider whose flavour is not configured gets its fixes named by the flavour its discovery
// document shows, and says it was detected.
func TestProviderFixesDetected(t *testing.T) {
	srv, md := recordedProvider(t, "kanidm.json", recordedBehaviour{errorPage: kanidmErrorPageHTML(kanidmDisplayName)})
	p := config.Provider{Name: "idm", Type: config.TypeOIDC, ClientID: "files", ClientSecret: "env:X", Issuer: md.Issuer}
	rep := CheckProvider(context.Background(), srv.Client(), ProviderCheck{App: &config.App{Kind: config.AppAList, URL: "https://files.example.com"}, Provider: p, Secret: "s", SecretKnown: true})
	var pkce *Finding
	for i, f := range rep.Findings {
		if f.Code == CodePKCERequired {
			pkce = &rep.Findings[i]
		}
	}
	require.NotNil(t, pkce)
	assert.Equal(t, "Kanidm (detected from discovery): kanidm system oauth2 warning-insecure-client-disable-pkce files", pkce.Fix)
	assert.NotContains(t, pkce.Hint, "Keycloak", "the general list of products is replaced")

	// Without a flavour (a generic provider), the general words stay.
	alist, _ := app.ClientFor(app.Target{Info: app.Info{Kind: config.AppAList, Title: "AList"}}, config.TypeOIDC)
	fs := ProviderFixes([]Finding{PKCERequired(alist, "files", "x", "here")}, config.Provider{Type: config.TypeOIDC}, nil)
	assert.Contains(t, fs[0].Hint, "Keycloak: the client's advanced setting")
	assert.Empty(t, fs[0].Fix)
}

// A client the token endpoint rejects: the fix says where the product shows the client's secret.
func TestClientRejectedNamesWhereTheSecretIs(t *testing.T) {
	srv, md := recordedProvider(t, "kanidm.json", recordedBehaviour{onlyMethod: "nothing"})
	p := config.Provider{Name: "idm", Type: config.TypeOIDC, ClientID: "files", ClientSecret: "env:X", Issuer: md.Issuer, RedirectURL: "http://127.0.0.1/callback"}
	rep := CheckProvider(context.Background(), srv.Client(), ProviderCheck{Provider: p, Secret: "wrong", SecretKnown: true})
	var got *Finding
	for i, f := range rep.Findings {
		if f.Code == CodeClientRejected {
			got = &rep.Findings[i]
		}
	}
	require.NotNil(t, got, "findings: %+v", rep.Findings)
	assert.Equal(t, "Kanidm (detected from discovery): kanidm system oauth2 show-basic-secret files", got.Fix)
	assert.Contains(t, got.Hint, "the client secret (or the client ID) is wrong")
}

// LemonLDAP::NG answers the authorize request with its own portal code (JSON, as ssoctl's
// pre-flight accepts JSON): each is read by the flavour's table, configured or detected, and a
// generic provider's bare number stays DOC012. The real portal's answers are checked in e2e/llng.
func TestPreflightReadsPortalErrors(t *testing.T) {
	for _, tt := range []struct {
		file, code string
		want       []string
		says       string
	}{
		{"lemonldap.json", "9", nil, ""},
		{"lemonldap.json", "108", []string{CodeRedirectUnregistered}, "108 PE_UNAUTHORIZEDURL: Unauthorized URL"},
		{"lemonldap.json", "107", []string{CodeUnknownClient}, "107 PE_UNKNOWNPARTNER: This application is not known"},
		{"lemonldap.json", "24", []string{CodeAuthorizeRefused}, "read the portal's log"},
		{"oidc-provider.json", "108", []string{CodeAuthorizeRefused}, "108"},
	} {
		t.Run(tt.file+"/"+tt.code, func(t *testing.T) {
			srv, md := recordedProvider(t, tt.file, recordedBehaviour{portalCode: tt.code})
			p := config.Provider{Name: "x", Type: config.TypeOIDC, ClientID: "files", ClientSecret: "env:X", Issuer: md.Issuer}
			rep := CheckProvider(context.Background(), srv.Client(), ProviderCheck{App: &config.App{Kind: config.AppAList, URL: "https://files.example.com"}, Provider: p, Secret: "s", SecretKnown: true})
			var got []Finding
			for _, f := range rep.Findings {
				if slices.Contains(onlineMatrixCodes, f.Code) {
					got = append(got, f)
				}
			}
			assert.Equal(t, tt.want, codesOf(got))
			if tt.says != "" {
				require.NotEmpty(t, got)
				assert.Contains(t, got[0].Message+" "+got[0].Hint, tt.says)
			}
			if tt.code == "108" && tt.file == "lemonldap.json" {
				assert.Contains(t, got[0].Hint, "LemonLDAP::NG (detected from discovery): Manager → OpenID Connect Relying Parties → files → Basic → Allowed redirection addresses for login")
			}
		})
	}
}
