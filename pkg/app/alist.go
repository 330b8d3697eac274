package app

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// AList and OpenList, the AList fork, share their single sign-on code (server/handles/ssologin.go
// differs in three lines, see ../shared/apps/README.md), so one model serves both, with the
// differences switched on kind and version. Sources, each cited below by path:
//
//	AList v3.63.0    AlistGo/alist 843d9dc8 (../shared/apps/alist-v3.63.0.tar.gz)
//	AList v3.45.0    AlistGo/alist tag v3.45.0 = ffa03bfd
//	AList v3.46.0    AlistGo/alist tag v3.46.0 = 00120cba
//	AList v3.51.0    AlistGo/alist tag v3.51.0 (first with the default_role setting)
//	AList v3.53.0    AlistGo/alist tag v3.53.0 = e1800f18 (autoRegister gives default_role)
//	OpenList v4.2.5  OpenListTeam/OpenList tag v4.2.5 = cc87e88f (../shared/apps/openlist-v4.2.5.tar.gz)

// Versions where AList's SSO behaviour changes.
var (
	// AListRolesSince: access is decided by roles (server/common/role_perm.go
	// MergeRolePermissions, new in v3.46.0; FsMkdir in server/handles/fsmanage.go checks it instead
	// of user.CanWrite()).
	AListRolesSince = Version{3, 46, 0}
	// AListDefaultRoleSettingSince: the default_role setting exists (internal/bootstrap/data/setting.go,
	// absent at v3.50.0, present at v3.51.0).
	AListDefaultRoleSettingSince = Version{3, 51, 0}
	// AListSSODefaultRoleSince: autoRegister gives new SSO users default_role
	// (server/handles/ssologin.go: v3.46.0–v3.52.0 write Role: nil, v3.53.0 model.Roles{op.GetDefaultRoleID()}).
	AListSSODefaultRoleSince = Version{3, 53, 0}
)

// AList is AList or OpenList at one version: what its single sign-on reads, writes, refuses and
// grants.
type AList struct{ Target }

// AListOf returns the AList model of a target of kind alist or openlist.
func AListOf(t Target) (AList, bool) {
	if t.Kind != config.AppAList && t.Kind != config.AppOpenList {
		return AList{}, false
	}
	if t.Version.IsZero() {
		t.Version = t.Newest()
	}
	return AList{t}, true
}

// AListKind returns the model of kind (alist or openlist) at version ("" for the newest modelled).
// ok is false for another kind or a version that does not parse.
func AListKind(kind, version string) (AList, bool) {
	t, err := Resolve(&config.App{Kind: kind, Version: version})
	if err != nil {
		return AList{}, false
	}
	return AListOf(t)
}

// IsAListKind reports whether kind is one that AList's model covers (alist, openlist).
func IsAListKind(kind string) bool { return kind == config.AppAList || kind == config.AppOpenList }

// OpenList reports whether this is the OpenList fork.
func (a AList) OpenList() bool { return a.Kind == config.AppOpenList }

// InRange reports whether the target's version lies within the versions ssoctl models (compared
// by major and minor: "4.2" is in OpenList's 4.2.5).
func (a AList) InRange() bool {
	lo, hi := a.Versions[0], a.Newest()
	v := Version{a.Version.Major, a.Version.Minor, 0}
	return !v.Less(Version{lo.Major, lo.Minor, 0}) && !Version{hi.Major, hi.Minor, 0}.Less(v)
}

// ModelledRange says which versions are modelled, for messages: "3.45 to 3.63".
func (a AList) ModelledRange() string {
	if len(a.Versions) == 1 {
		return a.Versions[0].String()
	}
	return a.Versions[0].String() + " to " + a.Newest().String()
}

// Settings keys (internal/conf/const.go; the 14 SSO items in internal/bootstrap/data/setting.go
// after "// SSO settings", group model.SSO = 7, identical at AList v3.45.0, v3.63.0 and OpenList
// v4.2.5).
const (
	KeySSOEnabled           = "sso_login_enabled"
	KeySSOPlatform          = "sso_login_platform"
	KeySSOClientID          = "sso_client_id"
	KeySSOClientSecret      = "sso_client_secret"
	KeySSOUsernameKey       = "sso_oidc_username_key"
	KeySSOOrganization      = "sso_organization_name"
	KeySSOApplication       = "sso_application_name"
	KeySSOEndpoint          = "sso_endpoint_name"
	KeySSOJWTPublicKey      = "sso_jwt_public_key"
	KeySSOExtraScopes       = "sso_extra_scopes"
	KeySSOAutoRegister      = "sso_auto_register"
	KeySSODefaultDir        = "sso_default_dir"
	KeySSODefaultPermission = "sso_default_permission"
	KeySSOCompatibilityMode = "sso_compatibility_mode"
	// KeyDefaultRole is a site setting (group model.SITE), not an SSO one: the role id new users
	// get (AList v3.51.0+, internal/bootstrap/data/setting.go; its save hook in
	// internal/op/hook.go requires a number naming an existing role).
	KeyDefaultRole = "default_role"
)

