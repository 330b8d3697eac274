package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// slowCopy returns m without its extractor, so that MapJSON parses every document.
func slowCopy(m *Mapper) *Mapper {
	s := *m
	s.fast = nil
	return &s
}

// fuzzMapper selects nested names, indexes, the root and a groups claim, so that the extractor's
// every branch is compared with the parser's.
func fuzzMapper(t testing.TB) *Mapper {
	t.Helper()
	p := config.Provider{Name: "f", Type: "oauth2", Groups: &config.Groups{Claim: "groups", Map: map[string]string{"a": "A"}},
		Mapping: &config.Mapping{Type: "custom", Rules: map[string]string{
			"id": "$.id", "name": "$.a.b", "email": "$.a.c[1]", "nickname": "$.data.name",
			"phone": "$[1]", "description": "$",
		}}}
	m, err := NewMapper(Options{Provider: p})
	require.NoError(t, err)
	require.NotNil(t, m.fast, "every rule is a plain path")
	return m
}

func TestMapJSONFastEqualsSlow(t *testing.T) {
	type cfg struct {
		name string
		opts Options
	}
	reg := &config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}
	cfgs := []cfg{
		{"github", Options{Provider: config.Provider{Name: "gh", Type: "github", Registration: reg}}},
		{"lark", Options{Provider: config.Provider{Name: "l", Type: "lark"}}},
		{"oidc-groups", Options{Provider: config.Provider{Name: "o", Type: "oidc", Groups: &config.Groups{Claim: "groups", Map: map[string]string{"alist-users": "u"}, RemoveUnmapped: true}}}},
		{"alist-github", Options{Provider: config.Provider{Name: "gh", Type: "github"}, App: "alist"}},
		{"alist-oidc", Options{Provider: config.Provider{Name: "o", Type: "oidc"}, App: "alist"}},
		{"photoprism", Options{Provider: config.Provider{Name: "o", Type: "oidc", Registration: reg}, App: "photoprism"}},
		{"inventree", Options{Provider: config.Provider{Name: "o", Type: "oidc", Groups: &config.Groups{Map: map[string]string{"/inventree/admins": "admin"}}}, App: "inventree"}},
		// Rules past a definite prefix: the extractor decodes the prefix's value alone.
		{"filters", Options{Provider: config.Provider{Name: "f", Type: "oauth2", Mapping: &config.Mapping{Type: "custom", Rules: map[string]string{
			"id": "$.data[?(@.email)].union_id", "name": "$['name','login']", "email": "$..email",
			"nickname": "$.emails[?(@.primary == true && @.verified == true)].email", "phone": "$.groups[0:2]",
			"description": "$[?(@.sub)].sub",
		}}}}},
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "userinfo"))
	require.NoError(t, err)
	for _, c := range cfgs {
		m, err := NewMapper(c.opts)
		require.NoError(t, err, c.name)
		require.NotNil(t, m.fast, c.name)
		for _, e := range entries {
			t.Run(c.name+"/"+e.Name(), func(t *testing.T) {
				raw, err := os.ReadFile(filepath.Join("testdata", "userinfo", e.Name()))
				require.NoError(t, err)
				var compact []byte
				if compact, err = compactJSON(raw); err != nil {
					t.Fatal(err)
				}
				for _, b := range [][]byte{raw, compact} {
					fast, ferr := m.MapJSON(b, &Scratch{})
					slow, serr := slowCopy(m).MapJSON(b, nil)
					if serr != nil {
						require.Error(t, ferr)
						assert.Equal(t, serr.Error(), ferr.Error())
						continue
					}
					require.NoError(t, ferr)
					assert.Equal(t, string(slow.AppendLine(nil, 0)), string(fast.AppendLine(nil, 0)))
					// Map on the decoded document agrees too, apart from the rules report.
					doc, err := ParseJSON(b)
					require.NoError(t, err)
					d := Document{Userinfo: doc}
					if m.Reads() == FromIDToken {
						d = Document{Claims: doc.(map[string]any)}
					}
					full := m.Map(d)
					full.Rules, full.Notes = nil, nil
					full.Warnings = full.Warnings[len(m.Warnings()):]
					assert.Equal(t, string(full.AppendLine(nil, 0)), string(fast.AppendLine(nil, 0)))
				}
			})
		}
	}
}

