package login

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// oidcFlow is an OpenID Connect login (types oidc, google, microsoft, casdoor): discovery, JWKS, a
// nonce, and an ID token verified check by check; userinfo's sub must equal the ID token's.
type oidcFlow struct {
	ep     Endpoints
	scopes []string
	md     metadata
	// template is set for Entra's multi-tenant authorities (microsoft.go).
	template                       string
	authURL, tokenURL, userinfoURL string
	keys                           *keySet
	authStyle                      oauth2.AuthStyle
	// authMethod is the client authentication the rehearsed client uses (app.AuthAutoDetect or a
	// method); pkce and nonce say whether it sends them.
	authMethod  string
	pkce, nonce bool
	conf        *oauth2.Config
}

var _ flow = (*oidcFlow)(nil)

// metadata is the part of the discovery document a login uses.
type metadata struct {
	Issuer                    string   `json:"issuer"`
	AuthorizationEndpoint     string   `json:"authorization_endpoint"`
	TokenEndpoint             string   `json:"token_endpoint"`
	UserinfoEndpoint          string   `json:"userinfo_endpoint"`
	JWKSURI                   string   `json:"jwks_uri"`
	IDTokenSigningAlgs        []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethods  []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethods      []string `json:"code_challenge_methods_supported"`
	AuthorizationResponseIss  bool     `json:"authorization_response_iss_parameter_supported"`
	ScopesSupported           []string `json:"scopes_supported"`
	ResponseTypesSupported    []string `json:"response_types_supported"`
	GrantTypesSupported       []string `json:"grant_types_supported"`
	SubjectTypesSupported     []string `json:"subject_types_supported"`
	ClaimsSupported           []string `json:"claims_supported"`
	EndSessionEndpoint        string   `json:"end_session_endpoint"`
	RevocationEndpoint        string   `json:"revocation_endpoint"`
	IntrospectionEndpoint     string   `json:"introspection_endpoint"`
	RequestParameterSupported bool     `json:"request_parameter_supported"`
}

