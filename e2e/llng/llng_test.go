package llng_test

import (
	"encoding/json"
	"flag"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

var update = flag.Bool("update", false, "rewrite testdata/discovery/lemonldap.json from the running LemonLDAP::NG")

// The Demo user the harness logs in (Lemonldap/NG/Portal/UserDB/Demo.pm, 2.16.1: %demoAccounts,
// %demoGroups).
const (
	demoUser  = "dwho"
	demoName  = "Doctor Who"
	demoEmail = "dwho@badwolf.org"
)

var demoGroups = []string{"timelords", "users"}

// loginReport is the part of `test-login -o json` these tests read.
type loginReport struct {
	OK     bool   `json:"ok"`
	Issuer string `json:"issuer"`
	// ClientAuth is how ssoctl authenticated at the token endpoint, as the app's client does.
	ClientAuth string `json:"clientAuth"`
	IDToken    *struct {
		Header struct {
			Alg string `json:"alg"`
		} `json:"header"`
		Claims map[string]any `json:"claims"`
		Checks []string       `json:"checks"`
	} `json:"idToken"`
	Userinfo map[string]any `json:"userinfo"`
	Error    *struct {
		Step, Check, Message string
	} `json:"error"`
	Doctor []struct {
		Code, Severity, Message string
	} `json:"doctor"`
}

func (r loginReport) codes() []string {
	var out []string
	for _, d := range r.Doctor {
		out = append(out, d.Code)
	}
	return out
}

// addProvider runs `provider add llng --flavor lemonldap --host <portal>` as an admin would: the
// host is the portal's address without the trailing slash, and the flavour builds the issuer.
func addProvider(t *testing.T, w *workdir, l *logintest.LLNG) {
	t.Helper()
	r := w.ssoctl(t, nil, "provider", "add", "llng", "--flavor", "lemonldap", "--host", strings.TrimSuffix(l.Issuer, "/"),
		"--client-id", logintest.LLNGClientID, "--client-secret-env", "LLNG_SECRET", "--redirect-url", l.RedirectURL,
		"--scope", "openid", "--scope", "profile", "--scope", "email", "--scope", "groups",
		// The redirect URL is the loopback callback the LLNG client has registered (LLNG compares it
		// exactly), not the app's own path, which validate (SSO015) and so provider add refuse.
		"--no-validate")
	require.Equal(t, 0, r.Code, "provider add: %s", r.Stderr)
}

// testLogin runs `test-login llng -o json` with the scripted browser and returns its exit code and
// report.
func testLogin(t *testing.T, w *workdir, l *logintest.LLNG) (int, loginReport) {
	t.Helper()
	r := w.ssoctl(t, nil, "test-login", "llng", "-o", "json")
	var rep loginReport
	require.NoError(t, json.Unmarshal([]byte(r.Stdout), &rep), "test-login -o json printed no report (exit %d): %s\n%s\n%s", r.Code, r.Stdout, r.Stderr, l.Logs())
	return r.Code, rep
}

func secretEnv(w *workdir) { w.env = append(w.env, "LLNG_SECRET="+logintest.LLNGClientSecret) }

// The must-show: provider add --flavor lemonldap builds the issuer LLNG really announces (its portal
// URL, trailing slash included), validate --online passes, and test-login (ssoctl's strict client:
// PKCE S256, nonce) verifies the RS256 ID token and shows userinfo. LLNG's defaults show in the
// result: the ID token carries no profile, email or groups claims (userinfo does), and groups is a
// list of the Demo user's group names.
func TestProviderAddValidateTestLogin(t *testing.T) {
	l := logintest.StartLLNG(t, logintest.LLNGOptions{})
	w := newWorkdir(t)
	secretEnv(w)
	addProvider(t, w, l)

	show := w.ssoctl(t, nil, "provider", "show", "llng", "-o", "json")
	require.Equal(t, 0, show.Code, show.Stderr)
	var shown struct {
		Provider struct{ Issuer, Flavor string } `json:"provider"`
	}
	require.NoError(t, json.Unmarshal([]byte(show.Stdout), &shown))
	assert.Equal(t, l.Issuer, shown.Provider.Issuer, "the flavour's issuer must be the one LLNG announces")
	assert.Equal(t, provider.FlavorLemonLDAP, shown.Provider.Flavor)

	v := w.ssoctl(t, nil, "validate", "--online")
	assert.Equal(t, 0, v.Code, "validate --online:\n%s%s", v.Stdout, v.Stderr)
	assert.NotContains(t, v.Stdout, " error ")

	code, rep := testLogin(t, w, l)
	require.Equal(t, 0, code, "test-login: %+v %+v\n%s", rep.Error, rep.Doctor, l.Logs())
	assert.True(t, rep.OK)
	assert.Equal(t, l.Issuer, rep.Issuer)
	require.NotNil(t, rep.IDToken)
	assert.Equal(t, "RS256", rep.IDToken.Header.Alg)
	assert.Contains(t, rep.IDToken.Checks, "signature RS256")
	assert.Contains(t, rep.IDToken.Checks, "nonce")
	assert.Equal(t, demoUser, rep.IDToken.Claims["sub"])
	assert.Equal(t, l.Issuer, rep.IDToken.Claims["iss"])
	// Claims placement, LLNG's default: nothing of profile, email or groups in the ID token.
	for _, claim := range []string{"email", "name", "preferred_username", "groups"} {
		assert.NotContains(t, rep.IDToken.Claims, claim, "ID token")
	}
	assert.Equal(t, demoUser, rep.Userinfo["sub"])
	assert.Equal(t, demoUser, rep.Userinfo["preferred_username"])
	assert.Equal(t, demoName, rep.Userinfo["name"])
	assert.Equal(t, demoEmail, rep.Userinfo["email"])
	assert.ElementsMatch(t, demoGroups, rep.Userinfo["groups"], "groups: a list of names (the Demo user has two)")
	// The doctor sees the same: the profile claims are only in userinfo. LLNG never lists an extra
	// scope in scopes_supported, so groups is "requested but not announced" although it is granted.
	assert.Contains(t, rep.codes(), "DOC053")
	assert.Contains(t, rep.codes(), "DOC051")

	// The text report shows the verified ID token and the userinfo document.
	text := w.ssoctl(t, nil, "test-login", "llng")
	require.Equal(t, 0, text.Code, text.Stderr)
	assert.Contains(t, text.Stderr, "✓ id token")
	assert.Contains(t, text.Stdout, "ID token claims (RS256, kid ssoctl-test)")
	assert.Regexp(t, `(?m)^Userinfo$`, text.Stdout)
	assert.Contains(t, text.Stdout, `"email": "`+demoEmail+`"`)
}

// A relying party as LLNG 2.16's manager creates it signs ID tokens with HS512 and the client
// secret, and keeps the claims in userinfo: ssoctl verifies the HS512 token, and rehearsing AList's
// client says AList (go-oidc, asymmetric algorithms only) refuses it.
func TestManagerDefaultHS512MeetsAList(t *testing.T) {
	l := logintest.StartLLNG(t, logintest.LLNGOptions{IDTokenSignAlg: "HS512"})
	w := newWorkdir(t)
	secretEnv(w)
	addProvider(t, w, l)

	code, rep := testLogin(t, w, l)
	require.Equal(t, 0, code, "test-login (strict client): %+v %+v", rep.Error, rep.Doctor)
	require.NotNil(t, rep.IDToken)
	assert.Equal(t, "HS512", rep.IDToken.Header.Alg)
	assert.Contains(t, rep.IDToken.Checks, "signature HS512")

	setApp(t, w, "alist", "3.63.0")
	code, rep = testLogin(t, w, l)
	assert.Equal(t, 1, code)
	require.NotNil(t, rep.Error, "AList's client must fail: %+v", rep.Doctor)
	assert.Contains(t, rep.Error.Message, "HS512")
	assert.Contains(t, rep.Error.Message, "oidc: id token signed with unsupported algorithm")
	// The doctor names the cause and LLNG's own setting (DOC057, as docs/flavors.md's matrix says).
	assert.Contains(t, rep.codes(), "DOC057")
	text := w.ssoctl(t, nil, "test-login", "llng")
	assert.Equal(t, 1, text.Code)
	assert.Contains(t, text.Stdout+text.Stderr, "LemonLDAP::NG: Manager → OpenID Connect Relying Parties → "+logintest.LLNGClientID+" → Options → Security → ID Token signature algorithm: RS256")
}

// AList reads the username from the ID token only; with LLNG's default claims placement the login
// passes at the provider but AList would refuse it (DOC059). "Force claims to be returned in ID
// Token" on the relying party fixes it: the same rehearsal then exits 0.
func TestClaimsPlacementMeetsAList(t *testing.T) {
	for _, force := range []bool{false, true} {
		l := logintest.StartLLNG(t, logintest.LLNGOptions{ForceIDTokenClaims: force})
		w := newWorkdir(t)
		secretEnv(w)
		setApp(t, w, "alist", "3.63.0")
		addProvider(t, w, l)
		code, rep := testLogin(t, w, l)
		require.NotNil(t, rep.IDToken, "force=%v: %+v", force, rep.Error)
		if !force {
			assert.Equal(t, 1, code)
			assert.Contains(t, rep.codes(), "DOC059")
			assert.NotContains(t, rep.IDToken.Claims, "preferred_username")
			continue
		}
		assert.Equal(t, 0, code, "force claims: %+v", rep.Doctor)
		assert.NotContains(t, rep.codes(), "DOC059")
		assert.Equal(t, demoUser, rep.IDToken.Claims["preferred_username"])
		assert.Equal(t, demoEmail, rep.IDToken.Claims["email"])
		assert.ElementsMatch(t, demoGroups, rep.IDToken.Claims["groups"])
	}
}

// setApp writes the app section: kind and version, and a public URL.
func setApp(t *testing.T, w *workdir, kind, version string) {
	t.Helper()
	path := filepath.Join(w.dir, "ssoctl.yaml")
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	rest := strings.TrimPrefix(string(b), "version: 1\n")
	text := "version: 1\napp:\n  kind: " + kind + "\n  version: " + version + "\n  url: https://files.example.com\n" + rest
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

// The recorded discovery document (testdata/discovery/lemonldap.json) is what LLNG 2.16.1 serves,
// with the portal's address replaced by https://auth.example.com/; -update records it again. The
// detector names the flavour from it.
func TestRecordedDiscovery(t *testing.T) {
	l := logintest.StartLLNG(t, logintest.LLNGOptions{})
	resp, err := http.Get(l.Issuer + ".well-known/openid-configuration")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	live := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(string(body), strings.TrimSuffix(l.Issuer, "/"), "https://auth.example.com")), &live))
	// acr_values_supported comes from a Perl hash's keys: its order changes from one start to the next.
	if acr, ok := live["acr_values_supported"].([]any); ok {
		slices.SortFunc(acr, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	}

	fixture := filepath.Join(moduleRoot(), "testdata", "discovery", "lemonldap.json")
	if *update {
		out := maps.Clone(live)
		out["_comment"] = "recorded from LemonLDAP::NG 2.16.1 (Debian bookworm lemonldap-ng 2.16.1+ds-deb12u8) by e2e/llng -update: " +
			"the portal started by logintest.StartLLNG, its address replaced by https://auth.example.com/; acr_values_supported sorted"
		b, err := json.MarshalIndent(out, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(fixture, append(b, '\n'), 0o644))
	}
	b, err := os.ReadFile(fixture)
	require.NoError(t, err)
	recorded := map[string]any{}
	require.NoError(t, json.Unmarshal(b, &recorded))
	delete(recorded, "_comment")
	assert.Equal(t, recorded, live, "LLNG's discovery document differs from the recording; run go test ./e2e/llng -run RecordedDiscovery -update")

	var d provider.Discovery
	require.NoError(t, json.Unmarshal(b, &d))
	got, ok := provider.DetectFlavor(&d)
	assert.True(t, ok)
	assert.Equal(t, provider.FlavorLemonLDAP, got.Name)
	f, _ := provider.LookupFlavor(provider.FlavorLemonLDAP)
	iss, err := f.Issuer("auth.example.com", "", false)
	require.NoError(t, err)
	assert.Equal(t, d.Issuer, iss)
}

