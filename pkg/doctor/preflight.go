package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// AuthorizeRequest is the authorize request a pre-flight sends: what the app (or test-login) sends,
// with a fresh state, nonce and PKCE S256 challenge added.
type AuthorizeRequest struct {
	// AuthorizeURL is the provider's authorization endpoint.
	AuthorizeURL string
	// Type is the provider type; Lark also gets app_id, DingTalk prompt=consent, as their logins send.
	Type     string
	ClientID string
	// RedirectURI is the exact redirect URI to check.
	RedirectURI string
	Scopes      []string
	// TokenURL tells Lark's legacy v1 flow (app_id, no PKCE) from the current one.
	TokenURL string
	// Client, when set, is the app's OAuth client (pkg/app) the request imitates: PKCE and nonce
	// only when it sends them, and a refusal for want of PKCE named as DOC013 with the app.
	Client *app.Client
	// PKCE is whether Client sends a code_challenge (it may depend on discovery); unused without Client.
	PKCE bool
	// FlavorErrorPage is the words on the flavour's own error page (provider.Flavor.ErrorPage):
	// a 200 answer carrying them is a refusal, not a login page. Kanidm shows that page, "Error
	// Code: InvalidState", for an unknown client, an unregistered redirect URI and a missing PKCE
	// challenge alike, and says which only in its log; Preflight asks again with a challenge to
	// tell the missing challenge apart. The page for a request with a challenge is DOC068, an error.
	FlavorErrorPage string
	// FlavorRequiresPKCE says the provider's flavour (configured or detected) refuses requests
	// without PKCE by default (Kanidm): when its own error page (FlavorErrorPage) answers a request
	// without a challenge, Preflight asks again with one, as that page does not say which check
	// failed. An error redirect is read by its words alone (IsPKCERefusal): the providers that
	// redirect a PKCE refusal name PKCE or the code challenge in it (pkceWords), and Kanidm, the
	// one flavour requiring PKCE, never redirects it.
	FlavorRequiresPKCE bool
	// PortalErrors are the flavour's own error codes at the authorize endpoint (configured or
	// detected flavour; provider.Flavor.PortalErrors), nil when it has none.
	PortalErrors map[string]provider.PortalError
	// Plain, when set, is the app's own plain OAuth 2.0 login (app.Client.Plain as AppPlainLogin
	// resolves it): the request is then exactly the app's, response_type, redirect_uri, client_id,
	// the scope and the login's AuthorizeParams added in its order (Microsoft's response_mode=query,
	// DingTalk's prompt=consent and second response_type, Casdoor's state), and nothing of ssoctl's:
	// no state of its own, no nonce, no PKCE.
	Plain *app.PlainLogin
}

// Preflight outcomes.
const (
	OutcomeLoginPage  = "login-page"   // a login or consent page, or a redirect towards one
	OutcomeCode       = "code"         // straight back to the redirect URI with a code (a session existed)
	OutcomeRefused    = "refused"      // back to the redirect URI with an error: URI and client are known
	OutcomeNotRegistd = "unregistered" // the redirect URI is not registered
	OutcomeUnknown    = "unknown-client"
	OutcomeErrorPage  = "error-page" // an error the provider does not explain
	// OutcomeRefusedPage is the flavour's own error page (FlavorErrorPage) for a request that
	// carried a PKCE challenge: a certain refusal whose cause is the client ID or the redirect URI.
	OutcomeRefusedPage = "refused-unexplained"
	OutcomeNoAnswer    = "unreachable" // no answer, or 404/5xx
)

// PreflightResult is what the authorize endpoint answered.
type PreflightResult struct {
	RedirectURI string `json:"redirectUri"`
	// Outcome is one of the Outcome constants.
	Outcome string `json:"outcome"`
	// Status is the HTTP status, 0 without an answer.
	Status int `json:"status,omitempty"`
	// Location is where the provider sent the browser, for redirects.
	Location string `json:"location,omitempty"`
	// Text is the error the provider gave: an OAuth error code and description, or an error page's text.
	Text string `json:"text,omitempty"`
	// Finding is the problem, nil when the redirect URI and client were accepted.
	Finding *Finding `json:"finding,omitempty"`
}

// OK says the provider accepted the client and the redirect URI.
func (r PreflightResult) OK() bool {
	return r.Outcome == OutcomeLoginPage || r.Outcome == OutcomeCode || r.Outcome == OutcomeRefused
}