func (f *oidcFlow) prepare(ctx context.Context, r *run) error {
	in := r.in
	ep := f.ep
	if ep.Issuer == "" {
		return &Error{Step: "discovery", Message: fmt.Sprintf("provider %q of type %s has no issuer", in.Provider.Name, in.Provider.Type),
			HintText: "set issuer to the provider's issuer URL (its discovery document is at ISSUER/.well-known/openid-configuration)"}
	}
	f.scopes = r.profile.ScopesFor(ep.Scopes)
	if !slices.Contains(f.scopes, oidc.ScopeOpenID) {
		f.scopes = append([]string{oidc.ScopeOpenID}, f.scopes...)
		r.warn(fmt.Sprintf("the provider's scopes %v lack \"openid\", without which there is no ID token; added it for this test (add it to scopes in the config too)", ep.Scopes))
	}
	r.rep.RequestedScopes = f.scopes
	ctx = oidc.ClientContext(ctx, r.client)

	// Discovery. The issuer is compared here, with a hint, rather than inside go-oidc.
	done := r.begin("discovery")
	dctx := oidc.InsecureIssuerURLContext(ctx, ep.Issuer)
	op, err := oidc.NewProvider(dctx, ep.Issuer)
	if err != nil {
		return discoveryError(ep.Issuer, err)
	}
	md := &f.md
	if err := op.Claims(md); err != nil {
		return &Error{Step: "discovery", Message: "the discovery document cannot be decoded: " + err.Error(), Err: err}
	}
	switch {
	case md.Issuer == ep.Issuer:
	case in.Provider.Type == config.TypeMicrosoft && isMicrosoftTemplate(ep.Issuer, md.Issuer):
		f.template = md.Issuer
	default:
		return checkError("discovery", "issuer", ep.Issuer, md.Issuer,
			fmt.Sprintf("discovery issuer check failed: the configured issuer is %q, the discovery document says %q", ep.Issuer, md.Issuer),
			issuerHint(ep.Issuer, md.Issuer))
	}
	r.rep.Issuer = ep.Issuer
	f.authURL, f.tokenURL, f.userinfoURL = first(ep.AuthorizeURL, md.AuthorizationEndpoint), first(ep.TokenURL, md.TokenEndpoint), first(ep.UserinfoURL, md.UserinfoEndpoint)
	if r.profile.EndpointsFromDiscovery && (f.authURL != md.AuthorizationEndpoint || f.tokenURL != md.TokenEndpoint) && md.AuthorizationEndpoint != "" && md.TokenEndpoint != "" {
		// The app reads no endpoint setting: rehearse the discovered endpoints it uses.
		r.warn(fmt.Sprintf("%s takes its endpoints from the discovery document and reads no authorize_url or token_url: the rehearsal sends users to %s and redeems at %s, as it does", r.profile.App+" ("+r.profile.Platform+")", md.AuthorizationEndpoint, md.TokenEndpoint))
		f.authURL, f.tokenURL = md.AuthorizationEndpoint, md.TokenEndpoint
	}
	if f.authURL == "" || f.tokenURL == "" || md.JWKSURI == "" {
		return &Error{Step: "discovery", Message: fmt.Sprintf("the discovery document of %s lacks authorization_endpoint, token_endpoint or jwks_uri", ep.Issuer),
			HintText: "the provider is not a complete OpenID provider; set authorize_url and token_url in the config"}
	}
	detail := "issuer " + md.Issuer
	if f.template != "" {
		detail += " (tenant template: iss is checked against the token's tid)"
	}
	done(detail)

	// JWKS, fetched up front so the report shows the keys and signature failures can name them.
	done = r.begin("jwks")
	f.keys = &keySet{url: md.JWKSURI, secret: in.ClientSecret}
	if err := f.keys.fetch(ctx, r.client); err != nil {
		return &Error{Step: "jwks", Message: fmt.Sprintf("cannot fetch the issuer's signing keys: %v", err), HintText: netHint(err), Err: err}
	}
	done(f.keys.describe())

	f.pkce = r.profile.SendsPKCE(in.Provider.PKCE, md.CodeChallengeMethods)
	f.nonce = r.profile.Nonce
	if f.pkce && len(md.CodeChallengeMethods) > 0 && !slices.Contains(md.CodeChallengeMethods, "S256") {
		r.warn(fmt.Sprintf("the provider lists code_challenge_methods_supported %v without S256; sending S256 anyway", md.CodeChallengeMethods))
	}
	f.authMethod = r.profile.AuthMethod(in.Provider.TokenEndpointAuthMethod, in.ClientSecret != "", md.TokenEndpointAuthMethods)
	f.authStyle, r.rep.ClientAuth = authStyleOf(f.authMethod), f.authMethod
	r.rep.Client.PKCE, r.rep.Client.Nonce = f.pkce, f.nonce
	if !f.pkce {
		r.notApplicable(r.profile.App+" sends no PKCE, so the rehearsal sends none either", "pkce")
	}
	if !f.nonce {
		r.notApplicable(r.profile.App+" sends no nonce, so the rehearsal sends none and the ID token's nonce is not compared", "nonce")
	}
	return nil
}

// authStyleOf is the x/oauth2 style of a client authentication method (app.Auth constants).
func authStyleOf(method string) oauth2.AuthStyle {
	switch method {
	case app.AuthBasic:
		return oauth2.AuthStyleInHeader
	case app.AuthAutoDetect:
		return oauth2.AuthStyleAutoDetect
	}
	return oauth2.AuthStyleInParams
}

func (f *oidcFlow) authorizeURL(r *run, a authRequest) (string, error) {
	f.conf = oauth2Config(r.in, f.authURL, f.tokenURL, f.authStyle, a.redirect, f.scopes)
	if f.authMethod == app.AuthNone {
		f.conf.ClientSecret = ""
	}
	var opts []oauth2.AuthCodeOption
	if f.pkce {
		opts = append(opts, oauth2.S256ChallengeOption(a.verifier))
	}
	if f.nonce {
		opts = append(opts, oidc.Nonce(a.nonce))
	}
	if m := r.profile.ResponseMode; m != "" {
		opts = append(opts, oauth2.SetAuthURLParam("response_mode", m))
	}
	opts = append(opts, promptOptions(r.in, "login_hint")...)
	return f.conf.AuthCodeURL(a.state, opts...), nil
}

