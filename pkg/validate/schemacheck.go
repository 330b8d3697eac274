package validate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/agnivade/levenshtein"
	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/config"
)

type compiledSchema struct {
	// schema validates; see schemaeval.go for why it is not a JSON Schema library.
	schema *schemaNode
	// raw is the schema document, read to find property names and descriptions for hints.
	raw map[string]any
	// home maps a key to the section it belongs in, for keys written one level too high or low.
	home map[string]string
}

// loadSchema compiles the embedded schema once; a schema that does not compile is a bug caught by
// the package's tests, so it panics rather than making every caller handle an impossible error.
var loadSchema = sync.OnceValue(func() *compiledSchema {
	var raw map[string]any
	if err := json.Unmarshal(config.JSONSchema(), &raw); err != nil {
		panic(fmt.Sprintf("embedded config schema: %v", err))
	}
	sch, err := compileSchema(validationSchema(config.JSONSchema()))
	if err != nil {
		panic(fmt.Sprintf("embedded config schema: %v", err))
	}
	cs := &compiledSchema{schema: sch, raw: raw, home: map[string]string{}}
	for _, sec := range []struct{ key, def string }{
		{"app", "app"}, {"mapping", "mapping"}, {"username", "username"}, {"groups", "groups"}, {"registration", "registration"},
	} {
		for p := range cs.props(cs.def(sec.def)) {
			if _, dup := cs.home[p]; !dup {
				cs.home[p] = sec.key
			}
		}
	}
	return cs
})

// validationSchema returns the schema document validate checks against. The per-type required
// fields (provider allOf if/then) are for editors; validate reports them as SSO010 with better
// messages, so this copy leaves them out and saves evaluating eight conditions per provider.
func validationSchema(doc []byte) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		return doc
	}
	var defs map[string]json.RawMessage
	if err := json.Unmarshal(m["$defs"], &defs); err != nil {
		return doc
	}
	var prov map[string]json.RawMessage
	if err := json.Unmarshal(defs["provider"], &prov); err != nil {
		return doc
	}
	delete(prov, "allOf")
	defs["provider"], _ = json.Marshal(prov)
	m["$defs"], _ = json.Marshal(defs)
	out, _ := json.Marshal(m)
	return out
}

func (cs *compiledSchema) def(name string) map[string]any {
	defs, _ := cs.raw["$defs"].(map[string]any)
	d, _ := defs[name].(map[string]any)
	return d
}

func (cs *compiledSchema) resolve(s map[string]any) map[string]any {
	for i := 0; s != nil && i < 10; i++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		s = cs.def(strings.TrimPrefix(ref, "#/$defs/"))
	}
	return s
}

func (cs *compiledSchema) props(s map[string]any) map[string]any {
	p, _ := s["properties"].(map[string]any)
	return p
}

// at returns the schema that describes the instance at segs, or nil.
func (cs *compiledSchema) at(segs []string) map[string]any {
	s := cs.resolve(cs.raw)
	for _, seg := range segs {
		if s == nil {
			return nil
		}
		if items, ok := s["items"].(map[string]any); ok {
			if _, err := strconv.Atoi(seg); err == nil {
				s = cs.resolve(items)
				continue
			}
		}
		if p, ok := cs.props(s)[seg].(map[string]any); ok {
			s = cs.resolve(p)
			continue
		}
		ap, _ := s["additionalProperties"].(map[string]any)
		s = cs.resolve(ap)
	}
	return s
}

func (cs *compiledSchema) description(segs []string) string {
	if s := cs.at(segs); s != nil {
		d, _ := s["description"].(string)
		return d
	}
	return ""
}

// checkSchema validates the document against the JSON Schema and reports each violation at the node
// it concerns. Per-type required fields and the version are left to the Go checks, which say more.
func (c *checker) checkSchema() {
	cs := loadSchema()
	for _, e := range cs.schema.evalSchema(toValue(c.root)) {
		c.schemaFinding(cs, e)
	}
}