// Preflight requests the authorize endpoint with the redirect URI and client ID of req, like a
// browser starting a login, without following the answer and without logging anyone in. A login
// page (or a redirect towards one, or back with a code) means the client and the redirect URI are
// accepted; an error page or an error redirect elsewhere means the redirect URI is not registered
// (DOC010) or the client is unknown (DOC011), named from the provider's own words where it says
// which; an error redirect to the redirect URI itself proves both are registered (providers only
// send errors to registered URIs, RFC 6749 §4.1.2.1) and is reported as DOC012.
//
// What providers answer, for the patterns matched here: node oidc-provider a 400 page
// "invalid_redirect_uri" or "invalid_client" (tested against the real provider); Keycloak "Invalid
// parameter: redirect_uri" and "Client not found"; authentik "Redirect URI Error" and "Client ID
// Error"; Google "redirect_uri_mismatch" and "invalid_client"; Entra ID AADSTS50011 and AADSTS700016;
// GitHub an error redirect to the app's registered callback with error=redirect_uri_mismatch and a
// 404 page for an unknown client; LemonLDAP::NG its own portal code as JSON, {"result":0,"error":108}
// for the redirect URI and 107 for the client, read by the flavour's table (PortalErrors; tested
// against the real portal in e2e/llng); Kanidm one page, HTTP 200, "Error Code: InvalidState", for
// an unknown client, an unregistered redirect URI and a missing PKCE challenge alike, read by the
// flavour's ErrorPage (searched in the whole page: the words follow the domain's display name) and
// told apart by asking again with a challenge: DOC013 when the challenge was missing, DOC068 (an
// error naming both other causes) when the page comes back (kanidm f72676f, v1.11.1 and v1.7.4;
// flavor_kanidm.go). Pages that render client-side (Casdoor, DingTalk, Lark) answer 200
// whatever the request, so a pre-flight passes there without proving anything.
func Preflight(ctx context.Context, client *http.Client, req AuthorizeRequest) PreflightResult {
	res := PreflightResult{RedirectURI: req.RedirectURI}
	u, err := authorizeURL(req)
	if err != nil {
		f := newFinding(CodeEndpointStatus, "authorize_url", fmt.Sprintf("the authorize URL %q is not an absolute URL", req.AuthorizeURL),
			"set authorize_url to the provider's authorization endpoint")
		res.Outcome, res.Finding = OutcomeNoAnswer, &f
		return res
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		f := transportFinding(err, "authorize endpoint", req.AuthorizeURL, "authorize_url")
		res.Outcome, res.Finding = OutcomeNoAnswer, &f
		return res
	}
	hreq.Header.Set("Accept", "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8")
	resp, err := noRedirects(client).Do(hreq)
	if err != nil {
		f := transportFinding(err, "authorize endpoint", req.AuthorizeURL, "authorize_url")
		res.Outcome, res.Finding = OutcomeNoAnswer, &f
		return res
	}
	a := readAnswer(resp)
	res.Status = a.status
	classifyAuthorize(&res, req, a)
	if res.Outcome == OutcomeErrorPage && req.FlavorErrorPage != "" && req.Client != nil && !req.PKCE && req.FlavorRequiresPKCE {
		// The page does not say why; the same request with a PKCE challenge tells the missing
		// challenge apart from an unknown client or redirect URI.
		withPKCE := req
		withPKCE.PKCE = true
		switch again := Preflight(ctx, client, withPKCE); {
		case again.OK():
			f := PKCERequired(*req.Client, req.ClientID, res.Text, "at the authorize endpoint, before anyone logs in")
			res.Outcome, res.Finding = OutcomeRefused, &f
		case again.Outcome == OutcomeRefusedPage:
			// Refused with the challenge too: not for want of PKCE (the app's request would be
			// refused the same way once PKCE is allowed or sent).
			res.Outcome, res.Finding = again.Outcome, again.Finding
		}
	}
	return res
}

// sendsChallenge says whether the pre-flight's request carries a PKCE challenge: where the
// platform takes one, and for an app's client only when the app sends one.
func sendsChallenge(req AuthorizeRequest) bool {
	larkV1 := req.Type == config.TypeLark && isLarkV1(req.TokenURL)
	return req.Type != config.TypeDingTalk && !larkV1 && (req.Client == nil || req.PKCE)
}

