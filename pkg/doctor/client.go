package doctor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// Client authentication methods at the token endpoint (RFC 7591 §2 names).
const (
	MethodBasic = "client_secret_basic"
	MethodPost  = "client_secret_post"
	MethodNone  = "none"
)

// ClientProbe is what ProbeClient sends.
type ClientProbe struct {
	// TokenURL is the provider's token endpoint.
	TokenURL string
	// Type is the provider type; DingTalk and Lark, whose token requests are their own dialects, are
	// not probed.
	Type         string
	ClientID     string
	ClientSecret string
	// RedirectURI goes into the request as a real one would; servers check the client first.
	RedirectURI string
	// Supported is the discovery document's token_endpoint_auth_methods_supported, nil when unknown.
	Supported []string
	// Methods, when set, are the methods the app's client sends, in order (pkg/app
	// Client.MethodsTried); they are tried first, then the other one. Nil means FirstMethod.
	Methods []string
	// Refused are methods a real login already sent and the token endpoint refused (invalid_client):
	// they count as tried with that answer and are not sent again.
	Refused []MethodResult
}

// MethodResult is the token endpoint's answer to one authentication method.
type MethodResult struct {
	Method string `json:"method"`
	Status int    `json:"status,omitempty"`
	// Error is the OAuth error code, Description its description.
	Error       string `json:"error,omitempty"`
	Description string `json:"description,omitempty"`
	// Accepted says the client was authenticated (the code was what the server refused).
	Accepted bool `json:"accepted"`
}

// ClientProbeResult is what ProbeClient learned.
type ClientProbeResult struct {
	// Skipped says why nothing was probed; "" when something was.
	Skipped string `json:"skipped,omitempty"`
	// Tried are the methods tried, in order.
	Tried []MethodResult `json:"tried,omitempty"`
	// Accepted is the method the token endpoint accepted; "" when none was.
	Accepted string `json:"accepted,omitempty"`
	// Finding is the problem, nil when the first method was accepted.
	Finding *Finding `json:"finding,omitempty"`
}

// FirstMethod is the client authentication ssoctl's login uses and most apps' OAuth libraries try
// first: none without a secret; the form body for GitHub, whose documentation shows it; else HTTP
// Basic when the provider lists it or lists nothing (RFC 6749's default), else the form body.
func FirstMethod(typ, secret string, supported []string) string {
	switch {
	case secret == "":
		return MethodNone
	case typ == config.TypeGitHub:
		return MethodPost
	case len(supported) == 0 || slices.Contains(supported, MethodBasic):
		return MethodBasic
	case slices.Contains(supported, MethodPost):
		return MethodPost
	}
	return MethodBasic
}

// ProbeClient tells, without a user, whether the token endpoint accepts the client's credentials: it
// posts an authorization code that cannot exist, with the client authentication a login uses
// (FirstMethod). invalid_grant means the client ID, the secret and the method were accepted and only
// the code was refused; invalid_client means they were not, and then the other method (Basic or the
// form body) is tried, to say which one works (DOC021) or that neither does (DOC020).
//
// This is reliable where the server authenticates the client before it looks at the code, as RFC
// 6749 §3.2.1 and §5.2 describe: node oidc-provider (tested against the real provider: a wrong secret
// gives invalid_client, the right one invalid_grant), and by their documented error codes Keycloak,
// authentik, Zitadel, Entra ID (AADSTS7000215 for a wrong secret), Google and GitHub (200 with
// incorrect_client_credentials or bad_verification_code); those are not tested here. It says
// nothing (DOC022) where a server checks the code first, answers invalid_request for any unknown
// code, or hides both behind one generic error, as some Casdoor versions do. For a public client
// (no secret) invalid_grant proves only that the client ID exists and may use no authentication.
// DingTalk and Lark speak dialects of their own at the token endpoint and are not probed.
func ProbeClient(ctx context.Context, client *http.Client, p ClientProbe) ClientProbeResult {
	var res ClientProbeResult
	switch p.Type {
	case config.TypeDingTalk, config.TypeLark:
		res.Skipped = p.Type + "'s token endpoint takes a request of its own, not an RFC 6749 one; test-login checks the credentials"
		return res
	}
	if p.TokenURL == "" {
		res.Skipped = "no token endpoint is known"
		return res
	}
	methods := []string{FirstMethod(p.Type, p.ClientSecret, p.Supported)}
	if len(p.Methods) > 0 {
		methods = slices.Clone(p.Methods)
	}
	if p.ClientSecret != "" && len(methods) == 1 {
		other := MethodPost
		if methods[0] == MethodPost {
			other = MethodBasic
		}
		methods = append(methods, other)
	}
	for i, m := range methods {
		if k := slices.IndexFunc(p.Refused, func(r MethodResult) bool { return r.Method == m }); k >= 0 {
			res.Tried = append(res.Tried, p.Refused[k])
			continue
		}
		mr, a, err := tryMethod(ctx, client, p, m)
		if err != nil {
			f := transportFinding(err, "token endpoint", p.TokenURL, "token_url")
			res.Finding = &f
			return res
		}
		res.Tried = append(res.Tried, mr)
		if mr.Accepted {
			res.Accepted = m
			if i > 0 {
				f := newFinding(CodeClientAuthMethod, "client_secret",
					fmt.Sprintf("the token endpoint rejects client %s with %s (%s) but accepts it with %s", p.ClientID, methods[0], errorText(res.Tried[0]), m),
					methodHint(methods[0], m))
				f.Expected, f.Actual = m, methods[0]
				f.ExpectedLabel, f.ActualLabel = "accepted", "rejected"
				f.Fix = m
				f = f.providerSide(provider.FixClientAuth, "")
				res.Finding = &f
			}
			return res
		}
		if !rejected(mr) {
			res.Finding = unclear(p, mr, a)
			return res
		}
	}
	// Every method was rejected.
	tried := make([]string, len(res.Tried))
	for i, t := range res.Tried {
		tried[i] = t.Method
	}
	var f Finding
	if p.ClientSecret == "" {
		f = newFinding(CodeClientRejected, "client_secret",
			fmt.Sprintf("the token endpoint rejects client %s without a secret (%s)", p.ClientID, errorText(res.Tried[0])),
			"the client is confidential at the provider: set client_secret (env:NAME) to its secret; or the client ID is not the provider's")
	} else {
		f = newFinding(CodeClientRejected, "client_secret",
			fmt.Sprintf("the token endpoint rejects client %s's credentials with %s (%s)", p.ClientID, strings.Join(tried, " and "), errorText(res.Tried[0])),
			"the client secret (or the client ID) is wrong: copy both again from the application's page at the provider; a public client has no secret to send")
	}
	f = f.providerSide(provider.FixClientSecret, "")
	res.Finding = &f
	return res
}

