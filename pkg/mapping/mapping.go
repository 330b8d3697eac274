// Package mapping evaluates the JSONPath rules that turn a provider's userinfo
// document into an app user, and holds the mapping presets per provider kind.
//
// Rules are written in Jayway JsonPath (Java's json-path/JsonPath) because
// the admin forms ssoctl fills in document Jayway and users copy rules
// between those forms and ssoctl. Evaluation is done by
// github.com/ohler55/ojg/jp; this package has no JSONPath engine of its own.
// Compile checks a rule and, in the Jayway dialect, rewrites what ojg lacks
// into what ojg parses: Jayway's filter operators become calls of functions
// registered with ojg, regex flags move into the pattern, and a path-tail
// function such as .length() is cut off and applied in Go to the node list
// ojg returns. A rule is compiled once and then evaluated any number of
// times, concurrently, without parsing again.
//
// # Jayway syntax that works
//
//   - the root: $.a, $['a'], $["a"], $.['a']; without a root, login means
//     $.login and [0] means $[0]; a leading @ means $;
//   - names in dot notation up to '.', '[' or '(', as Jayway's PathCompiler
//     reads them: $.user-name, $.urn:zitadel:iam:org:project:roles, and
//     $.'key' and $.$, whose quotes and dollar are part of the name;
//   - wildcards .* and [*], deep scan .., indexes [0] and [-1], slices [0:2],
//     unions [0,2] and ['a','b'] (which, at the end of a path, Jayway and
//     ssoctl merge into one object with those members);
//   - filters [?(<condition>)] (RFC 9535's [?<condition>] too) with
//     == != === !== < <= > >=, && || ! and parentheses, existence tests
//     [?(@.email)], paths from $ inside filters, JSON literals ([1,2],
//     {"a":1}), and the operators in, nin, subsetof, anyof, noneof, size,
//     empty, contains, exists and =~ /pattern/flags with flags i, m and s (d
//     and u are accepted and change nothing in Go);
//   - path-tail functions length(), size(), min(), max(), avg(), stddev(),
//     sum(), keys(), first(), last(), index(n), concat(...) and append(...),
//     whose arguments are literals or paths; inside filters the ones without
//     arguments work too ([?(@.groups.length() > 1)]).
//
// Semantics follow Jayway JsonPath 2.9.0 where ojg differs (jayway.go and
// funcs.go cite the Java sources; jayway_test.go holds cases from them):
//
//   - a filter on an object tests the object itself, on an array each
//     element (PredicatePathToken), so $[?(@.code == 0)].data.email reads a
//     Lark response; unless the filter refers to $, which leaves the filter
//     to ojg;
//   - a deep scan visits each object and array before what it holds and
//     applies the next token where Jayway's ScanPathToken accepts the node:
//     $..[?(@.b)] gives every object with b, the root included;
//   - slices have no step ($[0:5:2] is $[0:5]); [a:] and [:b] count a negative
//     bound from the end, [a:b] does not; [:] and [::2] are refused;
//   - == and != as Jayway's ValueNodes compare: a missing member equals
//     nothing (not even another missing member) and differs from everything;
//     a number equals a string that reads as that number, and a string a
//     number with its text (1 == '1'); === and !== compare values of one kind
//     only; lists and objects compare member by member;
//   - a literal alone is no condition: [?(true)] is refused, as in Jayway;
//   - a pattern must match the whole value, as Java's Matcher.matches does,
//     so /admin/ does not match "alist-admins" but /.*admin.*/ does; =~
//     matches numbers and booleans by their text and a list when any element
//     matches;
//   - a path that selects several nodes is one list to in, nin, subsetof,
//     anyof, noneof, size, empty and contains. Elsewhere a condition on such a
//     path holds when it holds for any of the nodes, as in ojg;
//   - Rule.Read gives what Jayway's read gives: a definite path's value, not
//     a list.
//
// Extensions: length() of a string counts its characters (Jayway gives
// null), concat() on a string appends to it (Jayway ignores it), keys() are
// sorted (Go maps have no order).
//
// # Jayway syntax that does not
//
// Each of these is a *SyntaxError with a hint: script expressions
// [(@.length-1)] (write [-1]); the undocumented operators all, type and
// matches; regex flags x and U and patterns Go's RE2 cannot compile
// (lookaround, backreferences); a filter directly on @ inside a filter
// (@[?...], which ojg cannot evaluate on a null element; name the member:
// @.emails[?...]); and, inside filters, a path from $ that selects several
// nodes as an operand of in, nin and the like or of a function (write the
// path to the list: $.allowed, not $.allowed[*]).
//
// # The RFC 9535 dialect
//
// RFC9535 reads the query with a parser of its own (rfc9535.go) that follows
// RFC 9535's grammar and its typing of filter expressions to the letter, and
// refuses everything else with the column and, where the query is Jayway
// syntax, a JSON Pointer or a jq path, a hint. ojg evaluates the query from
// fragments built for it; a bracket with several selectors, the descendant
// segment and filters are ojg Procs that follow the RFC's semantics. It
// passes all 703 tests of the RFC 9535 Compliance Test Suite
// (testdata/jsonpath-cts).
package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

