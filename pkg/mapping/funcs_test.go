package mapping

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/ohler55/ojg/jp"
	"github.com/stretchr/testify/assert"
)

// TestOperators pins the Jayway semantics of the registered operators,
// including the cases a filter on real documents rarely reaches.
func TestOperators(t *testing.T) {
	list := []any{"a", int64(1), 2.5, nil, true, []any{"x"}, map[string]any{"k": int64(1)}}
	tests := []struct {
		name  string
		op    func(l, r any) any
		left  any
		right any
		want  bool
	}{
		{"eq", opEq, int64(1), 1.0, true},
		{"eq lists", opEq, []any{"a", int64(1)}, []any{"a", 1.0}, true},
		{"eq lists of other lengths", opEq, []any{"a"}, []any{"a", "b"}, false},
		{"eq objects", opEq, map[string]any{"a": []any{nil}}, map[string]any{"a": []any{nil}}, true},
		{"eq list and object", opEq, []any{}, map[string]any{}, false},
		{"eq null", opEq, nil, nil, true},
		{"eq null and missing", opEq, nil, jp.Nothing, false},
		// Jayway 2.9.0 ValueNodes: UndefinedNode.equals is always false; StringNode.equals
		// compares with the number's text, NumberNode.equals with the string read as a BigDecimal.
		{"eq missing and missing", opEq, jp.Nothing, jp.Nothing, false},
		{"eq string and number", opEq, "1", int64(1), true},
		{"eq number and string", opEq, int64(1), "1.0", true},
		{"eq string and number, other text", opEq, "1.0", int64(1), false},
		{"eq string and decimal number", opEq, "1.5", 1.5, true},
		{"eq string and integral decimal number", opEq, "2.0", 2.0, true},
		{"eq number and a string that is no number", opEq, int64(1), "1x", false},
		{"eq bools", opEq, false, false, true},
		{"ne", opNe, "a", "b", true},
		{"ne missing", opNe, jp.Nothing, "b", true},
		{"in", opIn, "a", list, true},
		{"in int equals float", opIn, 1.0, list, true},
		{"in json.Number", opIn, json.Number("2.5"), list, true},
		{"in null", opIn, nil, list, true},
		{"in list", opIn, []any{"x"}, list, true},
		{"in object", opIn, map[string]any{"k": 1.0}, list, true},
		{"in object, other value", opIn, map[string]any{"k": 2.0}, list, false},
		{"in object, other key", opIn, map[string]any{"j": int64(1)}, list, false},
		{"in, absent", opIn, "b", list, false},
		{"in, string 1 is 1 (StringNode.equals)", opIn, "1", list, true},
		{"in, string 2 is not in the list", opIn, "2", list, false},
		{"in, missing member", opIn, jp.Nothing, list, false},
		{"in, right not a list", opIn, "a", "a", false},
		{"nin", opNin, "b", list, true},
		{"nin, missing member", opNin, jp.Nothing, list, true},
		{"nin, right not a list", opNin, "a", "a", true},
		{"nin, present", opNin, "a", list, false},
		{"subsetof", opSubsetOf, []any{"a", true}, list, true},
		{"subsetof, empty", opSubsetOf, []any{}, list, true},
		{"subsetof, extra", opSubsetOf, []any{"a", "z"}, list, false},
		{"subsetof, not a list", opSubsetOf, "a", list, false},
		{"anyof", opAnyOf, []any{"z", int64(1)}, list, true},
		{"anyof, none", opAnyOf, []any{"z"}, list, false},
		{"anyof, not a list", opAnyOf, jp.Nothing, list, false},
		{"noneof", opNoneOf, []any{"z"}, list, true},
		{"noneof, one", opNoneOf, []any{"z", "a"}, list, false},
		{"noneof, not a list", opNoneOf, "z", list, false},
		{"size of a list", opSize, list, int64(7), true},
		{"size of a string in characters", opSize, "héllo", int64(5), true},
		{"size of an object", opSize, map[string]any{"a": 1}, 1.0, true},
		{"size, wrong", opSize, "ab", int64(3), false},
		{"size, right not a number", opSize, "ab", "2", false},
		{"size of a number", opSize, int64(10), int64(2), false},
		{"contains in a string", opContains, "alist-admins", "admin", true},
		{"contains in a list", opContains, list, true, true},
		{"contains, absent", opContains, list, "b", false},
		{"contains, string and number", opContains, "a1", int64(1), false},
		{"contains in a number", opContains, int64(1), int64(1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.op(tt.left, tt.right))
		})
	}
}

func TestOpMatches(t *testing.T) {
	rx := regexp.MustCompile(`\A(?:a.*)\z`)
	empty := regexp.MustCompile(`\A(?:.*)\z`)
	tests := []struct {
		name  string
		left  any
		right any
		want  bool
	}{
		{"string", "abc", rx, true},
		{"no match", "xabc", rx, false},
		{"list, any element", []any{"x", "ab"}, rx, true},
		{"list, no element", []any{"x", int64(1)}, rx, false},
		{"number by its text", int64(12), regexp.MustCompile(`\A(?:1\d)\z`), true},
		{"float by its text", 2.5, regexp.MustCompile(`\A(?:2\.5)\z`), true},
		{"bool by its text", true, regexp.MustCompile(`\A(?:true)\z`), true},
		// Jayway matches anything else as the empty string.
		{"missing member is the empty string", jp.Nothing, empty, true},
		{"null is the empty string", nil, empty, true},
		{"object is the empty string", map[string]any{}, rx, false},
		{"no pattern", "abc", "a.*", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, opMatches(tt.left, tt.right))
		})
	}
}

func TestFilterFuncNothing(t *testing.T) {
	f := filterFunc("length")
	assert.Equal(t, jp.Nothing, f(jp.Nothing), "a missing member has no length")
	assert.Equal(t, jp.Nothing, f(int64(3)), "a number has no length")
	assert.Equal(t, int64(2), f([]any{1, 2}))
}

func TestStringify(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"x", "x"},
		{int64(-3), "-3"},
		{3, "3"},
		{1.5, "1.5"},
		{1e21, "1000000000000000000000"},
		{json.Number("7"), "7"},
		{false, "false"},
		{nil, "null"},
		{[]any{int64(1), "a"}, `[1,"a"]`},
		{map[string]any{"b": int64(1), "a": nil}, `{"a":null,"b":1}`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, stringify(tt.in), "stringify(%#v)", tt.in)
	}
}