// SSOGroup is the settings group of the sso_* keys (internal/model/setting.go, SSO = 7), the one
// GET /api/admin/setting/list?group=7 returns.
const SSOGroup = 7

// SettingKeys lists the settings the SSO login reads at this version, in the order the app
// defines them: the 14 sso_* keys, then default_role where autoRegister reads it (AList v3.53.0+).
// OpenList v4.2.5 has no default_role setting (autoRegister writes Role: 0).
func (a AList) SettingKeys() []string {
	keys := []string{KeySSOEnabled, KeySSOPlatform, KeySSOClientID, KeySSOClientSecret, KeySSOUsernameKey,
		KeySSOOrganization, KeySSOApplication, KeySSOEndpoint, KeySSOJWTPublicKey, KeySSOExtraScopes,
		KeySSOAutoRegister, KeySSODefaultDir, KeySSODefaultPermission, KeySSOCompatibilityMode}
	if a.ReadsDefaultRole() {
		keys = append(keys, KeyDefaultRole)
	}
	return keys
}

// SettingSince says which version added a setting key, for "the live app lacks this key" messages;
// the zero Version for keys every modelled version has.
func (a AList) SettingSince(key string) Version {
	if key == KeyDefaultRole && !a.OpenList() {
		return AListDefaultRoleSettingSince
	}
	return Version{}
}

// UnusedSettings are the sso_* keys no server code reads (grep at AList v3.63.0 finds them only in
// internal/conf/const.go and internal/bootstrap/data/setting.go; the same at OpenList v4.2.5).
var UnusedSettings = []string{KeySSOOrganization, KeySSOApplication, KeySSOJWTPublicKey}

// Documents a platform's user fields are read from.
const (
	DocUserinfo = "userinfo"
	DocIDToken  = "idToken"
)

// Platform is one value of sso_login_platform and what the app reads on it.
type Platform struct {
	// Type is ssoctl's provider type.
	Type string
	// Value is the sso_login_platform value, spelt as the app compares it with ==.
	Value string
	// Document is DocUserinfo (the platform's user API) or DocIDToken (OIDC reads the ID token
	// payload and never userinfo).
	Document string
	// IDField and UsernameField are the top-level keys the SSO id and the username are read from;
	// both are sso_oidc_username_key on OIDC.
	IDField, UsernameField string
	// UserAPI is the request the user document comes from; "" for OIDC.
	UserAPI string
	// Scope is the scope the app requests itself; OIDC sends "openid profile" plus sso_extra_scopes.
	Scope string
	// Login is the plain OAuth 2.0 login the app runs itself on this platform: its endpoints and
	// the shapes of its requests; nil for OIDC (go-oidc and x/oauth2 with discovery).
	Login *PlainLogin
}

