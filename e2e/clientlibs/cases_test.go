package clientlibs_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// appSpec is one app whose real client library the tests run.
type appSpec struct {
	// name prefixes the test provider's client ids and names the golden file.
	name string
	// kind and version are the config's app.kind and app.version for ssoctl's rehearsal.
	kind, version string
	// redirectPath is the path of the app's callback (its redirect URI on 127.0.0.1, any port).
	redirectPath string
	// scopes are the scopes the app is configured with (ssoctl's config gets the same).
	scopes []string
	// adminAuth, when set, says which token endpoint auth method an admin of the app sets for a
	// case ("" keeps the app's default); ssoctl's config gets it as token_endpoint_auth_method.
	adminAuth func(loginCase) string
	// registeredAuth, when set, overrides the case's registered token_endpoint_auth_method for
	// this app's client (an app that can send only one method is registered for it in the cases
	// about tokens and claims).
	registeredAuth func(loginCase) string
	// providerYAML is more of ssoctl's provider entry (indented four spaces), such as the groups
	// claim the app reads.
	providerYAML string
}

// loginCase is one provider-side situation every library meets. The provider runs with its
// defaults otherwise: profile, email and groups claims are in the userinfo response only (not in
// the ID token) but for claims-in-id-token, and only the registered client authentication method
// is accepted (STRICT_CLIENT_AUTH), as ORY Hydra does.
type loginCase struct {
	name string
	// auth is the client's registered token_endpoint_auth_method.
	auth string
	// alg is the client's id_token_signed_response_alg ("" is the provider's RS256).
	alg string
	// pkceRequired: the provider refuses an authorization request without code_challenge.
	pkceRequired bool
	// user logs in (testdata/oidcprovider's user table): alice has everything, bob an unverified
	// email, carol a groups claim that is one string.
	user string
	// idTokenClaims: the provider puts the profile, email and groups claims into the ID token too
	// (CONFORM_ID_TOKEN_CLAIMS=false), as many real providers do.
	idTokenClaims bool
}

// issuer is the test provider that serves the case.
func (c loginCase) issuer() string {
	if c.idTokenClaims {
		return idTokenProvider.Issuer
	}
	return provider.Issuer
}

var cases = []loginCase{
	{name: "pkce-required", auth: "client_secret_basic", pkceRequired: true, user: "alice"},
	{name: "post-only", auth: "client_secret_post", user: "alice"},
	{name: "basic-only", auth: "client_secret_basic", user: "alice"},
	{name: "hs256", auth: "client_secret_basic", alg: "HS256", user: "alice"},
	{name: "es256", auth: "client_secret_basic", alg: "ES256", user: "alice"},
	{name: "userinfo-claims", auth: "client_secret_basic", user: "bob"},
	{name: "string-groups", auth: "client_secret_basic", user: "carol"},
	{name: "claims-in-id-token", auth: "client_secret_basic", user: "alice", idTokenClaims: true},
}

var apps = []appSpec{photoPrism, lobeChat1, lobeHub2, invenTree}

func clientID(a appSpec, c loginCase) string { return a.name + "-" + c.name }

// clientSecret is long enough to key HS256 (RFC 7518 §3.2: at least 256 bits).
func clientSecret(a appSpec, c loginCase) string {
	return clientID(a, c) + "-secret-0123456789abcdef0123456789abcdef"
}

// providerEnv registers one client per app and case (EXTRA_CLIENTS) with the app's redirect path
// on loopback (any port matches a native client's loopback redirect URI, RFC 8252 §7.3), and makes
// PKCE optional for every case but pkce-required.
func providerEnv() []string {
	var clients []map[string]any
	var optional []string
	for _, a := range apps {
		for _, c := range cases {
			cl := map[string]any{
				"client_id":                  clientID(a, c),
				"client_secret":              clientSecret(a, c),
				"application_type":           "native",
				"token_endpoint_auth_method": registeredAuth(a, c),
				"redirect_uris":              []string{"http://127.0.0.1" + a.redirectPath, "http://localhost" + a.redirectPath},
				"grant_types":                []string{"authorization_code"},
				"response_types":             []string{"code"},
			}
			if c.alg != "" {
				cl["id_token_signed_response_alg"] = c.alg
			}
			clients = append(clients, cl)
			if !c.pkceRequired {
				optional = append(optional, clientID(a, c))
			}
		}
	}
	b, _ := json.Marshal(clients)
	return []string{"EXTRA_CLIENTS=" + string(b), "PKCE_OPTIONAL_CLIENTS=" + strings.Join(optional, ",")}
}

