package mapping

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// load decodes a sample from testdata/userinfo with ParseJSON.
func load(t testing.TB, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "userinfo", name))
	require.NoError(t, err)
	doc, err := ParseJSON(b)
	require.NoError(t, err)
	return doc
}

// loadStd decodes a sample with encoding/json, which gives float64 numbers.
func loadStd(t testing.TB, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "userinfo", name))
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(b, &doc))
	return doc
}

func parse(t testing.TB, s string) any {
	t.Helper()
	doc, err := ParseJSON([]byte(s))
	require.NoError(t, err)
	return doc
}

func TestEvalResult(t *testing.T) {
	github := load(t, "github.json")
	emails := load(t, "github-emails.json")
	tests := []struct {
		name string
		doc  any
		expr string
		want Result
	}{
		{
			name: "one node",
			doc:  github, expr: "$.login",
			want: Result{Field: "name", Expr: "$.login", Nodes: []any{"mona-ops"}, Value: "mona-ops", Found: true},
		},
		{
			name: "integer id stays an integer",
			doc:  github, expr: "$.id",
			want: Result{Field: "name", Expr: "$.id", Nodes: []any{int64(58121947)}, Value: int64(58121947), Found: true},
		},
		{
			name: "null is found with a nil value",
			doc:  github, expr: "$.email",
			want: Result{Field: "name", Expr: "$.email", Nodes: []any{nil}, Value: nil, Found: true},
		},
		{
			name: "missing is not found",
			doc:  github, expr: "$.mail",
			want: Result{Field: "name", Expr: "$.mail", Nodes: []any{}},
		},
		{
			name: "missing intermediate is not found",
			doc:  github, expr: "$.plan.name",
			want: Result{Field: "name", Expr: "$.plan.name", Nodes: []any{}},
		},
		{
			name: "several nodes are ambiguous and give the first",
			doc:  emails, expr: "$[*].email",
			want: Result{
				Field: "name", Expr: "$[*].email",
				Nodes: []any{"mona@example.com", "58121947+mona-ops@users.noreply.github.com", "old-mona@example.net"},
				Value: "mona@example.com", Found: true, Ambiguous: true,
			},
		},
		{
			name: "a function result is the only node",
			doc:  emails, expr: "$[*].email.first()",
			want: Result{Field: "name", Expr: "$[*].email.first()", Nodes: []any{"mona@example.com"}, Value: "mona@example.com", Found: true},
		},
		{
			name: "a function that does not apply finds nothing",
			doc:  emails, expr: "$[?(@.primary == 'yes')].email.first()",
			want: Result{Field: "name", Expr: "$[?(@.primary == 'yes')].email.first()", Nodes: []any{}},
		},
		{
			name: "the user's own text is kept",
			doc:  github, expr: "  login ",
			want: Result{Field: "name", Expr: "  login ", Nodes: []any{"mona-ops"}, Value: "mona-ops", Found: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compile("name", tt.expr, Jayway)
			require.NoError(t, err)
			if diff := cmp.Diff(tt.want, r.Eval(tt.doc)); diff != "" {
				t.Errorf("Eval(%q) mismatch (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

// TestJayway pins what Jayway rules select on the userinfo samples.
func TestJayway(t *testing.T) {
	github := load(t, "github.json")
	emails := load(t, "github-emails.json")
	lark := load(t, "lark.json")
	authentik := load(t, "authentik.json")
	keycloak := load(t, "keycloak.json")
	graph := load(t, "microsoft-graph-me.json")
	// A document that embeds GET /user/emails next to the profile.
	withEmails := map[string]any{"login": "mona-ops", "emails": emails, "allowed": []any{"private", "public"}}
	nums := parse(t, `{"n":[1,2,3,4],"mixed":[1,"x",2.5,null],"none":[],"s":"héllo","user-name":"u",
		"urn:zitadel:iam:org:project:roles":{"admin":{}},"a":{"b":1}}`)

	tests := []struct {
		name string
		doc  any
		expr string
		want []any
	}{
		// Paths.
		{"dot notation", github, "$.login", []any{"mona-ops"}},
		{"root omitted", github, "login", []any{"mona-ops"}},
		{"root omitted, nested", lark, "data.email", []any{"lina@example.cn"}},
		{"root omitted, bracket first", emails, "[0].email", []any{"mona@example.com"}},
		{"@ as root", github, "@.login", []any{"mona-ops"}},
		{"bracket single quotes", github, "$['login']", []any{"mona-ops"}},
		{"bracket double quotes", github, `$["login"]`, []any{"mona-ops"}},
		{"dot before bracket", lark, "$.data.['email']", []any{"lina@example.cn"}},
		{"bracket with dots in the key", graph, "$['@odata.context']", []any{"https://graph.microsoft.com/v1.0/$metadata#users/$entity"}},
		{"dash in a dot name", nums, "$.user-name", []any{"u"}},
		{"colons in a dot name", nums, "$.urn:zitadel:iam:org:project:roles.keys()", []any{[]any{"admin"}}},
		{"index", emails, "$[1].email", []any{"58121947+mona-ops@users.noreply.github.com"}},
		{"negative index", emails, "$[-1].email", []any{"old-mona@example.net"}},
		{"slice", emails, "$[0:2].verified", []any{true, true}},
		{"open slice", emails, "$[1:].primary", []any{false, false}},
		{"union of indexes", emails, "$[0,2].email", []any{"mona@example.com", "old-mona@example.net"}},
		{"names at the end merge into an object", graph, "$['givenName','surname','nope']", []any{map[string]any{"givenName": "Ana", "surname": "Pereira"}}},
		{"names at the end of an indefinite path", emails, "$[0:2]['email','primary']", []any{
			map[string]any{"email": "mona@example.com", "primary": true},
			map[string]any{"email": "58121947+mona-ops@users.noreply.github.com", "primary": false},
		}},
		{"names inside a path select each", parse(t, `{"a":{"x":1},"b":{"x":2}}`), "$['a','b'].x", []any{int64(1), int64(2)}},
		{"length of merged names", graph, "$['givenName','surname'].length()", []any{int64(2)}},
		{"wildcard", keycloak, "$.groups[*]", []any{"/inventree/admins", "/inventree/readers"}},
		{"deep scan", lark, "$..union_id", []any{"on_7e6d5c4b3a291807f6e5d4c3b2a19080"}},
		{"deep scan with a filter", withEmails, "$..[?(@.primary == true)].email", []any{"mona@example.com"}},
		{"array element of the root", graph, "$.businessPhones[0]", []any{"+351 21 000 0000"}},

		// Filters.
		{"filter on a member list", withEmails, "$.emails[?(@.primary == true)].email", []any{"mona@example.com"}},
		{"filter on the root array", emails, "$[?(@.primary == true && @.verified == true)].email", []any{"mona@example.com"}},
		{"RFC 9535 filter without parentheses", emails, "$[?@.primary == true].email", []any{"mona@example.com"}},
		{"existence keeps false values", emails, "$[?(@.primary)].email", []any{"mona@example.com", "58121947+mona-ops@users.noreply.github.com", "old-mona@example.net"}},
		{"existence in a chain keeps false values", emails, "$[?(@.primary && @.visibility == null)].email", []any{"58121947+mona-ops@users.noreply.github.com", "old-mona@example.net"}},
		{"negated existence", emails, "$[?(!@.missing && @.primary == true)].email", []any{"mona@example.com"}},
		{"filter on a member found by deep scan", parse(t, `{"l":[null,{"x":{"y":[{"b":1}]}}]}`), "$.l[?(@..y[?(@.b == 1)])].x", []any{map[string]any{"y": []any{map[string]any{"b": int64(1)}}}}},
		// Jayway tests an object itself (PredicatePathToken.evaluate), so the second filter asks
		// whether {"x":{"b":1}} has b: it has not.
		{"filter after a filter that matched null", parse(t, `{"l":[null,{"x":{"b":1}}]}`), "$.l[?(@)][?(@.b)]", []any{}},
		{"filter after a filter, on the object itself", parse(t, `{"l":[null,{"b":1}]}`), "$.l[?(@)][?(@.b)]", []any{map[string]any{"b": int64(1)}}},
		{"not binds to the next condition only", emails, "$[?(!@.primary == true && @.verified == true)].email", []any{"58121947+mona-ops@users.noreply.github.com"}},
		{"and binds tighter than or", emails, "$[?(@.visibility == 'private' || @.verified == false && @.primary == true)].email", []any{"mona@example.com"}},
		{"parentheses", emails, "$[?((@.visibility == 'private' || @.verified == false) && @.primary == false)].email", []any{"old-mona@example.net"}},
		{"null comparison", emails, "$[?(@.visibility == null)].email", []any{"58121947+mona-ops@users.noreply.github.com", "old-mona@example.net"}},
		{"lists compare member by member", keycloak, "$[?(@.groups == ['/inventree/admins', '/inventree/readers'])].preferred_username", []any{"marta"}},
		{"objects compare member by member", parse(t, `{"l":[{"a":{"b":[1]},"c":{"b":[1.0]}},{"a":{},"c":[]}]}`), "$.l[?(@.a == @.c)].a", []any{map[string]any{"b": []any{int64(1)}}}},
		// Jayway 2.9.0 ValueNodes.UndefinedNode.equals is always false.
		{"missing equals nothing, not even missing", emails, "$[?(@.x == @.y)].primary", []any{}},
		{"missing is not null", emails, "$[?(@.x == null)].primary", []any{}},
		// Jayway 2.9.0 ValueNodes.NumberNode.equals reads the string as a BigDecimal.
		{"a number equals a string with its digits", github, "$[?(@.id == '58121947')].login", []any{"mona-ops"}},
		{"number comparison", github, "$[?(@.followers > 40)].login", []any{"mona-ops"}},
		{"path to the root in a filter", withEmails, "$.emails[?(@.email =~ /mona@.*/ && $.login == 'mona-ops')].verified", []any{true}},
		{"escapes in strings", lark, `$[?(@.data.name == '\u674e\u5a1c')].data.union_id`, []any{"on_7e6d5c4b3a291807f6e5d4c3b2a19080"}},

		// Jayway applies a filter on an object to the object itself.
		{"filter on the root object", lark, "$[?(@.code == 0)].data.email", []any{"lina@example.cn"}},
		{"filter on the root object, no match", lark, "$[?(@.code == 1)].data.email", []any{}},
		{"filter on a member object", lark, "$.data[?(@.email)].union_id", []any{"on_7e6d5c4b3a291807f6e5d4c3b2a19080"}},
		{"filter on an object, whole object", nums, "$.a[?(@.b == 1)]", []any{map[string]any{"b": int64(1)}}},

		// Jayway's filter operators.
		{"in", emails, "$[?(@.visibility in ['private', 'public'])].email", []any{"mona@example.com"}},
		{"in with a literal on the left", authentik, "$[?('alist-users' in @.groups)].preferred_username", []any{"jorge"}},
		{"in with a path on the right", withEmails, "$.emails[?(@.visibility in $.allowed)].email", []any{"mona@example.com"}},
		{"a path with several matches is a list", keycloak, "$[?(@.groups[*] anyof ['/inventree/readers'])].preferred_username", []any{"marta"}},
		{"a path with several matches is a list for size", keycloak, "$[?(@.groups[*] size 2)].preferred_username", []any{"marta"}},
		{"in an empty list", emails, "$[?(@.email in [])].email", []any{}},
		{"nin", emails, "$[?(@.visibility nin ['private'])].email", []any{"58121947+mona-ops@users.noreply.github.com", "old-mona@example.net"}},
		{"nin on a missing member is true", emails, "$[?(@.type nin ['bot'])].verified", []any{true, true, false}},
		{"in compares numbers by value", github, "$[?(@.id in [58121947.0, 1])].login", []any{"mona-ops"}},
		{"operators are case-insensitive", emails, "$[?(@.visibility NIN ['private'])].verified", []any{true, false}},
		{"subsetof", authentik, "$[?(@.groups subsetof ['authentik Admins', 'alist-users', 'other'])].preferred_username", []any{"jorge"}},
		{"subsetof, not a subset", authentik, "$[?(@.groups subsetof ['alist-users'])].preferred_username", []any{}},
		{"anyof", keycloak, "$[?(@.groups anyof ['/inventree/admins', '/x'])].preferred_username", []any{"marta"}},
		{"anyof, none shared", keycloak, "$[?(@.groups anyof ['/x'])].preferred_username", []any{}},
		{"noneof", keycloak, "$[?(@.groups noneof ['/x', '/y'])].preferred_username", []any{"marta"}},
		{"noneof, one shared", keycloak, "$[?(@.groups noneof ['/inventree/readers'])].preferred_username", []any{}},
		{"size of a list", authentik, "$[?(@.groups size 2)].preferred_username", []any{"jorge"}},
		{"size of a string", emails, "$[?(@.email size 16)].email", []any{"mona@example.com"}},
		{"empty false", authentik, "$[?(@.groups empty false)].preferred_username", []any{"jorge"}},
		{"empty true", nums, "$[?(@.none empty true)].s", []any{"héllo"}},
		{"contains in a list", authentik, "$[?(@.groups contains 'alist-users')].email", []any{"jorge@example.com"}},
		{"contains in a string", emails, "$[?(@.email contains 'noreply')].verified", []any{true}},
		{"exists", emails, "$[?(@.visibility exists true)].primary", []any{true, false, false}},

		// Regular expressions: the whole value must match, as in Jayway.
		{"regex", emails, `$[?(@.email =~ /.*@example\.com/)].email`, []any{"mona@example.com"}},
		{"regex must match the whole value", emails, `$[?(@.email =~ /example/)].email`, []any{}},
		{"regex flag i", emails, `$[?(@.email =~ /.*@EXAMPLE\.(COM|NET)/i)].email`, []any{"mona@example.com", "old-mona@example.net"}},
		{"regex without flag i is case-sensitive", emails, `$[?(@.email =~ /.*@EXAMPLE\.COM/)].email`, []any{}},
		{"regex flags s and m", github, `$[?(@.bio =~ /keeps.*LIGHTS.*/is)].login`, []any{"mona-ops"}},
		{"regex with an escaped slash", github, `$[?(@.html_url =~ /https:\/\/github\.com\/.*/)].login`, []any{"mona-ops"}},
		{"regex on a number", github, `$[?(@.id =~ /5812.*/)].login`, []any{"mona-ops"}},
		{"regex on a list matches any element", keycloak, `$[?(@.groups =~ /.*admins/)].preferred_username`, []any{"marta"}},
		{"regex pattern on the left", emails, `$[?(/mona@.*/ =~ @.email)].primary`, []any{true}},

		// Functions inside filters.
		{"length in a filter", authentik, "$[?(@.groups.length() == 2)].preferred_username", []any{"jorge"}},
		{"size in a filter", keycloak, "$[?(@.groups.size() > 2)].preferred_username", []any{}},
		{"length of all matches in a filter", withEmails, "$[?(@.emails[*].email.length() == 3)].login", []any{"mona-ops"}},
		{"sum in a filter", nums, "$[?(@.n.sum() == 10)].s", []any{"héllo"}},
		{"RFC 9535 length() in a filter", authentik, "$[?(length(@.groups) == 2)].nickname", []any{"jorge"}},

		// Path-tail functions.
		{"length of a list", emails, "$.length()", []any{int64(3)}},
		{"size of a list", keycloak, "$.groups.size()", []any{int64(2)}},
		{"length of an object", lark, "$.data.length()", []any{int64(14)}},
		{"length of all matches", emails, "$[*].email.length()", []any{int64(3)}},
		{"length of a string, in characters", nums, "$.s.length()", []any{int64(5)}},
		{"length of nothing matched", emails, "$[?(@.primary == 'x')].length()", []any{int64(0)}},
		{"length of a missing member", github, "$.plan.length()", []any{}},
		{"min", nums, "$.n.min()", []any{1.0}},
		{"max", nums, "$.n.max()", []any{4.0}},
		{"avg", nums, "$.n.avg()", []any{2.5}},
		{"sum", nums, "$.n.sum()", []any{10.0}},
		{"sum with arguments", nums, "$.n.sum(5, 0.5)", []any{15.5}},
		{"sum skips non-numbers", nums, "$.mixed.sum()", []any{3.5}},
		{"sum of all matches", nums, "$.n[*].sum()", []any{10.0}},
		{"sum of no numbers", nums, "$.none.sum()", []any{}},
		{"keys are sorted", authentik, "$.keys()", []any{[]any{"email", "email_verified", "given_name", "groups", "name", "nickname", "nonce", "preferred_username", "sub"}}},
		{"first", keycloak, "$.groups.first()", []any{"/inventree/admins"}},
		{"last", keycloak, "$.groups.last()", []any{"/inventree/readers"}},
		{"first of all matches", emails, "$[?(@.verified == true)].email.first()", []any{"mona@example.com"}},
		{"first of an empty list", nums, "$.none.first()", []any{}},
		{"index", nums, "$.n.index(1)", []any{int64(2)}},
		{"index from the end", nums, "$.n.index(-1)", []any{int64(4)}},
		{"index out of range", nums, "$.n.index(9)", []any{}},
		{"concat of a list", keycloak, "$.groups.concat()", []any{"/inventree/admins/inventree/readers"}},
		{"concat of paths and literals", authentik, "$.concat($.given_name, ' <', $.email, '>')", []any{"Jorge Silva <jorge@example.com>"}},
		{"concat of a string", github, `$.login.concat("@", 'github.com')`, []any{"mona-ops@github.com"}},
		{"concat with a number", github, "$.login.concat('#', $.id)", []any{"mona-ops#58121947"}},
		{"append", nums, "$.n.append(5, 'x')", []any{[]any{int64(1), int64(2), int64(3), int64(4), int64(5), "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compile("f", tt.expr, Jayway)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Nodes(tt.doc), "rule %s", tt.expr)
		})
	}
}

func TestStddev(t *testing.T) {
	r := MustCompile("", "$.n.stddev()", Jayway)
	v := r.Eval(parse(t, `{"n":[2,4,4,4,5,5,7,9]}`)).Value
	assert.InDelta(t, 2.0, v, 1e-12, "population standard deviation")
	assert.False(t, r.Eval(parse(t, `{"n":["x"]}`)).Found)
	assert.False(t, math.IsNaN(MustCompile("", "$.n.stddev()", Jayway).Eval(parse(t, `{"n":[1]}`)).Value.(float64)))
}

// TestEncodingJSONNumbers checks documents decoded by encoding/json, whose
// numbers are all float64.
func TestEncodingJSONNumbers(t *testing.T) {
	github := loadStd(t, "github.json")
	tests := []struct {
		expr string
		want []any
	}{
		{"$.id", []any{58121947.0}},
		{"$[?(@.id == 58121947)].login", []any{"mona-ops"}},
		{"$[?(@.id in [58121947])].login", []any{"mona-ops"}},
		{"$[?(@.id =~ /58121947/)].login", []any{"mona-ops"}},
		{"$.login.concat('#', $.id)", []any{"mona-ops#58121947"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := Query(tt.expr, github, Jayway)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRFC9535(t *testing.T) {
	emails := load(t, "github-emails.json")
	obj := parse(t, `{"a":{"b":1},"list":[{"b":1},{"b":2}]}`)
	tests := []struct {
		name string
		doc  any
		expr string
		want []any
	}{
		{"member", emails, "$[0].email", []any{"mona@example.com"}},
		{"filter without parentheses", emails, "$[?@.primary == true].email", []any{"mona@example.com"}},
		{"filter with parentheses", emails, "$[?(@.primary == true)].email", []any{"mona@example.com"}},
		{"names at the end select each", emails, "$[0]['email','primary']", []any{"mona@example.com", true}},
		{"length()", emails, "$[?length(@.email) == 16].email", []any{"mona@example.com"}},
		{"match() is anchored", emails, "$[?match(@.email, 'mona@.*')].verified", []any{true}},
		{"search() is not", emails, "$[?search(@.email, 'noreply')].verified", []any{true}},
		{"existence in a chain keeps false values", emails, "$[?@.primary && @.visibility == null].email", []any{"58121947+mona-ops@users.noreply.github.com", "old-mona@example.net"}},
		{"not binds to the next test only", emails, "$[?!@.missing && @.primary == true].email", []any{"mona@example.com"}},
		{"and binds tighter than or", emails, "$[?@.visibility == 'private' || @.verified == false && @.primary == true].email", []any{"mona@example.com"}},
		{"filter after a filter that matched null", parse(t, `{"l":[null,{"x":{"b":1}}]}`), "$.l[?@][?@.b]", []any{map[string]any{"b": int64(1)}}},
		{"a filter tests member values of an object", obj, "$.a[?@.b == 1]", []any{}},
		{"a filter tests elements of an array", obj, "$.list[?@.b == 1]", []any{map[string]any{"b": int64(1)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Query(tt.expr, tt.doc, RFC9535)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}

	t.Run("jayway tests the object itself", func(t *testing.T) {
		got, err := Query("$.a[?(@.b == 1)]", obj, Jayway)
		require.NoError(t, err)
		assert.Equal(t, []any{map[string]any{"b": int64(1)}}, got)
	})
	t.Run("a filter that refers to $ keeps ojg's reading", func(t *testing.T) {
		// The emulation evaluates the filter with the object as root, which
		// would change what $ means, so it stays off.
		got, err := Query("$[?(@.b == $.a.b)]", obj, Jayway)
		require.NoError(t, err)
		assert.Equal(t, []any{map[string]any{"b": int64(1)}}, got)
	})
}

func TestQuery(t *testing.T) {
	github := load(t, "github.json")

	got, err := Query("$.nothing", github, Jayway)
	require.NoError(t, err)
	assert.NotNil(t, got, "no match prints as [] in JSON")
	assert.Empty(t, got)
	out, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, `[]`, string(out))

	got, err = Query("$['login','id']", github, RFC9535)
	require.NoError(t, err)
	assert.Equal(t, []any{"mona-ops", int64(58121947)}, got)

	_, err = Query("$.a[", github, Jayway)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Empty(t, se.Field)
}

func TestNullDocument(t *testing.T) {
	tests := []struct {
		expr string
		want []any
	}{
		{"$", []any{nil}},
		{"$.a", []any{}},
		{"$[?(@.a)]", []any{}},
		{"$..a", []any{}},
		{"$.length()", []any{}},
		{"$.concat($[?(@.a)], 'x')", []any{"x"}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := Query(tt.expr, nil, Jayway)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseDialect(t *testing.T) {
	tests := []struct {
		in      string
		want    Dialect
		wantErr string
	}{
		{"", Jayway, ""},
		{"jayway", Jayway, ""},
		{"Jayway", Jayway, ""},
		{"rfc9535", RFC9535, ""},
		{" RFC9535 ", RFC9535, ""},
		{"goessner", Jayway, `unknown JSONPath dialect "goessner": use jayway or rfc9535`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDialect(tt.in)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, must(ParseDialect(got.String())))
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestCompileUnknownDialect(t *testing.T) {
	_, err := Compile("name", "$.a", Dialect(7))
	assert.EqualError(t, err, "compile rule name: unknown JSONPath dialect 7")
}

func TestRuleAccessors(t *testing.T) {
	r := MustCompile("email", " $.email", Jayway)
	assert.Equal(t, "email", r.Field())
	assert.Equal(t, " $.email", r.Expr())
	assert.Equal(t, " $.email", r.String())
	assert.Equal(t, Jayway, r.Dialect())
	assert.Equal(t, RFC9535, MustCompile("email", "$.email", RFC9535).Dialect())
	assert.Panics(t, func() { MustCompile("email", "$.a[", Jayway) })
}

func TestParseJSON(t *testing.T) {
	doc, err := ParseJSON([]byte(`{"id": 1, "f": 1.5, "s": "x", "n": null, "b": true, "a": [1]}`))
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": int64(1), "f": 1.5, "s": "x", "n": nil, "b": true, "a": []any{int64(1)}}, doc)

	for _, bad := range []string{``, `{`, `{"a":}`, `{"0":{"0":},"":"0"0`, `[1,]`} {
		t.Run(bad, func(t *testing.T) {
			_, err := ParseJSON([]byte(bad))
			require.Error(t, err)
			assert.Regexp(t, `^parse JSON: `, err.Error())
		})
	}
}

// TestConcurrentEval runs one rule from many goroutines; go test -race
// checks that compiled rules share nothing mutable.
func TestConcurrentEval(t *testing.T) {
	emails := load(t, "github-emails.json")
	r := MustCompile("email", "$[?(@.primary == true && @.visibility in ['private'])].email.first()", Jayway)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				assert.Equal(t, "mona@example.com", r.Eval(emails).Value)
			}
		})
	}
	wg.Wait()
}