// platforms: SSOLoginRedirect (authorize URL, scope, extra parameters) and SSOLoginCallback
// (tokenUrl, userUrl, the token request, idField, usernameField) in server/handles/ssologin.go,
// AList v3.63.0 (lines 58-113, 284-446), v3.45.0 and OpenList v4.2.5 alike; the options of
// sso_login_platform in internal/bootstrap/data/setting.go. None of them sends PKCE, a nonce or
// (but Casdoor) a state, and none reads an ID token: the user is the user API's JSON, read with
// jsoniter's Get(...).ToString() (a number id becomes its decimal text).
var platforms = []Platform{
	{Type: config.TypeGitHub, Value: "Github", Document: DocUserinfo, IDField: "id", UsernameField: "login",
		UserAPI: "GET https://api.github.com/user", Scope: "read:user",
		// GitHub's token form has no grant_type (ssologin.go:305-311).
		Login: &PlainLogin{AuthorizeURL: "https://github.com/login/oauth/authorize", TokenURL: "https://github.com/login/oauth/access_token",
			UserURL: "https://api.github.com/user", TokenField: "access_token", UserHeader: "Authorization"}},
	{Type: config.TypeMicrosoft, Value: "Microsoft", Document: DocUserinfo, IDField: "id", UsernameField: "displayName",
		UserAPI: "Microsoft Graph GET https://graph.microsoft.com/v1.0/me", Scope: "user.read",
		// Hard-wired URLs of the common tenant, not x/oauth2's microsoft.AzureADEndpoint(tenant)
		// (ssologin.go:82-85, 312-319): the tenant setting does not exist in AList.
		Login: &PlainLogin{AuthorizeURL: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", TokenURL: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
			UserURL: "https://graph.microsoft.com/v1.0/me", AuthorizeParams: [][2]string{{"response_mode", "query"}}, GrantType: true, TokenField: "access_token", UserHeader: "Authorization"}},
	{Type: config.TypeGoogle, Value: "Google", Document: DocUserinfo, IDField: "id", UsernameField: "name",
		UserAPI: "Google's legacy GET https://www.googleapis.com/oauth2/v1/userinfo", Scope: "https://www.googleapis.com/auth/userinfo.profile",
		// Hard-wired URLs, not x/oauth2's google.Endpoint (ssologin.go:86-88, 320-327); the user is
		// the legacy v1 userinfo (id, name), not OpenID Connect's (sub): no openid scope, so no ID token.
		Login: &PlainLogin{AuthorizeURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token",
			UserURL: "https://www.googleapis.com/oauth2/v1/userinfo", GrantType: true, TokenField: "access_token", UserHeader: "Authorization"}},
	{Type: config.TypeDingTalk, Value: "Dingtalk", Document: DocUserinfo, IDField: "unionId", UsernameField: "nick",
		UserAPI: "DingTalk GET https://api.dingtalk.com/v1.0/contact/users/me", Scope: "openid",
		// response_type is added a second time (ssologin.go:89-93); the code comes back as authCode,
		// the token request is JSON {clientId, clientSecret, code, grantType} (ssologin.go:357-365).
		Login: &PlainLogin{AuthorizeURL: "https://login.dingtalk.com/oauth2/auth", TokenURL: "https://api.dingtalk.com/v1.0/oauth2/userAccessToken",
			UserURL: "https://api.dingtalk.com/v1.0/contact/users/me", AuthorizeParams: [][2]string{{"prompt", "consent"}, {"response_type", "code"}},
			TokenJSON: true, TokenField: "accessToken", UserHeader: "x-acs-dingtalk-access-token"}},
	{Type: config.TypeCasdoor, Value: "Casdoor", Document: DocUserinfo, IDField: "sub", UsernameField: "preferred_username",
		UserAPI: "Casdoor GET <endpoint>/api/userinfo", Scope: "profile",
		// Paths under sso_endpoint_name, its trailing slash trimmed; state is that endpoint
		// (ssologin.go:94-98, 334-342).
		Login: &PlainLogin{AuthorizeURL: EndpointPlaceholder + "/login/oauth/authorize", TokenURL: EndpointPlaceholder + "/api/login/oauth/access_token",
			UserURL: EndpointPlaceholder + "/api/userinfo", Endpoint: KeySSOEndpoint, AuthorizeParams: [][2]string{{"state", EndpointPlaceholder}},
			GrantType: true, TokenField: "access_token", UserHeader: "Authorization"}},
	{Type: config.TypeOIDC, Value: "OIDC", Document: DocIDToken},
}

// Platform returns the platform a provider type logs in through; false when the app has none
// (lark, oauth2).
func (a AList) Platform(typ string) (Platform, bool) {
	i := slices.IndexFunc(platforms, func(p Platform) bool { return p.Type == typ })
	if i < 0 {
		return Platform{}, false
	}
	return platforms[i], true
}

// PlatformTypes lists the provider types the app supports, for messages.
func (a AList) PlatformTypes() []string {
	out := make([]string, len(platforms))
	for i, p := range platforms {
		out[i] = p.Type
	}
	return out
}

// PlatformText lists the supported provider types for a sentence: "github, ..., casdoor and oidc".
func (a AList) PlatformText() string {
	t := a.PlatformTypes()
	return strings.Join(t[:len(t)-1], ", ") + " and " + t[len(t)-1]
}

// OIDCBaseScopes are the scopes the OIDC platform always requests; sso_extra_scopes are appended
// (GetOIDCClient, server/handles/ssologin.go, AList v3.63.0 / OpenList v4.2.5).
var OIDCBaseScopes = []string{"openid", "profile"}

// DefaultUsernameKey is sso_oidc_username_key's default (internal/bootstrap/data/setting.go).
const DefaultUsernameKey = "name"

// UsernameKey is the sso_oidc_username_key ssoctl writes for a mapping. AList reads the key
// literally as one top-level key of the ID token payload (OIDCLoginCallback,
// server/handles/ssologin.go: utils.Json.Get(payload, key).ToString(), AList v3.63.0 and v3.45.0,
// OpenList v4.2.5): "$.name" is a key named "$.name", not a path, and finds nothing.
type UsernameKey struct {
	// Key is the value written, and the key the app looks up.
	Key string
	// From is username.from as the config says it ("name" when unset).
	From string
	// Rule is the JSONPath rule of the mapped field From names; "" when From names a claim (or a
	// field without a rule).
	Rule string
	// Fallback is set when the rule reads more than one claim, which a key cannot say: Key is then
	// preferred_username.
	Fallback bool
	// PathLike is set when Key looks like a JSONPath ($.x, $['x']): the app reads it literally, and
	// the claim it was meant to name is Meant.
	PathLike bool
	Meant    string
}