// "Require PKCE" on the relying party (off by default): ssoctl's strict client sends PKCE S256 and
// passes; AList's client sends none, and LLNG checks only once the user is logged in, redirecting
// to the callback with invalid_request "Code challenge is required" (Portal/Issuer/OpenIDConnect.pm,
// 2.16.1): ssoctl reports it at the callback with DOC013.
func TestRequirePKCEMeetsAList(t *testing.T) {
	l := logintest.StartLLNG(t, logintest.LLNGOptions{RequirePKCE: true})
	w := newWorkdir(t)
	secretEnv(w)
	addProvider(t, w, l)
	code, rep := testLogin(t, w, l)
	assert.Equal(t, 0, code, "strict client: %+v %+v", rep.Error, rep.Doctor)

	setApp(t, w, "alist", "3.63.0")
	code, rep = testLogin(t, w, l)
	assert.Equal(t, 1, code)
	require.NotNil(t, rep.Error, "%+v", rep.Doctor)
	assert.Contains(t, rep.Error.Message, "invalid_request")
	assert.Contains(t, rep.Error.Message, "Code challenge is required")
	assert.Equal(t, "callback", rep.Error.Step)
	assert.Contains(t, rep.codes(), "DOC013")
}

// InvenTree's django-allauth authenticates at the token endpoint with the form body
// (client_secret_post) and reads groups for its group sync: LLNG accepts both client
// authentication methods for a confidential relying party, and the groups claim is a list.
func TestInvenTreeClientPostAndGroups(t *testing.T) {
	l := logintest.StartLLNG(t, logintest.LLNGOptions{})
	w := newWorkdir(t)
	secretEnv(w)
	setApp(t, w, "inventree", "1.5.0")
	addProvider(t, w, l)
	code, rep := testLogin(t, w, l)
	require.Equal(t, 0, code, "test-login as InvenTree: %+v %+v", rep.Error, rep.Doctor)
	assert.Contains(t, rep.ClientAuth, "client_secret_post")
	assert.ElementsMatch(t, demoGroups, rep.Userinfo["groups"])
	assert.NotContains(t, rep.codes(), "DOC056", "groups is a list")
	// InvenTree reads userinfo, so LLNG's claims placement is only a note here.
	assert.Contains(t, rep.codes(), "DOC053")
	assert.NotContains(t, rep.codes(), "DOC059")
}

