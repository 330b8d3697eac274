package app

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// PKCE behaviours of an app's OAuth client.
const (
	// PKCENone: the app never sends a code_challenge.
	PKCENone = "none"
	// PKCES256: the app always sends an S256 code_challenge.
	PKCES256 = "S256"
	// PKCEIfDiscovered: the app sends S256 when the discovery document lists it in
	// code_challenge_methods_supported, and nothing otherwise (PhotoPrism).
	PKCEIfDiscovered = "S256 if discovered"
)

// Client authentication at the token endpoint (RFC 7591 §2 names), and the two behaviours that
// are not one fixed method.
const (
	AuthBasic = "client_secret_basic"
	AuthPost  = "client_secret_post"
	AuthNone  = "none"
	// AuthAutoDetect is golang.org/x/oauth2's AuthStyleAutoDetect (internal/token.go RetrieveToken,
	// v0.24.0 to v0.37.0 alike): the first token request sends the secret in an HTTP Basic header; when
	// it fails for any reason (a transport error, any non-2xx answer, an answer without
	// access_token) the same request is sent again with client_id and client_secret in the form body,
	// and the style that worked is cached per oauth2.Config, token URL and client ID.
	AuthAutoDetect = "auto-detect"
	// AuthDiscoveredPreferPost is django-allauth's OpenID Connect rule (openid_connect/views.py
	// basic_auth, 65.18.0): HTTP Basic only when the discovery document lists client_secret_basic and
	// not client_secret_post; the form body otherwise, also when the list is absent.
	AuthDiscoveredPreferPost = "post unless discovery lists basic only"
)

// Where the app reads the user's claims.
const (
	ClaimsIDToken  = "id_token"
	ClaimsUserinfo = "userinfo"
	// ClaimsBoth: the ID token and userinfo, merged (PhotoPrism's groups, InvenTree's extra_data).
	ClaimsBoth = "id_token+userinfo"
	// ClaimsIDTokenElseUserinfo: the ID token when it carries sub and email, else userinfo (Better
	// Auth's generic OAuth getUserInfo).
	ClaimsIDTokenElseUserinfo = "id_token, else userinfo"
	// ClaimsPlatformAPI: a plain OAuth 2.0 platform's user API (GitHub /user, Graph /me).
	ClaimsPlatformAPI = "user API"
)

