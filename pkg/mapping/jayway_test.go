package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Cases from Jayway JsonPath 2.9.0's behaviour, per category of issue 15,
// each citing the source (json-path/src/main/java/com/jayway/jsonpath/
// internal/path/) or the test (json-path/src/test/java/com/jayway/jsonpath/)
// at the tag json-path-2.9.0 of github.com/json-path/JsonPath that decides
// it. Where nodes come from an object's members, whose order Go does not
// keep, they are compared as a set.

type jaywayCase struct {
	name, doc, query string
	want             []any // nil with refuseAt set: refused
	refuseAt         int   // the column of the refusal
	anyOrder         bool
}

func runJaywayCases(t *testing.T, cases []jaywayCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compile("", tc.query, Jayway)
			if tc.refuseAt > 0 {
				require.Error(t, err, "Jayway refuses %s", tc.query)
				var se *SyntaxError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, tc.refuseAt, se.Column, "%v", err)
				return
			}
			require.NoError(t, err)
			doc, err := ParseJSON([]byte(tc.doc))
			require.NoError(t, err)
			got := r.Nodes(doc)
			if tc.anyOrder {
				assert.ElementsMatch(t, tc.want, got, "%s", tc.query)
			} else {
				assert.Equal(t, tc.want, got, "%s", tc.query)
			}
		})
	}
}

func ints(v ...int64) []any {
	out := make([]any, len(v))
	for i, n := range v {
		out[i] = n
	}
	return out
}

// Slices: ArraySliceOperation.parse, ArraySliceToken.sliceFrom/sliceBetween/
// sliceTo and PathToken.handleArrayIndex; the first cases are
// old/ArraySlicingTest.java and old/internal/ArrayIndexFilterTest.java.
func TestJaywaySlices(t *testing.T) {
	const a = `[1, 3, 5, 7, 8, 13, 20]`
	runJaywayCases(t, []jaywayCase{
		{name: "ArraySlicingTest get_from_index", doc: a, query: "$[:3]", want: ints(1, 3, 5)},
		{name: "ArraySlicingTest get_between_index", doc: a, query: "$[1:5]", want: ints(3, 5, 7, 8)},
		{name: "ArraySlicingTest get_between_index_2", doc: a, query: "$[0:1]", want: ints(1)},
		{name: "ArraySlicingTest get_between_index_3", doc: a, query: "$[0:2]", want: ints(1, 3)},
		{name: "ArraySlicingTest get_between_index_out_of_bounds", doc: a, query: "$[1:15]", want: ints(3, 5, 7, 8, 13, 20)},
		{name: "ArraySlicingTest get_from_tail_index", doc: a, query: "$[-3:]", want: ints(8, 13, 20)},
		{name: "ArraySlicingTest get_from_tail", doc: a, query: "$[3:]", want: ints(7, 8, 13, 20)},
		{name: "ArraySlicingTest get_indexes", doc: a, query: "$[0,1,2]", want: ints(1, 3, 5)},
		{name: "ArrayIndexFilterTest head past the start", doc: a, query: "$[-10:]", want: ints(1, 3, 5, 7, 8, 13, 20)},
		{name: "ArrayIndexFilterTest tail past the end", doc: a, query: "$[:10]", want: ints(1, 3, 5, 7, 8, 13, 20)},
		{name: "ArrayIndexFilterTest head", doc: a, query: "$[0:3]", want: ints(1, 3, 5)},
		{name: "a step is ignored (parse reads two parts)", doc: a, query: "$[0:5:2]", want: ints(1, 3, 5, 7, 8)},
		{name: "parts after the third are ignored too", doc: a, query: "$[1:2:3:4]", want: ints(3)},
		{name: "[a:b] with a negative end selects nothing", doc: a, query: "$[1:-1]", want: []any{}},
		{name: "[:b] counts a negative end from the end", doc: a, query: "$[:-2]", want: ints(1, 3, 5, 7, 8)},
		{name: "[a:b] with a negative start wraps round", doc: a, query: "$[-2:1]", want: ints(13, 20, 1)},
		{name: "start past the end", doc: a, query: "$[9:]", want: []any{}},
		{name: "a leading zero is Integer.parseInt's", doc: a, query: "$[01:2]", want: ints(3)},
		{name: "-0 is 0", doc: a, query: "$[-0:1]", want: ints(1)},
		{name: "spaces round the slice are trimmed", doc: a, query: "$[ 1:2 ]", want: ints(3)},
		{name: "on an object: nothing", doc: `{"a":1}`, query: "$[0:1]", want: []any{}},
		{name: "refused: neither start nor end", doc: a, query: "$[:]", refuseAt: 3},
		{name: "refused: a step alone", doc: a, query: "$[::2]", refuseAt: 3},
		{name: "refused: a space inside", doc: a, query: "$[1: 2]", refuseAt: 5},
		{name: "refused: a comma inside", doc: a, query: "$[1:2,3]", refuseAt: 6},
		{name: "refused: past Java's int", doc: a, query: "$[1:2147483648]", refuseAt: 5},
		{name: "refused: past Java's int at the start", doc: a, query: "$[2147483648:]", refuseAt: 3},
	})
}

