package workbench

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// fieldKind says what a field of the mapping pane holds and where it is saved.
type fieldKind int

const (
	// kindRule is a JSONPath rule, saved under mapping.rules.<field>.
	kindRule fieldKind = iota
	// kindFrom is mapping.username.from: a mapped field's name or a top-level claim.
	kindFrom
	// kindClaim is groups.claim: the top-level claim holding the user's groups.
	kindClaim
)

// Keys of the two fields that are not mapping rules.
const (
	keyUsername = "username"
	keyGroups   = "groups"
)

// defaultFrom is the username source when mapping.username.from is unset, as export reads it.
const defaultFrom = mapping.FieldName

// field is one row of the mapping pane.
type field struct {
	key   string // mapping.FieldName ... or keyUsername, keyGroups
	label string
	kind  fieldKind

	// preset is the rule the mapping type's preset gives this field ("" when none); rules in the
	// file override it field by field.
	preset string
	// override is the file's own rule (mapping.rules.<key>) and hasOverride whether there is one.
	override    string
	hasOverride bool
	// saved is the text the field had when the file was last read or written: what "unsaved
	// changes" compares with.
	saved string
	// required is set for the fields a custom mapping must have.
	required bool

	input textinput.Model

	// Derived from the text on every change, never on cursor moves.
	rule   *mapping.Rule
	synErr *mapping.SyntaxError
	err    error
	res    mapping.Result
}

// text is the field's current value.
func (f *field) text() string { return strings.TrimSpace(f.input.Value()) }

// dirty reports whether the field differs from the file.
func (f *field) dirty() bool { return f.text() != f.saved }

// compile re-reads the field's text: a rule is compiled (a syntax error is kept for the view, never
// raised); a username source or groups claim needs nothing.
func (f *field) compile() {
	f.rule, f.synErr, f.err = nil, nil, nil
	if f.text() == "" || (f.kind != kindRule && !strings.HasPrefix(f.text(), "$")) {
		// A username source or groups claim is a field or claim name unless it starts with $.
		return
	}
	r, err := mapping.Compile(f.key, f.text(), mapping.Jayway)
	if err != nil {
		var se *mapping.SyntaxError
		if errors.As(err, &se) {
			f.synErr = se
		} else {
			f.err = err
		}
		return
	}
	f.rule = r
}

// mappingSetup is what the workbench edits: the fields with their starting values, the mapping type
// and the username settings that are shown but not edited.
type mappingSetup struct {
	mappingType string
	normalize   string
	onConflict  string
}

// effectiveMappingType is the provider's mapping type, else its type's preset, else the
// --mapping-type given, else custom.
func effectiveMappingType(p *config.Provider, flagType string) string {
	if flagType != "" {
		return flagType
	}
	if p == nil {
		return mapping.Custom
	}
	if pr, ok := provider.Lookup(p.Type); ok {
		if t := pr.EffectiveMappingType(*p); t != "" {
			return t
		}
	}
	if p.Mapping != nil && p.Mapping.Type != "" {
		return p.Mapping.Type
	}
	return mapping.Custom
}

// fieldOrder lists the rule fields in the order the pane shows them: the ones the apps' forms ask
// for first, the stable id last.
var fieldOrder = []string{
	mapping.FieldName, mapping.FieldEmail, mapping.FieldNickname, mapping.FieldPhone,
	mapping.FieldDescription, mapping.FieldID,
}