// checkCallback checks the RFC 9207 iss parameter, which names the issuer that answered (the
// mix-up defence), before the code goes anywhere.
func (f *oidcFlow) checkCallback(r *run, cb *loopback.Callback) error {
	done := r.begin("iss parameter")
	switch {
	case cb.Iss != "" && f.template == "" && cb.Iss != f.md.Issuer:
		return checkError("callback", "iss parameter", f.md.Issuer, cb.Iss,
			fmt.Sprintf("callback issuer check (RFC 9207) failed: expected %q, got %q", f.md.Issuer, cb.Iss),
			"the authorization response came from another issuer than the one configured (an IdP mix-up); the code was not redeemed")
	case cb.Iss == "" && f.md.AuthorizationResponseIss:
		return checkError("callback", "iss parameter", f.md.Issuer, "",
			"callback issuer check (RFC 9207) failed: the provider announces authorization_response_iss_parameter_supported but the callback has no iss parameter",
			"the callback did not come from this provider, or a proxy strips parameters; the code was not redeemed")
	case cb.Iss != "" && f.template != "":
		// Entra's multi-tenant issuer is a template; the ID token's iss is checked against its tid.
		done("sent; checked with the ID token's tenant")
	case cb.Iss != "":
		done("matches the issuer")
	default:
		done("not sent by the provider (RFC 9207 is optional)")
	}
	return nil
}

func (f *oidcFlow) redeem(ctx context.Context, r *run, cb *loopback.Callback, a authRequest) (*Identity, error) {
	in := r.in
	ctx = oidc.ClientContext(ctx, r.client)
	done := r.begin("code exchange")
	var opts []oauth2.AuthCodeOption
	if f.pkce {
		opts = append(opts, oauth2.VerifierOption(a.verifier))
	}
	rec := &authRecorder{base: r.client.Transport}
	tc := *r.client
	tc.Transport = rec
	tok, err := f.conf.Exchange(oidc.ClientContext(ctx, &tc), cb.Code, opts...)
	f.recordAuth(r, rec)
	if err != nil {
		e := exchangeError(err, in.ClientSecret, r.rep.ClientAuth, f.md.TokenEndpointAuthMethods)
		if f.authMethod == app.AuthAutoDetect && len(rec.used()) == 2 {
			e.Message += " (x/oauth2's auto-detection tried HTTP Basic first: " + first(rec.firstAnswer(), "refused") + ")"
		}
		return nil, e
	}
	scope, _ := tok.Extra("scope").(string)
	r.recordGrant(tok.TokenType, tok.ExpiresIn, tok.RefreshToken != "", scope)
	done(r.grantDetail(""))

	rawID, _ := tok.Extra("id_token").(string)
	r.keepTokens(tok.AccessToken, rawID, tok.RefreshToken)
	if rawID == "" {
		return nil, &Error{Step: "id token", Check: "present", Message: "the token response has no id_token",
			HintText: "the provider did not treat this as an OpenID Connect login: request the openid scope and check that the client is an OIDC client"}
	}

	// ID token.
	done = r.begin("id token")
	v := &idTokenVerifier{
		issuer: f.md.Issuer, issuerTemplate: f.template, clientID: in.Provider.ClientID, nonce: f.sentNonce(a),
		now: in.Now, skew: in.ClockSkew, discoveredAlgs: f.md.IDTokenSigningAlgs, keys: f.keys,
	}
	vt, err := v.verify(ctx, rawID, tok.AccessToken)
	if vt != nil && vt.header.Alg != "" {
		r.rep.IDToken = &IDTokenReport{Header: vt.header, Claims: vt.claims, Checks: vt.checks}
	}
	if err != nil {
		if r.rep.IDToken != nil {
			// Claims of a token that failed verification are not evidence of anything.
			r.rep.IDToken.Claims = nil
		}
		return nil, err
	}
	if err := r.appSigningCheck(vt.header.Alg, f.md.IDTokenSigningAlgs); err != nil {
		return nil, err
	}
	kid := ""
	if vt.header.Kid != "" {
		kid = " kid " + vt.header.Kid
	}
	done(fmt.Sprintf("%s%s; checks passed: %s", vt.header.Alg, kid, strings.Join(vt.checks, ", ")))
	r.appClockCheck(vt.claims)

	// Userinfo.
	r.rep.Client.AppCallsUserinfo = r.profile.CallsUserinfo(vt.claims)
	var userinfo map[string]any
	if f.userinfoURL != "" {
		done = r.begin("userinfo")
		userinfo, err = fetchUserinfo(ctx, r.client, f.userinfoURL, tok.AccessToken, f.keys)
		if err != nil {
			return nil, err
		}
		sub, _ := userinfo["sub"].(string)
		if sub != vt.sub {
			return nil, checkError("userinfo", "sub", vt.sub, sub,
				fmt.Sprintf("userinfo subject check failed: expected sub %q (from the ID token), got %q", vt.sub, sub),
				"the userinfo document describes another user than the ID token: the provider or a proxy mixes up sessions or tokens; do not trust either")
		}
		r.rep.Userinfo = userinfo
		done(fmt.Sprintf("%d claims; sub matches the ID token", len(userinfo)))
	} else {
		r.warn("the provider has no userinfo endpoint; the ID token's claims are all there is")
	}
	return &Identity{Provider: in.Provider, Claims: vt.claims, Userinfo: userinfo}, nil
}