// Client is the OAuth client an app runs for one provider type at one version: what its login
// sends, and what it checks. test-login rehearses it (--client app); the doctor compares it with
// what the provider requires. Every field is read from the app's source at the version in Source.
type Client struct {
	// App names the app and version ("AList 3.63"); Library the OAuth library it uses.
	App, Library string
	// Platform is the app's own name for the login it runs ("OIDC", "Github"), "" when it has one.
	Platform string
	// Strict says this is the generic best-practice client, not an app's.
	Strict bool

	// PKCE is one of the PKCE constants; PKCEChoices the values of the config's pkce key the app
	// lets an admin choose (nil: the app offers no choice and the key is an error).
	PKCE        string
	PKCEChoices []string
	// Auth is one of the Auth constants; AuthChoices the config's token_endpoint_auth_method values
	// the app lets an admin choose (nil: none).
	Auth        string
	AuthChoices []string

	// Scopes are the scopes the app sends by itself. ScopesReplaced says the admin's scopes (the
	// config's scopes) replace them; ScopesAppended that the admin's are appended after them
	// (AList's sso_extra_scopes); with neither the app sends Scopes whatever the config says.
	Scopes         []string
	ScopesReplaced bool
	ScopesAppended bool
	// ScopeOrder says the order of the scope parameter is not fixed (allauth joins a Python set).
	ScopeOrderRandom bool

	// Nonce says the authorize request carries a nonce (and the ID token's is compared).
	Nonce bool
	// State is "random" (a fresh value per login), "none", or what the app sends instead.
	State string
	// ResponseMode is the response_mode parameter the app sends, "" for none.
	ResponseMode string
	// Redirect is the form of the redirect URI the app sends, for people.
	Redirect string
	// MethodQuery says the app's login callback carries AList's ?method=sso_get_token beyond the
	// registered redirect_url (LoginRedirect applies it).
	MethodQuery bool
	// Userinfo says the app calls the userinfo endpoint; Claims where it reads the user's claims.
	Userinfo bool
	Claims   string
	// VerifiesSignature says the app checks the ID token's signature; SigningAlgs the algorithms it
	// accepts (nil: any, or not checked).
	VerifiesSignature bool
	SigningAlgs       []string
	// SigningAlgsFromDiscovery says the verifier accepts what the provider's discovery document
	// lists, of SigningAlgs only, and RS256 when it lists none of them (go-oidc's
	// Provider.Verifier); AcceptedAlgs applies it.
	SigningAlgsFromDiscovery bool
	// ExchangesAfterAuthorizeError says the app's callback ignores an error the provider sends back
	// and redeems the missing code anyway, so its user sees the token endpoint's answer to that, not
	// the provider's reason.
	ExchangesAfterAuthorizeError bool
	// AlgRefusal is the app's own answer to an ID token signed with an algorithm it does not accept,
	// a format taking the accepted algorithms ([]string) and the token's; "" when unknown.
	AlgRefusal string
	// Verifier names the app's ID token verifier in messages ("AList's go-oidc"); AlgsWhy says
	// where SigningAlgs comes from, for people.
	Verifier, AlgsWhy string
	// ClockSkew is the leeway the app gives iat/exp; 0 when it does not check them or has none.
	ClockSkew time.Duration
	// EmailVerified says what the app does with email_verified.
	EmailVerified string
	// Public says the app can log in without a client secret (a public client with PKCE).
	Public bool
	// EndpointsFromDiscovery says the app takes the authorize and token endpoints from the issuer's
	// discovery document and has no setting for them (AList's OIDC: go-oidc v2's
	// provider.Endpoint()), so a configured authorize_url or token_url is not what it uses.
	EndpointsFromDiscovery bool
	// Plain is the app's own plain OAuth 2.0 login (AList's and OpenList's Github, Microsoft,
	// Google, Dingtalk and Casdoor platforms): where it goes and what it sends and reads, for the
	// rehearsal to send the same. nil for the OpenID Connect clients.
	Plain *PlainLogin
	// IDField and UsernameField are the user document's keys the app takes the user's id and
	// username from, where it reads a platform's user API (Plain), and UserAPI that API for people
	// ("GET https://api.github.com/user"); "" otherwise.
	IDField, UsernameField, UserAPI string
	// Source cites where each of the above was read (repository, path, version).
	Source string
}

// EndpointPlaceholder stands, in a PlainLogin's URLs and parameters, for the endpoint the app is
// configured with (AList's sso_endpoint_name, trailing slash trimmed).
const EndpointPlaceholder = "{endpoint}"

// PlainLogin is a plain OAuth 2.0 authorization-code login an app builds itself, without an OAuth
// library: AList's resty requests (server/handles/ssologin.go). The authorize request is
// response_type=code, redirect_uri, client_id and the client's Scopes, plus AuthorizeParams; the
// token request a form POST of client_id, client_secret, code, redirect_uri and scope (plus
// grant_type=authorization_code with GrantType) with Accept: application/json, or with TokenJSON
// the JSON body {clientId, clientSecret, code, grantType}; the user a GET of UserURL with the
// access token (TokenField of the token response) in UserHeader ("Authorization" means
// "Bearer <token>"). A failed token answer is not looked at: its missing access token goes to the
// user API as an empty one. Network errors are retried 3 times (resty SetRetryCount(3), which
// retries on transport errors only: resty v2.14.0 and v2.17.2 retry.go).
type PlainLogin struct {
	// AuthorizeURL, TokenURL and UserURL are fixed, or contain EndpointPlaceholder.
	AuthorizeURL, TokenURL, UserURL string
	// Endpoint names the app setting EndpointPlaceholder stands for ("" when the URLs are fixed).
	Endpoint string
	// AuthorizeParams are the authorize request's other parameters, in the order the app adds them.
	AuthorizeParams [][2]string
	// TokenJSON, GrantType: see the type's comment.
	TokenJSON, GrantType bool
	// TokenField is the token response's key of the access token.
	TokenField string
	// UserHeader is the request header the access token goes in to UserURL.
	UserHeader string
}

