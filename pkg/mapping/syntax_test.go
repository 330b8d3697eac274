package mapping

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := Compile("email", "$.emails[?(@.primary = true)].email", Jayway)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t,
		`rule email "$.emails[?(@.primary = true)].email" has a syntax error at column 22: expected an operator such as == or in`,
		err.Error())
	assert.Equal(t, "compare with ==; a single = is not an operator", se.Hint())
	assert.Equal(t, SyntaxError{
		Field: "email", Expr: "$.emails[?(@.primary = true)].email", Column: 22,
		Expected: "an operator such as == or in", hint: se.Hint(),
	}, *se)

	_, err = Query("$.a[", nil, Jayway)
	assert.EqualError(t, err, `rule "$.a[" has a syntax error at column 4: expected ']' to close the '[' at column 4`)
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name     string
		expr     string
		dialect  Dialect
		column   int
		expected string
		hint     string // substring; "" means no hint
	}{
		// Where the rule goes wrong.
		{"empty", "", Jayway, 1, "a JSONPath such as $.email", ""},
		{"blank", "  ", Jayway, 1, "a JSONPath such as $.email", ""},
		{"jq syntax", ".login", Jayway, 1, "a JSONPath starting with $", "rules are JSONPath, not jq: write $.login"},
		{"unclosed filter parenthesis", "$.emails[?(@.primary == true].email", Jayway, 29, "')' to close the '(' at column 11", ""},
		{"unclosed filter", "$.emails[?(@.primary == true)", Jayway, 29, "']' to close the filter", ""},
		{"stray parenthesis in a filter", "$.emails[?@.primary == true)]", Jayway, 28, "']' to close the filter (this ')' has no '(')", ""},
		{"empty filter", "$.a[?()]", Jayway, 7, "a value: a path such as @.type, a quoted string, a number, true, false or null", ""},
		{"single =", "$.emails[?(@.primary = true)].email", Jayway, 22, "an operator such as == or in", "compare with =="},
		{"unquoted text", "$.emails[?(@.type == work)].email", Jayway, 22, "a value: a path such as @.type, a quoted string, a number, true, false or null", "quote text, such as 'work'"},
		{"missing value", "$.a[?(@.b ==)]", Jayway, 13, "a value: a path such as @.type, a quoted string, a number, true, false or null", ""},
		{"logical words", "$.a[?(@.b and @.c)]", Jayway, 11, "an operator such as == or in", "logical operators are written && || !"},
		{"unknown operator", "$.a[?(@.b all ['x'])]", Jayway, 11, "an operator such as == or in", "undocumented operator all"},
		{"unclosed bracket", "$.a[0", Jayway, 5, "']' to close the '[' at column 4", ""},
		{"unquoted bracket name", "$.a[b]", Jayway, 5, "a quoted name, an index, a slice, '*' or a filter inside []", "quote names in brackets, such as ['b']"},
		{"empty brackets", "$.a[]", Jayway, 5, "a quoted name, an index, a slice, '*' or a filter inside []", ""},
		{"unclosed string", "$['login", Jayway, 8, "' to close the string at column 3", ""},
		{"bad escape", `$.a[?(@.b == 'x\q')]`, Jayway, 16, `a valid escape sequence such as \' or \u00e9`, ""},
		{"bad unicode escape", `$['\u12']`, Jayway, 4, `four hexadecimal digits after \u`, ""},
		{"dot at the end", "$.a.", Jayway, 4, "a property name after '.'", ""},
		{"deep scan at the end", "$..", Jayway, 3, "a property name, '*' or '[' after '..'", ""},
		{"space in a name", "$.first name", Jayway, 9, "the end of the rule", "bracket notation, such as $['first name']"},
		{"stray parenthesis", "$.a)", Jayway, 4, "the end of the rule", "this ')' closes nothing"},
		{"comparison outside a filter", "$.a == 1", Jayway, 5, "the end of the rule", "comparisons belong inside a filter"},
		{"garbage after the path", "$['a']x", Jayway, 7, "'.', '[' or the end of the rule", ""},
		{"script expression", "$.a[(@.length-1)]", Jayway, 5, "a quoted name, an index, a slice, '*' or a filter inside []", "write [-1] for the last element"},
		{"object literal, not JSON", `$.a[?(@.b == {c:1})]`, Jayway, 14, "a JSON object", ""},
		{"path in a list", `$.a[?(@.b in [@.c])]`, Jayway, 15, "a list element: a quoted string, a number, true, false or null", ""},
		{"unclosed list", `$.a[?(@.b in ['x')]`, Jayway, 18, "',' or ']' in the list opened at column 14", ""},
		{"number followed by letters", `$.a[?(@.b == 1x)]`, Jayway, 15, "an operator or the end of the condition after the number", ""},
		{"filter on @ in a filter", `$[?(@[?(@.a)])]`, Jayway, 6, "a name or an index after @ before a nested filter", "such as @.emails[?(@.primary == true)]"},
		{"filter on @.. in a filter", `$[?(@..[ ?(@.a)])]`, Jayway, 8, "a name or an index after @ before a nested filter", ""},
		{"filter on @. in a filter", `$[?(@.[?(@.a)])]`, Jayway, 7, "a name or an index after @ before a nested filter", ""},
		{"$ path with several matches as a list", `$.a[?(@.b in $.c[*])]`, Jayway, 14, "a path from $ that selects a single value, such as a list", "such as $.allowed rather than $.allowed[*]"},

		// Regular expressions.
		{"pattern in quotes", "$.a[?(@.b =~ 'x')]", Jayway, 14, "a /pattern/ after =~", "write the pattern between slashes"},
		{"unclosed pattern", "$.a[?(@.b =~ /x)]", Jayway, 17, "'/' to close the pattern at column 14", ""},
		{"unknown flag", "$.a[?(@.b =~ /x/q)]", Jayway, 17, "a regex flag: i, m or s", ""},
		{"Java-only flag", "$.a[?(@.b =~ /x/x)]", Jayway, 17, "a regex flag Go supports: i, m or s", "Java's flag x has no Go equivalent"},
		{"lookahead", "$.a[?(@.b =~ /(?=x)y/)]", Jayway, 15, "a regular expression in Go's RE2 syntax", "RE2 has no lookaround"},
		{"ojg's ~=", "$.a[?(@.b ~= /x/)]", Jayway, 11, "an operator such as == or =~", "Jayway writes the regex operator =~"},
		{"pattern with another operator", "$.a[?(@.b == /x/)]", Jayway, 14, "a value: /patterns/ only work with =~", ""},

		// Functions.
		{"unknown function", "$.a.foo()", Jayway, 5, "a known path function", "functions: length() size()"},
		{"function not last", "$.a.length().b", Jayway, 13, "the end of the path after length()", "must be the last part of a path"},
		{"function not last in a rule", "$.a.length() x", Jayway, 14, "the end of the rule after length()", "must be the last part of a rule"},
		{"arguments to length", "$.a.length(1)", Jayway, 5, "length() with no arguments", ""},
		{"index without argument", "$.a.index()", Jayway, 5, "index() with one index argument", ""},
		{"index with text", "$.a.index('x')", Jayway, 11, "an integer index such as index(0) or index(-1)", ""},
		{"unclosed arguments", "$.concat('a'", Jayway, 12, "',' or ')' in the arguments of concat()", ""},
		{"trailing comma", "$.concat('a',)", Jayway, 14, "another argument after ','", ""},
		{"function of an argument", "$.concat($.a.length())", Jayway, 14, "a path without a function as a function argument", ""},
		{"bad argument", "$.concat(x)", Jayway, 10, "a function argument: a quoted string, a number, true, false, null or a path such as $.name", ""},
		{"concat in a filter", "$.a[?(@.b.concat('x') == 'y')]", Jayway, 11, "a function that works inside a filter: length(), size(), min(), max(), avg(), stddev(), sum(), first(), last() or keys()", ""},
		{"function after ..", "$..length()", Jayway, 4, "a property name after '..'", "such as $..price.sum()"},
		{"$ function over several matches in a filter", "$.a[?(@.b > $..b.max())]", Jayway, 18, "a function of a path from $ that selects a single value", ""},

		// Errors ojg finds; their columns are approximate.
		{"names without a comma", "$.a['x' 'y']", Jayway, 9, "a quoted name, an index, a slice, '*' or a filter inside []", "the JSONPath parser said"},
		{"union ending in a comma", "$.a[1,]", Jayway, 7, "quoted names or indexes separated by commas, such as ['a','b'] or [0,2]", ""},
		{"lone minus", "$.a[-]", Jayway, 6, "a number", ""},

		// Columns count characters, not bytes, and include leading space.
		{"non-ASCII before the error", "$.名字[?(@.b ==)]", Jayway, 14, "a value: a path such as @.type, a quoted string, a number, true, false or null", ""},
		{"leading space", "  $.a[b]", Jayway, 7, "a quoted name, an index, a slice, '*' or a filter inside []", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkSyntaxError(t, tt.expr, tt.dialect, tt.column, tt.expected, tt.hint)
		})
	}
}