// UsernameKey is the one place ssoctl decides what sso_oidc_username_key holds: export writes it,
// map eval and the doctor read the ID token with it, validate checks it. from is the mapping's
// username.from ("" means name, the field); isField says it names a mapping field, whose effective
// rule is fieldRule. A claim is written as given, so a JSONPath written as from reaches the app as
// text (PathLike), which AList then fails to find.
func (a AList) UsernameKey(from string, isField bool, fieldRule string) UsernameKey {
	from = strings.TrimSpace(from)
	if from == "" {
		from, isField = "name", true
	}
	k := UsernameKey{From: from, Rule: strings.TrimSpace(fieldRule)}
	if !isField {
		k.Key = from
		if c, ok := ClaimName(from); ok {
			k.PathLike, k.Meant = true, c
		}
		return k
	}
	if c, ok := ClaimName(k.Rule); ok {
		k.Key = c
		return k
	}
	k.Key, k.Fallback = "preferred_username", true
	return k
}

// simpleClaim matches a JSONPath that reads one top-level claim: $.name, $['name'], $["name"].
var simpleClaim = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\$(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[['"]([^'"]+)['"]\])$`)
})

// ClaimName returns the top-level claim a one-claim JSONPath ($.name, $['name']) reads: what apps
// that take a claim name rather than a rule (AList's sso_oidc_username_key, PhotoPrism's
// PHOTOPRISM_OIDC_USERNAME) must be given. ok is false for any other rule.
func ClaimName(rule string) (string, bool) {
	m := simpleClaim().FindStringSubmatch(strings.TrimSpace(rule))
	if m == nil {
		return "", false
	}
	return m[1] + m[2], true
}

// The app's answers, word for word (server/handles/ssologin.go and internal/db/user.go, AList
// v3.63.0, v3.45.0 and OpenList v4.2.5 alike). Each is the "message" of a JSON body
// {"code":400,...} (common.ErrorStrResp / ErrorResp, server/common/common.go).
const (
	// MsgOIDCNoUsername: OIDC, the username key finds nothing (or an empty value) in the ID token;
	// answered for login and bind alike, before any lookup.
	MsgOIDCNoUsername = "cannot get username from OIDC provider"
	// MsgSSONoUsername: the other platforms, a new user whose username field is empty (autoRegister).
	MsgSSONoUsername = "cannot get username from SSO provider"
	// MsgNoSSOID: the other platforms, the id field is "" or "0".
	MsgNoSSOID = "error occurred"
	// MsgNotBound: no account is bound to the SSO id and sso_auto_register is off: GetUserBySSOID's
	// wrap of gorm's "record not found".
	MsgNotBound = "The single sign on platform is not bound to any users: record not found"
	// MsgNotEnabled: sso_login_enabled is false (SSOLoginRedirect, HTTP 403).
	MsgNotEnabled = "Single sign-on is not enabled"
	// MsgBadState: OIDC state unknown, expired (5 minutes) or from another client IP.
	MsgBadState = "incorrect or expired state parameter"
	// MsgOIDCBadAlg: go-oidc v2 refuses the ID token's signature algorithm (verify.go:314, v2.2.1 and
	// v2.3.0), formatted with the accepted algorithms and the token's (ssologin.go returns it as is).
	MsgOIDCBadAlg = "oidc: id token signed with unsupported algorithm, expected %q got %q"
	// MsgNoIDToken: the token response has no id_token.
	MsgNoIDToken = "no id_token found in oauth2 token"
	// MsgUserDisabled: the SSO login signs a disabled bound account in (ssologin.go does not check
	// Disabled), and then every request with its token is answered 401 with this
	// (server/middlewares/auth.go).
	MsgUserDisabled = "Current user is disabled, replace please"
	// MsgUsernameTaken: the renamed username (name_ssoid) is taken too; the second CreateUser's
	// SQLite error, with AList's default table prefix x_ (internal/conf/config.go).
	MsgUsernameTaken = "UNIQUE constraint failed: x_users.username"
	// MsgOpenListUsernameTaken: OpenList v4.2.5's default builds open SQLite with the pure-Go
	// glebarez driver (internal/bootstrap/sqlite_driver_glebarez.go; mattn's only with the
	// sqlite_cgo_compat tag), whose error text starts "constraint failed: ". autoRegister's
	// HasPrefix("UNIQUE constraint failed") test then fails, so a taken username is not renamed but
	// refused with this (measured against the real OpenList v4.2.5, e2e/apps conflict-local-user).
	MsgOpenListUsernameTaken = "constraint failed: UNIQUE constraint failed: x_users.username (2067)"
)

// NoUsernameMessage is the refusal when the platform gives no username.
func (a AList) NoUsernameMessage(typ string) string {
	if typ == config.TypeOIDC {
		return MsgOIDCNoUsername
	}
	return MsgSSONoUsername
}

// Callback paths (ssoRedirectUri, server/handles/ssologin.go; routes in server/router.go): the
// normal mode sends /api/auth/sso_callback?method=<m>, compatibility mode /api/auth/<m>, for m =
// sso_get_token (log in) and get_sso_id (bind). The base is site_url, else the request's scheme
// and host (GetApiUrl, server/common/base.go).
const (
	MethodLogin = "sso_get_token"
	MethodBind  = "get_sso_id"
	// CallbackPath is the normal mode's path without the method query: what GitHub (one callback
	// URL, matched as a prefix) is registered with.
	CallbackPath = "/api/auth/sso_callback"
)

// CallbackPaths are the redirect URIs' paths (with query) the app sends, login first.
func (a AList) CallbackPaths(compat bool) []string {
	if compat {
		return []string{"/api/auth/" + MethodLogin, "/api/auth/" + MethodBind}
	}
	return []string{CallbackPath + "?method=" + MethodLogin, CallbackPath + "?method=" + MethodBind}
}

// LoginRedirect is the login callback AList sends for a provider whose redirect_url is
// registered. ssoRedirectUri builds it as the base plus CallbackPaths(compat)[0], so in normal mode
// it carries ?method=sso_get_token, which a redirect_url of the registered form (RegisterPath: the
// path without the query, as SuggestRedirectURL proposes it) lacks; compatibility mode's
// /api/auth/sso_get_token has no query. A redirect_url of another path, or with a query already,
// is returned as it is.
func LoginRedirect(registered string, compat bool) string {
	u, err := url.Parse(registered)
	if compat || err != nil || u.RawQuery != "" || u.Fragment != "" || !strings.HasSuffix(u.Path, CallbackPath) {
		return registered
	}
	u.RawQuery = "method=" + MethodLogin
	return u.String()
}

// RegisterPath is the one redirect path to propose for a new provider: the callback path without
// the query (a prefix of both callbacks, as GitHub matches it), or in compatibility mode the login
// callback.
func (a AList) RegisterPath(compat bool) string {
	if compat {
		return "/api/auth/" + MethodLogin
	}
	return CallbackPath
}

// Login outcomes.
const (
	// LoginExisting: an account is bound to the SSO id; the app signs the user in as that account.
	LoginExisting = "existing"
	// LoginRegistered: auto-register creates an account.
	LoginRegistered = "registered"
	// LoginRefused: the app answers with an error message.
	LoginRefused = "refused"
)

// LoginInput is one SSO login as the app sees it.
type LoginInput struct {
	// Type is the provider type (the platform).
	Type string
	// SSOID and Username are the values the app read (OIDC: both the username key's value).
	SSOID, Username string
	// Bound returns the account bound to an SSO id (GetUserBySSOID); nil means none is.
	Bound func(ssoID string) (username string, ok bool)
	// Taken says whether a username is in use; nil means none is.
	Taken func(username string) bool
	// Disabled says whether an existing account is disabled; nil means none is.
	Disabled func(username string) bool
	// AutoRegister is sso_auto_register.
	AutoRegister bool
}

// LoginResult is what the app does with one login.
type LoginResult struct {
	// Outcome is LoginExisting, LoginRegistered or LoginRefused.
	Outcome string
	// Username is the account signed in to: the bound one, or the one created (renamed on conflict).
	Username string
	// Renamed is set when the username was taken and the app appended _ and the SSO id.
	Renamed bool
	// Disabled is set when the bound account is disabled: signed in, then refused on every request
	// with Message.
	Disabled bool
	// Message is the app's answer when refused, word for word.
	Message string
	// Step names the check that decided: "sso-id", "username", "bound", "auto-register", "conflict".
	Step string
}

// Login follows the app's sso_get_token handler in order (OIDCLoginCallback and SSOLoginCallback,
// server/handles/ssologin.go, AList v3.63.0 / OpenList v4.2.5): the SSO id must be there (OIDC: the
// username key's value; others: not "" or "0"); an account bound to it signs in whatever the other
// settings say (db.GetUserBySSOID, internal/db/user.go); else autoRegister: off refuses, an empty
// username refuses, else the account is created, and a taken username is retried once as
// username_ssoid (only when the error text is mattn SQLite's "UNIQUE constraint failed ...
// username": AList's; OpenList's default SQLite driver words it otherwise, so OpenList refuses).
// Before v3.53.0 AList's OIDC callback did not return after a refused autoRegister (the return
// arrived in v3.53.0 with default_role): the refusal's JSON is written, then GenerateToken runs on
// a nil user and panics, which gin's recovery logs; the client still reads the same message.
func (a AList) Login(in LoginInput) LoginResult {
	if in.Type == config.TypeOIDC {
		if in.SSOID == "" {
			return LoginResult{Outcome: LoginRefused, Message: MsgOIDCNoUsername, Step: "sso-id"}
		}
	} else if in.SSOID == "" || in.SSOID == "0" {
		return LoginResult{Outcome: LoginRefused, Message: MsgNoSSOID, Step: "sso-id"}
	}
	if in.Bound != nil {
		if name, ok := in.Bound(in.SSOID); ok {
			r := LoginResult{Outcome: LoginExisting, Username: name, Step: "bound"}
			if in.Disabled != nil && in.Disabled(name) {
				r.Disabled, r.Message = true, MsgUserDisabled
			}
			return r
		}
	}
	if !in.AutoRegister {
		return LoginResult{Outcome: LoginRefused, Message: MsgNotBound, Step: "auto-register"}
	}
	if in.Username == "" {
		return LoginResult{Outcome: LoginRefused, Message: MsgSSONoUsername, Step: "username"}
	}
	taken := func(n string) bool { return in.Taken != nil && in.Taken(n) }
	if !taken(in.Username) {
		return LoginResult{Outcome: LoginRegistered, Username: in.Username, Step: "auto-register"}
	}
	if a.OpenList() {
		return LoginResult{Outcome: LoginRefused, Message: MsgOpenListUsernameTaken, Step: "conflict"}
	}
	renamed := in.Username + "_" + in.SSOID
	if taken(renamed) {
		return LoginResult{Outcome: LoginRefused, Message: MsgUsernameTaken, Step: "conflict"}
	}
	return LoginResult{Outcome: LoginRegistered, Username: renamed, Renamed: true, Step: "conflict"}
}

// Role is an AList role: permission bits per path (internal/model/role.go, PermissionScopes), in the
// shape the admin API (/api/admin/role/*) sends and takes.
type Role struct {
	ID          int     `json:"id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Default     bool    `json:"default"`
	Scopes      []Scope `json:"permission_scopes"`
}