// Fixed reports whether the login's endpoints are fixed URLs an admin cannot change.
func (l PlainLogin) Fixed() bool { return l.Endpoint == "" }

// Resolve fills EndpointPlaceholder with endpoint, its trailing slash trimmed as the app does
// (strings.TrimSuffix(endpoint, "/"), ssologin.go:95 and :335).
func (l PlainLogin) Resolve(endpoint string) PlainLogin {
	r := strings.NewReplacer(EndpointPlaceholder, strings.TrimSuffix(endpoint, "/"))
	out := l
	out.AuthorizeURL, out.TokenURL, out.UserURL = r.Replace(l.AuthorizeURL), r.Replace(l.TokenURL), r.Replace(l.UserURL)
	out.AuthorizeParams = nil
	for _, kv := range l.AuthorizeParams {
		out.AuthorizeParams = append(out.AuthorizeParams, [2]string{kv[0], r.Replace(kv[1])})
	}
	return out
}

// Moved is the login sent to the configured authorize, token and user URLs where they are set and
// differ from the app's own (a test provider standing in for a platform whose URLs are fixed, which
// validate warns the app never reads: SSO094), and the config keys so moved (authorize_url,
// token_url, userinfo_url). test-login's rehearsal, its pre-flight and validate --online all go
// where this says, so that they probe the same endpoints.
func (l PlainLogin) Moved(authorizeURL, tokenURL, userURL string) (PlainLogin, []string) {
	out := l
	var moved []string
	for _, o := range []struct {
		key, configured string
		url             *string
	}{
		{"authorize_url", authorizeURL, &out.AuthorizeURL},
		{"token_url", tokenURL, &out.TokenURL},
		{"userinfo_url", userURL, &out.UserURL},
	} {
		if o.configured != "" && o.configured != *o.url {
			*o.url = o.configured
			moved = append(moved, o.key)
		}
	}
	return out, moved
}

// StrictClient is ssoctl's own client, the one test-login --client strict runs: PKCE S256, a fresh
// state and nonce, HTTP Basic (the form body only where the provider lists nothing else, none for a
// public client), the configured scopes with openid, userinfo with a sub check, every ID token
// check (pkg/login).
func StrictClient() Client {
	return Client{
		App: "ssoctl", Library: "golang.org/x/oauth2 + github.com/coreos/go-oidc/v3", Strict: true,
		PKCE: PKCES256, PKCEChoices: []string{"S256", "none"},
		Auth: AuthBasic, AuthChoices: []string{AuthBasic, AuthPost, AuthNone},
		ScopesReplaced: true, Nonce: true, State: "random",
		Redirect: "the configured redirect_url", Userinfo: true, Claims: ClaimsBoth,
		VerifiesSignature: true, Public: true,
		Source: "pkg/login (ssoctl)",
	}
}

// ClientFor is the client the target app runs for providers of type providerType; ok is false
// where the app has no login for that type (the strict client is returned then) or the target is
// the generic app.
func ClientFor(t Target, providerType string) (Client, bool) {
	var c Client
	var ok bool
	switch t.Kind {
	case config.AppAList, config.AppOpenList:
		c, ok = alistClient(t, providerType)
	case config.AppPhotoPrism:
		c, ok = photoPrismClient(t, providerType)
	case config.AppInvenTree:
		c, ok = invenTreeClient(t, providerType)
	case config.AppLobeChat:
		c, ok = lobeChatClient(t, providerType)
	}
	if !ok {
		return StrictClient(), false
	}
	return c, true
}

// SendsPKCE says whether the app's authorize request carries a code_challenge: configured is the
// config's pkce value ("" for the app's own behaviour), discovered the provider's
// code_challenge_methods_supported.
func (c Client) SendsPKCE(configured string, discovered []string) bool {
	if configured != "" && slices.Contains(c.PKCEChoices, configured) {
		return configured == PKCES256
	}
	switch c.PKCE {
	case PKCES256:
		return true
	case PKCEIfDiscovered:
		return slices.Contains(discovered, "S256")
	}
	return false
}

