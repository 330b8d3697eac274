package validate

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"

	appmodel "github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

const mappingCustom = mapping.Custom

// oidcTypes are the provider types that speak OpenID Connect: their userinfo is standard claims.
var oidcTypes = []string{config.TypeGoogle, config.TypeMicrosoft, config.TypeCasdoor, config.TypeOIDC}

func (c *checker) checkMapping(i int, p *config.Provider) {
	m := p.Mapping
	var rules map[string]string
	if m != nil {
		rules = m.Rules
	}
	if pr, ok := provider.Lookup(p.Type); ok && pr.EffectiveMappingType(*p) == mapping.Custom {
		var missing []string
		for _, f := range []string{mapping.FieldName, mapping.FieldEmail} {
			if strings.TrimSpace(rules[f]) == "" {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			at := provSegs(i, "mapping", "rules")
			if c.node(at...) == nil {
				at = provSegs(i, "mapping")
			}
			what := "custom mapping"
			if m == nil || m.Type == "" {
				what = fmt.Sprintf("mapping (custom, the default for %s)", p.Type)
			}
			c.add(CodeMappingRulesMissing, at, fmt.Sprintf("%s of provider %q has no rule for %s", what, p.Name, strings.Join(missing, " and ")),
				fmt.Sprintf("add mapping: {type: custom, rules: {%s}}", exampleRules(p.Type, missing)))
		}
	}
	if m == nil {
		return
	}
	segs := provSegs(i, "mapping")
	if m.Type != "" && m.Type != mappingCustom && m.Type != p.Type && !(m.Type == config.TypeOIDC && slices.Contains(oidcTypes, p.Type)) {
		c.add(CodeMappingPreset, join(segs, "type"), fmt.Sprintf("mapping preset %s reads %s userinfo, but provider %q is of type %s", m.Type, m.Type, p.Name, p.Type),
			fmt.Sprintf("use type: %s, or custom with your own rules", presetFor(p.Type)))
	}
	c.checkRules(i, p)
	c.checkUsername(i, p)
}

func presetFor(typ string) string {
	if typ == config.TypeOAuth2 {
		return mappingCustom
	}
	return typ
}

func exampleRules(typ string, fields []string) string {
	ex := map[string]map[string]string{
		config.TypeGitHub: {"name": "$.login", "email": "$.email"},
		config.TypeLark:   {"name": "$.data.name", "email": "$.data.email"},
	}[typ]
	parts := make([]string, len(fields))
	for j, f := range fields {
		v := ex[f]
		if v == "" {
			v = map[string]string{"name": "$.preferred_username", "email": "$.email"}[f]
		}
		parts[j] = f + ": " + v
	}
	return strings.Join(parts, ", ")
}

// checkRules checks each rule's text: Lark's envelope; the JSONPath syntax itself is checked by
// checkRuleSyntax.
func (c *checker) checkRules(i int, p *config.Provider) {
	fields := make([]string, 0, len(p.Mapping.Rules))
	for f := range p.Mapping.Rules {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		rule := p.Mapping.Rules[f]
		segs := provSegs(i, "mapping", "rules", f)
		if !c.checkRuleSyntax(segs, f, rule) {
			continue
		}
		if col, reason, found := mapping.DialectDifference(rule); found {
			line, at := c.ruleColumn(segs, col)
			c.addAt(CodeMappingDialect, segs, line, at,
				fmt.Sprintf("rule %s %q means something else in RFC 9535 at column %d: %s", f, rule, col, reason),
				"the apps read rules as Jayway does, and so does ssoctl by default; compare with ssoctl map query --dialect rfc9535 if the rule may be used elsewhere")
		}
		if p.Type == config.TypeLark && !strings.HasPrefix(strings.TrimSpace(rule), "$.data") && !strings.HasPrefix(strings.TrimSpace(rule), "$['data']") {
			c.add(CodeLarkRuleRoot, segs, fmt.Sprintf("Lark rule for %s (%s) does not read under $.data", f, rule),
				"Lark wraps userinfo in {code, msg, data}: write $.data."+strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(rule), "$."), "$"))
		}
	}
}

// usernameClaims are the claims PhotoPrism can derive usernames from (PHOTOPRISM_OIDC_USERNAME).
var photoprismUsernameClaims = []string{"preferred_username", "name", "nickname", "email"}

func (c *checker) checkUsername(i int, p *config.Provider) {
	if c.cfg.App == nil {
		return
	}
	if appmodel.IsAListKind(c.cfg.App.Kind) {
		c.checkAListUsernameKey(i, p)
		return
	}
	u := p.Mapping.Username
	if u == nil || u.From == "" {
		return
	}
	segs := provSegs(i, "mapping", "username", "from")
	switch c.cfg.App.Kind {
	case config.AppPhotoPrism:
		if !slices.Contains(photoprismUsernameClaims, u.From) {
			c.add(CodeUsernameClaim, segs, fmt.Sprintf("PhotoPrism cannot derive usernames from %q", u.From),
				"use one of "+strings.Join(photoprismUsernameClaims, ", "))
		}
	}
}