// TestJSONPointer checks that JSON Pointer syntax, which the IDMP form's
// debugging tips mention, is refused with the JSONPath the user meant.
func TestJSONPointer(t *testing.T) {
	tests := []struct {
		pointer string
		hint    string
	}{
		{"/data/email", "rules are JSONPath, not JSON Pointer: write $.data.email"},
		{"/array/0", "rules are JSONPath, not JSON Pointer: write $.array[0]"},
		{"/a~1b/c~0d", "rules are JSONPath, not JSON Pointer: write $['a/b']['c~d']"},
		{"/user-info/email", "rules are JSONPath, not JSON Pointer: write $['user-info'].email"},
		{"#/data/email", "rules are JSONPath, not JSON Pointer: write $.data.email"},
		{"/", "rules are JSONPath, not JSON Pointer: write $['']"},
	}
	for _, tt := range tests {
		for _, d := range []Dialect{Jayway, RFC9535} {
			t.Run(tt.pointer+" "+d.String(), func(t *testing.T) {
				checkSyntaxError(t, tt.pointer, d, 1, "a JSONPath starting with $", tt.hint)
			})
		}
	}
}

// TestRFC9535Refusals checks that the RFC 9535 dialect refuses Jayway-only
// syntax with a hint instead of letting ojg accept or garble it.
func TestRFC9535Refusals(t *testing.T) {
	tests := []struct {
		name     string
		expr     string
		column   int
		expected string
		hint     string
	}{
		{"root omitted", "login", 1, "a JSONPath starting with $", "RFC 9535 queries start with $: write $.login (the jayway dialect adds the $ itself)"},
		{"root omitted before a bracket", "[0].email", 1, "a JSONPath starting with $", "write $[0].email"},
		{"@ as root", "@.login", 1, "a JSONPath starting with $", "write $.login"},
		{"tail function", "$.groups.length()", 10, "a name: RFC 9535 has no path functions", ".length() is Jayway syntax; RFC 9535 has length(@.x)"},
		{"tail function in a filter", "$[?(@.groups.size() > 1)]", 14, "a name: RFC 9535 has no path functions", ".size() is Jayway syntax"},
		{"regex operator", "$[?(@.email =~ /x/i)]", 13, "an RFC 9535 comparison operator", "=~ is Jayway syntax; RFC 9535 has match(@.x, 'pattern')"},
		{"regex literal", "$[?(/x/ =~ @.email)]", 5, "an RFC 9535 value", "/pattern/ is Jayway syntax"},
		{"in", "$[?(@.a in ['x'])]", 9, "an RFC 9535 comparison operator", "in is Jayway syntax, not RFC 9535; use the jayway dialect"},
		{"nin", "$[?(@.a nin ['x'])]", 9, "an RFC 9535 comparison operator", "nin is Jayway syntax"},
		{"subsetof", "$[?(@.a subsetof ['x'])]", 9, "an RFC 9535 comparison operator", "subsetof is Jayway syntax"},
		{"anyof", "$[?(@.a anyof ['x'])]", 9, "an RFC 9535 comparison operator", "anyof is Jayway syntax"},
		{"noneof", "$[?(@.a noneof ['x'])]", 9, "an RFC 9535 comparison operator", "noneof is Jayway syntax"},
		{"size", "$[?(@.a size 2)]", 9, "an RFC 9535 comparison operator", "size is Jayway syntax"},
		{"empty", "$[?(@.a empty true)]", 9, "an RFC 9535 comparison operator", "empty is Jayway syntax"},
		{"name that needs brackets", "$.user-name", 7, "a letter, digit or '_' in a name in dot notation", "RFC 9535 needs bracket notation for this name: ['user-name']"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkSyntaxError(t, tt.expr, RFC9535, tt.column, tt.expected, tt.hint)
			_, err := Compile("f", tt.expr, Jayway)
			assert.NoError(t, err, "the jayway dialect accepts %s", tt.expr)
		})
	}
}

func checkSyntaxError(t *testing.T, expr string, d Dialect, column int, expected, hint string) {
	t.Helper()
	_, err := Compile("email", expr, d)
	require.Error(t, err, "rule %q", expr)
	var se *SyntaxError
	require.True(t, errors.As(err, &se), "error %v is a %T", err, err)
	assert.Equal(t, "email", se.Field)
	assert.Equal(t, expr, se.Expr)
	assert.Equal(t, column, se.Column, "column in %q: %v", expr, err)
	assert.Equal(t, expected, se.Expected)
	if hint == "" {
		return
	}
	assert.Contains(t, se.Hint(), hint)
}

func TestColumn(t *testing.T) {
	tests := []struct {
		expr string
		off  int
		want int
	}{
		{"", 0, 1},
		{"$.a", 0, 1},
		{"$.a", 2, 3},
		{"$.a", 3, 3},  // the end clamps to the last character
		{"$.a", 99, 3}, // so does anything beyond
		{"$.a", -1, 1}, // and anything before
		{"$.名字", 5, 4}, // bytes to characters
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, column(tt.expr, tt.off), "column(%q, %d)", tt.expr, tt.off)
	}
}