// Dialect selects the JSONPath syntax a rule is written in.
type Dialect int

const (
	// Jayway is the syntax of Java's json-path/JsonPath, which the apps'
	// admin forms document. It is the zero value so that rules from the
	// config file need no dialect setting.
	Jayway Dialect = iota
	// RFC9535 is IETF JSONPath (RFC 9535), to the letter.
	RFC9535
)

// String returns the dialect's name as the --dialect flag spells it.
func (d Dialect) String() string {
	switch d {
	case Jayway:
		return "jayway"
	case RFC9535:
		return "rfc9535"
	default:
		return fmt.Sprintf("Dialect(%d)", int(d))
	}
}

// ParseDialect reads a dialect name as users type it: jayway or rfc9535, in
// any case; an empty name means Jayway.
func ParseDialect(s string) (Dialect, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "jayway":
		return Jayway, nil
	case "rfc9535", "rfc-9535", "rfc":
		return RFC9535, nil
	default:
		return Jayway, fmt.Errorf("unknown JSONPath dialect %q: use jayway or rfc9535", s)
	}
}

// Rule is one compiled JSONPath mapping rule. It is immutable and safe for
// concurrent use.
type Rule struct {
	field    string
	expr     string
	dialect  Dialect
	x        jp.Expr // the path ojg evaluates; without the tail function
	definite bool    // x selects at most one node (no wildcard, scan, filter, slice or union)
	fn       *tailCall
	obj      *objectFilter
	steps    []jp.Frag // x without its root when definite: a plain walk suffices
	merge    []string  // names of a final ['a','b'], which Jayway merges into one object
	// perDoc is set for an RFC 9535 query whose filters refer to $: its
	// fragments are built for each document (see rfc9535.go).
	perDoc *rfcQuery
}

// Compile checks expr and prepares it for evaluation. field names the mapping
// field the rule fills (name, email, ...) and only appears in errors; it may
// be empty. Every error is a *SyntaxError.
func Compile(field, expr string, dialect Dialect) (*Rule, error) {
	if dialect != Jayway && dialect != RFC9535 {
		return nil, fmt.Errorf("compile rule %s: unknown JSONPath dialect %d", field, int(dialect))
	}
	if dialect == RFC9535 {
		return compileRFC9535(field, expr)
	}
	tr, serr := translate(expr, dialect)
	if serr != nil {
		serr.Field = field
		return nil, serr
	}
	// Both dialects hand ojg the translator's text. For RFC 9535 it is the
	// user's query with the same meaning, but with explicit parentheses
	// where ojg's precedence differs from the RFC (! and &&/||) and guards
	// against an ojg panic; nothing Jayway-specific is added.
	text, offs := tr.text(), tr.offs
	x, err := parsePath(text)
	if err != nil {
		serr := ojgSyntaxError(expr, text, offs, err)
		serr.Field = field
		return nil, serr
	}
	r := &Rule{field: field, expr: expr, dialect: dialect, fn: tr.tail}
	if dialect == Jayway {
		x, r.merge = splitMerge(replaceSlices(x, tr.slices))
		x = jaywayTokens(x, tr.rootInFilter)
	}
	r.x, r.definite = x, isDefinite(x)
	if r.fn != nil {
		if err := r.fn.compileArgs(expr); err != nil {
			err.Field = field
			return nil, err
		}
	}
	if dialect == Jayway && !tr.rootInFilter {
		r.obj = newObjectFilter(x)
	}
	if r.definite && len(x) > 0 && isRoot(x[0]) {
		r.steps = x[1:]
	}
	return r, nil
}