// checkAListUsernameKey checks the sso_oidc_username_key export writes, computed by the one
// function export and map eval use (mapping.AListUsernameKey): a key written as a JSONPath, which
// AList reads literally (SSO037), and a display name or email as both username and SSO id (SSO034).
// The finding sits at username.from when the file sets it, else at the rule the key comes from.
func (c *checker) checkAListUsernameKey(i int, p *config.Provider) {
	if p.Type != config.TypeOIDC {
		return
	}
	a, ok := appmodel.AListKind(c.cfg.App.Kind, "")
	if !ok {
		return
	}
	k := mapping.AListUsernameKey(a, *p)
	segs := provSegs(i, "mapping", "username", "from")
	if c.node(segs...) == nil {
		segs = provSegs(i, "mapping", "rules", k.From)
		if c.node(segs...) == nil {
			segs = provSegs(i, "mapping")
		}
	}
	switch {
	case k.PathLike:
		c.add(CodeUsernameKeyPath, segs,
			fmt.Sprintf("username.from %s is exported to sso_oidc_username_key as it is, and %s reads that key literally: it finds no claim named %q and refuses every login with \"%s\"", k.From, a.Title, k.Key, appmodel.MsgOIDCNoUsername),
			fmt.Sprintf("write the claim's name: username.from: %s", k.Meant))
	case k.Key == "name" || k.Key == "email":
		what := fmt.Sprintf("username.from %s", k.From)
		if k.Rule != "" {
			what = fmt.Sprintf("the %s rule (%s)", k.From, k.Rule)
		}
		c.add(CodeUsernameUnstable, segs,
			fmt.Sprintf("%s makes sso_oidc_username_key %s: %s uses that claim as both username and SSO id, and %s values change and collide", what, k.Key, a.Title, k.Key),
			"use the preferred_username claim (or sub for an id that never changes)")
	}
}

// checkScopes warns when the requested scopes cannot give the mapping what it reads. Without
// explicit scopes the provider's defaults apply, which are chosen to fit the presets.
func (c *checker) checkScopes(i int, p *config.Provider) {
	if len(p.Scopes) == 0 {
		return
	}
	segs := provSegs(i, "scopes")
	has := func(s ...string) bool {
		for _, x := range s {
			if slices.Contains(p.Scopes, x) {
				return true
			}
		}
		return false
	}
	m := p.Mapping
	needsEmail := m == nil || m.Type != mappingCustom || strings.TrimSpace(m.Rules["email"]) != ""
	switch {
	case p.Type == config.TypeGitHub:
		if needsEmail && !has("user:email", "user") {
			c.add(CodeScopeMissing, segs, "scopes lack user:email, so the email GitHub returns is often null",
				"add user:email: GitHub's /user shows only a public email; the real addresses come from /user/emails, which needs user:email")
		}
	case slices.Contains(oidcTypes, p.Type):
		if !has("openid") {
			c.add(CodeScopeMissing, segs, "scopes lack openid, so the provider issues no ID token",
				"add openid to scopes")
		}
		if needsEmail && !has("email") {
			c.add(CodeScopeMissing, segs, "scopes lack email, so the email claim is missing from userinfo",
				"add email to scopes")
		}
		if c.needsProfile(p) && !has("profile") {
			c.add(CodeScopeMissing, segs, "scopes lack profile, so name and preferred_username are missing from userinfo",
				"add profile to scopes")
		}
	}
}

var profileClaims = []string{"name", "preferred_username", "nickname", "given_name", "family_name"}

func (c *checker) needsProfile(p *config.Provider) bool {
	m := p.Mapping
	if m == nil {
		return false
	}
	if m.Username != nil && slices.Contains(profileClaims, m.Username.From) && (m.Type != mappingCustom || m.Rules[m.Username.From] == "") {
		return true
	}
	for _, r := range m.Rules {
		for _, claim := range profileClaims {
			if strings.TrimSpace(r) == "$."+claim || strings.TrimSpace(r) == "$['"+claim+"']" {
				return true
			}
		}
	}
	return false
}

// checkRuleSyntax compiles a rule in the Jayway dialect the apps document and reports a syntax error
// at the column it concerns, when the rule is written on one line as it reads. It reports whether
// the rule compiled.
func (c *checker) checkRuleSyntax(segs []string, field, rule string) bool {
	_, err := mapping.Compile(field, rule, mapping.Jayway)
	if err == nil {
		return true
	}
	line, col := c.position(segs)
	var se *mapping.SyntaxError
	if errors.As(err, &se) && se.Column > 0 {
		line, col = c.ruleColumn(segs, se.Column)
	}
	hint := hintOf(err)
	if hint == "" {
		hint = `test the rule with "ssoctl map query" against a sample userinfo document`
	}
	c.addAt(CodeMappingRuleSyntax, segs, line, col, err.Error(), hint)
	return false
}

// ruleColumn places column ruleCol of the rule at segs in the file, when the rule is written on one
// line as it reads; otherwise it gives the rule's own position.
func (c *checker) ruleColumn(segs []string, ruleCol int) (line, col int) {
	line, col = c.position(segs)
	if n := c.node(segs...); n != nil && n.Kind == yaml.ScalarNode && n.Line > 0 {
		if off := c.valueOffset(n); off >= 0 {
			col = n.Column + off + ruleCol - 1
		}
	}
	return line, col
}

// valueOffset returns how many characters after the node's column its value starts (0 for plain
// scalars, 1 for quoted ones), or -1 when the source text differs from the value (escapes, folded
// lines), so that column arithmetic would be wrong.
func (c *checker) valueOffset(n *yaml.Node) int {
	lines := c.lines()
	if n.Line > len(lines) || n.Line < 1 {
		return -1
	}
	text := []rune(lines[n.Line-1])
	start := n.Column - 1
	off := 0
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		off = 1
	}
	value := []rune(n.Value)
	if start+off+len(value) > len(text) || string(text[start+off:start+off+len(value)]) != n.Value {
		return -1
	}
	return off
}