// Quoted names in dot notation: PathCompiler.readPropertyOrFunctionToken
// takes everything up to '.', '[' or '(' as the name, quotes included.
func TestJaywayDotNames(t *testing.T) {
	const d = `{"'key'":1,"key":2,"\"key\"":3,"$":4,"@":5,"a":{"'b'":6}}`
	runJaywayCases(t, []jaywayCase{
		{name: "single quotes are part of the name", doc: d, query: "$.'key'", want: ints(1)},
		{name: "double quotes are part of the name", doc: d, query: `$."key"`, want: ints(3)},
		{name: "a dollar is a name after a dot", doc: d, query: "$.$", want: ints(4)},
		{name: "an at sign is a name after a dot", doc: d, query: "$.@", want: ints(5)},
		{name: "after a name", doc: d, query: "$.a.'b'", want: ints(6)},
		{name: "after a deep scan", doc: d, query: "$..'b'", want: ints(6)},
		{name: "without a root (compiled as $.'key')", doc: d, query: "'key'", want: ints(1)},
		{name: "bracket notation still unquotes", doc: d, query: "$['key']", want: ints(2)},
	})
}

// Filters after .. and after wildcards: ScanPathToken.walk/walkObject/
// walkArray and its predicates, PredicatePathToken.evaluate (an object is
// tested itself, an array's elements each).
func TestJaywayScanAndFilters(t *testing.T) {
	const d = `{"a":{"b":1,"c":{"b":2}},"l":[{"b":3},[{"b":4}]]}`
	one := func(k string, v int64) map[string]any { return map[string]any{k: v} }
	runJaywayCases(t, []jaywayCase{
		{name: "filter after a deep scan: every object that passes", doc: d, query: "$..[?(@.b)]", anyOrder: true,
			want: []any{map[string]any{"b": int64(1), "c": one("b", 2)}, one("b", 2), one("b", 3), one("b", 4)}},
		{name: "filter after a deep scan, then a name", doc: d, query: "$..[?(@.b > 1)].b", anyOrder: true, want: ints(2, 3, 4)},
		{name: "the root itself passes a filter after ..", doc: `{"b":1,"c":{"b":2}}`, query: "$..[?(@.b)].b", anyOrder: true, want: ints(1, 2)},
		{name: "filter after a wildcard: an object is tested itself", doc: d, query: "$.*[?(@.b == 1)]",
			want: []any{map[string]any{"b": int64(1), "c": one("b", 2)}}},
		{name: "filter after a wildcard: an array's elements", doc: d, query: "$.*[?(@.b == 3)]", want: []any{one("b", 3)}},
		{name: "filter on an object reached by a name", doc: d, query: "$.a[?(@.b == 1)].c.b", want: ints(2)},
		{name: "deep scan for a name: objects that hold it", doc: d, query: "$..b", anyOrder: true, want: ints(1, 2, 3, 4)},
		{name: "deep scan for an index, last token", doc: `{"l":[{"b":1},{"b":2}],"m":[[5]]}`, query: "$..[0]", anyOrder: true,
			want: []any{one("b", 1), []any{int64(5)}, int64(5)}},
		{name: "deep scan for an index, not last: walkArray passes every element on", doc: `{"l":[{"b":1},{"b":2}]}`, query: "$..[0].b", want: ints(1, 2)},
		{name: "deep scan for a wildcard", doc: `{"l":[1,[2]]}`, query: "$..*", anyOrder: true, want: []any{[]any{int64(1), []any{int64(2)}}, int64(1), []any{int64(2)}, int64(2)}},
		{name: "deep scan for a slice", doc: `{"l":[1,[2,3]]}`, query: "$..[1:]", anyOrder: true, want: []any{[]any{int64(2), int64(3)}, int64(3)}},
	})
}

