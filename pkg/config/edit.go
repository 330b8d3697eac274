package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/agnivade/levenshtein"
	"go.yaml.in/yaml/v4"
)

// Edits change a loaded File in memory; Update writes the result. Each edit splices text into f.Data so
// that everything outside the edited region stays byte-identical (comments, blank lines, key order,
// quoting, indentation, line endings), then re-parses f.Data so that f.Doc and f.Config match it.
//
// Every edit is made twice: once on a fresh copy of the YAML node tree (what the file should mean
// afterwards) and once on the text (what the file will look like). The new text is parsed again and must
// mean exactly what the edited tree means; when it does not (a construct the text splicer does not
// understand), the edit fails with an *EditError and f is left as it was. So an edit never writes a file
// that lost or changed anything it was not asked to change.
//
// JSON files (Format == FormatJSON) are edited the same way: the entry's bytes are spliced in, written
// in the file's indentation, separators and line ends (edit_json.go). Only a JSON file without content
// is written whole, with two-space indentation.

// ProviderExistsError is returned by AddProvider when a provider with the same name exists.
type ProviderExistsError struct {
	Name string
	Path string
}

func (e *ProviderExistsError) Error() string {
	return fmt.Sprintf("provider %q already exists in %s", e.Name, e.Path)
}

// ExitCode makes an existing provider a failed check (exit 1).
func (e *ProviderExistsError) ExitCode() int { return 1 }

// Hint says how to go on.
func (e *ProviderExistsError) Hint() string {
	return "use --force to replace it, or choose another name"
}

// ProviderNotFoundError is returned when no provider has the given name.
type ProviderNotFoundError struct {
	Name string
	Path string
	// Names lists the providers the file has, in file order.
	Names []string
}

func (e *ProviderNotFoundError) Error() string {
	return fmt.Sprintf("no provider named %q in %s", e.Name, e.Path)
}

// ExitCode makes a missing provider a failed check (exit 1).
func (e *ProviderNotFoundError) ExitCode() int { return 1 }

// Hint names the closest provider and the known ones.
func (e *ProviderNotFoundError) Hint() string {
	if len(e.Names) == 0 {
		return `the file has no providers yet; add one with "ssoctl provider add"`
	}
	var b strings.Builder
	if s := closest(e.Name, e.Names); s != "" {
		fmt.Fprintf(&b, "did you mean %q? ", s)
	}
	if len(e.Names) <= 8 {
		fmt.Fprintf(&b, "known providers: %s", strings.Join(e.Names, ", "))
	} else {
		fmt.Fprintf(&b, `run "ssoctl provider list" to see all %d providers`, len(e.Names))
	}
	return b.String()
}

// closest returns the name nearest to s when it is near enough to be a typo.
func closest(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := levenshtein.ComputeDistance(s, n); d < bestD && d < len(n) {
			best, bestD = n, d
		}
	}
	return best
}

// NotEditableError is returned instead of changing a file that could not be read as a config: ssoctl
// never rewrites a file it could not read, because the rewrite could lose what it did not understand.
type NotEditableError struct {
	Path string
	// Err is the *ParseError or *DecodeError that made the file unreadable.
	Err error
}

func (e *NotEditableError) Error() string {
	reason := e.Err.Error()
	var pe *ParseError
	var de *DecodeError
	switch {
	case errors.As(e.Err, &pe) && pe.Line > 0:
		reason = fmt.Sprintf("line %d, column %d: %s", pe.Line, pe.Column, pe.Msg)
	case errors.As(e.Err, &pe):
		reason = pe.Msg
	case errors.As(e.Err, &de):
		reason = "it has values of the wrong type: " + de.Msg
	}
	return fmt.Sprintf("config file %s was not changed because it cannot be read: %s", e.Path, reason)
}

func (e *NotEditableError) Unwrap() error { return e.Err }

// ExitCode makes an unreadable config a usage error (exit 2).
func (e *NotEditableError) ExitCode() int { return 2 }

// Hint says to fix the file first.
func (e *NotEditableError) Hint() string {
	var pe *ParseError
	if errors.As(e.Err, &pe) && pe.hint != "" {
		return pe.hint + `, then run the command again`
	}
	return `fix the file first ("ssoctl validate" shows every problem with its line and column), then run the command again`
}

// EditError is an edit that cannot be made safely: the value does not fit the schema, or the file is
// written in a way (an alias, a flow-style document) that the edit cannot change without touching other
// content. The file is left unchanged.
type EditError struct {
	Path string
	// Op says what was attempted, such as `add provider "github" to config.yaml`.
	Op     string
	Reason string
	// Code is the exit code: 2 for a value of the wrong type, 1 otherwise.
	Code int
	hint string
}

func (e *EditError) Error() string {
	return fmt.Sprintf("cannot %s: %s", e.Op, e.Reason)
}