// compileRFC9535 compiles a query in the RFC 9535 dialect.
func compileRFC9535(field, expr string) (*Rule, error) {
	q, serr := parseRFC9535(expr)
	if serr != nil {
		// The translator knows the Jayway syntax users bring to RFC 9535
		// and JSON Pointers and jq paths mistaken for JSONPath; where it
		// names one of those at or before the problem, its hint is the
		// better one.
		if _, terr := translate(expr, RFC9535); terr != nil && terr.Column <= serr.Column && mistakenSyntax(terr.hint) {
			serr = terr
		} else if _, jerr := translate(expr, Jayway); jerr == nil && serr.hint == "" {
			serr.hint = "this is valid in the jayway dialect, which is the default"
		}
		serr.Field = field
		return nil, serr
	}
	r := &Rule{field: field, expr: expr, dialect: RFC9535, x: q.expr(nil)}
	r.definite = isDefinite(r.x)
	if q.usesRoot {
		r.perDoc = q
	}
	if r.definite && len(r.x) > 0 && isRoot(r.x[0]) {
		r.steps = r.x[1:]
	}
	return r, nil
}

// mistakenSyntax reports whether a translator hint names syntax from
// another language than RFC 9535.
func mistakenSyntax(hint string) bool {
	for _, s := range []string{"Jayway", "JSON Pointer", "not jq", "RFC 9535"} {
		if strings.Contains(hint, s) {
			return true
		}
	}
	return false
}

// MustCompile is Compile for rules known to be valid, such as presets; it
// panics on error.
func MustCompile(field, expr string, dialect Dialect) *Rule {
	r, err := Compile(field, expr, dialect)
	if err != nil {
		panic(err)
	}
	return r
}

// Field returns the mapping field the rule was compiled for.
func (r *Rule) Field() string { return r.field }

// Expr returns the rule exactly as the user wrote it; ojg's normalised form
// is never shown because users would not recognise it.
func (r *Rule) Expr() string { return r.expr }

// Dialect returns the dialect the rule was compiled in.
func (r *Rule) Dialect() Dialect { return r.dialect }

// String returns the rule as the user wrote it.
func (r *Rule) String() string { return r.expr }

// Result is what a rule selects from one document.
//
// How a rule's node list becomes a value:
//
//   - No node: the rule matched nothing. Found is false and Value is nil;
//     ssoctl map eval --require exits 1.
//   - One node: Found is true and Value is that node.
//   - Several nodes: Found is true, Value is the first node and Ambiguous is
//     true, which callers report as a warning. Jayway would have returned a
//     list, which an app cannot use as a name or an email; narrow the rule
//     with a filter, an index or .first().
//   - A JSON null is a node: a rule that selects null is Found with a nil
//     Value and Nodes [null], while a rule that selects nothing has empty
//     Nodes. GitHub's /user, for one, has "email": null when the address is
//     private.
//   - A rule that ends in a function (.length(), .first(), ...) has the
//     function's result as its only node, or no node when the function does
//     not apply (first() of an empty list, sum() of no numbers, length() of a
//     missing member).
type Result struct {
	// Field is the rule's field, so a result can be reported alone.
	Field string `json:"field,omitempty"`
	// Expr is the rule as the user wrote it.
	Expr string `json:"expr"`
	// Nodes are all the nodes selected, in ojg's order; never nil.
	Nodes []any `json:"nodes"`
	// Value is the first node, or nil when there is none.
	Value any `json:"value"`
	// Found is set when there is at least one node, even a null one.
	Found bool `json:"found"`
	// Ambiguous is set when there is more than one node.
	Ambiguous bool `json:"ambiguous"`
}

