package validate_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// check parses text as a config file and validates it with every env: secret set.
func check(t *testing.T, text string) []validate.Finding {
	t.Helper()
	f, err := config.Parse("t.yaml", []byte(text))
	require.NoError(t, err)
	return validate.Run(f, fixtureOptions("t.yaml"))
}

func checkReport(t *testing.T, text string) *validate.Report {
	t.Helper()
	f, err := config.Parse("t.yaml", []byte(text))
	require.NoError(t, err)
	return validate.Check(f, fixtureOptions("t.yaml"))
}

// doc builds a file for app kind/url (none when kind is "") with one provider whose keys are given
// as YAML lines indented by four spaces.
func doc(kind, url string, provider ...string) string {
	var b strings.Builder
	b.WriteString("version: 1\n")
	if kind != "" {
		b.WriteString("app:\n  kind: " + kind + "\n  url: " + url + "\n")
		if kind == "lobechat" {
			// Unversioned, LobeChat is taken for 1.x with a note (SSO093, TestLobeChatVersionUnset).
			b.WriteString("  version: \"1.143.0\"\n")
		}
	}
	b.WriteString("providers:\n")
	for i, line := range provider {
		if i == 0 {
			b.WriteString("  - " + line + "\n")
		} else {
			b.WriteString("    " + line + "\n")
		}
	}
	return b.String()
}

var github = []string{"name: github", "type: github", "client_id: Iv1.abc", "client_secret: env:GITHUB_CLIENT_SECRET"}

func with(base []string, more ...string) []string {
	return append(append([]string{}, base...), more...)
}