func compactJSON(b []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func TestMapJSONErrors(t *testing.T) {
	m := fuzzMapper(t)
	tests := []struct {
		name, in, want string
	}{
		{"truncated", `{"id":1`, "parse JSON: unexpected end of JSON input"},
		{"junk", "\x00\x01binary", "parse JSON: invalid character '\\x00' looking for beginning of value"},
		{"two values", `{} {}`, "parse JSON: invalid character '{' after top-level value"},
		{"empty", ``, "parse JSON: unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.MapJSON([]byte(tt.in), nil)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
	alist, err := NewMapper(Options{Provider: config.Provider{Name: "o", Type: "oidc"}, App: "alist"})
	require.NoError(t, err)
	_, err = alist.MapJSON([]byte(`["not","claims"]`), nil)
	assert.ErrorIs(t, err, ErrNotObject)
	_, err = slowCopy(alist).MapJSON([]byte(`["not","claims"]`), nil)
	assert.ErrorIs(t, err, ErrNotObject)
}

func TestExtractorCases(t *testing.T) {
	m := fuzzMapper(t)
	for _, doc := range []string{
		`{"a":{"b":"x","c":[0,"e@x"]},"a":{"b":"y"}}`,   // last duplicate wins, even for nested paths
		`{"a":{"b":"x"},"a":5}`,                         // a scalar replaces an object
		`{"a":{"b":"x"},"a":null,"id":1,"id":"2"}`,      // null and duplicate leaves
		`{"a\u0062":1,"a":{"b":"esc"}}`,                 // an escaped name off the path
		`{"a":{"\u0062":"escaped name on the path"}}`,   // must go the slow way
		`{"a":{"b":"tab\tbad"}}`,                        // invalid: control character
		`{"id":12345678901234567890,"a":{"b":1.50e+2}}`, // big integers and floats decode as ParseJSON does
		`{"id":-0,"a":{"b":"\u00e9\ud83d\ude00\\\"/"}}`, // escapes in a selected string
		`{"id":"\xff\xfe","data":{"name":"raw bytes"}}`, // invalid UTF-8 is JSON to json.Valid
		`[0,{"x":1}]`,     // an array root and $[1]
		`"just a string"`, // a scalar root
		` {"groups":"a b","a":{"c":[1,2,3]}} ` + "\r",                   // white space around
		`{"groups":["a",1,null,{"x":1}],"a":{"c":[[],[]]}}`,             // odd group members
		`{"a":[1,2],"id":true}`,                                         // wrong shapes on the path
		`{"groups":[ "a" , "", "b\"c", "d"],"x":[]}`,                    // a list of strings with an escape: ojg decodes it
		`{"groups":[ ],"a":{"c":[]}}`, `{"groups":["\xff", "\t", "é"]}`, // an empty list; raw bytes in names
		`{"groups":["a","b"],"roles":["c"]}`, // two lists in one document
		`{"id":01}`, `{"id":1.}`, `{"id":-}`, `{"id":1e}`, `{"id":tru}`, `{"id":"\x"}`, `{"id":"\u12"}`,
		`{"id":1,}`, `{,}`, `[1,]`, `{"a" 1}`, `{"a":1 "b":2}`, `nul`, `{}x`,
	} {
		t.Run(doc, func(t *testing.T) {
			compareFastSlow(t, m, []byte(doc))
		})
	}
}

// TestExtractorNames compares the extractor's name matching with the parser's where it takes
// shortcuts: names ruled out by their length (mod 64) and first byte, names read eight bytes at a
// time, the empty name, and numbers checked against float64's range only when they can pass it.
func TestExtractorNames(t *testing.T) {
	m := namesMapper(t)
	long := strings.Repeat("k", 65)
	digits := strings.Repeat("9", 309)
	for _, doc := range []string{
		`{"":"empty name","a_long_member_name_x":"n","b":"e@x","` + long + `":"nick"}`,
		`{"a_long_member_name_y":"no","a_long_member_name_x":"yes","c":"e@x","` + long[1:] + `":"no"}`,
		`{"a_long_\"member_name_x":"escaped quote","b":1}`,
		`{"a_long_member_name_\u0078":"escaped on the path","b":"e@x"}`,
		`{"bb":"no","B":"no","b":"e@x","kk":1}`,
		`{"n":` + digits + `,"b":"e@x"}`, `{"n":` + digits + `9,"b":"e@x"}`, `{"n":-` + digits + `9.5,"b":"e@x"}`,
		`{"n":1e308,"b":"e@x"}`, `{"n":1e309,"b":"e@x"}`, `{"n":123456789012345678901234567890,"b":"e@x"}`,
		`{"a_long_member_name_x` + "\x01" + `":1}`,
		`0e0  `, `{"n":-0E+1}`, `{"x":[0e1],"b":"e@x"}`, `{"n":0.0e1}`, // ojg refuses 0e0, so ParseJSON does

	} {
		t.Run(doc[:min(len(doc), 60)], func(t *testing.T) {
			compareFastSlow(t, m, []byte(doc))
		})
	}
}

// namesMapper selects names the extractor's shortcuts must not miss: "", a long one, "b" and a
// name of 65 bytes (65 mod 64 is the length of "b"), and a number.
func namesMapper(t testing.TB) *Mapper {
	t.Helper()
	p := config.Provider{Name: "f", Type: "oauth2", Mapping: &config.Mapping{Type: "custom", Rules: map[string]string{
		"id": "$['']", "name": "$.a_long_member_name_x", "email": "$.b", "nickname": "$['" + strings.Repeat("k", 65) + "']",
		"description": "$.n",
	}}}
	m, err := NewMapper(Options{Provider: p})
	require.NoError(t, err)
	require.NotNil(t, m.fast, "every rule is a plain path")
	return m
}

// FuzzMapJSONNames is FuzzMapJSON with namesMapper's rules.
func FuzzMapJSONNames(f *testing.F) {
	for _, s := range []string{`{"":"e","a_long_member_name_x":"n","b":"e@x"}`, `{"n":1e309}`, `{"a_long_member_name_y":1,"bb":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		compareFastSlow(t, namesMapper(t), b)
	})
}

func TestExtractorDepth(t *testing.T) {
	m := fuzzMapper(t)
	for _, depth := range []int{maxDepth, maxDepth + 1} {
		doc := `{"a":` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `}`
		t.Run(strconv.Itoa(depth), func(t *testing.T) {
			compareFastSlow(t, m, []byte(doc))
		})
	}
}

func compareFastSlow(t *testing.T, m *Mapper, b []byte) {
	t.Helper()
	fast, ferr := m.MapJSON(b, &Scratch{})
	slow, serr := slowCopy(m).MapJSON(b, nil)
	if serr != nil {
		require.Error(t, ferr, "the parser refuses %q", b)
		assert.Equal(t, serr.Error(), ferr.Error())
		return
	}
	require.NoError(t, ferr, "the parser accepts %q", b)
	assert.Equal(t, string(slow.AppendLine(nil, 0)), string(fast.AppendLine(nil, 0)))
	// Borrowing strings from the document, as bulk does, and reusing the scratch for a second
	// document changes nothing.
	sc := &Scratch{Borrow: true}
	borrowed, err := m.MapJSON(b, sc)
	require.NoError(t, err)
	assert.Equal(t, string(slow.AppendLine(nil, 0)), string(borrowed.AppendLine(nil, 0)))
	again, err := m.MapJSON(b, sc)
	require.NoError(t, err)
	assert.Equal(t, string(slow.AppendLine(nil, 0)), string(again.AppendLine(nil, 0)))
}

// FuzzMapJSON checks that the extractor judges JSON exactly as json.Valid does and selects exactly
// what the parser and the rules select.
func FuzzMapJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"a":{"b":"x","c":[0,"e@example.com"]},"data":{"name":"n"},"groups":["a","b"]}`,
		`{"a":{"b":"x"},"a":5}`, `[0,{"x":1}]`, `{"a":{"\u0062":1}}`, `{"id":12345678901234567890}`,
		`{"id":1e400}`, `{"id":-0.0}`, `"s"`, `{"groups":"a,b"}`, `{"groups":[ "a", "" ,"b\\c"]}`, `{"groups":[]}`, `[[[[[]]]]]`, `{"id":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	m := fuzzMapper(f)
	filters, err := NewMapper(Options{Provider: config.Provider{Name: "f", Type: "oauth2", Mapping: &config.Mapping{Type: "custom", Rules: map[string]string{
		"id": "$.a[?(@ == 'x')]", "name": "$.a.c[*]", "email": "$..b", "nickname": "$['id','data']", "phone": "$.a.c[0:1]",
	}}}})
	require.NoError(f, err)
	require.NotNil(f, filters.fast)
	f.Fuzz(func(t *testing.T, b []byte) {
		caps := make([]capture, m.fast.targets)
		err := m.fast.scan(b, caps)
		assert.Equal(t, json.Valid(b), err == nil || err == errSlow, "extractor and json.Valid disagree on %q", b)
		compareFastSlow(t, m, b)
		compareFastSlow(t, filters, b)
	})
}