// Scope is one path of a role and the permission bits it grants there (model.PermissionEntry).
type Scope struct {
	Path       string `json:"path"`
	Permission int64  `json:"permission"`
}

// OpenList's fixed roles: User.Role is an int, 0 general, 1 guest, 2 admin (internal/model/user.go,
// OpenList v4.2.5); it has no role table and no role API.
const (
	OpenListGeneral = 0
	OpenListGuest   = 1
	OpenListAdmin   = 2
)

// BuiltinRoles are the roles a fresh install has: AList v3.46.0+ creates exactly guest (id 1,
// permission 0 on /) and admin (id 2, 0xFFFF on /) (initRoles, internal/bootstrap/data/role.go,
// v3.46.0 and v3.63.0). Before v3.46.0 and on OpenList, roles are the fixed ints of
// internal/model/user.go (0 general, 1 guest, 2 admin) with no permissions of their own.
func (a AList) BuiltinRoles() []Role {
	if !a.HasRoles() {
		return []Role{{ID: OpenListGeneral, Name: "general"}, {ID: OpenListGuest, Name: "guest"}, {ID: OpenListAdmin, Name: "admin"}}
	}
	return []Role{
		{ID: 1, Name: "guest", Scopes: []Scope{{Path: "/", Permission: 0}}},
		{ID: 2, Name: "admin", Scopes: []Scope{{Path: "/", Permission: 0xFFFF}}},
	}
}