// Unions of keys: PropertyPathToken.multiPropertyMergeCase and
// PathToken.handleObjectProperty merge the members into one object at the
// end of a path and iterate them elsewhere; see MultiPropTest.java.
func TestJaywayKeyUnions(t *testing.T) {
	const d = `{"a":1,"b":2,"c":3,"l":[{"a":1,"b":2},{"a":3},"x"],"o":{"p":{"v":1},"q":{"v":2}}}`
	runJaywayCases(t, []jaywayCase{
		{name: "MultiPropTest multi_prop_can_be_read_from_root", doc: d, query: "$['a','b']", want: []any{map[string]any{"a": int64(1), "b": int64(2)}}},
		{name: "a missing member is left out", doc: d, query: "$['a','x']", want: []any{map[string]any{"a": int64(1)}}},
		{name: "all missing: an empty object", doc: d, query: "$['x','y']", want: []any{map[string]any{}}},
		{name: "after a wildcard: one object per element, none for a string", doc: d, query: "$.l[*]['a','b']",
			want: []any{map[string]any{"a": int64(1), "b": int64(2)}, map[string]any{"a": int64(3)}}},
		{name: "not last: the members one by one", doc: d, query: "$.o['p','q'].v", want: ints(1, 2)},
	})
}

// A definite path (PathToken.isPathDefinite: no wildcard, scan, filter,
// slice, several indexes or non-final key union) gives Jayway's read one
// value, not a list (EvaluationContextImpl.getValue), and a definite path
// that selects nothing throws PathNotFoundException.
func TestJaywayDefiniteRead(t *testing.T) {
	doc, err := ParseJSON([]byte(`{"a":{"b":[1,2]},"n":null,"o":{"x":1,"y":2}}`))
	require.NoError(t, err)
	for _, tc := range []struct {
		query string
		want  any
		found bool
	}{
		{"$.a.b[1]", int64(2), true},
		{"$.a.b", []any{int64(1), int64(2)}, true},
		{"$.n", nil, true},
		{"$.o['x','y']", map[string]any{"x": int64(1), "y": int64(2)}, true},
		{"$.nope", nil, false},
		{"$.a.b[*]", []any{int64(1), int64(2)}, true},
		{"$.a.b[5:]", []any{}, true},
		{"$.a.b[0,1]", []any{int64(1), int64(2)}, true},
	} {
		r := MustCompile("", tc.query, Jayway)
		got, found := r.Read(doc)
		assert.Equal(t, tc.found, found, tc.query)
		assert.Equal(t, tc.want, got, tc.query)
	}
}