// AuthMethod is how the app authenticates at the token endpoint: one of the Auth method constants
// or AuthAutoDetect. configured is the config's token_endpoint_auth_method ("" for the app's own
// behaviour), secret whether a client secret is set, discovered the provider's
// token_endpoint_auth_methods_supported.
func (c Client) AuthMethod(configured string, secret bool, discovered []string) string {
	if configured != "" && slices.Contains(c.AuthChoices, configured) {
		return configured
	}
	switch c.Auth {
	case AuthDiscoveredPreferPost:
		if slices.Contains(discovered, AuthBasic) && !slices.Contains(discovered, AuthPost) {
			return AuthBasic
		}
		return AuthPost
	case AuthBasic:
		if c.Strict {
			// ssoctl's own choice: none without a secret, Basic unless the provider lists post only.
			switch {
			case !secret:
				return AuthNone
			case len(discovered) > 0 && !slices.Contains(discovered, AuthBasic) && slices.Contains(discovered, AuthPost):
				return AuthPost
			}
		}
	}
	return c.Auth
}

// MethodsTried are the client authentication methods the app can end up using, in the order it
// tries them: both for AuthAutoDetect, one otherwise.
func (c Client) MethodsTried(configured string, secret bool, discovered []string) []string {
	m := c.AuthMethod(configured, secret, discovered)
	if m == AuthAutoDetect {
		return []string{AuthBasic, AuthPost}
	}
	return []string{m}
}