// ExitCode implements the exit code contract.
func (e *EditError) ExitCode() int {
	if e.Code == 0 {
		return 1
	}
	return e.Code
}

// Hint says what to do instead.
func (e *EditError) Hint() string {
	if e.hint != "" {
		return e.hint
	}
	return "the file was not changed; make this change by hand in an editor"
}

// AddProvider appends p to the providers list. The new entry copies the indentation of the existing
// entries (both "providers:\n  - name" and "providers:\n- name" styles), lists fields in the order of
// the Provider struct and leaves out empty ones; short lists are written in flow style ([a, b]).
//
// A new or empty file (or one holding only comments, which are kept) gets "version: 1" and a providers
// list; a file without a providers key gets one appended at its end. A providers list written in flow
// style (providers: [] or [{name: ...}]) is rewritten in block style, one entry per item, which drops
// comments inside the brackets.
func (f *File) AddProvider(p Provider) error {
	op := fmt.Sprintf("add provider %q to %s", p.Name, f.Path)
	if err := f.editable(); err != nil {
		return err
	}
	if f.ProviderIndex(p.Name) >= 0 {
		return &ProviderExistsError{Name: p.Name, Path: f.Path}
	}
	item, err := encodeNode(p)
	if err != nil {
		return f.editErr(op, err.Error(), 1)
	}
	return f.apply(op, func(e *editor) error { return e.addProvider(item) })
}

// ReplaceProvider replaces the provider named p.Name with p, in place. Keys whose value does not change
// keep their text and comments, changed values are rewritten where they stand (nested mappings key by
// key), keys p does not have are removed with the comment lines above them, and new keys are added
// after the entry's last key. Where the entry cannot be edited key by key (flow style, merge keys), the
// whole entry is rewritten; its position and the comment lines above it stay either way.
func (f *File) ReplaceProvider(p Provider) error {
	op := fmt.Sprintf("replace provider %q in %s", p.Name, f.Path)
	if err := f.editable(); err != nil {
		return err
	}
	i := f.ProviderIndex(p.Name)
	if i < 0 {
		return f.notFound(p.Name)
	}
	item, err := encodeNode(p)
	if err != nil {
		return f.editErr(op, err.Error(), 1)
	}
	return f.apply(op,
		func(e *editor) error { return e.mergeProvider(i, item) },
		func(e *editor) error { return e.replaceProvider(i, item) })
}

// RemoveProvider removes the named provider's entry together with the comment lines directly above it.
// When it was the last one, the list is written as "providers: []".
func (f *File) RemoveProvider(name string) error {
	op := fmt.Sprintf("remove provider %q from %s", name, f.Path)
	if err := f.editable(); err != nil {
		return err
	}
	i := f.ProviderIndex(name)
	if i < 0 {
		return f.notFound(name)
	}
	return f.apply(op, func(e *editor) error { return e.removeProvider(i) })
}

// SetProviderValue sets the value at path inside the named provider's entry, for example
// ["mapping", "rules", "email"] = "$.mail" or ["registration", "default_permission"] = 768, creating
// the mappings on the way that do not exist yet. An existing value is replaced where it stands (a
// comment after it on its line stays); a new key is added after the mapping's last key. value is
// anything yaml can marshal; lists are written in flow style. A key that the entry gets through a merge
// key (<<: *base) is overridden in the entry itself, so the shared anchor does not change.
func (f *File) SetProviderValue(name string, path []string, value any) error {
	op := fmt.Sprintf("set %s of provider %q in %s", strings.Join(path, "."), name, f.Path)
	if err := f.editable(); err != nil {
		return err
	}
	if len(path) == 0 {
		return f.editErr(op, "the path is empty", 1)
	}
	for _, k := range path {
		if k == "" || k == "<<" {
			return f.editErr(op, fmt.Sprintf("%q is not a key that can be set", k), 1)
		}
	}
	i := f.ProviderIndex(name)
	if i < 0 {
		return f.notFound(name)
	}
	var v yaml.Node
	if err := v.Encode(value); err != nil {
		return f.editErr(op, "the value cannot be written as YAML: "+strings.TrimPrefix(err.Error(), "yaml: "), 2)
	}
	return f.apply(op, func(e *editor) error { return e.setValue(i, path, &v) })
}

func (f *File) editable() error {
	if f.DecodeErr != nil {
		return &NotEditableError{Path: f.Path, Err: f.DecodeErr}
	}
	if f.Config == nil {
		// A File built by hand rather than by Parse; parsing its data tells whether it can be edited.
		nf, err := Parse(f.Path, f.Data)
		if err != nil {
			return &NotEditableError{Path: f.Path, Err: err}
		}
		if nf.DecodeErr != nil {
			return &NotEditableError{Path: f.Path, Err: nf.DecodeErr}
		}
		f.Doc, f.Config, f.Format, f.parsed = nf.Doc, nf.Config, nf.Format, f.Data
	}
	return nil
}