// tryMethod posts the invalid code with one authentication method.
func tryMethod(ctx context.Context, client *http.Client, p ClientProbe, method string) (MethodResult, answer, error) {
	mr := MethodResult{Method: method}
	form := url.Values{
		"grant_type": {"authorization_code"},
		// A code that cannot exist: random, and labelled so a provider's log says who sent it.
		"code":          {"ssoctl-probe-" + randomString()},
		"code_verifier": {randomString()},
	}
	if p.RedirectURI != "" {
		form.Set("redirect_uri", p.RedirectURI)
	}
	if method != MethodBasic {
		form.Set("client_id", p.ClientID)
	}
	if method == MethodPost {
		form.Set("client_secret", p.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return mr, answer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// GitHub answers form-encoded unless asked for JSON.
	req.Header.Set("Accept", "application/json")
	if method == MethodBasic {
		// RFC 6749 §2.3.1: both parts form-encoded before Basic.
		req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(p.ClientSecret))
	}
	resp, err := noRedirects(client).Do(req)
	if err != nil {
		return mr, answer{}, err
	}
	a := readAnswer(resp)
	mr.Status = a.status
	if e, ok := parseOAuthError(a); ok {
		mr.Error, mr.Description = e.Error, truncate(e.Description, 200)
	}
	switch mr.Error {
	case "invalid_grant", "bad_verification_code":
		mr.Accepted = true
	}
	return mr, a, nil
}

// rejected says the client authentication failed. unauthorized_client (a client that may not use
// the grant) is not counted: the client was known, so that is the unclear case.
func rejected(mr MethodResult) bool {
	switch mr.Error {
	case "invalid_client", "incorrect_client_credentials":
		return true
	case "":
		return mr.Status == http.StatusUnauthorized
	}
	return false
}

func unclear(p ClientProbe, mr MethodResult, a answer) *Finding {
	if mr.Error == "" && (mr.Status == http.StatusNotFound || mr.Status == http.StatusMethodNotAllowed || mr.Status >= 500) {
		f := newFinding(CodeEndpointStatus, "token_url",
			fmt.Sprintf("the token endpoint %s answered %s%s", p.TokenURL, a.statusText, textSuffix(pageText(a))), statusHint(mr.Status, "token"))
		return &f
	}
	what := errorText(mr)
	if mr.Error == "" {
		what = a.statusText + textSuffix(pageText(a))
	}
	f := newFinding(CodeClientProbeUnclear, "client_secret",
		fmt.Sprintf("the token endpoint answered a deliberately invalid code with %s, which says nothing about client %s's credentials", what, p.ClientID),
		"run ssoctl test-login to check the credentials with a real login")
	return &f
}

func errorText(mr MethodResult) string {
	if mr.Error == "" {
		return fmt.Sprintf("HTTP %d", mr.Status)
	}
	if mr.Description == "" {
		return mr.Error
	}
	return fmt.Sprintf("%s: %s", mr.Error, mr.Description)
}

func methodHint(rejected, accepted string) string {
	return fmt.Sprintf("set the client's token endpoint authentication method at the provider to %s, which ssoctl and most apps send first, or make the app send %s (InvenTree: token_auth_method %q)",
		rejected, accepted, accepted)
}
