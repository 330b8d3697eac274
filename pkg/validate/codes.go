package validate

import (
	"cmp"
	"github.com/ssoctl/ssoctl/pkg/finding"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Code describes one kind of finding; it is shared with the doctor's codes.
type Code = finding.Code

// Finding codes. The numbering leaves room in each block: 0xx file and schema, 01x provider and URL
// checks, 03x mapping, 04x permissions and registration, 05x groups, 06x secrets, 09x ignores.
const (
	CodeSyntax               = "SSO000"
	CodeUnknownKey           = "SSO001"
	CodeWrongType            = "SSO002"
	CodeInvalidValue         = "SSO003"
	CodeMissingKey           = "SSO004"
	CodeVersion              = "SSO005"
	CodeEmptyFile            = "SSO006"
	CodeNoProviders          = "SSO007"
	CodeAliasExpansion       = "SSO008"
	CodeAppVersionRange      = "SSO009"
	CodeRequiredField        = "SSO010"
	CodeDuplicateName        = "SSO011"
	CodeURLNotAbsolute       = "SSO012"
	CodeHTTPSRequired        = "SSO013"
	CodeRedirectHost         = "SSO014"
	CodeRedirectPath         = "SSO015"
	CodeIssuerForm           = "SSO016"
	CodeCasdoorBuiltIn       = "SSO017"
	CodeAListOneProvider     = "SSO018"
	CodeAListUnsupportedType = "SSO019"
	CodeAListTenant          = "SSO020"
	CodeRedirectUnset        = "SSO021"
	CodeRedirectPort         = "SSO022"
	CodeAListSiteURL         = "SSO023"
	CodeCallbackPlainHTTP    = "SSO024"
	CodeClientChoice         = "SSO025"
	CodePublicClientNoPKCE   = "SSO026"
	CodeFlavorNotOIDC        = "SSO027"
	CodeMappingRuleSyntax    = "SSO030"
	CodeMappingRulesMissing  = "SSO031"
	CodeMappingPreset        = "SSO032"
	CodeScopeMissing         = "SSO033"
	CodeUsernameUnstable     = "SSO034"
	CodeUsernameClaim        = "SSO035"
	CodeLarkRuleRoot         = "SSO036"
	CodeUsernameKeyPath      = "SSO037"
	CodeMappingDialect       = "SSO038"
	CodePermissionInvalid    = "SSO040"
	CodePermissionScheme     = "SSO041"
	CodeSchemeInvalid        = "SSO042"
	CodeDefaultDir           = "SSO043"
	CodeDomainInvalid        = "SSO044"
	CodeGroupMapEntry        = "SSO050"
	CodeRemoveUnmapped       = "SSO051"
	CodeSecretLiteral        = "SSO060"
	CodeSecretEnvUnset       = "SSO061"
	CodeSecretWorldReadable  = "SSO062"
	CodeSecretRefMalformed   = "SSO063"
	CodeSecretFileMissing    = "SSO064"
	CodeIgnoreNoReason       = "SSO090"
	CodeIgnoreUnknownCode    = "SSO091"
	CodeIgnoreUnused         = "SSO092"
	CodeLobeChatVersionUnset = "SSO093"
	CodeAListIgnoredSetting  = "SSO094"
)

// ownCodes are validate's own codes; allCodes adds export's and the online ones.
var ownCodes = []Code{
	finding.Define(CodeSyntax, "syntax", "the file cannot be parsed", SeverityError,
		"The file is not valid YAML or JSON, or is not a mapping. Nothing else is checked, and ssoctl validate exits with 2. Only the json, github and sarif formats show this as a finding; text prints the parse error."),
	finding.Define(CodeUnknownKey, "unknown-key", "unknown key", SeverityError,
		"A key the config schema does not define, usually a typo (redirect_uri for redirect_url). ssoctl would ignore it silently, so the setting it was meant to make is missing."),
	finding.Define(CodeWrongType, "wrong-type", "value of the wrong type", SeverityError,
		"A value has the wrong type: text where a list is expected, a number where text is expected (quote it), a mapping where a value is expected."),
	finding.Define(CodeInvalidValue, "invalid-value", "value not allowed", SeverityError,
		"A value outside the allowed set or format: an unknown provider type, app kind or mapping type, a name with capitals or spaces, a number out of range."),
	finding.Define(CodeMissingKey, "missing-key", "missing key", SeverityError,
		"A key every entry of its kind needs is missing, such as a provider's name or type."),
	finding.Define(CodeVersion, "version", "missing or unsupported version", SeverityError,
		"The file has no version key, or a version this ssoctl does not read. Version 1 is current."),
	finding.Define(CodeEmptyFile, "empty-file", "the file is empty", SeverityError,
		"The file holds no settings (it is empty or only comments), which usually means the wrong file was checked."),
	finding.Define(CodeNoProviders, "no-providers", "no providers", SeverityWarning,
		"The file defines no providers, so there is nothing to log in with."),
	finding.Define(CodeAliasExpansion, "alias-expansion", "aliases expand too far", SeverityError,
		"YAML anchors and aliases expand the file to far more values than it holds (a \"billion laughs\" file); it is not checked further."),
	finding.Define(CodeRequiredField, "required-field", "field required by the provider type is missing", SeverityError,
		"Each provider type needs some fields: a client_id for all, a client_secret for confidential clients, an issuer for oidc and casdoor, the three endpoint URLs for oauth2."),
	finding.Define(CodeClientChoice, "client-choice", "the app cannot make this client choice", SeverityError,
		"token_endpoint_auth_method and pkce describe the app's OAuth client where the app lets an admin choose (InvenTree: token_auth_method and oauth_pkce_enabled). An app that offers no such setting sends what its code sends (AList and OpenList: no PKCE, the client authentication auto-detected; LobeChat 1.x: PKCE and HTTP Basic), so a different value in the config describes a login that never happens; test-login ignores it as the app does."),
	finding.Define(CodePublicClientNoPKCE, "public-client-no-pkce", "a public client without PKCE", SeverityWarning,
		"token_endpoint_auth_method: none makes the client public (no secret at the token endpoint); then PKCE is what keeps an intercepted authorization code from being redeemed by someone else (RFC 9700 §2.1.1), and pkce: none turns it off."),
	finding.Define(CodeFlavorNotOIDC, "flavor-not-oidc", "flavor on a provider that is not oidc", SeverityError,
		"flavor names the OpenID provider product (Keycloak, authentik, ...) behind a provider of type oidc; the other types are fixed platforms with their own presets, so a flavor there is ignored by every command."),
	finding.Define(CodeDuplicateName, "duplicate-name", "duplicate provider name", SeverityError,
		"Two providers have the same name; commands, callback paths and exports address providers by name."),
	finding.Define(CodeURLNotAbsolute, "url-not-absolute", "URL is not an absolute http(s) URL", SeverityError,
		"redirect_url, issuer, the endpoint URLs and app.url must be absolute URLs with an http or https scheme and a host."),
	finding.Define(CodeHTTPSRequired, "https-required", "https required", SeverityError,
		"Redirect URLs, issuers and endpoints must use https unless the host is a loopback address; providers refuse plain http callbacks and tokens would travel in clear text."),
	finding.Define(CodeRedirectHost, "redirect-host", "redirect scheme, host or port differs from the app's", SeverityError,
		"The provider sends the browser back to redirect_url, which must be on the scheme, host and port users browse the app at (app.url); the message names which of them differs. Otherwise the login ends on another site or fails with an invalid state."),
	finding.Define(CodeRedirectPath, "redirect-path", "redirect path is not the app's callback", SeverityError,
		"Each app kind serves its SSO callback at one path: AList /api/auth/sso_callback (compat mode /api/auth/sso_get_token), PhotoPrism /api/v1/oidc/redirect, InvenTree /accounts/<provider>/login/callback/, LobeChat by app.version: 1.x (Auth.js, also when app.version is unset) /api/auth/callback/<provider>, LobeHub 2.x (Better Auth) /api/auth/oauth2/callback/<provider> (its built-in apple, github, google and microsoft /api/auth/callback/<provider>). The message names the path the configured version calls back at."),
	finding.Define(CodeIssuerForm, "issuer-form", "issuer does not look like the provider's issuer", SeverityWarning,
		"OpenID clients compare the configured issuer with the discovered one character by character. Authentik issuers end with a slash, Keycloak issuers do not, and the issuer is not the discovery document's URL."),
	finding.Define(CodeCasdoorBuiltIn, "casdoor-built-in", "Casdoor built-in organization", SeverityError,
		"Every user of Casdoor's built-in organization is a global Casdoor administrator; app logins must use an organization of their own."),
	finding.Define(CodeAListOneProvider, "alist-one-provider", "AList has one SSO platform at a time", SeverityError,
		"AList has a single sso_login_platform with a single client ID and secret, so a file for an AList site can hold only one provider."),
	finding.Define(CodeAListUnsupportedType, "alist-unsupported-type", "provider type AList does not support", SeverityError,
		"AList's SSO supports GitHub, Microsoft, Google, DingTalk, Casdoor and OIDC; Lark and generic OAuth 2.0 servers cannot be used."),
	finding.Define(CodeAListTenant, "alist-tenant", "AList ignores the Microsoft tenant", SeverityWarning,
		"AList always uses the common tenant, so the app registration must accept accounts in any directory whatever tenant the file names."),
	finding.Define(CodeRedirectUnset, "redirect-url-unset", "redirect URL not set", SeverityNote,
		"The provider has no redirect_url although the app kind's callback is known; the note names the URL to register at the provider and to write here."),
	finding.Define(CodeRedirectPort, "redirect-port", "redirect URL names a port a reverse proxy strips", SeverityWarning,
		"Providers compare redirect URIs exactly, port included. The app builds its callback from the URL users browse, which behind a reverse proxy has no port: an explicit default port (:443 on https, :80 on http) or the app's own listening port (AList 5244, PhotoPrism 2342, InvenTree 8000, LobeChat 3210) on a public host is not what the app sends."),
	finding.Define(CodeAListSiteURL, "alist-site-url", "AList without a site URL", SeverityWarning,
		"Without site_url AList builds its SSO callback from each request's scheme and host (X-Forwarded-Proto, X-Forwarded-Host, Host), which behind a reverse proxy is often http:// or an internal name, so the redirect URI differs from the registered one. Set app.url, and AList's site_url, to the public URL."),
	finding.Define(CodeCallbackPlainHTTP, "callback-plain-http", "the app's callback is plain http on a public host", SeverityWarning,
		"app.url is http:// on a host that is not loopback, so the app sends http:// redirect URIs; most providers (Google, Entra ID, GitHub for new apps) refuse them, and codes travel in clear text. Serve the app over https and write https:// in app.url."),
	finding.Define(CodeAppVersionRange, "app-version-range", "app.version outside the modelled versions", SeverityWarning,
		"ssoctl models each app at the versions whose sources it was checked against (AList 3.45 to 3.63, OpenList 4.2); for another version the checks and predictions follow the nearest one and may be wrong."),
	finding.Define(CodeLobeChatVersionUnset, "lobechat-version-unset", "LobeChat without app.version is taken for 1.x", SeverityNote,
		"app.version picks between LobeChat 1.x (Auth.js) and LobeHub 2.x (Better Auth), whose callback paths and OAuth clients differ. Without it ssoctl takes LobeChat 1.x everywhere (provider add, export, validate, the doctor, test-login), which is what every config written before the generations were told apart registered; set app.version to the version you run."),
	finding.Define(CodeAListIgnoredSetting, "alist-ignored-setting", "AList does not read this endpoint setting", SeverityWarning,
		"AList and OpenList build the URLs of their GitHub, Microsoft, Google, DingTalk and Casdoor logins themselves: fixed URLs, or Casdoor's paths under sso_endpoint_name (the issuer here). Their OIDC login takes its endpoints from the issuer's discovery document. authorize_url, token_url and userinfo_url, and the issuer of a fixed platform, are read by no AList setting, so a value other than AList's describes a login that never happens (test-login rehearses AList's requests against it and says so)."),
	finding.Define(CodeMappingRuleSyntax, "mapping-rule-syntax", "mapping rule does not compile", SeverityError,
		"A mapping rule is not a valid JSONPath (Jayway syntax), or uses syntax that Jayway and ssoctl read differently."),
	finding.Define(CodeMappingRulesMissing, "mapping-rules-missing", "custom mapping without name and email rules", SeverityError,
		"A custom mapping has no preset to fall back on, so it needs rules for name and email at least."),
	finding.Define(CodeMappingPreset, "mapping-preset", "mapping preset does not fit the provider type", SeverityWarning,
		"The mapping preset reads another platform's userinfo shape, so its rules will find nothing in this provider's documents."),
	finding.Define(CodeScopeMissing, "scope-missing", "scopes lack what the mapping needs", SeverityWarning,
		"The mapping reads a claim that the requested scopes do not grant: email needs the email scope (user:email on GitHub), profile claims need profile, ID tokens need openid."),
	finding.Define(CodeUsernameUnstable, "username-unstable", "username claim is not stable", SeverityWarning,
		"AList uses the OIDC username claim (sso_oidc_username_key, the claim ssoctl export writes) as the user's SSO id too; name and email change and collide, so preferred_username or sub is safer."),
	finding.Define(CodeUsernameClaim, "username-claim", "username claim the app does not support", SeverityError,
		"PhotoPrism derives usernames only from preferred_username, name, nickname or email."),
	finding.Define(CodeLarkRuleRoot, "lark-rule-root", "Lark rule outside $.data", SeverityWarning,
		"Lark/Feishu wraps userinfo in {code, msg, data}, so rules must start with $.data."),
	finding.Define(CodeUsernameKeyPath, "username-key-path", "AList username key written as a JSONPath", SeverityError,
		"AList and OpenList read sso_oidc_username_key literally as one top-level key of the ID token: $.name looks for a claim named \"$.name\", finds nothing, and every login is refused with \"cannot get username from OIDC provider\". Write the claim's name."),
	finding.Define(CodeMappingDialect, "mapping-dialect", "mapping rule means something else in RFC 9535", SeverityWarning,
		"The rule is valid Jayway JsonPath and valid RFC 9535 JSONPath, but the two select different nodes from some documents: a filter that may meet an object (Jayway tests the object itself, RFC 9535 its members), an index, slice or filter after '..', a slice with a step or a negative bound in [start:end], or a final ['a','b'] (Jayway merges the members into one object). The apps evaluate rules with Jayway, which ssoctl follows by default; the finding says where the rule would break if the app, or the rule, moved to RFC 9535."),
	finding.Define(CodePermissionInvalid, "permission-invalid", "permission outside the scheme", SeverityError,
		"default_permission holds a name the scheme does not define, a sum with bits outside it, or a number that is not a single bit where a list item is expected."),
	finding.Define(CodePermissionScheme, "permission-scheme-unknown", "unknown permission scheme", SeverityError,
		"registration.permission_scheme names a scheme that is neither built in nor defined under permission_schemes."),
	finding.Define(CodeSchemeInvalid, "permission-scheme-invalid", "invalid permission scheme", SeverityError,
		"A scheme under permission_schemes has a bad name, a bit index used twice or names that collide."),
	finding.Define(CodeDefaultDir, "default-dir", "default_dir is not an absolute path", SeverityError,
		"AList base paths start with /; a relative default_dir gives new users a path that does not exist."),
	finding.Define(CodeDomainInvalid, "domain-invalid", "allowed domain is not a domain", SeverityError,
		"registration.allowed_domains holds bare domain names such as example.com, not addresses, URLs or @-prefixed forms."),
	finding.Define(CodeGroupMapEntry, "group-map-entry", "group map entry is empty or padded", SeverityError,
		"A group map key or value is empty or has spaces around it, so it can never match a group the provider sends."),
	finding.Define(CodeRemoveUnmapped, "remove-unmapped-empty", "remove_unmapped with an empty group map", SeverityWarning,
		"With remove_unmapped and no group map, every app group of every user who logs in is removed."),
	finding.Define(CodeSecretLiteral, "secret-literal", "client secret written in the file", SeverityWarning,
		"A literal client secret ends up in version control and backups; reference it with env:NAME, file:PATH or keyring:SERVICE/USER."),
	finding.Define(CodeSecretEnvUnset, "secret-env-unset", "secret environment variable is not set", SeverityWarning,
		"The client secret comes from an environment variable that is not set (or empty) here, so logins and exports fail until it is."),
	finding.Define(CodeSecretWorldReadable, "secret-world-readable", "world-readable file holds a secret", SeverityWarning,
		"Every user of the machine can read the file, and it holds a literal client secret."),
	finding.Define(CodeSecretRefMalformed, "secret-ref-malformed", "malformed secret reference", SeverityError,
		"A client_secret looks like a reference but is not one ssoctl reads: ${VAR} or $VAR instead of env:VAR, an empty name, a keyring reference without SERVICE/USER."),
	finding.Define(CodeSecretFileMissing, "secret-file-missing", "secret file cannot be read", SeverityWarning,
		"The client secret comes from a file that does not exist or cannot be read here."),
	finding.Define(CodeIgnoreNoReason, "ignore-no-reason", "ignore without a reason", SeverityError,
		"Every ignore needs a reason, so that the next reader knows why the finding does not apply."),
	finding.Define(CodeIgnoreUnknownCode, "ignore-unknown-code", "ignore names an unknown code", SeverityError,
		"An ignore comment or entry names no code or a code that does not exist."),
	finding.Define(CodeIgnoreUnused, "ignore-unused", "ignore matches nothing", SeverityWarning,
		"An ignore silences no finding: the problem was fixed or the code, line or provider is wrong. Remove it so it cannot hide a future finding."),
}

// allCodes is every finding code, in code order. It is built on first use rather than in init():
// collecting and sorting the codes of three packages would cost every command's start.
var allCodes = sync.OnceValue(func() []Code {
	// export owns the app-target checks (SSO070-SSO080); their descriptions live with them. The
	// online codes come from discovery (DSC) and doctor (DOC): validate --online reports them, and
	// ignores, SARIF rules and --help list them with the rest.
	codes := slices.Concat(ownCodes, exportCodes(), onlineCodes())
	slices.SortStableFunc(codes, func(a, b Code) int {
		return cmp.Or(cmp.Compare(prefixRank(a.ID), prefixRank(b.ID)), strings.Compare(a.ID, b.ID))
	})
	return codes
})

// prefixRank orders the code families: validate's own first, then discovery's, then doctor's.
func prefixRank(id string) int {
	switch {
	case strings.HasPrefix(id, "SSO"):
		return 0
	case strings.HasPrefix(id, "DSC"):
		return 1
	}
	return 2
}

// Codes lists every finding code, in code order.
func Codes() []Code { return slices.Clone(allCodes()) }

// LookupCode returns the code with the given ID (case-insensitive).
func LookupCode(id string) (Code, bool) {
	id = strings.ToUpper(strings.TrimSpace(id))
	for _, c := range allCodes() {
		if c.ID == id {
			return c, true
		}
	}
	return Code{}, false
}

// codeRE matches the form of every code: validate's own (SSO), discovery's (DSC) and doctor's (DOC).
var codeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(SSO|DSC|DOC)[0-9]{3}$`) })

func severityOf(id string) Severity {
	c, _ := LookupCode(id)
	return c.Severity
}
