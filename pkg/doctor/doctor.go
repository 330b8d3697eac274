// Package doctor names the causes of the SSO misconfigurations admins hit most, before and after a
// login, with the evidence and the exact value to paste.
//
// Two kinds of checks live here. Probes talk to the provider without a user and without logging
// anyone in: the redirect pre-flight (Preflight) requests the authorize endpoint with the app's exact
// redirect URI and does not follow the answer; the client probe (ProbeClient) posts a deliberately
// invalid code to the token endpoint to learn whether the client ID, secret and authentication
// method are accepted; Reach checks that an endpoint answers at all; Issuer tries the usual variants
// of an issuer URL that does not serve a discovery document. `ssoctl validate --online` runs them for
// every provider and `ssoctl test-login` runs the pre-flight before it opens a browser.
//
// Analyze reads a finished (or failed) test-login: requested against granted scopes, ID token
// claims against userinfo (and which one the app reads), unverified email, aud and azp, a groups
// claim that is not a list, the lockout guard for remove_unmapped and admin-by-group, clock skew on
// iat or exp failures, and, when every provider-side step passed, the app-side suspects.
//
// Every Finding has a stable code (Codes), a severity, a one-sentence message, the compared values
// where strings were compared, and Fix: the value to paste. Nothing here prints.
//
// # Codes
//
//	code    severity  what is wrong
//	DOC001  error     an endpoint cannot be reached (DNS, TCP, TLS, timeout)
//	DOC002  error     an endpoint answers 404 Not Found or a server error
//	DOC010  error     the redirect URI is not registered for the client
//	DOC011  error     the provider does not know the client ID
//	DOC012  warning   the authorize endpoint refused the request for another reason
//	DOC013  error     the provider requires PKCE and the app sends none
//	DOC020  error     the token endpoint rejects the client ID or secret
//	DOC021  error     the token endpoint rejects the authentication method, another one works
//	DOC022  warning   the token endpoint's answer to the client probe says nothing about the client
//	DOC023  error     the provider accepts the client only with an authentication method the app never uses
//	DOC024  error     a configured scope the app never requests
//	DOC030  error     no discovery document at the issuer, but at a variant of it
//	DOC031  note      the app needs the issuer in another form than the config's
//	DOC032  error     the configured, discovered and ID token issuers are not all equal
//	DOC040  warning   the clocks of this machine and the provider differ
//	DOC050  warning   a requested scope was not granted
//	DOC051  warning   groups is requested but the provider does not announce the scope (ORY Hydra: note)
//	DOC052  warning   a claim the app reads is only in the other document (ID token or userinfo)
//	DOC053  note      the ID token and userinfo carry different claims
//	DOC054  warning   email_verified is false
//	DOC055  note      the token has several audiences or an azp claim
//	DOC056  error     the groups claim is not a list
//	DOC057  warning   the ID token is signed with HMAC, which the app cannot verify
//	DOC058  error     the app accepts none of the provider's ID token signing algorithms
//	DOC059  error     a value the app reads is absent from the document it reads (AList, OpenList)
//	DOC060  warning   remove_unmapped would strip this user's groups: the groups claim is empty
//	DOC061  warning   no admin group mapping matched: an admin would lose admin
//	DOC062  warning   the groups claim is absent: every user gets only the default role
//	DOC065  error     the client secret is shorter than the HMAC the provider signs ID tokens with needs
//	DOC068  error     the provider refused the authorize request on its own page without saying why (unregistered redirect URI or unknown client)
//	DOC070  note      every provider-side step passed; the app-side suspects, or the provider-side finding that is the cause
package doctor