// Eval applies the rule to doc, a decoded JSON document (maps, slices,
// strings, float64 or int64 numbers, bools and nil, as ParseJSON or
// encoding/json produce). See Result for how nodes become a value.
func (r *Rule) Eval(doc any) Result {
	nodes := r.nodes(doc)
	res := Result{Field: r.field, Expr: r.expr, Nodes: nodes}
	if len(nodes) > 0 {
		res.Found = true
		res.Value = nodes[0]
		res.Ambiguous = len(nodes) > 1
	}
	return res
}

// Read returns what Jayway's JsonPath.read returns for the rule: for a
// definite path (names, one index, a final union of names; no wildcard,
// deep scan, filter or slice) its one value, with found false where Jayway
// throws PathNotFoundException; for any other path the list of nodes. In
// the RFC 9535 dialect, and for a rule ending in a function, it is the node
// list, as in Nodes.
func (r *Rule) Read(doc any) (v any, found bool) {
	nodes := r.nodes(doc)
	if r.dialect != Jayway || r.fn != nil || !(r.definite || r.merge != nil && isDefinite(r.x)) {
		return nodes, true
	}
	if len(nodes) == 0 {
		return nil, false
	}
	return nodes[0], true
}

// Nodes returns every node the rule selects from doc, never nil.
func (r *Rule) Nodes(doc any) []any { return r.nodes(doc) }

func (r *Rule) nodes(doc any) []any {
	var nodes []any
	if r.steps != nil {
		if v, found, ok := walk(r.steps, doc); ok {
			if found {
				nodes = []any{v}
			}
			goto done
		}
	}
	switch {
	case doc == nil && len(r.x) > 1:
		// Only $ selects anything from a null document, and ojg's filters
		// panic on one (reflect on a nil value), so answer here.
	case r.perDoc != nil:
		nodes = r.perDoc.expr(doc).Get(doc)
	case r.obj != nil:
		nodes = r.obj.get(r.x, doc)
	default:
		nodes = r.x.Get(doc)
	}
done:
	if r.merge != nil {
		nodes = mergeNames(nodes, r.merge)
	}
	if r.fn != nil {
		nodes = r.fn.apply(nodes, r.definite, doc)
	}
	if nodes == nil {
		nodes = []any{}
	}
	return nodes
}

// Query evaluates one JSONPath expression against doc and returns the nodes
// it selects, for ssoctl map query; an expression that selects nothing gives
// an empty, non-nil slice so that it prints as []. Errors are *SyntaxError.
func Query(expr string, doc any, dialect Dialect) ([]any, error) {
	r, err := Compile("", expr, dialect)
	if err != nil {
		return nil, err
	}
	return r.nodes(doc), nil
}

// ParseJSON decodes a userinfo document with ojg. Rules work on documents
// from encoding/json as well, but ojg keeps integers as int64, so a numeric
// id such as GitHub's prints as 58121947 rather than 5.8121947e+07, and it
// decodes several times faster, which matters for bulk evaluation.
func ParseJSON(data []byte) (v any, err error) {
	// ojg v1.28.5 accepts some invalid documents ({"a":}, empty input) and
	// panics on others, so encoding/json's validator decides what is JSON.
	// It costs about as much as the parse itself; ojg's own validator is
	// ten times cheaper but shares the parser's holes.
	if !json.Valid(data) {
		return nil, invalidJSON(data, nil)
	}
	defer func() {
		// Valid JSON should never make ojg panic; if it does, the caller
		// still gets an error rather than a crash.
		if r := recover(); r != nil {
			v, err = nil, invalidJSON(data, r)
		}
	}()
	v, err = oj.Parse(data)
	if err != nil {
		return nil, invalidJSON(data, err)
	}
	if e := hugeNumber(data); e != nil {
		return nil, e
	}
	return v, nil
}

func invalidJSON(data []byte, cause any) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("parse JSON: %w", err)
	}
	if cause == nil {
		return errors.New("parse JSON: invalid JSON")
	}
	if err, ok := cause.(error); ok {
		return fmt.Errorf("parse JSON: %w", err)
	}
	return fmt.Errorf("parse JSON: %v", cause)
}