func registeredAuth(a appSpec, c loginCase) string {
	if a.registeredAuth != nil {
		return a.registeredAuth(c)
	}
	return c.auth
}

// record is what one client (a real library, or ssoctl's rehearsal) did in one case.
type record struct {
	Case string `json:"case"`
	// Login is "ok" or "failed: " and the error the client reported.
	Login string `json:"login"`
	Sent  sent   `json:"sent"`
	// User is what the client read about the user (ids, names, email, groups), by the app's
	// field names mapped to: id, username, email, emailVerified, name, groups.
	User map[string]any `json:"user,omitempty"`
}

func (r record) ok() bool { return r.Login == "ok" }

// sent is what the provider's request log shows a client sent, without the per-login random values.
type sent struct {
	// AuthorizeParams are the names of the authorization request's parameters, sorted, but for
	// login_hint.
	AuthorizeParams []string `json:"authorizeParams"`
	// PKCE is the code_challenge_method ("plain" for a challenge without one), or "none".
	PKCE string `json:"pkce"`
	// Scope is the scope parameter's values, sorted (their order means nothing, RFC 6749 §3.3,
	// and django-allauth sends them in a different order each time).
	Scope []string `json:"scope"`
	// RedirectURI is the redirect_uri with its port replaced by PORT.
	RedirectURI string `json:"redirectUri"`
	// AuthorizeError is the provider's error answer to the authorization request, if any.
	AuthorizeError string `json:"authorizeError,omitempty"`
	// Token lists each token request: its client authentication, "+verifier" when it carried a
	// code_verifier, and the provider's error answer, if any.
	Token []string `json:"token"`
	// Userinfo lists each userinfo request: "GET" or "POST", and the error answer, if any.
	Userinfo []string `json:"userinfo"`
}

// logEntry is one line of the provider's GET /_log.
type logEntry struct {
	Endpoint         string         `json:"endpoint"`
	Method           string         `json:"method"`
	ClientID         string         `json:"clientId"`
	Auth             string         `json:"auth"`
	Params           map[string]any `json:"params"`
	Status           int            `json:"status"`
	Error            string         `json:"error"`
	ErrorDescription string         `json:"errorDescription"`
}

// providerLog returns the request log of the case's provider for one client.
func providerLog(t *testing.T, c loginCase, client string) []logEntry {
	t.Helper()
	resp, err := http.Get(c.issuer() + "/_log?client_id=" + url.QueryEscape(client))
	if err != nil {
		t.Fatalf("reading the provider's request log: %v", err)
	}
	defer resp.Body.Close()
	var entries []logEntry
	if err := json.NewDecoder(resp.Body).Decode(&entries); err != nil {
		t.Fatalf("decoding the provider's request log: %v", err)
	}
	return entries
}

var portRE = regexp.MustCompile(`(127\.0\.0\.1|localhost|\[::1\]):\d+`)

// normalize takes the run's random ports and the issuer out of a text kept in a golden file.
func normalize(s string) string {
	s = strings.ReplaceAll(s, provider.Issuer, "ISSUER")
	s = strings.ReplaceAll(s, idTokenProvider.Issuer, "ISSUER")
	return portRE.ReplaceAllString(s, "$1:PORT")
}

func answer(e logEntry) string {
	if e.Error == "" {
		return ""
	}
	return fmt.Sprintf(" (%d %s: %s)", e.Status, e.Error, e.ErrorDescription)
}