func (f *File) notFound(name string) error {
	var names []string
	if f.Config != nil {
		names = f.Config.ProviderNames()
	}
	return &ProviderNotFoundError{Name: name, Path: f.Path, Names: names}
}

func (f *File) editErr(op, reason string, code int) error {
	return &EditError{Path: f.Path, Op: op, Reason: reason, Code: code}
}

// apply runs an edit on a fresh node tree and on the text, checks that the new text means what the
// edited tree means, and only then changes f. With more than one strategy, each is tried in turn until
// one gives text that checks out; the later ones change more of the text.
func (f *File) apply(op string, strategies ...func(*editor) error) error {
	var err error
	for _, edit := range strategies {
		var data []byte
		var nf *File
		data, nf, err = f.try(op, edit)
		if err == nil {
			f.Data, f.Doc, f.Config, f.DecodeErr, f.Format, f.parsed = data, nf.Doc, nf.Config, nil, nf.Format, data
			return nil
		}
		var ee *EditError
		if errors.As(err, &ee) && ee.Code == 2 {
			// The value itself is wrong; another way of writing it will not help.
			return err
		}
	}
	return err
}

func (f *File) try(op string, edit func(*editor) error) ([]byte, *File, error) {
	e, err := newEditor(f)
	if err != nil {
		return nil, nil, f.editErr(op, err.Error(), 1)
	}
	if err := edit(e); err != nil {
		var ee *EditError
		if errors.As(err, &ee) {
			return nil, nil, err
		}
		return nil, nil, f.editErr(op, err.Error(), 1)
	}
	var want Config
	if err := e.tree.Content[0].Decode(&want); err != nil {
		return nil, nil, f.editErr(op, "the result would have values of the wrong type: "+decodeMsg(err), 2)
	}
	var data []byte
	if f.Format == FormatJSON && (e.pos == nil || e.whole) {
		data, err = encodeJSON(e.tree)
		if err != nil {
			return nil, nil, f.editErr(op, err.Error(), 1)
		}
	} else {
		data = e.src.apply(e.edits)
	}
	nf, err := Parse(f.Path, data)
	if err != nil || nf.DecodeErr != nil {
		return nil, nil, &EditError{Path: f.Path, Op: op, Code: 1,
			Reason: "the edited text would not read back as the same config (this is a bug in ssoctl)",
			hint:   "the file was not changed; make this change by hand, and please report the bug with the file attached (secrets removed)"}
	}
	if !sameContent(e.tree, nf.Doc, &want, nf.Config) {
		return nil, nil, &EditError{Path: f.Path, Op: op, Code: 1,
			Reason: "the change cannot be made without also changing other parts of the file",
			hint:   "the file was not changed; make this change by hand, and please report it with the file attached (secrets removed)"}
	}
	return data, nf, nil
}

func decodeMsg(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "yaml: "), "construct errors:\n  ")
}

// sameContent compares what two documents mean: their generic values (so unknown keys count too) and
// their decoded configs.
func sameContent(want, got *yaml.Node, wantCfg, gotCfg *Config) bool {
	if !reflect.DeepEqual(wantCfg, gotCfg) {
		return false
	}
	if want != nil && got != nil && sameTree(want, got, 0) {
		// Equal node by node (kinds, resolved tags, values, anchors, order): they mean the same
		// without decoding both into generic values, which for a large file costs more than the edit.
		return true
	}
	var wv, gv any
	wErr := want.Decode(&wv)
	if got == nil {
		return wErr == nil && isEmptyValue(wv)
	}
	gErr := got.Decode(&gv)
	if wErr != nil || gErr != nil {
		// Values that have no generic Go form (complex keys) are compared through the configs only.
		return (wErr == nil) == (gErr == nil)
	}
	return reflect.DeepEqual(wv, gv)
}

func isEmptyValue(v any) bool {
	m, ok := v.(map[string]any)
	return v == nil || ok && len(m) == 0
}

// encodeNode turns a value into a node tree, dropping the style hints a fresh encode carries.
func encodeNode(v any) (*yaml.Node, error) {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return nil, fmt.Errorf("the provider cannot be written as YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return &n, nil
}

// sameTree reports whether two node trees are equal node by node, ignoring styles, comments and
// positions. Equal trees mean the same; unequal ones may still (0x10 and 16), which the caller then
// decides by decoding.
func sameTree(a, b *yaml.Node, depth int) bool {
	if a.Kind != b.Kind || a.Value != b.Value || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) || depth > 10000 {
		return false
	}
	if a.Kind == yaml.ScalarNode && a.ShortTag() != b.ShortTag() {
		return false
	}
	if a.Kind == yaml.AliasNode {
		// The same anchor name at the same place refers to the same (already compared) node.
		return true
	}
	for i := range a.Content {
		if !sameTree(a.Content[i], b.Content[i], depth+1) {
			return false
		}
	}
	return true
}