// appSigningCheck fails the rehearsal where the app's verifier takes a fixed list of signature
// algorithms without this token's: ssoctl verified the token (an HMAC with the client secret, say),
// but the app refuses every such login, and a green rehearsal must mean the app logs in. discovered
// is the discovery document's id_token_signing_alg_values_supported, which some verifiers take.
func (r *run) appSigningCheck(alg string, discovered []string) error {
	c := r.profile
	algs := c.AcceptedAlgs(discovered)
	if c.Strict || !c.VerifiesSignature || len(algs) == 0 || slices.Contains(algs, alg) {
		return nil
	}
	verifier := first(c.Verifier, c.App)
	answer := ""
	if c.AlgRefusal != "" {
		answer = ", answering: " + fmt.Sprintf(c.AlgRefusal, algs, alg)
	}
	return checkError("id token", "app signing algorithm", strings.Join(algs, " "), alg,
		fmt.Sprintf("the ID token is signed with %s, which %s does not accept (%s): ssoctl verified it, but %s refuses this login%s", alg, verifier, first(c.AlgsWhy, "it takes "+strings.Join(algs, ", ")), c.App, answer),
		"make the provider sign this client's ID tokens with one of "+strings.Join(algs, ", ")+" (authentik: select a signing key; Keycloak: the client's ID token signature algorithm); --client strict rehearses ssoctl's own client, which accepts it")
}

// appClockCheck warns when the rehearsed app allows less clock skew on iat than ssoctl did and this
// token's iat is beyond it: the login passed here and the app would refuse the token
// (PhotoPrism's zitadel/oidc allows iat 5 s ahead, ssoctl DefaultClockSkew).
func (r *run) appClockCheck(claims map[string]any) {
	skew := r.profile.ClockSkew
	if skew <= 0 || skew >= r.in.ClockSkew || !r.profile.VerifiesSignature {
		return
	}
	n, ok := claims["iat"].(json.Number)
	if !ok {
		return
	}
	iat, err := n.Int64()
	if err != nil {
		return
	}
	if ahead := time.Unix(iat, 0).Sub(r.in.Now()); ahead > skew {
		r.warn(fmt.Sprintf("the ID token was issued %s in the future of this machine's clock: ssoctl allows %s, but %s allows %s and would refuse it; check both clocks (NTP)",
			ahead.Round(time.Second), r.in.ClockSkew, r.profile.App, skew))
	}
}

// sentNonce is the nonce the authorize request carried, "" when none was sent.
func (f *oidcFlow) sentNonce(a authRequest) string {
	if f.nonce {
		return a.nonce
	}
	return ""
}

// recordAuth puts the client authentication the token requests used into the report: the methods
// in order, and for x/oauth2's auto-detection which one worked.
func (f *oidcFlow) recordAuth(r *run, rec *authRecorder) {
	used := rec.used()
	if f.authMethod == app.AuthNone {
		used = slices.Repeat([]string{app.AuthNone}, len(used))
	}
	r.rep.Client.AuthMethods = used
	if f.authMethod != app.AuthAutoDetect || len(used) == 0 {
		return
	}
	switch len(used) {
	case 1:
		r.rep.ClientAuth = "auto-detect: " + used[0]
	default:
		r.rep.ClientAuth = fmt.Sprintf("auto-detect: %s refused (%s), then %s", used[0], first(rec.firstAnswer(), "an error"), used[1])
	}
}
