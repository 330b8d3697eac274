package login

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// flow is what one provider kind does differently in a login. As in oauth2-proxy's providers, each
// kind lives in its own file behind this interface and newFlow is the one switch on the kind; what
// every login shares (the callback listener or paste, state, the browser, the report, the mapping)
// stays in run.
type flow interface {
	// prepare runs the steps before the authorize request (discovery and JWKS for OpenID Connect)
	// and fills the report's requested scopes and client authentication.
	prepare(ctx context.Context, r *run) error
	// authorizeURL is the authorize request of this login.
	authorizeURL(r *run, a authRequest) (string, error)
	// checkCallback checks a callback whose state matched, before its code is redeemed (RFC 9207
	// iss for OpenID Connect).
	checkCallback(r *run, cb *loopback.Callback) error
	// redeem exchanges the code and identifies the user: token, ID token, userinfo.
	redeem(ctx context.Context, r *run, cb *loopback.Callback, a authRequest) (*Identity, error)
}

// authErrorHinter is implemented by flows whose platform has error codes of its own at the
// authorization endpoint (GitHub's application_suspended, say).
type authErrorHinter interface {
	authErrorHint(code string) string
}

// authRequest is the per-login randomness and the redirect URI, fresh for every login.
type authRequest struct {
	state    string
	nonce    string
	verifier string
	redirect string
}

// newFlow is the one switch on the provider kind.
func newFlow(in Input) (flow, error) {
	ep, err := endpointsOf(in)
	if err != nil {
		return nil, err
	}
	if c := in.Client; c != nil && !c.Strict && c.Plain != nil {
		// The app runs a plain OAuth 2.0 login of its own on this platform (AList's Github,
		// Microsoft, Google, Dingtalk and Casdoor): rehearse that, not OpenID Connect or ssoctl's
		// own platform login.
		return &appPlatformFlow{ep: ep}, nil
	}
	switch in.Provider.Type {
	case config.TypeOIDC, config.TypeCasdoor, config.TypeGoogle, config.TypeMicrosoft:
		return &oidcFlow{ep: ep}, nil
	case config.TypeGitHub:
		return &githubFlow{ep: ep}, nil
	case config.TypeDingTalk:
		return &dingtalkFlow{ep: ep}, nil
	case config.TypeLark:
		return newLarkFlow(ep), nil
	case config.TypeOAuth2:
		return &oauth2Flow{ep: ep}, nil
	default:
		return nil, &Error{Step: "config", Message: fmt.Sprintf("unknown provider kind %q", in.Provider.Type),
			HintText: "type must be one of " + strings.Join(config.ProviderTypes, ", ")}
	}
}

// endpointsOf returns Input.Endpoints, or derives them from the provider when the caller gave none.
func endpointsOf(in Input) (Endpoints, error) {
	if in.Endpoints != nil {
		ep := *in.Endpoints
		ep.Scopes = slices.Clone(ep.Scopes)
		return ep, nil
	}
	return resolveEndpoints(in.Provider)
}

// notApplicable records checks that do not apply to this kind, with the reason, in the report.
func (r *run) notApplicable(reason string, checks ...string) {
	r.rep.NotApplicable = append(r.rep.NotApplicable, NotApplicable{Checks: checks, Reason: reason})
}

// noIDToken records, for a plain OAuth 2.0 kind, that none of the OpenID Connect checks apply, and
// says so once on stderr: an admin comparing with an OIDC login should not wonder where they went.
func (r *run) noIDToken(platform string) {
	r.notApplicable(platform+" publishes no discovery document and no signing keys", "discovery", "jwks")
	r.notApplicable(platform+" is plain OAuth 2.0 and issues no ID token, so nothing is signed and there is no nonce to compare: the identity rests on the access token, fetched over TLS from the token endpoint",
		"signature", "iss", "aud", "azp", "exp", "iat", "nonce", "at_hash")
	r.notApplicable("there is no ID token sub to compare the userinfo document with", "userinfo sub")
	r.warn(platform + " is plain OAuth 2.0: there is no ID token, so the ID token checks (signature, iss, aud, azp, exp, iat, nonce, at_hash) and the userinfo sub check do not apply")
}