// validateFindings runs `validate --online -o json` and returns its exit code and the findings'
// codes and messages.
func validateFindings(t *testing.T, w *workdir) (int, map[string]string) {
	t.Helper()
	r := w.ssoctl(t, nil, "validate", "--online", "-o", "json")
	var out struct {
		Findings []struct{ Code, Message, Hint, Fix string } `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.Stdout), &out), "validate --online -o json (exit %d): %s\n%s", r.Code, r.Stdout, r.Stderr)
	got := map[string]string{}
	for _, f := range out.Findings {
		got[f.Code] = f.Message + " | " + f.Fix + " | " + f.Hint
	}
	return r.Code, got
}

// LemonLDAP::NG answers ssoctl's pre-flight (which accepts JSON) with its own portal code,
// {"result":0,"error":N}. A portal whose web server logs every request in checks the request at
// once: an unregistered redirect URI is 108 (PE_UNAUTHORIZEDURL), read as DOC010, and an unknown
// client 107 (PE_UNKNOWNPARTNER), DOC011, each with LLNG's screen; both were DOC012 before. A
// portal with its login form answers 9 (PE_FIRSTACCESS) whatever the request, as it checks the
// request only after a login: that is its login page, no finding (it was DOC012).
func TestPreflightReadsPortalErrors(t *testing.T) {
	t.Run("session", func(t *testing.T) {
		l := logintest.StartLLNG(t, logintest.LLNGOptions{})
		w := newWorkdir(t)
		secretEnv(w)
		addProvider(t, w, l)
		_, got := validateFindings(t, w)
		assert.NotContains(t, got, "DOC010", "the registered redirect URI")
		assert.NotContains(t, got, "DOC012")

		w = newWorkdir(t)
		secretEnv(w)
		unregistered := strings.Replace(l.RedirectURL, "/callback", "/elsewhere", 1)
		r := w.ssoctl(t, nil, "provider", "add", "llng", "--flavor", "lemonldap", "--host", strings.TrimSuffix(l.Issuer, "/"),
			"--client-id", logintest.LLNGClientID, "--client-secret-env", "LLNG_SECRET", "--redirect-url", unregistered, "--no-validate")
		require.Equal(t, 0, r.Code, r.Stderr)
		code, got := validateFindings(t, w)
		assert.Equal(t, 1, code)
		require.Contains(t, got, "DOC010", "%v", got)
		assert.Contains(t, got["DOC010"], "108 PE_UNAUTHORIZEDURL: Unauthorized URL")
		assert.Contains(t, got["DOC010"], "LemonLDAP::NG: Manager → OpenID Connect Relying Parties → "+logintest.LLNGClientID+" → Basic → Allowed redirection addresses for login")
		assert.NotContains(t, got, "DOC012")

		w2 := newWorkdir(t)
		secretEnv(w2)
		r = w2.ssoctl(t, nil, "provider", "add", "llng", "--flavor", "lemonldap", "--host", strings.TrimSuffix(l.Issuer, "/"),
			"--client-id", "no-such-client", "--client-secret-env", "LLNG_SECRET", "--redirect-url", l.RedirectURL, "--no-validate")
		require.Equal(t, 0, r.Code, r.Stderr)
		code, got = validateFindings(t, w2)
		assert.Equal(t, 1, code)
		require.Contains(t, got, "DOC011", "%v", got)
		assert.Contains(t, got["DOC011"], "107 PE_UNKNOWNPARTNER: This application is not known")
		assert.NotContains(t, got, "DOC012")
		assert.NotContains(t, got, "DOC020", "an unknown client is one finding, not also a rejected secret")
	})
	t.Run("login form", func(t *testing.T) {
		l := logintest.StartLLNG(t, logintest.LLNGOptions{FormLogin: true})
		w := newWorkdir(t)
		secretEnv(w)
		addProvider(t, w, l)
		code, got := validateFindings(t, w)
		assert.Equal(t, 0, code, "%v", got)
		assert.NotContains(t, got, "DOC012", "the login form's 9 is the login page")
		assert.NotContains(t, got, "DOC010")
	})
}

// A relying party with the manager's HS512 and a client secret shorter than its 64 bytes: LLNG signs
// with it anyway (Digest::SHA hmac_sha512_base64 of the client secret, Portal/Lib/OpenIDConnect.pm,
// 2.16.1, checks no length), and ssoctl reports the short secret with both lengths (DOC065, with
// LLNG's signing setting), not a signature that does not verify. Rehearsed as InvenTree, the
// doctor adds that InvenTree does not verify the signature.
func TestShortHS512Secret(t *testing.T) {
	const short = "llng-short-secret" // 17 bytes
	l := logintest.StartLLNG(t, logintest.LLNGOptions{IDTokenSignAlg: "HS512", ClientSecret: short})
	w := newWorkdir(t)
	w.env = append(w.env, "LLNG_SECRET="+short)
	addProvider(t, w, l)

	r := w.ssoctl(t, nil, "test-login", "llng", "-o", "json")
	var rep loginReport
	require.NoError(t, json.Unmarshal([]byte(r.Stdout), &rep), "%s\n%s", r.Stdout, r.Stderr)
	assert.Equal(t, 1, r.Code)
	require.NotNil(t, rep.Error, "%+v", rep.Doctor)
	assert.Equal(t, "id token", rep.Error.Step)
	assert.Equal(t, "secret length", rep.Error.Check)
	assert.Contains(t, rep.Error.Message, "signed with HS512 keyed with the client secret, and the client secret is 17 bytes, shorter than the 64 bytes HS512 needs")
	var doc065 string
	for _, d := range rep.Doctor {
		if d.Code == "DOC065" {
			doc065 = d.Message
		}
	}
	require.NotEmpty(t, doc065, "doctor: %+v", rep.Doctor)
	assert.NotContains(t, r.Stdout+r.Stderr, short, "the secret is never printed")

	text := w.ssoctl(t, nil, "test-login", "llng")
	assert.Equal(t, 1, text.Code)
	assert.Contains(t, text.Stdout+text.Stderr, "DOC065")
	assert.Contains(t, text.Stdout+text.Stderr, "LemonLDAP::NG: Manager → OpenID Connect Relying Parties → "+logintest.LLNGClientID+" → Options → Security → ID Token signature algorithm: RS256")
	assert.NotContains(t, text.Stdout+text.Stderr, "does not verify with the client secret")

	setApp(t, w, "inventree", "1.5.0")
	_, rep = testLogin(t, w, l)
	found := false
	for _, d := range rep.Doctor {
		if d.Code == "DOC065" {
			found = true
			assert.Contains(t, d.Message, "InvenTree (django-allauth 65.18.0 openid_connect) does not verify the ID token's signature, so it would log in")
		}
	}
	assert.True(t, found, "doctor as InvenTree: %+v", rep.Doctor)
}