// summarize turns the log entries of one login into what the client sent. The last authorization
// request is the browser's (ssoctl's pre-flight sends one before it).
func summarize(entries []logEntry) sent {
	s := sent{PKCE: "none", Token: []string{}, Userinfo: []string{}}
	for _, e := range entries {
		switch e.Endpoint {
		case "authorization":
			s.AuthorizeParams = s.AuthorizeParams[:0]
			for k := range e.Params {
				// login_hint is the scripted browser's (it picks the test user), not the client's;
				// ssoctl's pre-flight sends its authorization request without one.
				if k != "login_hint" {
					s.AuthorizeParams = append(s.AuthorizeParams, k)
				}
			}
			slices.Sort(s.AuthorizeParams)
			s.PKCE = "none"
			if m, ok := e.Params["code_challenge_method"].(string); ok {
				s.PKCE = m
			} else if _, ok := e.Params["code_challenge"]; ok {
				s.PKCE = "plain"
			}
			scope, _ := e.Params["scope"].(string)
			s.Scope = strings.Fields(scope)
			slices.Sort(s.Scope)
			redirect, _ := e.Params["redirect_uri"].(string)
			s.RedirectURI = portRE.ReplaceAllString(redirect, "$1:PORT")
			s.AuthorizeError = strings.TrimSpace(answer(e))
			// A new authorization request starts a new login: what came before was a pre-flight.
			s.Token, s.Userinfo = []string{}, []string{}
		case "token":
			if code, _ := e.Params["code"].(string); strings.HasPrefix(code, "ssoctl-probe-") {
				// The doctor's diagnosis after a failed exchange (a code that cannot exist, to ask
				// which client authentication the endpoint takes), not part of the rehearsed login.
				continue
			}
			t := e.Auth
			if _, ok := e.Params["code_verifier"]; ok {
				t += "+verifier"
			}
			s.Token = append(s.Token, t+answer(e))
		case "userinfo":
			s.Userinfo = append(s.Userinfo, e.Method+answer(e))
		}
	}
	return s
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// report is the part of `ssoctl test-login -o json` the comparison reads.
type report struct {
	OK     bool `json:"ok"`
	Client struct {
		AppCallsUserinfo bool `json:"appCallsUserinfo"`
	} `json:"client"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
	User *struct {
		ID            string `json:"id"`
		Username      string `json:"username"`
		Email         string `json:"email"`
		EmailVerified bool   `json:"emailVerified"`
		Groups        struct {
			IDP []string `json:"idp"`
		} `json:"groups"`
	} `json:"user"`
}

// rehearse runs `ssoctl test-login -o json` for the app and case, with the scripted browser
// logging the case's user in, and returns what it did and predicted, and its report.
func rehearse(t *testing.T, a appSpec, c loginCase) (record, string) {
	t.Helper()
	dir := t.TempDir()
	scopes, _ := json.Marshal(a.scopes)
	cfg := fmt.Sprintf(`version: 1
app:
  kind: %s
  version: %q
providers:
  - name: app
    type: oidc
    issuer: %s
    client_id: %s
    client_secret: env:SSOCTL_CASE_SECRET
    redirect_url: http://127.0.0.1:%d%s
    scopes: %s
`, a.kind, a.version, c.issuer(), clientID(a, c), freePort(t), a.redirectPath, scopes)
	cfg += a.providerYAML
	if a.adminAuth != nil && a.adminAuth(c) != "" {
		cfg += "    token_endpoint_auth_method: " + a.adminAuth(c) + "\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "ssoctl.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	before := len(providerLog(t, c, clientID(a, c)))
	cmd := exec.Command(bin.SSOctl, "test-login", "app", "-o", "json", "--timeout", "60s")
	cmd.Env = append(os.Environ(),
		"SSOCTL_CONFIG="+filepath.Join(dir, "ssoctl.yaml"),
		"SSOCTL_CASE_SECRET="+clientSecret(a, c),
		"BROWSER="+bin.Browser,
		"SSOCTL_TEST_LOGIN_HINT="+c.user,
		"HOME="+dir, "XDG_STATE_HOME="+filepath.Join(dir, "state"), "XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"NO_COLOR=1",
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatalf("running ssoctl: %v", err)
	}
	var rep report
	if jerr := json.Unmarshal(stdout.Bytes(), &rep); jerr != nil {
		t.Fatalf("ssoctl test-login -o json printed no JSON report (%v; exit %v): %s\n%s", jerr, err, stdout.String(), stderr.String())
	}
	r := record{Case: c.name, Login: "ok", Sent: summarize(providerLog(t, c, clientID(a, c))[before:])}
	if !rep.Client.AppCallsUserinfo {
		// ssoctl fetches userinfo as a strict check (and for the doctor) where the app would not;
		// the report says so, and the comparison holds ssoctl to that claim: a library that does
		// call userinfo then differs.
		r.Sent.Userinfo = []string{}
	}
	if !rep.OK {
		r.Login = "failed"
		if rep.Error != nil {
			r.Login = "failed: " + normalize(rep.Error.Message)
		}
	}
	if rep.User != nil {
		r.User = map[string]any{
			"id": rep.User.ID, "username": rep.User.Username, "email": rep.User.Email,
			"emailVerified": rep.User.EmailVerified, "groups": rep.User.Groups.IDP,
		}
	}
	return r, stderr.String()
}

// libraryRun is one login through an app's real client library: run performs it and returns what
// the library reported (login result and the user it read); the log summary is added here.
type libraryRun func(t *testing.T, c loginCase) record

// testApp runs every case through the app's library, checks the records against the golden
// file, then rehearses each case with ssoctl and compares.
func testApp(t *testing.T, a appSpec, login libraryRun) {
	logintest.Require(t, providerErr)
	got := make([]record, 0, len(cases))
	for _, c := range cases {
		before := len(providerLog(t, c, clientID(a, c)))
		var r record
		// A subtest of its own, so the harness it starts stops when its login is done.
		if !t.Run("library/"+c.name, func(t *testing.T) { r = login(t, c) }) {
			t.FailNow()
		}
		r.Case = c.name
		r.Sent = summarize(providerLog(t, c, clientID(a, c))[before:])
		got = append(got, r)
	}
	checkGolden(t, a.name, got)
	var rows []string
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lib := got[i]
			ssoctl, stderr := rehearse(t, a, c)
			diffs := compare(lib, ssoctl)
			rows = append(rows, row(lib, ssoctl, diffs))
			if len(diffs) > 0 {
				t.Errorf("ssoctl test-login under app.kind %s (version %s) does not rehearse the real library:\n  %s\nssoctl's stderr:\n%s",
					a.kind, a.version, strings.Join(diffs, "\n  "), stderr)
			}
		})
	}
	t.Logf("%s: case | what the real library did | what ssoctl rehearsed and predicted | match\n%s", a.name, strings.Join(rows, "\n"))
}

// comparedUserFields are the user fields ssoctl's report predicts; a library record may hold more
// (a display name), kept in its golden file only.
var comparedUserFields = []string{"id", "username", "email", "emailVerified", "groups"}

// compare lists how ssoctl's rehearsal differs from the library's login.
func compare(lib, ssoctl record) []string {
	var diffs []string
	if lib.ok() != ssoctl.ok() {
		diffs = append(diffs, fmt.Sprintf("login: library %q, ssoctl %q", lib.Login, ssoctl.Login))
	}
	lv, sv := reflect.ValueOf(lib.Sent), reflect.ValueOf(ssoctl.Sent)
	for i := 0; i < lv.NumField(); i++ {
		l, s := lv.Field(i).Interface(), sv.Field(i).Interface()
		if !reflect.DeepEqual(l, s) {
			diffs = append(diffs, fmt.Sprintf("sent %s: library %s, ssoctl %s", lv.Type().Field(i).Name, js(l), js(s)))
		}
	}
	if lib.ok() && ssoctl.ok() {
		for _, k := range comparedUserFields {
			if _, read := lib.User[k]; !read {
				continue
			}
			if js(absentAsEmpty(lib.User[k])) != js(ssoctl.User[k]) {
				diffs = append(diffs, fmt.Sprintf("user %s: library read %s, ssoctl predicted %s", k, js(lib.User[k]), js(ssoctl.User[k])))
			}
		}
	}
	return diffs
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// row is one line of the per-app table in the test log.
func row(lib, ssoctl record, diffs []string) string {
	brief := func(r record) string {
		return fmt.Sprintf("%s; sent pkce=%s scope=%s redirect=%s token=%v userinfo=%v; user %s",
			r.Login, r.Sent.PKCE, strings.Join(r.Sent.Scope, "+"), r.Sent.RedirectURI, r.Sent.Token, r.Sent.Userinfo, js(r.User))
	}
	match := "yes"
	if len(diffs) > 0 {
		match = "no: " + strings.Join(diffs, "; ")
	}
	return fmt.Sprintf("%s | %s | %s | %s", lib.Case, brief(lib), brief(ssoctl), match)
}

// checkGolden compares the library records with testdata/<app>.json, or writes it with -update.
func checkGolden(t *testing.T, name string, got []record) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the golden file (run go test ./e2e/clientlibs -update to write it): %v", err)
	}
	if !bytes.Equal(want, b) {
		t.Errorf("what the real %s client library did changed from %s (rerun with -update if intended):\n--- want\n%s\n--- got\n%s", name, path, want, b)
	}
}

// absentAsEmpty reads a library's null (Auth.js's profile email when the ID token has none) as the
// empty string ssoctl's report uses for a field the app does not get.
func absentAsEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}
