// Package workbench is the terminal UI of `ssoctl map eval -i`: a userinfo document as a collapsible
// tree on the left, the provider's mapping rules on the right, edited in place and evaluated as they
// are typed, and a checklist of the permission scheme's bits. ctrl+s writes the rules and the
// permission back into the provider's entry of the config file, after showing the diff.
//
// The program draws on the writer it is given (stderr), so that the final mapping Run returns can be
// printed on stdout, as text or JSON, when the UI has gone. The package follows the Bubble Tea
// layout of charm's own programs: model.go (state and Update), keys.go (bindings and their help),
// styles.go, view.go; tree.go holds the document tree, which stays responsive on documents of
// several megabytes because only the rows on screen are ever visited.
package workbench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// DefaultMaxDocumentSize bounds a userinfo file opened from the UI (64 MiB): larger files are
// almost surely not userinfo.
const DefaultMaxDocumentSize = 64 << 20

// Options configure Run and New.
type Options struct {
	// In and Out are the terminal. The UI draws on Out, which should be stderr so that stdout stays
	// free for the result.
	In  io.Reader
	Out io.Writer

	// File is the loaded config file, nil when there is none; ctrl+s writes to File.Path.
	File *config.File
	// Provider is the provider whose mapping is edited, as found in File; nil when only rules given
	// on the command line are evaluated, which cannot be saved.
	Provider *config.Provider
	// MappingType overrides the provider's mapping type (--mapping-type).
	MappingType string
	// Rules override the provider's rules, field by field (--rule FIELD=JSONPATH); they start out
	// as unsaved changes.
	Rules map[string]string

	// Document is the userinfo JSON to start with and Source says where it came from ("user.json",
	// "the last test-login"). Without a document the UI first offers the last test-login, a file or
	// a sample.
	Document []byte
	Source   string
	// Claims are the verified ID token's claims that came with Document (--last), for apps that
	// read the ID token; nil when unknown.
	Claims map[string]any
	// LastLogin returns the last test-login's userinfo; nil, or a nil result, leaves that choice out.
	LastLogin func() (*LastLogin, error)
	// MaxDocumentSize bounds files opened from the UI; 0 means DefaultMaxDocumentSize.
	MaxDocumentSize int64

	// NoColor draws without colour (--no-color); NO_COLOR in the environment is honoured anyway.
	NoColor bool
	// Update writes the config file; nil means config.Update.
	Update UpdateFunc
}

// LastLogin is the userinfo of the last test-login.
type LastLogin struct {
	// Provider is the provider the login was made with.
	Provider string
	// When says when, for people ("2025-03-02 18:40").
	When string
	// Data is the userinfo JSON.
	Data []byte
	// Claims are the login's verified ID token claims; nil for plain OAuth 2.0 providers.
	Claims map[string]any
}

// ErrInterrupted is returned by Run when the user pressed ctrl+c; it wraps context.Canceled, which
// the command layer reports as an interruption (exit 130).
var ErrInterrupted = fmt.Errorf("map eval -i: %w", context.Canceled)

// Result is the mapping as the user left the workbench: what `ssoctl map eval -i` prints on stdout
// when the UI has closed. The json tags are the stable -o json field names.
type Result struct {
	// Provider is the provider edited; "" when the rules came from the command line alone.
	Provider string `json:"provider,omitempty"`
	// Source says where the userinfo document came from.
	Source string `json:"source"`
	// MappingType is the mapping type in effect (a preset's name or custom).
	MappingType string `json:"mappingType"`
	// Rules are the rules in effect: the preset's overridden by the provider's and the edits.
	Rules map[string]string `json:"rules"`
	// Fields are the rules' values against the document, in the UI's order.
	Fields []FieldValue `json:"fields"`
	// UsernameFrom, UsernameNormalize and UsernameOnConflict are mapping.username.
	UsernameFrom       string `json:"usernameFrom"`
	UsernameNormalize  string `json:"usernameNormalize,omitempty"`
	UsernameOnConflict string `json:"usernameOnConflict,omitempty"`
	// GroupsClaim is groups.claim; "" when unset.
	GroupsClaim string `json:"groupsClaim,omitempty"`
	// Permission is registration.default_permission as checked in the panel.
	Permission Permission `json:"permission"`
	// User is the mapped app user pkg/mapping computes from the document and the mapping as left
	// (username after normalization and conflict policy, groups, permission, registration
	// decision); null when the mapping cannot be applied (UserError says why).
	User      *mapping.User `json:"user"`
	UserError string        `json:"userError,omitempty"`
	// Saved is set when the config file was written during the session.
	Saved bool `json:"saved"`
	// UnsavedChanges is set when the user quit with changes not written to the file.
	UnsavedChanges bool `json:"unsavedChanges"`
}