func oidc(issuer string, more ...string) []string {
	return with([]string{"name: sso", "type: oidc", "client_id: app", "client_secret: env:SSO_CLIENT_SECRET", "issuer: " + issuer}, more...)
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		codes []string // exact set of codes, sorted; nil for none
		// phrase must appear in the message or hint of a finding (when set).
		phrase string
	}{
		{name: "clean github", text: doc("alist", "https://files.example.com", with(github, "redirect_url: https://files.example.com/api/auth/sso_callback")...)},
		{name: "unknown key with typo", text: doc("", "", with(github, "scops: [read:user]")...), codes: []string{"SSO001"}, phrase: `did you mean "scopes"`},
		{name: "unknown key alias", text: doc("", "", with(github, "callback_url: https://x.example.com/cb")...), codes: []string{"SSO001"}, phrase: `did you mean "redirect_url"`},
		{name: "unknown top-level key lists allowed", text: "version: 1\nfoo: bar\n", codes: []string{"SSO001", "SSO007"}, phrase: "app, ignore, permission_schemes, providers, version"},
		{name: "x- keys hold anchors", text: "version: 1\nx-base: &b {type: github}\nproviders:\n  - {<<: *b, name: gh, client_id: a, client_secret: env:A}\n"},
		{name: "wrong type list of mappings", text: doc("", "", with(github, "roles: {admin: true}")...), codes: []string{"SSO002"}, phrase: "is a mapping, but must be a list"},
		{name: "providers as a mapping", text: "version: 1\nproviders:\n  github: {type: github}\n", codes: []string{"SSO002"}, phrase: "is a mapping, but must be a list"},
		{name: "app as text", text: "version: 1\napp: alist\nproviders: []\n", codes: []string{"SSO002", "SSO007"}},
		{name: "provider as text", text: "version: 1\nproviders: [github]\n", codes: []string{"SSO002"}, phrase: "provider 1 is text, but must be a mapping"},
		{name: "ignore as a mapping", text: "version: 1\nproviders: []\nignore: {code: SSO007}\n", codes: []string{"SSO002", "SSO007"}},
		{name: "json file with $schema", text: `{"$schema": "https://example.com/s.json", "version": 1, "providers": []}`, codes: []string{"SSO007"}},
		{name: "wrong type null", text: doc("", "", with(github, "scopes:")...), codes: []string{"SSO002"}, phrase: "give a value after the colon"},
		{name: "wrong type does not hide other checks", text: doc("", "", with(github, "compat_mode: maybe", "redirect_url: nope")...), codes: []string{"SSO002", "SSO012"}},
		{name: "enum app kind", text: "version: 1\napp: {kind: alsit}\nproviders: []\n", codes: []string{"SSO003", "SSO007"}, phrase: `did you mean "alist"`},
		{name: "enum normalize", text: doc("", "", with(github, "mapping: {username: {normalize: lower}}")...), codes: []string{"SSO003"}, phrase: "handle, none"},
		{name: "ignore code pattern", text: doc("", "", github...) + "ignore: [{code: E12, reason: x}]\n", codes: []string{"SSO003"}, phrase: "codes look like SSO012"},
		{name: "missing name", text: "version: 1\nproviders:\n  - type: github\n    client_id: a\n    client_secret: env:A\n", codes: []string{"SSO004"}, phrase: "has no name"},
		{name: "version as text", text: "version: \"1\"\nproviders: []\n", codes: []string{"SSO005", "SSO007"}, phrase: "without quotes"},
		{name: "required client_secret", text: doc("", "", "name: github", "type: github", "client_id: a"), codes: []string{"SSO010"}, phrase: "env:GITHUB_CLIENT_SECRET"},
		{name: "public client needs no secret", text: doc("", "", "name: op", "type: oidc", "client_id: a", "issuer: https://op.example.com", "token_endpoint_auth_method: none"), codes: nil},
		{name: "public client without pkce", text: doc("", "", "name: op", "type: oidc", "client_id: a", "issuer: https://op.example.com", "token_endpoint_auth_method: none", "pkce: none"), codes: []string{"SSO026"}, phrase: "remove pkce: none"},
		{name: "flavor on github", text: doc("", "", with(github, "flavor: keycloak")...), codes: []string{"SSO027"}, phrase: "flavors apply only to type oidc, not github"},
		{name: "flavor on oidc", text: doc("", "", "name: kc", "type: oidc", "client_id: a", "client_secret: env:A", "issuer: https://kc.example.com/realms/home", "flavor: keycloak"), codes: nil},
		{name: "public client with a secret", text: doc("", "", "name: op", "type: oidc", "client_id: a", "client_secret: env:A", "issuer: https://op.example.com", "token_endpoint_auth_method: none"), codes: []string{"SSO025"}, phrase: "is never sent"},
		{name: "alist has no pkce setting", text: doc("alist", "https://files.example.com", "name: op", "type: oidc", "client_id: a", "client_secret: env:A", "issuer: https://op.example.com", "redirect_url: https://files.example.com/api/auth/sso_callback?method=sso_get_token", "pkce: S256"), codes: []string{"SSO025"}, phrase: "offers no PKCE setting: it sends no PKCE"},
		{name: "alist pkce at kanidm names kanidm's switch", text: doc("alist", "https://files.example.com", "name: op", "type: oidc", "flavor: kanidm", "client_id: files", "client_secret: env:A", "issuer: https://idm.example.com/oauth2/openid/files", "redirect_url: https://files.example.com/api/auth/sso_callback?method=sso_get_token", "pkce: S256"), codes: []string{"SSO025"}, phrase: "(Kanidm: kanidm system oauth2 warning-insecure-client-disable-pkce files)"},
		{name: "unset redirect at keycloak names the screen", text: doc("inventree", "https://inv.example.com", "name: kc", "type: oidc", "flavor: keycloak", "client_id: inv", "client_secret: env:A", "issuer: https://kc.example.com/realms/home"), codes: []string{"SSO021"}, phrase: "(Keycloak: Clients → inv → Settings → Access settings → Valid redirect URIs: add the URI)"},
		{name: "inventree chooses its client auth", text: doc("inventree", "https://inv.example.com", "name: op", "type: oidc", "client_id: a", "client_secret: env:A", "issuer: https://op.example.com", "redirect_url: https://inv.example.com/accounts/op/login/callback/", "token_endpoint_auth_method: client_secret_basic", "pkce: S256"), codes: nil},
		{name: "lobehub sends the body secret anyway", text: strings.Replace(doc("lobechat", "https://chat.example.com", "name: op", "type: oidc", "client_id: a", "client_secret: env:A", "issuer: https://op.example.com", "redirect_url: https://chat.example.com/api/auth/oauth2/callback/op", "token_endpoint_auth_method: client_secret_post"), `version: "1.143.0"`, `version: "2.2.19"`, 1), codes: nil},
		{name: "lobechat 1.x cannot send the body secret", text: strings.Replace(doc("lobechat", "https://chat.example.com", "name: op", "type: oidc", "client_id: a", "client_secret: env:A", "issuer: https://op.example.com", "redirect_url: https://chat.example.com/api/auth/callback/op", "token_endpoint_auth_method: client_secret_post"), `version: "1.143.0"`, `version: "1.110"`, 1), codes: []string{"SSO025"}, phrase: "LobeChat 1.110 cannot be set to client_secret_post: its client authentication is client_secret_basic"},
		{name: "required empty string counts as missing", text: doc("", "", "name: c", "type: casdoor", "client_id: a", "client_secret: env:C", `issuer: ""`), codes: []string{"SSO010"}, phrase: "Casdoor origin"},
		{name: "duplicate names", text: "version: 1\nproviders:\n  - {name: a, type: github, client_id: x, client_secret: env:A}\n  - {name: a, type: github, client_id: y, client_secret: env:A}\n", codes: []string{"SSO011"}},
		{name: "url with other scheme", text: doc("", "", with(github, "redirect_url: ftp://files.example.com/cb")...), codes: []string{"SSO012"}, phrase: "scheme ftp"},
		{name: "url with fragment", text: doc("", "", with(github, "redirect_url: https://files.example.com/cb#x")...), codes: []string{"SSO012"}, phrase: "#fragment"},
		{name: "app url not absolute", text: doc("alist", "files.example.com", github...), codes: []string{"SSO012"}, phrase: "app.url"},
		{name: "http loopback allowed", text: doc("alist", "http://127.0.0.1:5244", with(github, "redirect_url: http://127.0.0.1:5244/api/auth/sso_callback")...)},
		{name: "http localhost allowed", text: doc("", "", with(github, "redirect_url: http://localhost:8080/callback")...)},
		{name: "http issuer refused", text: doc("", "", oidc("http://auth.example.com/realms/x")...), codes: []string{"SSO013"}},
		{name: "http token url refused", text: doc("", "", with(github, "token_url: http://gh.example.com/token")...), codes: []string{"SSO013"}},
		{name: "app url http is fine", text: doc("alist", "http://192.168.1.5:5244", github...), codes: []string{"SSO021"}},
		{name: "redirect host differs", text: doc("photoprism", "https://photos.example.com", oidc("https://kc.example.com/realms/x", "redirect_url: https://photos.example.org/api/v1/oidc/redirect")...), codes: []string{"SSO014"},
			phrase: "redirect_url https://photos.example.org differs from app.url https://photos.example.com in its host (photos.example.org, not photos.example.com)"},
		{name: "redirect port differs", text: doc("alist", "https://files.example.com", with(github, "redirect_url: https://files.example.com:8443/api/auth/sso_callback")...), codes: []string{"SSO014"},
			phrase: "redirect_url https://files.example.com:8443 differs from app.url https://files.example.com in its port (8443, not 443)"},
		// Only the scheme differs: the message named the same host twice ("host files.example.com
		// differs from app.url host files.example.com"); it names the scheme.
		{name: "redirect scheme differs", text: doc("alist", "https://files.example.com", with(github, "redirect_url: http://files.example.com/api/auth/sso_callback")...), codes: []string{"SSO013", "SSO014"},
			phrase: "redirect_url http://files.example.com differs from app.url https://files.example.com in its scheme (http, not https)"},
		{name: "redirect scheme and port differ", text: doc("alist", "https://files.example.com", with(github, "redirect_url: http://files.example.com:8080/api/auth/sso_callback")...), codes: []string{"SSO013", "SSO014"},
			phrase: "in its scheme (http, not https) and port (8080, not 443)"},
		{name: "redirect default port equal", text: doc("alist", "https://files.example.com:443", with(github, "redirect_url: https://FILES.example.com/api/auth/sso_callback")...)},
		// AList builds its platform URLs itself (SSO094): a setting it does not read, set to something else.
		{name: "alist google authorize_url", text: doc("alist", "https://f.example.com", "name: g", "type: google", "client_id: a", "client_secret: env:A", "redirect_url: https://f.example.com/api/auth/sso_callback", "authorize_url: https://sso.example.com/auth"),
			codes: []string{"SSO094"}, phrase: "AList (Google) reads no authorize_url: it always sends users to https://accounts.google.com/o/oauth2/v2/auth"},
		{name: "alist google own urls", text: doc("alist", "https://f.example.com", "name: g", "type: google", "client_id: a", "client_secret: env:A", "redirect_url: https://f.example.com/api/auth/sso_callback", "issuer: https://accounts.google.com", "token_url: https://oauth2.googleapis.com/token")},
		{name: "alist microsoft issuer", text: doc("alist", "https://f.example.com", "name: m", "type: microsoft", "client_id: a", "client_secret: env:A", "redirect_url: https://f.example.com/api/auth/sso_callback", "issuer: https://login.example.com/v2.0"),
			codes: []string{"SSO094"}, phrase: "AList (Microsoft) has no issuer setting: it always sends users to https://login.microsoftonline.com/common/oauth2/v2.0/authorize"},
		{name: "alist casdoor own token_url", text: doc("alist", "https://f.example.com", "name: c", "type: casdoor", "client_id: a", "client_secret: env:A", "redirect_url: https://f.example.com/api/auth/sso_callback", "issuer: https://door.example.com/", "token_url: https://door.example.com/api/login/oauth/access_token")},
		{name: "alist casdoor other userinfo_url", text: doc("alist", "https://f.example.com", "name: c", "type: casdoor", "client_id: a", "client_secret: env:A", "redirect_url: https://f.example.com/api/auth/sso_callback", "issuer: https://door.example.com", "userinfo_url: https://door.example.com/api/get-account"),
			codes: []string{"SSO094"}, phrase: "AList (Casdoor) reads no userinfo_url: it always reads the user from https://door.example.com/api/userinfo"},
		{name: "alist oidc endpoints are discovered", text: doc("alist", "https://f.example.com", oidc("https://auth.example.com/realms/x", "redirect_url: https://f.example.com/api/auth/sso_callback", "authorize_url: https://auth.example.com/realms/x/protocol/openid-connect/auth")...),
			codes: []string{"SSO094"}, phrase: "AList (OIDC) reads no authorize_url: it takes the endpoints from the discovery document of sso_endpoint_name (the issuer)"},
		{name: "alist method query ok", text: doc("alist", "https://f.example.com", with(github, "redirect_url: https://f.example.com/api/auth/sso_callback?method=get_sso_id")...)},
		{name: "alist method query wrong", text: doc("alist", "https://f.example.com", with(github, "redirect_url: https://f.example.com/api/auth/sso_callback?method=login")...), codes: []string{"SSO015"}, phrase: "neither sso_get_token nor get_sso_id"},
		{name: "alist compat path without compat", text: doc("alist", "https://f.example.com", with(github, "redirect_url: https://f.example.com/api/auth/get_sso_id")...), codes: []string{"SSO015"}, phrase: "set compat_mode: true"},
		{name: "alist normal path with compat", text: doc("alist", "https://f.example.com", with(github, "compat_mode: true", "redirect_url: https://f.example.com/api/auth/sso_callback")...), codes: []string{"SSO015"}, phrase: "compat_mode: false"},
		{name: "alist under a path prefix", text: doc("alist", "https://example.com/files/", with(github, "redirect_url: https://example.com/files/api/auth/sso_callback")...)},
		{name: "alist prefix missing", text: doc("alist", "https://example.com/files", with(github, "redirect_url: https://example.com/api/auth/sso_callback")...), codes: []string{"SSO015"}, phrase: "https://example.com/files/api/auth/sso_callback"},
		{name: "inventree allauth id of the type", text: doc("inventree", "https://parts.example.com", with(github, "redirect_url: https://parts.example.com/accounts/github/login/callback/")...)},
		{name: "inventree provider name", text: doc("inventree", "https://parts.example.com", oidc("https://kc.example.com/realms/x", "redirect_url: https://parts.example.com/accounts/sso/login/callback/")...)},
		{name: "lobechat known id", text: doc("lobechat", "https://chat.example.com", oidc("https://auth.example.com/application/o/chat/", "redirect_url: https://chat.example.com/api/auth/callback/authentik")...)},
		{name: "lobechat unknown id", text: doc("lobechat", "https://chat.example.com", oidc("https://auth.example.com/application/o/chat/", "redirect_url: https://chat.example.com/api/auth/callback/okta2")...), codes: []string{"SSO015"}},
		{name: "generic app has no callback rule", text: doc("generic", "https://x.example.com", with(github, "redirect_url: https://x.example.com/whatever", "icon: ./gh.png", "roles: [user]")...)},
		{name: "app kind checks from export", text: doc("generic", "https://x.example.com", with(github, "redirect_url: https://x.example.com/whatever")...), codes: []string{"SSO079"}, phrase: "the form requires an icon"},
		{name: "issuer is discovery url", text: doc("", "", oidc("https://kc.example.com/realms/x/.well-known/openid-configuration")...), codes: []string{"SSO016"}, phrase: "https://kc.example.com/realms/x"},
		{name: "keycloak issuer slash", text: doc("", "", oidc("https://kc.example.com/realms/x/")...), codes: []string{"SSO016"}, phrase: "without it"},
		{name: "keycloak issuer ok", text: doc("", "", oidc("https://kc.example.com/auth/realms/x")...)},
		{name: "authentik issuer ok", text: doc("", "", oidc("https://auth.example.com/application/o/x/")...)},
		{name: "casdoor built-in app", text: doc("", "", "name: c", "type: casdoor", "client_id: a", "client_secret: env:C", "issuer: https://door.example.com", "application: app-built-in"), codes: []string{"SSO017"}},
		{name: "alist microsoft common ok", text: doc("alist", "https://f.example.com", "name: ms", "type: microsoft", "tenant: common", "client_id: a", "client_secret: env:M", "redirect_url: https://f.example.com/api/auth/sso_callback")},
		{name: "redirect unset is a note", text: doc("alist", "https://f.example.com", github...), codes: []string{"SSO021"}, phrase: "add redirect_url: https://f.example.com/api/auth/sso_callback"},
		{name: "redirect unset in compat mode", text: doc("alist", "https://f.example.com", with(github, "compat_mode: true")...), codes: []string{"SSO021"}, phrase: "https://f.example.com/api/auth/sso_get_token"},
		{name: "redirect unset without app url", text: doc("alist", `""`, github...), codes: []string{"SSO023"}, phrase: "AList builds its SSO callback from each request"},
		{name: "redirect default port", text: doc("", "", with(github, "redirect_url: https://files.example.com:443/api/auth/sso_callback")...), codes: []string{"SSO022"}, phrase: "register and write the URL users browse: https://files.example.com/api/auth/sso_callback"},
		{name: "redirect app port on a public host", text: doc("alist", `""`, with(github, "redirect_url: https://files.example.com:5244/api/auth/sso_callback")...), codes: []string{"SSO022", "SSO023"}, phrase: "AList's own port 5244 on a public host"},
		{name: "redirect app port on the LAN", text: doc("", "", with(github, "redirect_url: http://192.168.1.5:5244/cb")...), codes: []string{"SSO013"}},
		{name: "app url with the app's port", text: doc("photoprism", "https://photos.example.com:2342", oidc("https://kc.example.com/realms/x")...), codes: []string{"SSO021", "SSO022"}, phrase: "write the public URL users browse: https://photos.example.com"},
		{name: "app url plain http on the internet", text: doc("inventree", "http://inv.example.com", oidc("https://kc.example.com/realms/x")...), codes: []string{"SSO021", "SSO024"}, phrase: "InvenTree sends http:// redirect URIs"},
		{name: "alist oauth2", text: doc("alist", "https://f.example.com", "name: o", "type: oauth2", "client_id: a", "client_secret: env:O", "authorize_url: https://o.example.com/a", "token_url: https://o.example.com/t", "userinfo_url: https://o.example.com/u", "mapping: {type: custom, rules: {name: $.n, email: $.e}}", "redirect_url: https://f.example.com/api/auth/sso_callback"), codes: []string{"SSO019", "SSO073"}},
		{name: "jayway regex flags compile", text: doc("", "", with(github, "mapping: {type: custom, rules: {name: $.login, email: \"$.emails[?(@.email =~ /.*@example.com/i)].email\"}}")...)},
		{name: "rule syntax in quoted flow value", text: doc("", "", with(github, `mapping: {type: custom, rules: {name: "$.a[", email: $.e}}`)...), codes: []string{"SSO030"}},
		{name: "custom without email", text: doc("", "", with(github, "mapping:", "  type: custom", "  rules: {name: $.login}")...), codes: []string{"SSO031"}, phrase: "no rule for email"},
		{name: "oidc preset on casdoor is fine", text: doc("", "", "name: c", "type: casdoor", "client_id: a", "client_secret: env:C", "issuer: https://door.example.com", "mapping: {type: oidc}")},
		{name: "oidc preset on github", text: doc("", "", with(github, "mapping: {type: oidc}")...), codes: []string{"SSO032"}},
		{name: "github scopes with user", text: doc("", "", with(github, "scopes: [user]")...)},
		{name: "github custom without email needs no user:email", text: doc("", "", with(github, "scopes: [read:user]", "mapping: {type: custom, rules: {name: $.login, email: $.login}}")...), codes: []string{"SSO033"}},
		{name: "oidc scopes without openid", text: doc("", "", oidc("https://kc.example.com/realms/x", "scopes: [email, profile]")...), codes: []string{"SSO033"}, phrase: "no ID token"},
		{name: "oidc username needs profile", text: doc("", "", oidc("https://kc.example.com/realms/x", "scopes: [openid, email]", "mapping: {username: {from: preferred_username}}")...), codes: []string{"SSO033"}, phrase: "lack profile"},
		{name: "alist oidc preferred_username ok", text: doc("alist", "https://f.example.com", oidc("https://kc.example.com/realms/x", "mapping: {username: {from: preferred_username}}", "redirect_url: https://f.example.com/api/auth/sso_callback")...)},
		// Issue 12: SSO034 checks the key export writes (mapping.AListUsernameKey), not username.from's text.
		{name: "alist from name writes preferred_username: no SSO034", text: doc("alist", "https://f.example.com", oidc("https://kc.example.com/realms/x", "mapping: {username: {from: name}}", "redirect_url: https://f.example.com/api/auth/sso_callback")...)},
		{name: "alist rules name $.name: SSO034", text: doc("alist", "https://f.example.com", oidc("https://kc.example.com/realms/x", "mapping: {rules: {name: $.name}}", "redirect_url: https://f.example.com/api/auth/sso_callback")...),
			codes: []string{"SSO034", "SSO073"}, phrase: "the name rule ($.name) makes sso_oidc_username_key name"},
		{name: "alist from $.name is read literally: SSO037", text: doc("alist", "https://f.example.com", oidc("https://kc.example.com/realms/x", "mapping: {username: {from: $.name}}", "redirect_url: https://f.example.com/api/auth/sso_callback")...),
			codes: []string{"SSO037"}, phrase: "write the claim's name: username.from: name"},
		{name: "openlist from email: SSO034", text: doc("openlist", "https://f.example.com", oidc("https://kc.example.com/realms/x", "mapping: {username: {from: email}}", "redirect_url: https://f.example.com/api/auth/sso_callback")...),
			codes: []string{"SSO034"}, phrase: "OpenList uses that claim"},
		{name: "alist version outside the modelled range", text: strings.Replace(doc("alist", "https://f.example.com", oidc("https://kc.example.com/realms/x", "redirect_url: https://f.example.com/api/auth/sso_callback")...), "  kind: alist\n", "  kind: alist\n  version: \"3.40\"\n", 1),
			codes: []string{"SSO009"}, phrase: "AList 3.40 is outside the versions ssoctl models (3.45 to 3.63): checks and predictions follow AList 3.45"},
		{name: "alist version in range", text: strings.Replace(doc("alist", "https://f.example.com", oidc("https://kc.example.com/realms/x", "redirect_url: https://f.example.com/api/auth/sso_callback")...), "  kind: alist\n", "  kind: alist\n  version: \"3.50\"\n", 1)},
		{name: "photoprism nickname ok", text: doc("photoprism", "https://p.example.com", oidc("https://kc.example.com/realms/x", "mapping: {username: {from: nickname}}", "redirect_url: https://p.example.com/api/v1/oidc/redirect")...)},
		{name: "lark rules under data ok", text: doc("", "", "name: l", "type: lark", "client_id: a", "client_secret: env:L", "mapping: {type: custom, rules: {name: $.data.name, email: \"$['data'].email\"}}")},
		{name: "permission sum ok", text: doc("", "", with(github, "registration: {default_permission: 768}")...)},
		{name: "permission negative", text: doc("", "", with(github, "registration: {default_permission: -1}")...), codes: []string{"SSO003"}},
		{name: "permission list with single-bit number", text: doc("", "", with(github, "registration: {default_permission: [256, webdav_manage]}")...)},
		{name: "permission from user scheme", text: "version: 1\npermission_schemes: [{name: wiki, bits: [{bit: 0, name: read}]}]\n" + strings.TrimPrefix(doc("", "", with(github, "registration: {permission_scheme: wiki, default_permission: [read, write]}")...), "version: 1\n"), codes: []string{"SSO040"}, phrase: `unknown permission "write" in scheme wiki`},
		{name: "scheme bit out of range", text: "version: 1\npermission_schemes: [{name: wiki, bits: [{bit: 70, name: read}]}]\nproviders: []\n", codes: []string{"SSO003", "SSO007"}},
		{name: "domain with at", text: doc("", "", with(github, "registration: {allowed_domains: [\"@example.com\"]}")...), codes: []string{"SSO044"}, phrase: "write example.com"},
		{name: "domain url", text: doc("", "", with(github, "registration: {allowed_domains: [\"https://example.com/\"]}")...), codes: []string{"SSO044"}, phrase: "write only the domain: example.com"},
		{name: "domain single label", text: doc("", "", with(github, "registration: {allowed_domains: [localhost]}")...), codes: []string{"SSO044"}},
		{name: "domain wildcard", text: doc("", "", with(github, "registration: {allowed_domains: [\"*.example.com\"]}")...), codes: []string{"SSO044"}},
		{name: "domain idn ok", text: doc("", "", with(github, "registration: {allowed_domains: [bücher.example, xn--bcher-kva.example]}")...)},
		{name: "group map padded key", text: doc("", "", with(github, "groups: {map: {\"admins \": admin}}")...), codes: []string{"SSO050"}},
		{name: "group map empty key", text: doc("", "", with(github, "groups: {map: {\"\": admin}}")...), codes: []string{"SSO050"}},
		{name: "secret env bad name", text: doc("", "", "name: g", "type: github", "client_id: a", "client_secret: env:MY-SECRET"), codes: []string{"SSO063"}},
		{name: "secret keyring malformed", text: doc("", "", "name: g", "type: github", "client_id: a", "client_secret: keyring:ssoctl"), codes: []string{"SSO063"}},
		{name: "secret ENV upper case", text: doc("", "", "name: g", "type: github", "client_id: a", "client_secret: \"ENV: GH\""), codes: []string{"SSO063"}, phrase: "env:GH"},
		{name: "secret file empty path", text: doc("", "", "name: g", "type: github", "client_id: a", "client_secret: \"file:\""), codes: []string{"SSO063"}},
		{name: "secret literal never printed", text: doc("", "", "name: g", "type: github", "client_id: a", "client_secret: s3cr3t-value"), codes: []string{"SSO060"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := check(t, tt.text)
			assert.Equal(t, tt.codes, codesOf(fs), "findings: %+v", fs)
			var text []string
			for _, f := range fs {
				text = append(text, f.Message, f.Hint)
				assert.NotContains(t, f.Message+f.Hint, "s3cr3t-value", "a literal secret leaked into a finding")
				assert.Positive(t, f.Line, "%s has no line", f.Code)
			}
			if tt.phrase != "" {
				assert.Contains(t, strings.Join(text, "\n"), tt.phrase)
			}
		})
	}
}