func authorizeURL(req AuthorizeRequest) (string, error) {
	u, err := url.Parse(req.AuthorizeURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("not an absolute URL")
	}
	q := u.Query()
	if req.Plain != nil {
		// The app's own request (server/handles/ssologin.go SSOLoginRedirect, AList v3.63.0 lines
		// 75-112, OpenList v4.2.5 lines 74-111): url.Values.Add in its order, so that a parameter
		// added twice is sent twice.
		q.Add("response_type", "code")
		q.Add("redirect_uri", req.RedirectURI)
		q.Add("client_id", req.ClientID)
		if len(req.Scopes) > 0 {
			q.Add("scope", strings.Join(req.Scopes, " "))
		}
		for _, kv := range req.Plain.AuthorizeParams {
			q.Add(kv[0], kv[1])
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	q.Set("response_type", "code")
	q.Set("client_id", req.ClientID)
	q.Set("redirect_uri", req.RedirectURI)
	if len(req.Scopes) > 0 {
		q.Set("scope", strings.Join(req.Scopes, " "))
	}
	q.Set("state", randomString())
	// The parameters each kind's login sends (pkg/login): a nonce for OpenID Connect, PKCE where
	// the platform takes it (fakes and real platforms may refuse parameters they do not know).
	larkV1 := req.Type == config.TypeLark && isLarkV1(req.TokenURL)
	if pr, ok := provider.Lookup(req.Type); ok && pr.OIDC && (req.Client == nil || req.Client.Nonce) {
		q.Set("nonce", randomString())
	}
	if sendsChallenge(req) {
		q.Set("code_challenge", s256(randomString()))
		q.Set("code_challenge_method", "S256")
	}
	switch {
	case larkV1:
		q.Set("app_id", req.ClientID)
	case req.Type == config.TypeDingTalk:
		q.Set("prompt", "consent")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// isLarkV1 reports whether a token URL is one of Lark's legacy v1 user token endpoints, whose flow
// names the client app_id and sends no PKCE.
func isLarkV1(tokenURL string) bool {
	u, err := url.Parse(tokenURL)
	if err != nil {
		return false
	}
	p := strings.TrimSuffix(u.Path, "/")
	return strings.HasSuffix(p, "/authen/v1/oidc/access_token") || strings.HasSuffix(p, "/authen/v1/access_token")
}

// Words providers use on their error pages, lower case. Redirect patterns are tested first: pages
// about a redirect URI often mention "the client's registered redirect_uris" too.
var (
	redirectWords = []string{"invalid_redirect_uri", "redirect_uri_mismatch", "redirect uri", "redirect_uri", "redirection uri",
		"aadsts50011", "aadsts500113", "reply url", "callback url"}
	clientWords = []string{"invalid_client", "unknown client", "client not found", "client id error", "client_id",
		"client identifier", "aadsts700016", "application with identifier", "oauth client was not found", "unauthorized_client", "invalid client"}
	// strongWords may be matched on a 200 page too: a login page may carry redirect_uri and
	// client_id in its form's action URL, but not these.
	strongWords = []string{"invalid_redirect_uri", "redirect_uri_mismatch", "aadsts50011", "aadsts700016", "invalid_client"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// sameEndpoint says whether u is the redirect URI (ignoring the query the provider appends).
func sameEndpoint(u *url.URL, redirect string) bool {
	r, err := url.Parse(redirect)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Scheme, r.Scheme) && strings.EqualFold(u.Host, r.Host) && u.Path == r.Path
}

func classifyAuthorize(res *PreflightResult, req AuthorizeRequest, a answer) {
	where := fmt.Sprintf("redirect URI %s for client %s", req.RedirectURI, req.ClientID)
	if code, pe, ok := portalError(req, a); ok {
		res.setFromPortal(req, code, pe, where)
		return
	}
	switch {
	case a.status >= 300 && a.status < 400 && a.location != nil:
		res.Location = a.location.String()
		q := a.location.Query()
		code := q.Get("error")
		if code == "" {
			// An error in the fragment (response_mode=fragment) reads the same.
			if fq, err := url.ParseQuery(a.location.Fragment); err == nil {
				code = fq.Get("error")
				q = fq
			}
		}
		text := strings.TrimSpace(code + ": " + q.Get("error_description"))
		switch {
		case code == "" && sameEndpoint(a.location, req.RedirectURI):
			res.Outcome = OutcomeCode
		case code == "":
			res.Outcome = OutcomeLoginPage
		case sameEndpoint(a.location, req.RedirectURI) && req.Client != nil && !req.PKCE && code == "invalid_request" && IsPKCERefusal(text):
			res.Outcome, res.Text = OutcomeRefused, text
			f := PKCERequired(*req.Client, req.ClientID, text, "at the authorize endpoint, before anyone logs in")
			res.Finding = &f
		case sameEndpoint(a.location, req.RedirectURI):
			res.Outcome, res.Text = OutcomeRefused, text
			field := "client_id"
			if code == "invalid_scope" {
				field = "scopes"
			}
			hint := authorizeErrorHint(code)
			if h := plainRequestHint(req, code); h != "" {
				hint = h
			}
			f := newFinding(CodeAuthorizeRefused, field,
				fmt.Sprintf("the provider accepts %s but refuses the authorize request: %s", where, text), hint)
			res.Finding = &f
		default:
			res.Text = text
			res.setFromWords(req, strings.ToLower(text), where)
		}
	case a.status >= 200 && a.status < 300:
		// The words are searched in the whole page and only quoted cut: a product's words may
		// come after a long header (Kanidm's page starts with the domain's display name).
		text := fullPageText(a)
		if req.FlavorErrorPage != "" && strings.Contains(text, req.FlavorErrorPage) {
			res.setFlavorErrorPage(req, where)
			return
		}
		low := strings.ToLower(text)
		if containsAny(low, strongWords) {
			res.Text = truncate(text, pageTextDisplay)
			res.setFromWords(req, low, where)
			return
		}
		res.Outcome = OutcomeLoginPage
	case a.status == http.StatusNotFound || a.status >= 500:
		res.Outcome, res.Text = OutcomeNoAnswer, pageText(a)
		f := newFinding(CodeEndpointStatus, "authorize_url",
			fmt.Sprintf("the authorize endpoint %s answered %s%s", req.AuthorizeURL, a.statusText, textSuffix(res.Text)), statusHint(a.status, "authorize"))
		res.Finding = &f
	default:
		text := fullPageText(a)
		res.Text = truncate(text, pageTextDisplay)
		res.setFromWords(req, strings.ToLower(text), where)
	}
}

// setFlavorErrorPage reads the flavour's own error page (FlavorErrorPage), which the product shows
// for every authorize request it refuses and which does not say why (the product writes the reason
// to its log). For a request with a PKCE challenge the refusal is certain and, before anyone logs
// in, has two causes (Kanidm's check_oauth2_authorisation tests the client, then the redirect URI,
// then PKCE; kanidm/kanidm server/lib/src/idm/oauth2.rs at f72676f, v1.11.1 and v1.7.4): DOC068,
// with the provider's way to register the redirect URI. Without a challenge it may also be for
// want of PKCE: DOC012 until Preflight has asked again with one.
func (res *PreflightResult) setFlavorErrorPage(req AuthorizeRequest, where string) {
	res.Outcome, res.Text = OutcomeErrorPage, req.FlavorErrorPage
	said := textSuffix(res.Text)
	if !sendsChallenge(req) {
		f := newFinding(CodeAuthorizeRefused, "redirect_url",
			fmt.Sprintf("the provider answered the authorize request for %s with its own error page instead of a login page%s", where, said),
			"the page does not say why (the provider writes the reason to its log): the usual causes are a redirect URI that is not registered exactly, an unknown client ID and a missing PKCE challenge")
		res.Finding = &f
		return
	}
	res.Outcome = OutcomeRefusedPage
	general := "register the URI exactly, with scheme, host, port, path and query, in the client's redirect URIs at the provider"
	f := newFinding(CodeAuthorizeUnexplained, "redirect_url",
		fmt.Sprintf("the provider refuses the authorize request for %s on its own error page, with a PKCE challenge too%s: either the redirect URI is not registered for the client or the provider knows no client %s, and every login fails", where, said, req.ClientID),
		general+"; if it is registered, the client ID is wrong: copy it from the provider's list of OAuth2 clients (the provider's log names the cause)")
	f = f.providerSide(provider.FixRedirectURI, general)
	f.Fix = req.RedirectURI
	res.Finding = &f
}

// setFromWords names the cause from the provider's words: the redirect URI, the client, or neither.
func (res *PreflightResult) setFromWords(req AuthorizeRequest, low, where string) {
	said := textSuffix(res.Text)
	switch {
	case containsAny(low, redirectWords):
		res.setNotRegistered(req, where, said)
	case containsAny(low, clientWords):
		res.setUnknownClient(req, said)
	default:
		res.Outcome = OutcomeErrorPage
		f := newFinding(CodeAuthorizeRefused, "redirect_url",
			fmt.Sprintf("the provider answered the authorize request for %s with an error page instead of a login page%s", where, said),
			"the usual causes are a redirect URI that is not registered exactly and an unknown client ID; open the authorize endpoint in a browser to read the whole page")
		res.Finding = &f
	}
}

// setNotRegistered is DOC010: the provider does not accept the redirect URI for the client.
func (res *PreflightResult) setNotRegistered(req AuthorizeRequest, where, said string) {
	res.Outcome = OutcomeNotRegistd
	f := newFinding(CodeRedirectUnregistered, "redirect_url",
		fmt.Sprintf("the provider does not accept %s%s", where, said),
		"register the URI exactly, with scheme, host, port, path and query, in the client's redirect URIs at the provider (authentik matches them as regular expressions: escape ? as \\?)")
	f = f.providerSide(provider.FixRedirectURI, "in the client's redirect URIs at the provider (authentik matches them as regular expressions: escape ? as \\?)")
	f.Fix = req.RedirectURI
	res.Finding = &f
}

// setUnknownClient is DOC011: the provider knows no client with the client ID.
func (res *PreflightResult) setUnknownClient(req AuthorizeRequest, said string) {
	res.Outcome = OutcomeUnknown
	f := newFinding(CodeUnknownClient, "client_id",
		fmt.Sprintf("the provider does not know client %s%s", req.ClientID, said),
		"copy the client ID from the application's page at the provider; check that it is in this realm, tenant or organization and enabled")
	f = f.providerSide(provider.FixClientSecret, "")
	res.Finding = &f
}

// portalError reads a product's own error code from an answer that is not a redirect: a JSON
// document {"result":0,"error":N} (LemonLDAP::NG's portal, N a number or a string of digits) whose
// code the flavour knows (req.PortalErrors).
func portalError(req AuthorizeRequest, a answer) (string, provider.PortalError, bool) {
	if len(req.PortalErrors) == 0 || a.location != nil || a.contentType != "application/json" {
		return "", provider.PortalError{}, false
	}
	var doc struct {
		Result *json.RawMessage `json:"result"`
		Error  json.RawMessage  `json:"error"`
	}
	if json.Unmarshal(a.body, &doc) != nil || doc.Result == nil {
		return "", provider.PortalError{}, false
	}
	code := strings.Trim(string(doc.Error), `"`)
	pe, ok := req.PortalErrors[code]
	return code, pe, ok
}

// setFromPortal names the cause from the product's own error code: its login form (the request is
// checked only after a login, so the pre-flight proves nothing more), the redirect URI, the
// client, or another refusal with the product's hint.
func (res *PreflightResult) setFromPortal(req AuthorizeRequest, code string, pe provider.PortalError, where string) {
	res.Text = fmt.Sprintf("%s %s: %s", code, pe.Name, pe.Text)
	said := textSuffix(res.Text)
	switch pe.Means {
	case provider.PortalLoginForm:
		res.Outcome = OutcomeLoginPage
	case provider.PortalRedirectURI:
		res.setNotRegistered(req, where, said)
	case provider.PortalUnknownClient:
		res.setUnknownClient(req, said)
	default:
		res.Outcome = OutcomeErrorPage
		f := newFinding(CodeAuthorizeRefused, "client_id",
			fmt.Sprintf("the provider refuses the authorize request for %s%s", where, said), pe.Hint)
		res.Finding = &f
	}
}

func textSuffix(text string) string {
	if text == "" {
		return ""
	}
	return fmt.Sprintf(" (it says %q)", text)
}

// plainRequestHint is the hint for a refusal of the request itself (its parameters, scope or
// response type) when that request is an app's own plain login (req.Plain): the app has no
// setting that changes it, so only the provider can. "" for other refusals.
func plainRequestHint(req AuthorizeRequest, code string) string {
	if req.Plain == nil || req.Client == nil {
		return ""
	}
	switch code {
	case "invalid_request", "invalid_scope", "unsupported_response_type":
		return fmt.Sprintf("%s (%s) builds this request itself, and no setting changes it (its scope %s and its parameters are fixed): the provider must accept it from client %s",
			req.Client.App, req.Client.Platform, strings.Join(req.Scopes, " "), req.ClientID)
	}
	return ""
}

func authorizeErrorHint(code string) string {
	switch code {
	case "invalid_scope":
		return "remove the scopes the provider does not allow for this client, or allow them at the provider"
	case "unauthorized_client":
		return "allow the authorization code grant for the client at the provider"
	case "unsupported_response_type":
		return "enable the authorization code flow (response type code) for the client at the provider"
	case "invalid_request":
		return "the provider wants other request parameters; when it mentions PKCE, its PKCE settings differ from S256"
	case "access_denied", "login_required", "consent_required", "interaction_required":
		return "the provider refused without asking the user (a policy or an access rule for this application); check who may use the application"
	}
	return "the login would end with this error; see the provider's documentation for the error code"
}

func statusHint(status int, what string) string {
	if status == http.StatusNotFound {
		return fmt.Sprintf("the %s URL is wrong; check it against the provider's discovery document or documentation", what)
	}
	return "the provider (or the proxy in front of it) has a problem; check its logs and health"
}