// Filter comparisons: EvaluatorFactory (the evaluators), ValueNodes (how
// operands compare: NumberNode.equals, StringNode.equals, UndefinedNode),
// RelationalOperator (=== and !==) and FilterCompiler.readExpression; the
// document and most cases are FilterTest.java's. A filter on the root object
// tests the object itself (PredicatePathToken.evaluate), so each case asks
// whether the document passes.
func TestJaywayFilterComparisons(t *testing.T) {
	doc, err := ParseJSON([]byte(`{"int-key": 1, "long-key": 3000000000, "double-key": 10.1, "boolean-key": true,
		"null-key": null, "string-key": "string", "string-key-empty": "", "char-key": "c", "arr-empty": [],
		"int-arr": [0,1,2,3,4], "string-arr": ["a","b","c","d","e"], "obj": {"foo": "bar"}, "one": "1"}`))
	require.NoError(t, err)
	for _, tc := range []struct {
		source, filter string
		passes         bool
	}{
		{"FilterTest int_eq_evals", "@['int-key'] == 1", true},
		{"FilterTest int_eq_evals", "@['int-key'] == 666", false},
		{"FilterTest int_eq_string_evals", "@['int-key'] == '1'", true},
		{"FilterTest int_eq_string_evals", "@['int-key'] == '666'", false},
		{"FilterTest int_eq_string_evals", "1 == '1'", true},
		{"FilterTest int_eq_string_evals", "'1' == 1", true},
		{"FilterTest int_eq_string_evals", "1 === '1'", false},
		{"FilterTest int_eq_string_evals", "'1' === 1", false},
		{"FilterTest int_eq_string_evals", "1 === 1", true},
		{"FilterTest long_eq_evals", "@['long-key'] == 3000000000", true},
		{"FilterTest double_eq_evals", "@['double-key'] == 10.1", true},
		{"FilterTest string_eq_evals", "@['string-key'] == 'string'", true},
		{"FilterTest boolean_eq_evals", "@['boolean-key'] == true", true},
		{"FilterTest null_eq_evals", "@['null-key'] == null", true},
		{"FilterTest null_eq_evals", "@['null-key'] == 'string'", false},
		{"FilterTest arr_eq_evals", "@['int-arr'] == [0,1,2,3,4]", true},
		{"FilterTest arr_eq_evals", "@['int-arr'] == [0,1,2,3]", false},
		{"FilterTest null_ne_evals", "@['null-key'] != null", false},
		{"FilterTest null_ne_evals", "@['null-key'] != '666'", true},
		{"FilterTest null_ne_evals", "@['string-key'] != null", true},
		{"FilterTest int_lt_evals", "@['int-key'] < 10", true},
		{"FilterTest long_lt_evals", "@['long-key'] < 4000000000", true},
		{"FilterTest double_lt_evals", "@['double-key'] < 100.1", true},
		{"FilterTest string_lt_evals", "@['char-key'] < 'x'", true},
		{"FilterTest string_lt_evals", "@['char-key'] < 'a'", false},
		{"LessThanEvaluator: a string and a number do not compare", "@.one < 2", false},
		{"StringNode.equals: the string and the number's text", "@.one == 1", true},
		{"StringNode.equals: 1.0 is not the text 1", "@.one == 1.0", false},
		{"UndefinedNode.equals: missing equals nothing", "@.missing == @.other", false},
		{"UndefinedNode.equals: missing is not null", "@.missing == null", false},
		{"NotEqualsEvaluator: missing differs from everything", "@.missing != 'x'", true},
		{"TypeSafeNotEqualsEvaluator", "@['int-key'] !== '1'", true},
		{"FilterTest string_in_evals", "@['string-key'] in ['a', null, 'string']", true},
		{"FilterTest string_nin_evals", "@['string-key'] nin ['a', null, 'string']", false},
		{"FilterTest array_subsetof_evals", "@['string-arr'] subsetof ['a','b','c','d','e','f']", true},
		{"FilterTest array_anyof_evals", "@['string-arr'] anyof ['x','e']", true},
		{"FilterTest array_noneof_evals", "@['string-arr'] noneof ['x','y']", true},
		{"FilterTest array_size_evals", "@['string-arr'] size 5", true},
		{"FilterTest string_size_evals", "@['string-key'] size 6", true},
		{"FilterTest exists_evals", "@['string-key']", true},
		{"FilterTest exists_evals", "!@['missing-key']", true},
		{"FilterTest exists_evals: null exists", "@['null-key']", true},
		{"FilterTest empty_evals", "@['string-key-empty'] empty true", true},
		{"FilterTest empty_evals", "@['arr-empty'] empty true", true},
		{"FilterTest testFilterWithOrShortCircuit1", "(@['string-key'] == 'x' || @['char-key'] == 'c') && @['int-key'] == 2", false},
		{"FilterTest testFilterWithOrShortCircuit2", "(@['string-key'] == 'x' || @['char-key'] == 'c') && @['int-key'] == 1", true},
		{"FilterTest string_regex_evals", "@['string-key'] =~ /^string$/", true},
		{"RegexpEvaluator: Matcher.matches is a whole match", "@['string-key'] =~ /str/", false},
		{"RegexpEvaluator: a list matches when an element does", "@['string-arr'] =~ /c/", true},
		{"InEvaluator: a path that selects several nodes on the right is one list", "@.one in @['int-arr'][*]", true},
		{"NotInEvaluator: a path that selects several nodes on the right is one list", "@['char-key'] nin @['string-arr'][*]", false},
		{"EmptyEvaluator: a missing member is neither empty nor not", "@.missing empty false", false},
		{"EmptyEvaluator: a missing member is not empty either", "@.missing empty true", false},
		{"SizeEvaluator: a missing member has no size", "@.missing size 0", false},
		{"EqualsEvaluator: a path compared to a path", "@['int-key'] == @.one", true},
		{"InEvaluator: a string in a list of numbers (StringNode.equals)", "@.one in [1, 2]", true},
		{"NotInEvaluator: a missing member is in no list", "@.missing nin [1]", true},
		{"ContainsEvaluator: a list holding a value", "@['int-arr'] contains 2", true},
		{"PathNode exists with REQUIRE_PROPERTIES: an empty list's elements exist", "@['arr-empty'][*]", true},
		{"PathNode exists: a missing list throws", "@['no-such'][*]", false},
		{"PathNode exists: a wildcard on a text selects nothing but throws nothing", "@['string-key'].*", true},
		{"PathNode exists: an index past the end of a definite path", "@['int-arr'][9]", false},
		{"PathNode exists: a subfilter on a list holds whatever it selects", "@['int-arr'][?(@ > 100)]", true},
		{"PathNode exists: a deep scan never throws", "@..nothing", true},
		{"PathNode exists: negated", "!@['arr-empty'][*]", false},
		{"FilterCompiler.readJsonLiteral: an object literal", `@.obj == {"foo": "bar"}`, true},
		{"FilterCompiler.readJsonLiteral: single quotes", `@.obj == {'foo': 'bar'}`, true},
		{"FilterCompiler.readJsonLiteral: another object", `@.obj == {"foo": "baz"}`, false},
		{"EqualsEvaluator: an object is no list", `@.obj == ["bar"]`, false},
		{"EqualsEvaluator: an empty list literal", "@['arr-empty'] == []", true},
		{"EqualsEvaluator: an empty list literal, other list", "@['int-arr'] == []", false},
		{"InEvaluator: nothing is in an empty list", "@['string-key'] in []", false},
		{"NotInEvaluator: everything is not in an empty list", "@['string-key'] nin []", true},
		{"LessThanEvaluator: an object does not compare", `@['string-key'] < {"a": 1}`, false},
	} {
		q := "$[?(" + tc.filter + ")]"
		r, err := Compile("", q, Jayway)
		if !assert.NoError(t, err, "%s: %s", tc.source, q) {
			continue
		}
		assert.Equal(t, tc.passes, len(r.Nodes(doc)) == 1, "%s: %s", tc.source, q)
	}
	// FilterCompiler.readExpression: a literal alone is no condition.
	for _, q := range []string{"$[?(true)]", "$[?(false)]", "$[?(null)]", "$[?(1)]", "$[?('a')]", "$[?(@.a && true)]", `$[?({"a": 1})]`} {
		_, err := Compile("", q, Jayway)
		var se *SyntaxError
		if assert.ErrorAs(t, err, &se, q) {
			assert.Contains(t, se.Expected, "a literal alone is no condition", q)
		}
	}
}

func TestDialectDifference(t *testing.T) {
	for _, tc := range []struct {
		expr string
		col  int
	}{
		{"$.email", 0},
		{"$.emails[?(@.primary == true)].email", 0},
		{"$.a[0:2]", 0},
		{"$.a[-2:]", 0},
		{"$.a[0:4:2]", 5},
		{"$.a[1:-1]", 5},
		{"$[?(@.code == 0)].data.email", 3},
		{"$.*[?(@.x)]", 5},
		{"$..[0]", 2},
		{"$..[?(@.x)]", 2},
		{"$..email", 0},
		{"$['a','b']", 2},
		{"$['a','b'].c", 0},
		{"$.a.length()", 0},     // Jayway only
		{"$.a[?(@ =~ /x/)]", 0}, // Jayway only
	} {
		col, reason, found := DialectDifference(tc.expr)
		assert.Equal(t, tc.col != 0, found, "%s: %s", tc.expr, reason)
		assert.Equal(t, tc.col, col, tc.expr)
	}
}