// ScopesFor are the scopes the app sends when the config lists configured.
func (c Client) ScopesFor(configured []string) []string {
	switch {
	case c.ScopesReplaced && len(configured) > 0:
		return slices.Clone(configured)
	case c.ScopesAppended:
		out := slices.Clone(c.Scopes)
		for _, s := range configured {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	return slices.Clone(c.Scopes)
}

// LoginRedirect is the redirect URI the app's login sends for provider p, in the form of p's
// redirect_url: the same URL, except that AList's and OpenList's normal mode add
// ?method=sso_get_token to <site_url>/api/auth/sso_callback (alist.go, LoginRedirect).
func (c Client) LoginRedirect(p config.Provider) string {
	if c.MethodQuery {
		return LoginRedirect(p.RedirectURL, p.CompatMode)
	}
	return p.RedirectURL
}

// ConfigErrors are the config choices the app cannot make: a pkce or token_endpoint_auth_method
// value it offers no setting for and does not send anyway. Each is the config key and one
// sentence with the hint.
func (c Client) ConfigErrors(p config.Provider) []ConfigError {
	var out []ConfigError
	if p.PKCE != "" && !slices.Contains(c.PKCEChoices, p.PKCE) && p.PKCE != c.PKCE {
		out = append(out, ConfigError{Key: "pkce", Message: fmt.Sprintf("%s offers no PKCE setting: it sends %s", c.name(), c.pkceText()),
			Hint: "remove pkce; " + c.pkceHint()})
	}
	if m := p.TokenEndpointAuthMethod; m != "" && !slices.Contains(c.AuthChoices, m) && m != c.Auth {
		out = append(out, ConfigError{Key: "token_endpoint_auth_method", Message: fmt.Sprintf("%s cannot be set to %s: its client authentication is %s", c.name(), m, c.authText()),
			Hint: "remove token_endpoint_auth_method and register the client at the provider for what the app sends"})
	}
	return out
}

// ConfigError is a config choice the app cannot make.
type ConfigError struct{ Key, Message, Hint string }

func (c Client) name() string {
	if c.Platform != "" {
		return c.App + " (" + c.Platform + ")"
	}
	return c.App
}

func (c Client) pkceText() string {
	switch c.PKCE {
	case PKCENone:
		return "no PKCE"
	case PKCEIfDiscovered:
		return "PKCE S256 when the provider lists S256 in code_challenge_methods_supported, none otherwise"
	}
	return "PKCE " + c.PKCE
}

func (c Client) pkceHint() string {
	if c.PKCE == PKCENone {
		return "make PKCE optional for this client at the provider"
	}
	return "the app decides by itself"
}

func (c Client) authText() string {
	switch c.Auth {
	case AuthAutoDetect:
		return "auto-detected (HTTP Basic first, the form body after a failure)"
	case AuthDiscoveredPreferPost:
		return "the form body unless the provider lists client_secret_basic only"
	}
	return c.Auth
}

// Summary is the one line a test-login report opens with: the app, its version and how its client
// differs from the strict one ("as AList 3.63 (OIDC): no PKCE; client auth auto-detect; no nonce").
func (c Client) Summary() string {
	if c.Strict {
		return "as ssoctl's strict client: PKCE S256, state, nonce, every ID token check"
	}
	d := c.Differences()
	if len(d) == 0 {
		return "as " + c.name() + ": the same as the strict client"
	}
	return "as " + c.name() + ": " + strings.Join(d, "; ")
}

// Differences says, shortly, where the app's client differs from the strict one.
func (c Client) Differences() []string {
	var d []string
	switch c.PKCE {
	case PKCENone:
		if len(c.PKCEChoices) > 0 {
			d = append(d, "no PKCE unless enabled")
		} else {
			d = append(d, "no PKCE")
		}
	case PKCEIfDiscovered:
		d = append(d, "PKCE only when discovered")
	}
	switch c.Auth {
	case AuthAutoDetect:
		d = append(d, "client auth auto-detect")
	case AuthDiscoveredPreferPost:
		d = append(d, "client auth from discovery, preferring the form body")
	case AuthPost:
		d = append(d, "client auth in the form body")
	}
	if !c.ScopesReplaced {
		if c.ScopesAppended {
			d = append(d, "scopes "+strings.Join(c.Scopes, " ")+" + extra")
		} else {
			d = append(d, "fixed scopes "+strings.Join(c.Scopes, " "))
		}
	}
	if c.Plain != nil {
		d = append(d, fmt.Sprintf("no ID token: the user is %s of %s", c.IDField+" and "+c.UsernameField, c.UserAPI))
	} else if !c.Nonce {
		d = append(d, "no nonce")
	}
	if c.State != "random" {
		d = append(d, "state "+c.State)
	}
	if c.Claims != ClaimsPlatformAPI && !c.VerifiesSignature {
		d = append(d, "no ID token signature check")
	}
	if !c.Userinfo && c.Claims == ClaimsIDToken {
		d = append(d, "no userinfo")
	}
	return d
}

// Laxities are the strict checks the app does not make, as sentences for the report ("LobeHub 2.x
// does not verify the ID token signature"): test-login still makes them and says where the app
// would not.
func (c Client) Laxities() []string {
	if c.Strict {
		return nil
	}
	var l []string
	n := c.name()
	if c.PKCE == PKCENone {
		l = append(l, n+" sends no PKCE: an intercepted code could be redeemed by anyone holding the client secret")
	}
	if !c.Nonce && c.Claims != ClaimsPlatformAPI {
		l = append(l, n+" sends no nonce and so cannot bind the ID token to this login")
	}
	if c.State == "none" {
		l = append(l, n+" sends no state: its callback cannot tell a forged login (CSRF)")
	} else if c.State != "random" {
		l = append(l, n+" sends a fixed state ("+c.State+"): its callback cannot tell a forged login (CSRF)")
	}
	if c.Claims != ClaimsPlatformAPI && !c.VerifiesSignature {
		l = append(l, n+" does not verify the ID token signature")
	}
	return l
}

// AcceptedAlgs is what the app's ID token verifier accepts from a provider whose discovery document
// lists discovered (id_token_signing_alg_values_supported; nil when unknown). nil: the app does not
// verify the signature, or accepts any algorithm.
func (c Client) AcceptedAlgs(discovered []string) []string {
	if !c.VerifiesSignature || !c.SigningAlgsFromDiscovery {
		return c.SigningAlgs
	}
	var out []string
	for _, a := range discovered {
		if slices.Contains(c.SigningAlgs, a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return []string{"RS256"}
	}
	return out
}

// CallsUserinfo says whether the app's client calls the userinfo endpoint after a login whose ID
// token carries idToken (Better Auth does only when the ID token lacks sub or email).
func (c Client) CallsUserinfo(idToken map[string]any) bool {
	if c.Claims == ClaimsIDTokenElseUserinfo {
		sub, _ := idToken["sub"].(string)
		email, _ := idToken["email"].(string)
		return sub == "" || email == ""
	}
	return c.Userinfo
}
