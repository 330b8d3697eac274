package mapping

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzExprs seeds both fuzzers: every construct the translator knows, valid
// and broken.
var fuzzExprs = []string{
	"$.login", "login", "@.a.b", "[0]", "$", "$.data['user-info'].email", `$["a.b"]`,
	"$.user-name", "$.urn:zitadel:iam:org:project:roles", "$.['a'].b", "$..email", "$..*", "$..[0]",
	"$.a[*].b", "$.*", "$[-1]", "$[0:2]", "$[::2]", "$['a','b']", "$[0,1]",
	"$.emails[?(@.primary == true)].email", "$[?(@.primary && @.verified == true)].email",
	"$[?(!@.primary || @.verified != false)]", "$[?(@.a == 1 || @.b == 2 && @.c == 3)]",
	"$[?(@.t in ['a','b'])]", "$[?(@.t nin [])]", "$[?(@.g subsetof ['x'])]", "$[?(@.g anyof [1,2])]",
	"$[?(@.g noneof [[1],null])]", "$[?(@.g size 2)]", "$[?(@.g empty false)]", "$[?(@.g contains 'x')]",
	"$[?(@.g exists true)]", "$[?(@.e =~ /.*@example\\.com/i)]", "$[?(/a.*/ =~ @.e)]",
	"$[?(@.e =~ /\\/x/ms)]", "$[?(@.n.length() > 1)]", "$[?(@.n[*].sum() >= 2.5e1)]",
	"$[?(length(@.e) == 3)]", "$[?match(@.e, 'a.*')]", "$[?(@.a == $.b)]", "$[?(@.code == 0)].data",
	"$.a.length()", "$.a.size()", "$..n.min()", "$.n.max(1, 2)", "$.n.avg()", "$.n.stddev()",
	"$.n.sum(-1.5)", "$.keys()", "$.n.first()", "$.n.last()", "$.n.index(-1)",
	"$.concat($.a, ' ', \"b\", 1, true, null)", "$.n.append('x')",
	"/data/email", ".login", "$.a[", "$.a['b", "$.a[?(@.b = 1)]", "$.a[?(@.b =~ /x/x)]",
	"$.a[(@.length-1)]", "$.a.foo()", "$.a[?(@.b == {})]", "$.a[?(@.b == 'x\\u00e9\\uD83D\\uDE00')]",
	"$[?((@.a)]", "$[?()]", "$[?(!)]", "$[?(@.a in [1,)]", "$.a.index(x)", "$.a.concat(",
}

// fuzzDocs seeds FuzzEval and is the document FuzzCompile evaluates on.
const fuzzDoc = `{"a":{"b":1,"c":"x"},"b":1,"code":0,"data":{"email":"e"},"e":"abc",
"emails":[{"email":"a@example.com","primary":true,"verified":true},{"email":"b","primary":false}],
"g":["x",1,null,[1],{"k":2}],"n":[1,2.5,-3],"t":"a","u":null,"user-name":"u"}`

func FuzzCompile(f *testing.F) {
	for _, e := range fuzzExprs {
		f.Add(e, false)
		f.Add(e, true)
	}
	doc, err := ParseJSON([]byte(fuzzDoc))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, expr string, rfc bool) {
		d := Jayway
		if rfc {
			d = RFC9535
		}
		r, err := Compile("name", expr, d)
		if err != nil {
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "error %v is a %T, not a *SyntaxError", err, err)
			n := max(1, utf8.RuneCountInString(expr))
			assert.GreaterOrEqual(t, se.Column, 1)
			assert.LessOrEqual(t, se.Column, n)
			assert.NotEmpty(t, se.Expected)
			msg := se.Error()
			first, _ := utf8.DecodeRuneInString(msg)
			assert.True(t, unicode.IsLower(first), "message %q starts in lower case", msg)
			return
		}
		res := r.Eval(doc)
		checkResult(t, res)
	})
}

func FuzzEval(f *testing.F) {
	f.Add([]byte(fuzzDoc))
	files, err := filepath.Glob("testdata/userinfo/*.json")
	require.NoError(f, err)
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(b)
	}
	for _, s := range []string{`null`, `[]`, `{}`, `"x"`, `1e400`, `[[[[]]]]`, `{"a":{"a":{"a":null}}}`,
		`{"emails":[1,"x",null,{"primary":"true"}]}`, `{"n":[1e308,1e308,-1e308]}`, `{"g":{"x":1}}`} {
		f.Add([]byte(s))
	}
	var rules []*Rule
	for _, e := range fuzzExprs {
		if r, err := Compile("f", e, Jayway); err == nil {
			rules = append(rules, r)
		}
	}
	// And every valid query of the RFC 9535 Compliance Test Suite, in its
	// dialect.
	for _, tc := range loadCTS(f) {
		if r, err := Compile("f", tc.Selector, RFC9535); err == nil {
			rules = append(rules, r)
		}
	}
	for _, kind := range Presets() {
		p, _ := Preset(kind)
		set, err := p.Compile(Jayway)
		require.NoError(f, err)
		rules = append(rules, set...)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Both decoders feed real callers: ojg keeps int64, encoding/json
		// gives float64.
		var docs []any
		if doc, err := ParseJSON(data); err == nil {
			docs = append(docs, doc)
		}
		var doc any
		if json.Unmarshal(data, &doc) == nil {
			docs = append(docs, doc)
		}
		for _, doc := range docs {
			for _, r := range rules {
				checkResult(t, r.Eval(doc))
			}
		}
	})
}

func checkResult(t *testing.T, res Result) {
	t.Helper()
	require.NotNil(t, res.Nodes)
	assert.Equal(t, len(res.Nodes) > 0, res.Found)
	assert.Equal(t, len(res.Nodes) > 1, res.Ambiguous)
	if !res.Found {
		assert.Nil(t, res.Value)
	}
}