func (c *checker) schemaFinding(cs *compiledSchema, e schemaError) {
	loc := e.loc
	if len(loc) > 0 && loc[0] == "version" {
		return // SSO005 reports it with a better message
	}
	where := c.describeLocation(loc)
	switch e.kind {
	case errAdditionalProperties, errRequired:
	case errType:
		c.noteSchemaFinding(CodeWrongType, loc)
	default:
		c.noteSchemaFinding(CodeInvalidValue, loc)
	}
	switch e.kind {
	case errAdditionalProperties:
		for _, p := range e.names {
			c.addKey(CodeUnknownKey, join(loc, p), fmt.Sprintf("unknown key %q in %s", p, where), c.unknownKeyHint(cs, loc, p))
		}
	case errRequired:
		for _, m := range e.names {
			if len(loc) == 0 && m == "version" {
				continue
			}
			hint := fmt.Sprintf("add %s:", m)
			if d := cs.description(append(slices.Clone(loc), m)); d != "" {
				hint = fmt.Sprintf("add %s: (%s)", m, strings.TrimSuffix(d, "."))
			}
			c.add(CodeMissingKey, loc, fmt.Sprintf("%s has no %s", where, m), hint)
		}
	case errType:
		c.badTypes[strings.Join(loc, "/")] = true
		n := c.node(loc...)
		want := make([]string, len(e.names))
		for i, w := range e.names {
			want[i] = typeName(w)
		}
		c.add(CodeWrongType, loc, fmt.Sprintf("%s is %s, but must be %s", where, nodeKindName(n), strings.Join(want, " or ")), typeHint(n, e.names, lastSeg(loc)))
	case errEnum:
		got := fmt.Sprint(e.got)
		hint := "use one of " + strings.Join(e.names, ", ")
		if s := closest(got, e.names); s != "" {
			hint = fmt.Sprintf("did you mean %q? %s", s, hint)
		}
		c.add(CodeInvalidValue, loc, fmt.Sprintf("%s is not one of the allowed values", c.subject(loc, got)), hint)
	case errPattern:
		got := fmt.Sprint(e.got)
		c.add(CodeInvalidValue, loc, fmt.Sprintf("%s is not allowed: %s", c.subject(loc, got), patternRule(loc)), patternHint(loc, got))
	default:
		c.add(CodeInvalidValue, loc, fmt.Sprintf("%s: %s", where, e.describe()),
			`see "ssoctl config schema" for the allowed values`)
	}
}

// describeLocation names an instance location for a message: `redirect_url of provider "github"`.
func (c *checker) describeLocation(loc []string) string {
	return c.subject(loc, "")
}

// subject is describeLocation with the value quoted after the field: `type "gitlab" of provider "x"`.
func (c *checker) subject(loc []string, value string) string {
	if value != "" {
		value = " " + strconv.Quote(value)
	}
	if len(loc) == 0 {
		return "the file's top level"
	}
	if len(loc) >= 2 && loc[0] == "providers" {
		who := "provider " + loc[1]
		if name := c.providerName(loc); name != "" {
			who = fmt.Sprintf("provider %q", name)
		} else if i, err := strconv.Atoi(loc[1]); err == nil {
			who = fmt.Sprintf("provider %d", i+1)
		}
		if len(loc) == 2 {
			return who + value
		}
		return renderPath(c.node("providers", loc[1]), loc[2:]) + value + " of " + who
	}
	return renderPath(c.root, loc) + value
}

func (c *checker) unknownKeyHint(cs *compiledSchema, loc []string, key string) string {
	allowed := make([]string, 0, 16)
	for p := range cs.props(cs.at(loc)) {
		if p != "$schema" {
			allowed = append(allowed, p)
		}
	}
	slices.Sort(allowed)
	suggest := ""
	if snake := toSnake(key); snake != key && slices.Contains(allowed, snake) {
		suggest = snake
	} else if s, ok := keyAliases[strings.ToLower(key)]; ok && slices.Contains(allowed, s) {
		suggest = s
	} else {
		suggest = closest(key, allowed)
	}
	if suggest != "" {
		if k := c.keyNode(join(loc, suggest)...); k != nil {
			return fmt.Sprintf("remove it: it looks like a misspelt %s, which is set on line %d", suggest, k.Line)
		}
		return fmt.Sprintf("did you mean %q?", suggest)
	}
	if home, ok := cs.home[key]; ok && lastSeg(loc) != home {
		return fmt.Sprintf("%s belongs under %s:", key, home)
	}
	if len(allowed) == 0 {
		return "remove it"
	}
	return "remove it, or use one of " + strings.Join(allowed, ", ")
}