// isDefinite reports whether x can select at most one node. Jayway applies a
// tail function to the single value of a definite path, and to the list of
// results of any other path.
func isDefinite(x jp.Expr) bool {
	for _, f := range x {
		switch f.(type) {
		case jp.Root, jp.At, jp.Child, jp.Nth:
		default:
			return false
		}
	}
	return true
}

// splitMerge cuts a final union of two or more names off x. Jayway reads
// $['a','b'] at the end of a path as one object holding a and b, where ojg
// and RFC 9535 select the two values.
func splitMerge(x jp.Expr) (jp.Expr, []string) {
	if len(x) < 2 {
		return x, nil
	}
	u, ok := x[len(x)-1].(jp.Union)
	if !ok || len(u) < 2 {
		return x, nil
	}
	names := make([]string, len(u))
	for i, k := range u {
		if names[i], ok = k.(string); !ok {
			return x, nil
		}
	}
	return x[:len(x)-1], names
}

// mergeNames builds Jayway's merged object for every object node; members
// that are missing are left out, as Jayway leaves them out.
func mergeNames(nodes []any, names []string) []any {
	var out []any
	for _, n := range nodes {
		m, ok := n.(map[string]any)
		if !ok {
			continue
		}
		merged := make(map[string]any, len(names))
		for _, k := range names {
			if v, ok := m[k]; ok {
				merged[k] = v
			}
		}
		out = append(out, merged)
	}
	return out
}

// walk follows a definite path of names and indexes through decoded JSON.
// ojg's Get allocates a 64-slot stack on every call, which costs more than
// the lookup itself for the paths most rules are (every preset is one); ok
// is false for anything but map[string]any and []any, which ojg then handles
// by reflection.
func walk(steps []jp.Frag, v any) (got any, found, ok bool) {
	for _, f := range steps {
		switch tf := f.(type) {
		case jp.Child:
			switch tv := v.(type) {
			case map[string]any:
				if v, found = tv[string(tf)]; !found {
					return nil, false, true
				}
			case []any, string, int64, float64, bool, nil:
				return nil, false, true
			default:
				return nil, false, false
			}
		case jp.Nth:
			switch tv := v.(type) {
			case []any:
				i := int(tf)
				if i < 0 {
					i += len(tv)
				}
				if i < 0 || i >= len(tv) {
					return nil, false, true
				}
				v = tv[i]
			case map[string]any, string, int64, float64, bool, nil:
				return nil, false, true
			default:
				return nil, false, false
			}
		default:
			return nil, false, false
		}
	}
	return v, true, true
}

// objectFilter carries out Jayway's rule for a filter on an object: Jayway
// tests the object itself ($.a[?(@.b == 1)] yields a when a.b == 1) where
// ojg and RFC 9535 test the object's member values. Only the first filter,
// reached by a definite path, gets this treatment: that covers rules such as
// $[?(@.code == 0)].data.email while keeping ojg in charge of the walk.
type objectFilter struct {
	prefix jp.Expr
	filter *jp.Filter
	rest   jp.Expr
}

func newObjectFilter(x jp.Expr) *objectFilter {
	for i, f := range x {
		switch tf := f.(type) {
		case jp.Root, jp.At, jp.Child, jp.Nth:
			continue
		case *jp.Filter:
			return &objectFilter{prefix: x[:i], filter: tf, rest: x[i+1:]}
		}
		return nil
	}
	return nil
}

func (o *objectFilter) get(x jp.Expr, doc any) []any {
	target := doc
	if len(o.prefix) > 1 || (len(o.prefix) == 1 && !isRoot(o.prefix[0])) {
		got := o.prefix.Get(doc)
		if len(got) != 1 {
			return x.Get(doc)
		}
		target = got[0]
	}
	m, ok := target.(map[string]any)
	if !ok {
		return x.Get(doc)
	}
	// The filter has no $ in it (Compile checked), so Match evaluating
	// with the object as root gives the same answer as from the document.
	if !o.filter.Match(m) {
		return nil
	}
	if len(o.rest) == 0 {
		return []any{m}
	}
	return o.rest.Get(m)
}

func isRoot(f jp.Frag) bool {
	switch f.(type) {
	case jp.Root, jp.At:
		return true
	}
	return false
}