// FieldValue is one mapping field's rule and the value it selects.
type FieldValue struct {
	// Field is the mapping field (name, email, ...) and Rule its JSONPath as left in the UI.
	Field string `json:"field"`
	Rule  string `json:"rule"`
	// Value is the first node selected (null when none); Found says whether there was one.
	Value     any  `json:"value"`
	Found     bool `json:"found"`
	Ambiguous bool `json:"ambiguous"`
	// Error is the rule's syntax error, when it has one.
	Error string `json:"error,omitempty"`
}

// Permission is a permission sum with the names of its bits.
type Permission struct {
	// Scheme names the permission scheme (alist unless the provider names another), Sum is the
	// checked bits' sum and Names their names.
	Scheme string   `json:"scheme"`
	Sum    int64    `json:"sum"`
	Names  []string `json:"names"`
}

// Run shows the workbench until the user quits and returns the final mapping. ctrl+c gives
// ErrInterrupted; a cancelled ctx gives its error.
func Run(ctx context.Context, opts Options) (*Result, error) {
	m := New(opts)
	m.ctx = ctx
	popts := []tea.ProgramOption{
		tea.WithContext(ctx),
		tea.WithInput(opts.In),
		tea.WithOutput(opts.Out),
	}
	if opts.NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	final, err := tea.NewProgram(m, popts...).Run()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, tea.ErrInterrupted) {
			return nil, ErrInterrupted
		}
		return nil, fmt.Errorf("map eval -i: %w", err)
	}
	fm, ok := final.(*Model)
	if !ok || fm.interrupted {
		return nil, ErrInterrupted
	}
	return fm.Result(), nil
}

// configUpdate is config.Update as an UpdateFunc.
func configUpdate(ctx context.Context, path string, fn func(f *config.File) error) error {
	return config.Update(ctx, path, fn)
}

// Result returns the mapping as it stands.
func (m *Model) Result() *Result {
	r := &Result{
		MappingType: m.setup.mappingType,
		Rules:       map[string]string(rulesOf(m.fields)),
		Fields:      []FieldValue{},
		Saved:       m.saved,
	}
	if m.opts.Provider != nil {
		r.Provider = m.opts.Provider.Name
		r.UnsavedChanges = m.dirty()
	}
	if m.doc != nil {
		r.Source = m.doc.source
	}
	for _, f := range m.fields {
		switch f.kind {
		case kindRule:
			fv := FieldValue{Field: f.key, Rule: f.text(), Value: f.res.Value, Found: f.res.Found, Ambiguous: f.res.Ambiguous}
			if f.synErr != nil {
				fv.Error = f.synErr.Error()
			}
			if fv.Rule != "" || f.required {
				r.Fields = append(r.Fields, fv)
			}
		case kindFrom:
			r.UsernameFrom = f.text()
			if r.UsernameFrom == "" {
				r.UsernameFrom = defaultFrom
			}
		case kindClaim:
			r.GroupsClaim = f.text()
		}
	}
	r.UsernameNormalize, r.UsernameOnConflict = m.setup.normalize, m.setup.onConflict
	r.Permission = Permission{Scheme: m.perm.scheme.Name, Sum: m.perm.sum, Names: m.perm.names()}
	m.mapUser() // the permission may have changed since the last rule edit
	r.User = m.user
	if m.userErr != nil {
		r.UserError = m.userErr.Error()
	}
	return r
}