// HasRoles reports whether access is decided by role permissions (AList v3.46.0+); false means the
// user's own permission bits are checked (AList before v3.46.0, OpenList v4).
func (a AList) HasRoles() bool { return !a.OpenList() && a.AtLeast(AListRolesSince) }

// ReadsDefaultRole reports whether autoRegister gives new SSO users default_role (AList v3.53.0+).
func (a AList) ReadsDefaultRole() bool { return !a.OpenList() && a.AtLeast(AListSSODefaultRoleSince) }

// DefaultRoleID is the default_role of a fresh install: guest, id 1 (defaultRoleID :=
// strconv.Itoa(model.GUEST), internal/bootstrap/data/setting.go, v3.51.0+).
const DefaultRoleID = 1

// Rights models.
const (
	// RightsUserBits: the user's own permission bits are checked (AList < 3.46, OpenList v4).
	RightsUserBits = "user-bits"
	// RightsRoles: the permissions of the user's roles, merged per path (AList 3.46+).
	RightsRoles = "roles"
)

// Rights is what a new SSO user may do, and where it comes from.
type Rights struct {
	// Model is RightsUserBits or RightsRoles.
	Model string
	// Sum is the effective permission at Path; -1 when ssoctl cannot know it (a role defined in the
	// app whose permissions the config does not say).
	Sum int64
	// Path is where Sum applies: the user's base path (sso_default_dir).
	Path string
	// Role is the role the user gets; nil for none (AList v3.46–v3.52) and under RightsUserBits.
	Role *Role
	// Stored is the permission sum stored on the user (sso_default_permission); under RightsRoles
	// no check reads it.
	Stored int64
	// Source says, as a sentence, where Sum comes from.
	Source string
	// CanRead is false when the user cannot even list its base path (no role at all).
	CanRead bool
}