// keyAliases are other tools' names for ssoctl's keys, too far apart for an edit-distance match.
var keyAliases = map[string]string{
	"redirect_uri": "redirect_url", "callback_url": "redirect_url", "callback": "redirect_url", "redirect": "redirect_url",
	"secret": "client_secret", "app_secret": "client_secret", "appsecret": "client_secret",
	"app_id": "client_id", "appkey": "client_id", "app_key": "client_id", "clientid": "client_id",
	"scope": "scopes", "authorization_url": "authorize_url", "auth_url": "authorize_url",
	"user_info_url": "userinfo_url", "userinfo_endpoint": "userinfo_url", "token_endpoint": "token_url",
	"issuer_url": "issuer", "server_url": "issuer", "endpoint": "issuer", "kind": "type", "provider": "type",
}

var camelRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`([a-z0-9])([A-Z])`) })

func toSnake(s string) string {
	return strings.ToLower(strings.ReplaceAll(camelRE().ReplaceAllString(s, "${1}_${2}"), "-", "_"))
}

// closest returns the candidate within a typo's distance of s (at most 2 edits, or a third of its
// length), or "".
func closest(s string, candidates []string) string {
	s = strings.ToLower(s)
	limit := max(2, len([]rune(s))/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(s, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func typeHint(n *yaml.Node, want []string, key string) string {
	n = deref(n)
	got := nodeKindName(n)
	switch {
	case got == "empty":
		return "give a value after the colon, or remove the key"
	case slices.Contains(want, "array") && n.Kind == yaml.ScalarNode:
		items := strings.FieldsFunc(n.Value, func(r rune) bool { return r == ' ' || r == ',' })
		if len(items) == 0 {
			items = []string{"..."}
		}
		return fmt.Sprintf("write a list: %s: [%s]", key, strings.Join(items, ", "))
	case slices.Contains(want, "array"):
		return fmt.Sprintf("write a list: %s: [a, b], or one \"- item\" line per entry", key)
	case slices.Contains(want, "string") && n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("quote it so YAML reads it as text: %s: %q", key, n.Value)
	case slices.Contains(want, "string"):
		return fmt.Sprintf("%s takes one value; write %s: value", key, key)
	case slices.Contains(want, "boolean"):
		return fmt.Sprintf("write %s: true or %s: false, without quotes", key, key)
	case slices.Contains(want, "integer"):
		return fmt.Sprintf("write %s as a number without quotes", key)
	case slices.Contains(want, "object"):
		return fmt.Sprintf("indent the keys of %s under it, one \"key: value\" per line", key)
	}
	return `see "ssoctl config schema" for the expected layout`
}

func patternRule(loc []string) string {
	switch lastSeg(loc) {
	case "code":
		return "codes look like SSO012"
	case "name":
		return "names are lowercase letters, digits, - and _, starting with a letter or digit"
	}
	return "it does not match the expected form"
}

var nameJunkRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9_-]+`) })

func patternHint(loc []string, got string) string {
	switch lastSeg(loc) {
	case "code":
		return `"ssoctl validate --help" lists the codes`
	case "name":
		s := strings.Trim(nameJunkRE().ReplaceAllString(strings.ToLower(strings.TrimSpace(got)), "-"), "-_")
		if s != "" {
			return fmt.Sprintf("use %q", s)
		}
		return "use a name such as github or authentik"
	}
	return `see "ssoctl config schema" for the expected form`
}

func lastSeg(segs []string) string {
	if len(segs) == 0 {
		return ""
	}
	return segs[len(segs)-1]
}