// newFields builds the mapping pane's fields from the provider (nil when there is none), the
// mapping type and the rules given on the command line, which override the file's and start out
// unsaved.
func newFields(p *config.Provider, mappingType string, flagRules map[string]string) ([]*field, mappingSetup) {
	setup := mappingSetup{mappingType: mappingType}
	preset, _ := mapping.Preset(mappingType)
	var own map[string]string
	if p != nil && p.Mapping != nil {
		own = p.Mapping.Rules
	}
	var fields []*field
	for _, k := range fieldOrder {
		f := &field{key: k, label: k, kind: kindRule, preset: preset[k]}
		f.override, f.hasOverride = own[k]
		f.saved = f.preset
		if f.hasOverride {
			f.saved = f.override
		}
		f.required = mappingType == mapping.Custom && (k == mapping.FieldName || k == mapping.FieldEmail)
		fields = append(fields, f)
	}
	from := &field{key: keyUsername, label: "username from", kind: kindFrom}
	claim := &field{key: keyGroups, label: "groups claim", kind: kindClaim}
	if p != nil && p.Mapping != nil && p.Mapping.Username != nil {
		u := p.Mapping.Username
		from.saved, from.override, from.hasOverride = u.From, u.From, u.From != ""
		setup.normalize, setup.onConflict = u.Normalize, u.OnConflict
	}
	if p != nil && p.Groups != nil {
		claim.saved, claim.override, claim.hasOverride = p.Groups.Claim, p.Groups.Claim, p.Groups.Claim != ""
	}
	fields = append(fields, from, claim)

	for _, f := range fields {
		f.input = newInput()
		f.input.SetValue(f.saved)
		if v, ok := flagRules[f.key]; ok && f.kind == kindRule {
			f.input.SetValue(v)
		}
		switch f.kind {
		case kindFrom:
			f.input.Placeholder = defaultFrom + " (default)"
		case kindClaim:
			f.input.Placeholder = "none"
		default:
			f.input.Placeholder = "no rule"
		}
		f.compile()
	}
	return fields, setup
}

// newInput returns a text input without a prompt and with a steady cursor: a blinking one redraws
// the screen twice a second for nothing and makes screen captures differ.
func newInput() textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	setInputStyles(&in, true)
	return in
}

// setInputStyles gives an input the colours for the terminal's background and a steady cursor.
func setInputStyles(in *textinput.Model, isDark bool) {
	st := textinput.DefaultStyles(isDark)
	st.Cursor.Blink = false
	in.SetStyles(st)
}

// fieldByKey returns the field with the given key.
func fieldByKey(fields []*field, key string) *field {
	i := slices.IndexFunc(fields, func(f *field) bool { return f.key == key })
	if i < 0 {
		return nil
	}
	return fields[i]
}

// evaluate recomputes every field's value against doc. It runs when a rule or the document changes,
// not when the cursor moves, so browsing a large document never re-evaluates rules.
func evaluate(fields []*field, doc any) {
	for _, f := range fields {
		f.res = mapping.Result{}
		if f.rule != nil && doc != nil {
			f.res = f.rule.Eval(doc)
		}
	}
	for _, f := range fields {
		switch f.kind {
		case kindFrom:
			from := f.text()
			if from == "" {
				from = defaultFrom
			}
			if src := fieldByKey(fields, from); src != nil && src.kind == kindRule {
				f.res = src.res
				f.res.Field, f.res.Expr = keyUsername, from
				continue
			}
			if f.rule == nil {
				f.res = claimResult(doc, from)
			}
		case kindClaim:
			if f.text() != "" && f.rule == nil {
				f.res = claimResult(doc, f.text())
			}
		}
	}
}

// claimResult looks up a top-level claim.
func claimResult(doc any, claim string) mapping.Result {
	res := mapping.Result{Expr: claim, Nodes: []any{}}
	if m, ok := doc.(map[string]any); ok {
		if v, ok := m[claim]; ok {
			res.Nodes, res.Value, res.Found = []any{v}, v, true
		}
	}
	return res
}

// valueText renders a value compactly as JSON (strings quoted, so that "null" and null differ).
func valueText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	// JSON escapes C0 controls but leaves C1 controls, DEL and bidi overrides as they are.
	return san(string(b))
}

// rulesOf returns the effective rules: the preset's, overridden by the fields' texts (empty texts
// drop the field).
func rulesOf(fields []*field) mapping.Rules {
	out := mapping.Rules{}
	for _, f := range fields {
		if f.kind == kindRule && f.text() != "" {
			out[f.key] = f.text()
		}
	}
	return out
}