// NewUserRights are the rights of a user the SSO login creates: defaultPermission is
// sso_default_permission, defaultDir sso_default_dir, defaultRole the default_role the config
// names ("" for the app's own, guest on a fresh install) as an id or a name.
func (a AList) NewUserRights(defaultPermission int64, defaultDir, defaultRole string) Rights {
	return a.NewUserRightsWithRoles(defaultPermission, defaultDir, defaultRole, nil)
}

// NewUserRightsWithRoles is NewUserRights with the app's own roles (its GET /api/admin/role/list,
// map eval --roles): a role the admin created is looked up there, so that its rights are known.
// appRoles nil or without the role leaves a custom role's rights unknown (Sum -1).
func (a AList) NewUserRightsWithRoles(defaultPermission int64, defaultDir, defaultRole string, appRoles []Role) Rights {
	if defaultDir == "" {
		defaultDir = "/"
	}
	r := Rights{Path: defaultDir, Stored: defaultPermission, CanRead: true}
	switch {
	case a.OpenList():
		r.Model, r.Sum = RightsUserBits, defaultPermission
		r.Role = &Role{ID: OpenListGeneral, Name: "general"}
		r.Source = fmt.Sprintf("the user's own permission bits, sso_default_permission = %d: OpenList gives SSO users role 0 (general) and checks the user's bits (autoRegister, server/handles/ssologin.go; FsMkdir checks user.CanWriteContent(), v4.2.5)", defaultPermission)
	case !a.HasRoles():
		r.Model, r.Sum = RightsUserBits, defaultPermission
		r.Role = &Role{ID: 0, Name: "general"}
		r.Source = fmt.Sprintf("the user's own permission bits, sso_default_permission = %d: AList %s checks the user's bits (user.CanWrite() and the like)", defaultPermission, a.Version)
	case !a.ReadsDefaultRole():
		r.Model, r.Sum, r.CanRead = RightsRoles, 0, false
		r.Source = fmt.Sprintf("no role: AList %s creates SSO users without a role (Role: nil in autoRegister until v3.53.0), so they have no rights and cannot list their base path until an admin gives them one; sso_default_permission (%d) is stored but not read", a.Version, defaultPermission)
	default:
		r.Model = RightsRoles
		role, known := a.defaultRole(defaultRole, appRoles)
		r.Role = &role
		switch {
		case !known:
			r.Sum = -1
			r.Source = fmt.Sprintf("role %s (default_role): its permissions are defined in AList, not in this file; sso_default_permission (%d) is stored but not read", roleLabel(role), defaultPermission)
		default:
			r.Sum = role.permissionAt(defaultDir, defaultDir)
			r.Source = fmt.Sprintf("role %s (default_role), merged over its paths for %s (common.MergeRolePermissions); sso_default_permission (%d) is stored but not read", roleLabel(role), defaultDir, defaultPermission)
			if appRoles != nil && !slices.ContainsFunc(a.BuiltinRoles(), func(b Role) bool { return b.ID == role.ID && b.Name == role.Name }) {
				r.Source = fmt.Sprintf("role %s (default_role, from the app's role list), merged over its paths for %s (common.MergeRolePermissions); sso_default_permission (%d) is stored but not read", roleLabel(role), defaultDir, defaultPermission)
			}
		}
	}
	return r
}

func roleLabel(r Role) string {
	if r.ID < 0 {
		return r.Name
	}
	if r.Name == "" {
		return fmt.Sprintf("id %d", r.ID)
	}
	return fmt.Sprintf("%s (id %d)", r.Name, r.ID)
}

// defaultRole resolves default_role as GetDefaultRoleID does (internal/op/role.go, v3.63.0): a
// number other than 0 is the id, else a role name, else guest. The app's roles (appRoles, its role
// list) come first, then the built-in ones. known is false for a role ssoctl has no permissions for
// (one the admin created, not in appRoles).
func (a AList) defaultRole(v string, appRoles []Role) (Role, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		v = strconv.Itoa(DefaultRoleID)
	}
	roles := append(slices.Clone(appRoles), a.BuiltinRoles()...)
	if id, err := strconv.Atoi(v); err == nil && id != 0 {
		if i := slices.IndexFunc(roles, func(r Role) bool { return r.ID == id }); i >= 0 {
			return roles[i], true
		}
		return Role{ID: id}, false
	}
	if i := slices.IndexFunc(roles, func(r Role) bool { return r.Name == v }); i >= 0 {
		return roles[i], true
	}
	return Role{Name: v, ID: -1}, false
}

// MsgDefaultRoleBuiltin is the admin API's answer to admin or guest as default_role
// (SaveSettings, server/handles/setting.go, v3.63.0).
const MsgDefaultRoleBuiltin = "cannot set admin or guest as default role"