// recordGrant puts what a token response says about the grant into the report. scope is the
// response's scope value, space- or (GitHub) comma-separated; "" means the requested scopes were
// granted (RFC 6749 §5.1).
func (r *run) recordGrant(tokenType string, expiresIn int64, refresh bool, scope string) {
	r.rep.TokenType = tokenType
	r.rep.ExpiresIn = expiresIn
	r.rep.RefreshToken = refresh
	if granted := splitScopes(scope); len(granted) > 0 {
		r.rep.GrantedScopes = granted
		r.rep.GrantedScopesListed = true
	} else {
		r.rep.GrantedScopes = slices.Clone(r.rep.RequestedScopes)
	}
}

// grantDetail is the code exchange step's detail.
func (r *run) grantDetail(extra string) string {
	refresh := "no refresh token"
	if r.rep.RefreshToken {
		refresh = "refresh token issued"
	}
	parts := []string{"client auth " + r.rep.ClientAuth}
	grant := fmt.Sprintf("expires_in %ds", r.rep.ExpiresIn)
	if r.rep.TokenType != "" {
		grant = "token_type " + r.rep.TokenType + ", " + grant
	}
	parts = append(parts, grant)
	if extra != "" {
		parts = append(parts, extra)
	}
	return strings.Join(parts, "; ") + "; " + refresh
}

// keepTokens puts the raw tokens into the report when --reveal asks for them, and remembers them
// so that no error message or warning ever shows them otherwise.
func (r *run) keepTokens(access, id, refresh string) {
	r.sensitive(access, id, refresh)
	if r.in.Reveal {
		r.rep.Tokens = &Tokens{AccessToken: access, IDToken: id, RefreshToken: refresh}
	}
}

func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == ',' })
}

// withQuery adds params to a URL's query, keeping parameters the configured URL already has.
func withQuery(base string, params url.Values) (string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "", &Error{Step: "authorize URL", Message: fmt.Sprintf("the authorize URL %q is not an absolute URL", base),
			HintText: "set authorize_url to the provider's authorization endpoint, such as https://example.com/oauth/authorize"}
	}
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// oauth2Config is the x/oauth2 client of a login with standard endpoints.
func oauth2Config(in Input, authURL, tokenURL string, style oauth2.AuthStyle, redirect string, scopes []string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     in.Provider.ClientID,
		ClientSecret: in.ClientSecret,
		Endpoint:     oauth2.Endpoint{AuthURL: authURL, TokenURL: tokenURL, AuthStyle: style},
		RedirectURL:  redirect,
		Scopes:       scopes,
	}
}

// pkceOptions are the PKCE parameters of the authorize request and of the code exchange for a
// plain OAuth 2.0 flow whose platform takes PKCE: none when the rehearsed client sends none (AList's
// platforms), and the report and its not-applicable list say so.
func (r *run) pkceOptions(a authRequest) (authorize, exchange []oauth2.AuthCodeOption) {
	if !r.profile.SendsPKCE(r.in.Provider.PKCE, nil) {
		return nil, nil
	}
	return []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(a.verifier)}, []oauth2.AuthCodeOption{oauth2.VerifierOption(a.verifier)}
}

// exchangeOpts are the code exchange's PKCE options (pkceOptions).
func exchangeOpts(r *run, a authRequest) []oauth2.AuthCodeOption {
	_, ex := r.pkceOptions(a)
	return ex
}

// plainScopes are the scopes a plain OAuth 2.0 flow requests: the rehearsed client's for the
// configured ones (AList's fixed GitHub scope, say), which the report records; it also records
// whether PKCE is sent.
func (r *run) plainScopes(configured []string) []string {
	scopes := r.profile.ScopesFor(configured)
	if scopes == nil {
		scopes = []string{}
	}
	r.rep.Client.PKCE = r.profile.SendsPKCE(r.in.Provider.PKCE, nil)
	if !r.rep.Client.PKCE {
		r.notApplicable(r.profile.App+" sends no PKCE, so the rehearsal sends none either", "pkce")
	}
	return scopes
}

// promptOptions are the optional authorize parameters the user asked for (--prompt, login hint).
func promptOptions(in Input, loginHintParam string) []oauth2.AuthCodeOption {
	var opts []oauth2.AuthCodeOption
	if in.Prompt != "" {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", in.Prompt))
	}
	if in.LoginHint != "" && loginHintParam != "" {
		opts = append(opts, oauth2.SetAuthURLParam(loginHintParam, in.LoginHint))
	}
	return opts
}