import (
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/finding"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// Severity says how bad a finding is; validate's findings use the same scale.
type Severity = finding.Severity

// Severities.
const (
	SeverityError   = finding.Error
	SeverityWarning = finding.Warning
	SeverityNote    = finding.Note
)

// Finding is one diagnosed problem (or, for DOC070, the all-clear). The JSON field names are stable.
type Finding struct {
	// Code is the stable code, e.g. "DOC010".
	Code string `json:"code"`
	// Severity is the code's severity.
	Severity Severity `json:"severity"`
	// Field is the config key the finding is about, relative to the provider ("issuer",
	// "redirect_url", "client_secret", "scopes", "groups.claim") or "app.url"; "" for none.
	Field string `json:"field,omitempty"`
	// Message is one sentence saying what is wrong.
	Message string `json:"message"`
	// Expected and Actual are the compared values, when strings were compared; a text report puts a
	// caret under their first difference.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	// ExpectedLabel and ActualLabel name the two values in a text report ("discovery", "token iss");
	// "expected" and "actual" when empty.
	ExpectedLabel string `json:"-"`
	ActualLabel   string `json:"-"`
	// Fix is the exact value to paste: a config line, a URL to register, an app setting.
	Fix string `json:"fix,omitempty"`
	// Hint says what to do, where Fix alone does not.
	Hint string `json:"hint,omitempty"`
	// FixKey names the change at the provider the finding asks for, "" when its fix is not on the
	// provider; ProviderFixes turns it into the provider's own words when the flavour is known.
	FixKey provider.FixKey `json:"-"`
	// ProviderSide is the part of Hint that names the provider-side change in general terms
	// (several products' settings); the flavour's own words replace it.
	ProviderSide string `json:"-"`
	// named says ProviderFixes has named the fix already (it runs once per finding).
	named bool
}

// Labels returns the evidence labels, defaulted.
func (f Finding) Labels() (expected, actual string) {
	return cmpOr(f.ExpectedLabel, "expected"), cmpOr(f.ActualLabel, "actual")
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Code describes one finding code; validate's codes use the same type.
type Code = finding.Code

// Finding codes. Blocks: 00x endpoints, 01x the authorize request, 02x client authentication, 03x the
// issuer, 04x the clock, 05x claims and scopes, 06x the lockout guard, 07x whose fault.
const (
	CodeUnreachable          = "DOC001"
	CodeEndpointStatus       = "DOC002"
	CodeRedirectUnregistered = "DOC010"
	CodeUnknownClient        = "DOC011"
	CodeAuthorizeRefused     = "DOC012"
	CodePKCERequired         = "DOC013"
	CodeClientRejected       = "DOC020"
	CodeClientAuthMethod     = "DOC021"
	CodeClientProbeUnclear   = "DOC022"
	CodeClientAuthForApp     = "DOC023"
	CodeScopeNotRequested    = "DOC024"
	CodeIssuerVariant        = "DOC030"
	CodeIssuerForApp         = "DOC031"
	CodeTokenIssuer          = "DOC032"
	CodeClockSkew            = "DOC040"
	CodeScopeNotGranted      = "DOC050"
	CodeGroupsScope          = "DOC051"
	CodeClaimMissingForApp   = "DOC052"
	CodeClaimsDiffer         = "DOC053"
	CodeEmailUnverified      = "DOC054"
	CodeAudience             = "DOC055"
	CodeGroupsNotList        = "DOC056"
	CodeHMACToken            = "DOC057"
	CodeSigningAlgForApp     = "DOC058"
	CodeAppClaimAbsent       = "DOC059"
	CodeLockoutRemove        = "DOC060"
	CodeLockoutAdmin         = "DOC061"
	CodeDefaultRoleOnly      = "DOC062"
	CodeShortHMACSecret      = "DOC065"
	CodeAuthorizeUnexplained = "DOC068"
	CodeProviderOK           = "DOC070"
)

var codes = []Code{
	finding.Define(CodeUnreachable, "endpoint-unreachable", "an endpoint cannot be reached", SeverityError,
		"A request to the authorize, token or userinfo endpoint failed before any answer: the host name does not resolve, nothing accepts the connection, TLS fails or the server does not answer in time. The app's server will fail the same way when it runs where this machine runs."),
	finding.Define(CodeEndpointStatus, "endpoint-status", "an endpoint answers 404 or a server error", SeverityError,
		"The endpoint answered 404 Not Found (the URL is wrong) or a 5xx server error (the provider or its proxy is broken)."),
	finding.Define(CodeRedirectUnregistered, "redirect-not-registered", "the redirect URI is not registered", SeverityError,
		"The authorize endpoint answered the app's exact redirect URI with an error page instead of a login page. Providers compare redirect URIs exactly (scheme, host, port, path and query), and never call back to one they do not know, so the login would end on that error page."),
	finding.Define(CodeUnknownClient, "unknown-client", "the provider does not know the client ID", SeverityError,
		"The authorize endpoint answered with an error page that names the client: the client ID is wrong, belongs to another realm, tenant or organization, or the application is disabled."),
	finding.Define(CodeAuthorizeRefused, "authorize-refused", "the authorize endpoint refused the request", SeverityWarning,
		"The authorize endpoint answered with an error for a reason other than the redirect URI or the client ID (an invalid scope, a grant type the client may not use), or with an error page that does not say why."),
	finding.Define(CodePKCERequired, "pkce-required", "the provider requires PKCE and the app sends none", SeverityError,
		"The provider refuses an authorization request without a code_challenge (oidc-provider and Kanidm by default, Keycloak and authentik when set), and the app's OAuth client sends none (AList and OpenList, InvenTree unless oauth_pkce_enabled): every login of the app fails. oidc-provider says so at the authorize endpoint, before any login; ORY Hydra only after the login and consent, in its error redirect to the app (\"Clients must include a code_challenge…\"). Make PKCE optional for this client at the provider, or turn it on in the app where it has a setting."),
	finding.Define(CodeClientRejected, "client-rejected", "the token endpoint rejects the client credentials", SeverityError,
		"A token request with a deliberately invalid code was answered invalid_client with every client authentication method tried: the client ID or the secret is wrong, or the client is public at the provider while a secret is configured (or the other way round)."),
	finding.Define(CodeClientAuthMethod, "client-auth-method", "another client authentication method works", SeverityError,
		"The token endpoint rejected the client authentication method ssoctl and most apps use first (HTTP Basic when the provider lists it) and accepted the other one (the form body), or the other way round. Set the client's authentication method at the provider, or the app's, to the one that works."),
	finding.Define(CodeClientProbeUnclear, "client-probe-unclear", "the client probe is inconclusive", SeverityWarning,
		"The token endpoint answered the probe's invalid code with neither invalid_grant nor invalid_client, so whether the client credentials are right is unknown; test-login settles it."),
	finding.Define(CodeClientAuthForApp, "client-auth-for-app", "the app never uses the method the provider requires", SeverityError,
		"The token endpoint accepts the client only with one authentication method (the one registered at the provider: ORY Hydra and Keycloak accept no other), and the app's OAuth client never sends it: LobeChat 1.x sends HTTP Basic only, LobeHub 2.x the form body only, while AList, OpenList and PhotoPrism auto-detect (Basic, then the body). Register the client at the provider for the method the app sends, or set the app's method where it has a setting (InvenTree: token_auth_method)."),
	finding.Define(CodeScopeNotRequested, "scope-not-requested", "a configured scope the app never requests", SeverityError,
		"The config lists a scope that the app's OAuth client never sends: its scopes are fixed in its code (LobeChat, AList's platforms other than OIDC). Claims that only that scope releases never reach the app, whatever the provider allows. Release those claims with a scope the app does request (a mapper on profile, say), or use an app setting that adds scopes where there is one."),
	finding.Define(CodeIssuerVariant, "issuer-variant", "the issuer serves no discovery document, a variant does", SeverityError,
		"Discovery failed at the configured issuer but works at a variant of it: with or without the trailing slash, with or without Keycloak's legacy /auth prefix, or without a pasted /.well-known/openid-configuration."),
	finding.Define(CodeIssuerForApp, "issuer-for-app", "the app needs the issuer in another form", SeverityNote,
		"Apps read the issuer differently: AList and LobeChat compare it byte for byte with the discovery document's issuer, while InvenTree (django-allauth) takes the discovery document's URL as server_url. The note names the exact value for the app's setting."),
	finding.Define(CodeTokenIssuer, "issuer-mismatch", "the configured, discovered and token issuers differ", SeverityError,
		"The issuer the app is configured with must equal the discovery document's issuer, and every ID token's iss must equal both, byte for byte. The finding shows the values that differ, with a caret under the first difference, and the one to write."),
	finding.Define(CodeClockSkew, "clock-skew", "the clocks of this machine and the provider differ", SeverityWarning,
		"ID tokens carry their issue and expiry times from the provider's clock; when this machine's (or the app server's) clock is off by more than the allowed skew, fresh tokens fail their iat or exp check. The finding states the offset in seconds and which side is ahead."),
	finding.Define(CodeScopeNotGranted, "scope-not-granted", "a requested scope was not granted", SeverityWarning,
		"The token response lists the granted scopes, and a requested one is missing: the client may not request it at the provider, or the user did not consent. Claims that scope carries will be missing."),
	finding.Define(CodeGroupsScope, "groups-scope-unsupported", "groups is requested but not announced", SeverityWarning,
		"The groups scope is requested, but the provider's scopes_supported does not list it, so the provider ignores it or rejects the request. Keycloak needs a client scope named groups with a Group Membership mapper; authentik sends groups with the profile scope. ORY Hydra grants scopes it does not announce, so there it is only a note naming webfinger.oidc_discovery.supported_scope."),
	finding.Define(CodeClaimMissingForApp, "claim-missing-for-app", "a claim the app reads is only in the other document", SeverityWarning,
		"Apps read claims from one place: AList's OpenID Connect login and LobeChat (Auth.js) read the ID token, InvenTree (django-allauth) and PhotoPrism read userinfo (PhotoPrism takes groups from both; LobeHub 2.x reads userinfo when the ID token has no email). A claim the app needs (username, email, groups) that only the other document carries is missing for the app."),
	finding.Define(CodeClaimsDiffer, "claims-differ", "the ID token and userinfo carry different claims", SeverityNote,
		"Providers put different claims into the ID token and the userinfo document (OpenID Connect puts profile claims into userinfo only); the note lists the difference."),
	finding.Define(CodeEmailUnverified, "email-unverified", "email_verified is false", SeverityWarning,
		"The provider says the user's email address is not verified. Apps that link accounts or derive usernames by email, or check allowed domains, may refuse the user or should."),
	finding.Define(CodeAudience, "audience", "several audiences or an azp claim", SeverityNote,
		"An ID token's aud lists the clients it is meant for; with several, azp names the one it was issued to, and apps check that both name their client ID."),
	finding.Define(CodeGroupsNotList, "groups-not-list", "the groups claim is not a list", SeverityError,
		"The groups claim is a single string, not a list: apps that map groups iterate over a list and either see no groups or one group per character. Make the provider's mapper multivalued."),
	finding.Define(CodeHMACToken, "hmac-id-token", "the ID token is signed with HMAC", SeverityWarning,
		"The ID token is signed with an HMAC keyed with the client secret. That is valid OpenID Connect, and ssoctl verifies it, but apps that verify with the provider's published keys only (AList's go-oidc, PhotoPrism) reject it. authentik: select a signing key in the provider's settings."),
	finding.Define(CodeSigningAlgForApp, "signing-alg-for-app", "the app does not accept the provider's signing algorithm", SeverityError,
		"The app's OpenID Connect client verifies ID tokens with a fixed list of signature algorithms (AList's go-oidc v2: RS256 only; PhotoPrism: RSA, ECDSA and EdDSA, no HMAC), and the provider's id_token_signing_alg_values_supported, or this login's ID token, has none of them: logins pass at the provider and fail at the app. authentik: select a signing key; Keycloak: the client's ID token signature algorithm."),
	finding.Define(CodeAppClaimAbsent, "app-claim-absent", "the app will not find the value it reads", SeverityError,
		"AList and OpenList read one value per login from one document: with OpenID Connect the ID token's key sso_oidc_username_key (read literally, as both SSO id and username), on the other platforms the id and username fields of the platform's user API. When this login lacks it, the app refuses the login with its own message (\"cannot get username from OIDC provider\", \"error occurred\"), although the provider did everything right by the protocol."),
	finding.Define(CodeLockoutRemove, "lockout-remove-unmapped", "remove_unmapped would strip this user's groups", SeverityWarning,
		"groups.remove_unmapped removes every app group the provider does not send, and this login's groups claim is empty, absent or a string instead of a list: logging in would strip the user of all mapped groups, an admin too."),
	finding.Define(CodeLockoutAdmin, "lockout-admin", "no admin group mapping matched", SeverityWarning,
		"The group map grants an admin group, but this login carries no groups (the claim is empty, absent or a string instead of a list): if this account administers the app, it would lose that role when groups sync on login."),
	finding.Define(CodeDefaultRoleOnly, "default-role-only", "every user gets only the default role", SeverityWarning,
		"The groups claim the group map reads is not in the login at all (not even empty), so no user's groups can map: everyone gets only the default role. The scope or the provider's mapper is missing. When the scope named after the claim was granted, the user may be in no group instead (providers omit an empty list): a login as a user in a group tells."),
	finding.Define(CodeShortHMACSecret, "hmac-secret-short", "the client secret is too short for the HMAC", SeverityError,
		"The provider signs ID tokens with an HMAC (HS256, HS384, HS512) keyed with the client secret, and the secret is shorter than the hash (32, 48, 64 bytes): RFC 7518 §3.2 forbids such a key, and ssoctl's verifier (go-jose) refuses it, so the token cannot be verified. Apps that verify ID tokens with published keys (AList's go-oidc, PhotoPrism) refuse any HMAC; InvenTree and LobeChat do not verify the signature. Give the client a secret of at least the hash's size at the provider and in the config, or make the provider sign with RS256. LemonLDAP::NG signs with HS512 by default, and authentik with HS256 when no signing key is selected."),
	finding.Define(CodeAuthorizeUnexplained, "authorize-refused-unexplained", "the provider refused the authorize request without saying why", SeverityError,
		"The authorize endpoint answered with the provider's own error page, which its flavour shows for every refused request and which does not say why (Kanidm: HTTP 200, \"Error Code: InvalidState\"; the reason goes to its log), and it did so for a request with a PKCE challenge too. Before anyone logs in, such a request is refused only for an unknown client ID or a redirect URI that is not registered exactly: one of the two is wrong, and every login of the app fails. Register the redirect URI for the client (Kanidm: kanidm system oauth2 add-redirect-url), or copy the client ID from the provider."),
	finding.Define(CodeProviderOK, "provider-ok", "every provider-side step passed", SeverityNote,
		"Discovery, keys, the authorize request, the callback, the code exchange, every ID token check and userinfo passed. If the app still fails to log in, the cause is on the app's side; the note lists the usual suspects for the app kind."),
}

// Codes lists every finding code in code order.
func Codes() []Code { return slices.Clone(codes) }

// LookupCode returns the code with the given ID (case-insensitive).
func LookupCode(id string) (Code, bool) {
	id = strings.ToUpper(strings.TrimSpace(id))
	for _, c := range codes {
		if c.ID == id {
			return c, true
		}
	}
	return Code{}, false
}

// newFinding fills the severity from the code table.
func newFinding(code, field, msg, hint string) Finding {
	c, _ := LookupCode(code)
	return Finding{Code: code, Severity: c.Severity, Field: field, Message: msg, Hint: hint}
}