// DefaultRoleValue is what default_role is set to for a config's role: the admin API's save takes
// a role name, looks it up (op.GetRoleByName), refuses admin and guest with
// MsgDefaultRoleBuiltin, and stores the role's id (SaveSettings, server/handles/setting.go,
// v3.63.0); listing shows the name again. A number is taken as a role id (ssoctl apply sends the
// name of the role with that id). ok is false for "" (nothing to set) and for admin or guest, by
// name or by their ids 2 and 1, which the app refuses: guest is only ever the fresh install's own
// value.
func (a AList) DefaultRoleValue(role string) (value string, ok bool) {
	role = strings.TrimSpace(role)
	if role == "" {
		return "", false
	}
	for _, r := range a.BuiltinRoles() {
		if r.Name == role || strconv.Itoa(r.ID) == role {
			return role, false
		}
	}
	if id, err := strconv.Atoi(role); err == nil {
		return strconv.Itoa(id), true
	}
	return role, true
}

// permissionAt is MergeRolePermissions for one role (server/common/role_perm.go, v3.63.0): at / or
// the user's base path every scope counts; elsewhere the scopes whose path contains reqPath.
func (r Role) permissionAt(reqPath, basePath string) int64 {
	var perm int64
	for _, s := range r.Scopes {
		if reqPath == "/" || pathEqual(reqPath, basePath) || isSubPath(s.Path, reqPath) {
			perm |= s.Permission
		}
	}
	return perm
}

func cleanPath(p string) string {
	p = "/" + strings.Trim(p, "/")
	return p
}

func pathEqual(a, b string) bool { return cleanPath(a) == cleanPath(b) }

// isSubPath is utils.IsSubPath (pkg/utils/path.go): sub is path or below it.
func isSubPath(path, sub string) bool {
	path, sub = cleanPath(path), cleanPath(sub)
	if path == "/" {
		return true
	}
	return sub == path || strings.HasPrefix(sub, path+"/")
}

// DefaultDirNote is how the app stores sso_default_dir: as written, a trailing slash kept
// (autoRegister copies setting.GetStr(conf.SSODefaultDir) into BasePath unchanged).
const DefaultDirNote = "AList stores sso_default_dir as written (a trailing slash is kept)"

// IgnoredSettings are the provider settings the app does not read on p's platform, where the config
// sets them to something else than what the app uses: authorize_url, token_url and userinfo_url (on
// OIDC at all: the app takes them from discovery; elsewhere AList builds its URLs itself: fixed,
// or Casdoor's under sso_endpoint_name, which export writes from issuer), and issuer on the platforms with fixed URLs
// (Github, Microsoft, Google, Dingtalk), which have no endpoint setting in AList at all
// (SSOLoginRedirect and SSOLoginCallback, server/handles/ssologin.go, AList v3.63.0 and OpenList
// v4.2.5). validate reports them (SSO094); test-login's rehearsal follows such a setting where it
// moves an endpoint (to a test provider, say) and says that the app would not.
func (a AList) IgnoredSettings(p config.Provider, defaultIssuer string) []ConfigError {
	pl, ok := a.Platform(p.Type)
	if !ok {
		return nil
	}
	name := a.Title + " (" + pl.Value + ")"
	var out []ConfigError
	if pl.Login == nil {
		// OIDC: go-oidc's NewProvider(sso_endpoint_name) and provider.Endpoint() (GetOIDCClient).
		for _, s := range []struct{ key, configured string }{{"authorize_url", p.AuthorizeURL}, {"token_url", p.TokenURL}, {"userinfo_url", p.UserinfoURL}} {
			if s.configured != "" {
				out = append(out, ConfigError{Key: s.key, Message: fmt.Sprintf("%s reads no %s: it takes the endpoints from the discovery document of %s (the issuer)", name, s.key, KeySSOEndpoint),
					Hint: "remove " + s.key + ", or make the provider's discovery document name it"})
			}
		}
		return out
	}
	l := pl.Login.Resolve(p.Issuer)
	if l.Fixed() && p.Issuer != "" && p.Issuer != defaultIssuer {
		out = append(out, ConfigError{Key: "issuer", Message: fmt.Sprintf("%s has no issuer setting: it always sends users to %s", name, l.AuthorizeURL),
			Hint: "remove issuer; " + name + "'s endpoints are fixed"})
	}
	if !l.Fixed() && p.Issuer == "" {
		return out // no endpoint to build from: SSO010 asks for the issuer
	}
	for _, s := range []struct{ key, configured, own, what string }{
		{"authorize_url", p.AuthorizeURL, l.AuthorizeURL, "sends users to"},
		{"token_url", p.TokenURL, l.TokenURL, "redeems the code at"},
		{"userinfo_url", p.UserinfoURL, l.UserURL, "reads the user from"},
	} {
		if s.configured == "" || s.configured == s.own {
			continue
		}
		hint := "remove " + s.key + "; " + name + "'s endpoints are fixed"
		if !l.Fixed() {
			hint = "remove " + s.key + "; " + name + " builds it from " + l.Endpoint + " (issuer here)"
		}
		out = append(out, ConfigError{Key: s.key, Message: fmt.Sprintf("%s reads no %s: it always %s %s", name, s.key, s.what, s.own), Hint: hint})
	}
	return out
}