func TestSecretFileMissing(t *testing.T) {
	f, err := config.Parse("t.yaml", []byte(doc("", "", "name: g", "type: github", "client_id: a", "client_secret: file:/nonexistent/ssoctl-secret")))
	require.NoError(t, err)
	fs := validate.Run(f, validate.Options{Stat: os.Stat})
	assert.Equal(t, []string{"SSO064"}, codesOf(fs))
	assert.Contains(t, fs[0].Message, "no such file or directory")
}

func TestEnvUnsetUsesLookupEnv(t *testing.T) {
	f, err := config.Parse("t.yaml", []byte(doc("", "", github...)))
	require.NoError(t, err)
	fs := validate.Run(f, validate.Options{LookupEnv: func(string) (string, bool) { return "", true }})
	require.Equal(t, []string{"SSO061"}, codesOf(fs), "an empty variable counts as unset")
	assert.Equal(t, "providers[0].client_secret", fs[0].Path)
	assert.Equal(t, "github", fs[0].Provider)
	assert.Equal(t, [2]int{6, 20}, [2]int{fs[0].Line, fs[0].Column})
}

// TestFindingFields pins the fields of a finding, including the path form and the provider.
func TestFindingFields(t *testing.T) {
	text := "version: 1\nproviders:\n  - name: kc\n    type: oidc\n    issuer: https://kc.example.com/realms/x\n    client_id: a\n    client_secret: env:A\n    groups:\n      map:\n        \"/inventree/admins\": \"\"\n"
	fs := check(t, text)
	require.Len(t, fs, 1)
	assert.Equal(t, validate.Finding{
		Code: "SSO050", Severity: validate.SeverityError, Provider: "kc", Path: `providers[0].groups.map["/inventree/admins"]`,
		File: "t.yaml", Line: 10, Column: 30, Message: `IdP group "/inventree/admins" maps to an empty app group`,
		Hint: "name the app group it grants, or remove the entry",
	}, fs[0])
}

