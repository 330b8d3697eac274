package export

import (
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// formRuleFields are the rule fields a "custom mapping rules" form takes, in its order: name and
// email required, the rest optional (TDengine IDMP's OAuth form, reference/apps.md).
var formRuleFields = []string{mapping.FieldName, mapping.FieldEmail, mapping.FieldNickname, mapping.FieldPhone, mapping.FieldDescription}

// Mapping types of the generic form.
const (
	formMappingGitHub = "GITHUB"
	formMappingLark   = "LARK"
	formMappingCustom = "CUSTOM"
)

// exportGeneric writes the fields of a typical "custom OAuth" admin form: endpoints, client, scope,
// the user info mapping (a preset the form knows, or JSONPath rules) and the roles new users get.
func exportGeneric(in *input) (*Result, error) {
	p := in.p
	if p.ClientID == "" {
		return nil, missing(in, "client_id", "the form's Client ID")
	}
	secret, secretNote, err := in.secret("the form's Client Secret")
	if err != nil {
		return nil, err
	}
	authorize, token, userinfo := in.ep.AuthorizeURL, in.ep.TokenURL, in.ep.UserinfoURL
	if d := in.opts.Discovery; d != nil {
		authorize, token, userinfo = or(authorize, d.AuthorizationEndpoint), or(token, d.TokenEndpoint), or(userinfo, d.UserinfoEndpoint)
	}
	for _, e := range []struct{ key, val, label string }{
		{"authorize_url", authorize, "Authorize URL"}, {"token_url", token, "Token URL"}, {"userinfo_url", userinfo, "User Info URL"},
	} {
		if e.val == "" {
			m := missing(in, e.key, "the form's "+e.label)
			if in.preset.OIDC {
				m.hint = "add --discover to read the endpoints from the issuer's discovery document, or set " + e.key + " for provider " + p.Name + " in the config file"
			}
			return nil, m
		}
	}
	if p.RedirectURL == "" {
		m := missing(in, "redirect_url", "the form's Redirect URL")
		m.hint = "set redirect_url to the callback URL the app's OAuth settings page shows"
		return nil, m
	}
	name := p.DisplayName
	if name == "" {
		name = in.preset.Title
		if p.Type == config.TypeOIDC || p.Type == config.TypeOAuth2 {
			name = p.Name
		}
	}
	mtype, rules := formMapping(p)
	roles := p.Roles
	if roles == nil {
		roles = []string{}
	}
	doc := Object{
		{"icon", p.Icon},
		{"name", name},
		{"clientId", p.ClientID},
		{"clientSecret", secret},
		{"authorizeUrl", authorize},
		{"tokenUrl", token},
		{"userInfoUrl", userinfo},
		{"redirectUrl", p.RedirectURL},
		{"scope", strings.Join(in.ep.Scopes, " ")},
		{"userInfoMappingType", mtype},
	}
	if rules != nil {
		doc = append(doc, Field{"customMappingRules", rules})
	}
	doc = append(doc, Field{"roles", roles})

	labels := map[string]string{
		"icon": "Icon", "name": "Name", "clientId": "Client ID", "clientSecret": "Client Secret",
		"authorizeUrl": "Authorize URL", "tokenUrl": "Token URL", "userInfoUrl": "User Info URL",
		"redirectUrl": "Redirect URL", "scope": "Scope", "userInfoMappingType": "User Info Mapping Type",
		"customMappingRules": "Custom Mapping Rules", "roles": "Role Configuration",
	}
	r := &Result{doc: doc}
	for _, f := range doc {
		v := valueText(f.Value)
		if f.Key == "roles" {
			v = Lit(strings.Join(roles, ", "))
		}
		r.rows = append(r.rows, Row{Key: labels[f.Key], Value: v})
	}
	r.Callbacks = []string{p.RedirectURL}
	if secretNote != "" {
		r.Notes = append(r.Notes, secretNote)
	}
	switch p.Type {
	case config.TypeDingTalk:
		r.Notes = append(r.Notes, "DingTalk takes a JSON token request and sends the code as authCode: the app's OAuth client must know DingTalk for this to work")
	case config.TypeGitHub:
		r.Notes = append(r.Notes, "GitHub's /user often has \"email\": null; the app needs the user:email scope and must read /user/emails for the address")
	}
	return r, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// formMapping is the form's mapping type and, for CUSTOM, its rules. The form's GITHUB and LARK
// presets read what ssoctl's github and lark presets read; any other mapping, or one with rules of
// its own, is written out as CUSTOM rules.
func formMapping(p config.Provider) (string, Object) {
	pr := presetOf(p)
	eff := pr.EffectiveMappingType(p)
	own := p.Mapping != nil && len(p.Mapping.Rules) > 0
	switch {
	case eff == config.TypeGitHub && !own:
		return formMappingGitHub, nil
	case eff == config.TypeLark && !own:
		return formMappingLark, nil
	}
	all := mapping.EffectiveRules(p, "", nil)
	rules := Object{}
	for _, f := range formRuleFields {
		if r, ok := all[f]; ok && r != "" {
			rules = append(rules, Field{f, r})
		}
	}
	return formMappingCustom, rules
}

func checkGeneric(in *input) []Warning {
	p := in.p
	c := caps{title: "the generic OAuth form", maxRoles: -1, customMapping: true, scopes: true, displayName: true, icon: true,
		groupsHint: "give users their roles through roles:, or manage groups in the app itself"}
	w := checkCaps(in, c)
	if usernameSet(p) {
		w = append(w, Warning{CodeUsernameUnsupported, "mapping.username", "the generic OAuth form has no username settings; mapping.username is not exported",
			"check how the app names new users, and remove mapping.username"})
	}
	if p.Mapping != nil && p.Mapping.Rules[mapping.FieldID] != "" {
		w = append(w, Warning{CodeMappingUnsupported, "mapping.rules.id", "the generic OAuth form has no id rule; mapping.rules.id is not exported",
			"the app identifies users by its own means; remove the id rule to silence this"})
	}
	if p.Icon == "" {
		w = append(w, Warning{CodeFormFieldMissing, "icon", "the form requires an icon, and the provider has none",
			"set icon to an image URL or file (PNG, JPG, SVG) for the login button"})
	}
	if len(p.Roles) == 0 {
		w = append(w, Warning{CodeFormFieldMissing, "roles", "the form requires the roles users from this provider get, and the provider has none",
			"set roles: to the app's system roles, e.g. roles: [user]"})
	}
	return w
}