// WriteText writes the result as the YAML of the provider's mapping keys, ready to paste into a
// config file, each value followed by a comment with what it yields from the document.
func (r *Result) WriteText(w io.Writer) error {
	var head []string
	if r.Provider != "" {
		head = append(head, "provider "+r.Provider)
	}
	if r.Source != "" {
		head = append(head, "evaluated against "+r.Source)
	}
	switch {
	case r.UnsavedChanges:
		head = append(head, "changes NOT saved")
	case r.Saved:
		head = append(head, "saved")
	}
	values := map[string]FieldValue{}
	for _, f := range r.Fields {
		values[f.Field] = f
	}
	rules := mappingNode()
	for _, k := range orderedKeys(r.Rules) {
		v := scalar(r.Rules[k])
		if f, ok := values[k]; ok {
			v.LineComment = "# " + fieldComment(f)
		}
		rules.Content = append(rules.Content, scalar(k), v)
	}
	mp := mappingNode(scalar("type"), scalar(r.MappingType))
	if len(rules.Content) > 0 {
		mp.Content = append(mp.Content, scalar("rules"), rules)
	}
	from := scalar(r.UsernameFrom)
	if r.User != nil && r.User.Username != "" {
		from.LineComment = "# username " + valueText(r.User.Username)
	}
	user := mappingNode(scalar("from"), from)
	if r.UsernameNormalize != "" {
		user.Content = append(user.Content, scalar("normalize"), scalar(r.UsernameNormalize))
	}
	if r.UsernameOnConflict != "" {
		user.Content = append(user.Content, scalar("on_conflict"), scalar(r.UsernameOnConflict))
	}
	mp.Content = append(mp.Content, scalar("username"), user)
	root := mappingNode(scalar("mapping"), mp)
	if r.GroupsClaim != "" {
		claim := scalar(r.GroupsClaim)
		if r.User != nil {
			claim.LineComment = "# app groups: " + listText(r.User.Groups.App)
		}
		root.Content = append(root.Content, scalar("groups"), mappingNode(scalar("claim"), claim))
	}
	sum := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(r.Permission.Sum)}
	sum.LineComment = "# " + san(r.Permission.Scheme+": "+strings.Join(r.Permission.Names, ", "))
	if len(r.Permission.Names) == 0 {
		sum.LineComment = "# " + san(r.Permission.Scheme) + ": no rights"
	}
	reg := scalar("registration")
	switch {
	case r.User != nil && r.User.Registration.Allowed:
		reg.LineComment = "# allowed: " + san(r.User.Registration.Reason)
	case r.User != nil:
		reg.LineComment = "# refused: " + san(r.User.Registration.Reason)
	case r.UserError != "":
		reg.LineComment = "# " + san(r.UserError)
	}
	root.Content = append(root.Content, reg, mappingNode(scalar("default_permission"), sum))
	if len(head) > 0 {
		root.HeadComment = "# " + san(strings.Join(head, "; "))
	}
	// Two-space indentation, as config files are written.
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return err
	}
	return enc.Close()
}

func fieldComment(f FieldValue) string {
	switch {
	case f.Error != "":
		return "syntax error: " + san(f.Error)
	case !f.Found:
		return "no match"
	case f.Ambiguous:
		return valueText(f.Value) + " (and more: the rule selects several nodes)"
	}
	return valueText(f.Value)
}

func orderedKeys(rules map[string]string) []string {
	var out []string
	for _, k := range fieldOrder {
		if _, ok := rules[k]; ok {
			out = append(out, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(rules)) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func mappingNode(kv ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: kv}
}

// compile-time check that Model is a Bubble Tea model.
var _ tea.Model = (*Model)(nil)