func TestDecodeErrorsNeverPass(t *testing.T) {
	// A value the schema allows but Go cannot hold: a bit index beyond int64.
	text := "version: 1\npermission_schemes: [{name: w, bits: [{bit: 99999999999999999999999, name: r}]}]\nproviders: []\n"
	fs := check(t, text)
	s := validate.Summarize(fs)
	assert.Positive(t, s.Errors)
}

// TestLobeChatVersionUnset: an unversioned lobechat is LobeChat 1.x for validate too (its callback
// passes, LobeHub 2.x's is SSO015 naming the 1.x path), and validate says so once, as a note.
func TestLobeChatVersionUnset(t *testing.T) {
	unversioned := func(redirect string) string {
		return strings.Replace(doc("lobechat", "https://chat.example.com", oidc("https://auth.example.com/application/o/chat/", "redirect_url: "+redirect)...), "  version: \"1.143.0\"\n", "", 1)
	}
	fs := check(t, unversioned("https://chat.example.com/api/auth/callback/sso"))
	require.Equal(t, []string{"SSO093"}, codesOf(fs))
	assert.Equal(t, validate.SeverityNote, fs[0].Severity)
	assert.Contains(t, fs[0].Message, "app.version is unset, so ssoctl takes this for LobeChat 1.x (Auth.js): callbacks at /api/auth/callback/<id>")
	assert.Contains(t, fs[0].Message, "LobeHub 2.x (Better Auth) calls back at /api/auth/oauth2/callback/<id>")
	assert.False(t, validate.Summarize(fs).Failed(true), "a note never fails, not even with --strict")

	fs = check(t, unversioned("https://chat.example.com/api/auth/oauth2/callback/sso"))
	assert.Equal(t, []string{"SSO015", "SSO093"}, codesOf(fs))
	i := slices.IndexFunc(fs, func(f validate.Finding) bool { return f.Code == "SSO015" })
	assert.Contains(t, fs[i].Message, "is not the LobeChat callback: LobeChat 1.x (Auth.js) calls back at /api/auth/callback/sso")

	// A versioned 2.x file: no note, and SSO015 names 2.x's path.
	fs = check(t, strings.Replace(unversioned("https://chat.example.com/api/auth/callback/sso"), "  kind: lobechat\n", "  kind: lobechat\n  version: \"2.2.19\"\n", 1))
	assert.Equal(t, []string{"SSO015"}, codesOf(fs))
	assert.Contains(t, fs[0].Message, "is not the LobeChat callback: LobeHub 2.2.19 (Better Auth) calls back at /api/auth/oauth2/callback/sso")
}

// TestAssumedAppVersion: an unset app.version is stated in the report, not as a finding.
func TestAssumedAppVersion(t *testing.T) {
	r := checkReport(t, doc("alist", "https://f.example.com", with(github, "redirect_url: https://f.example.com/api/auth/sso_callback")...))
	assert.Equal(t, "AList 3.63", r.Assumed)
	r = checkReport(t, strings.Replace(doc("openlist", "https://f.example.com", with(github)...), "  kind: openlist\n", "  kind: openlist\n  version: \"4.2.5\"\n", 1))
	assert.Empty(t, r.Assumed)
	r = checkReport(t, doc("photoprism", "https://p.example.com", with(github)...))
	assert.Empty(t, r.Assumed, "an app without modelled versions assumes nothing")
}
