package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// The JSON Schema library is the oracle of the built-in evaluator (schemaeval.go): for the same
// schema and value both must report the same leaf errors, with the same locations and details.

var englishPrinter = message.NewPrinter(language.English)

func librarySchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(validationSchema(config.JSONSchema())))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(config.SchemaID, doc))
	sch, err := c.Compile(config.SchemaID)
	require.NoError(t, err)
	return sch
}

func leafKey(loc []string, what string) string {
	return fmt.Sprintf("%q %s", loc, what)
}

// libraryLeaves returns the library's leaf errors for v as sorted keys.
func libraryLeaves(sch *jsonschema.Schema, v any) []string {
	var ve *jsonschema.ValidationError
	if !errors.As(sch.Validate(v), &ve) {
		return nil
	}
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		for _, c := range e.Causes {
			walk(c)
		}
		if len(e.Causes) > 0 {
			return
		}
		var what string
		switch k := e.ErrorKind.(type) {
		case *kind.Type:
			what = "type " + strings.Join(k.Want, ",")
		case *kind.Enum:
			want := make([]string, len(k.Want))
			for i, w := range k.Want {
				want[i] = fmt.Sprint(w)
			}
			what = fmt.Sprintf("enum %v not in %s", k.Got, strings.Join(want, ","))
		case *kind.Pattern:
			what = fmt.Sprintf("pattern %v", k.Got)
		case *kind.Required:
			what = "required " + strings.Join(k.Missing, ",")
		case *kind.AdditionalProperties:
			what = "additionalProperties " + strings.Join(slices.Sorted(slices.Values(k.Properties)), ",")
		default:
			what = fmt.Sprintf("%T %s", k, k.LocalizedString(englishPrinter))
		}
		out = append(out, leafKey(e.InstanceLocation, what))
	}
	walk(ve)
	sort.Strings(out)
	return out
}

// evaluatorLeaves returns the evaluator's leaf errors for v as the same keys.
func evaluatorLeaves(sch *schemaNode, v any) ([]string, []schemaError) {
	errs := sch.evalSchema(v)
	var out []string
	for _, e := range errs {
		var what string
		switch e.kind {
		case errType:
			what = "type " + strings.Join(e.names, ",")
		case errEnum:
			what = fmt.Sprintf("enum %v not in %s", e.got, strings.Join(e.names, ","))
		case errPattern:
			what = fmt.Sprintf("pattern %v", e.got)
		case errRequired:
			what = "required " + strings.Join(e.names, ",")
		case errAdditionalProperties:
			what = "additionalProperties " + strings.Join(e.names, ",")
		case errMinimum:
			what = "*kind.Minimum " + e.describe()
		case errMaximum:
			what = "*kind.Maximum " + e.describe()
		default:
			what = e.describe()
		}
		out = append(out, leafKey(e.loc, what))
	}
	sort.Strings(out)
	return out, errs
}

func rootValue(t testing.TB, name string, data []byte) (any, bool) {
	f, err := config.Parse(name, data)
	if err != nil || f.Doc == nil || len(f.Doc.Content) == 0 {
		return nil, false
	}
	root := f.Doc.Content[0]
	if hasAlias(root) && expandedSize(root, map[*yaml.Node]int{}, maxExpandedValues) > maxExpandedValues {
		return nil, false // validate refuses these before the schema check
	}
	return toValue(root), true
}

func fixtureFiles(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, dir := range []string{"good", "bad"} {
		entries, err := os.ReadDir(filepath.Join("../../testdata/config", dir))
		require.NoError(t, err)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join("../../testdata/config", dir, e.Name()))
			require.NoError(t, err)
			out[dir+"/"+e.Name()] = data
		}
	}
	return out
}

func TestSchemaEvaluatorMatchesLibrary(t *testing.T) {
	lib := librarySchema(t)
	ours := loadSchema().schema
	t.Run("fixtures", func(t *testing.T) {
		for name, data := range fixtureFiles(t) {
			v, ok := rootValue(t, name, data)
			if !ok {
				continue
			}
			got, _ := evaluatorLeaves(ours, v)
			assert.Equal(t, libraryLeaves(lib, v), got, name)
		}
	})
	t.Run("generated", func(t *testing.T) {
		seen := map[schemaErrKind]int{}
		g := newDocGen(1)
		for i := range 3000 {
			data, err := yaml.Marshal(g.doc())
			require.NoError(t, err)
			v, ok := rootValue(t, "gen.yaml", data)
			require.True(t, ok, "generated document %d does not parse:\n%s", i, data)
			got, errs := evaluatorLeaves(ours, v)
			if !assert.Equal(t, libraryLeaves(lib, v), got, "document %d:\n%s", i, data) {
				return
			}
			for _, e := range errs {
				seen[e.kind]++
			}
		}
		// The comparison only means something if every kind of error occurred.
		for k := errType; k <= errMaximum; k++ {
			assert.Positive(t, seen[k], "no generated document failed with error kind %d", k)
		}
	})
}

// FuzzSchemaEvaluator compares the evaluator with the library on arbitrary files.
//
//	go test ./pkg/validate -run '^$' -fuzz FuzzSchemaEvaluator -fuzztime 60s
func FuzzSchemaEvaluator(f *testing.F) {
	for _, data := range fixtureFiles(f) {
		f.Add(data)
	}
	g := newDocGen(2)
	for range 50 {
		data, err := yaml.Marshal(g.doc())
		require.NoError(f, err)
		f.Add(data)
	}
	lib := librarySchema(f)
	ours := loadSchema().schema
	f.Fuzz(func(t *testing.T, data []byte) {
		v, ok := rootValue(t, "fuzz.yaml", data)
		if !ok {
			return
		}
		got, _ := evaluatorLeaves(ours, v)
		require.Equal(t, libraryLeaves(lib, v), got)
	})
}

// TestSchemaEvaluatorKeywords makes a keyword the evaluator does not implement a test failure: the
// embedded schema compiles only while it uses none.
func TestSchemaEvaluatorKeywords(t *testing.T) {
	_, err := compileSchema(validationSchema(config.JSONSchema()))
	require.NoError(t, err, "schema.json uses a keyword schemaeval.go does not implement: implement it and compare it with the library here")

	// The editors' per-type required fields are the one part left out, on purpose.
	_, err = compileSchema(config.JSONSchema())
	require.ErrorContains(t, err, `#/$defs/provider: keyword "allOf" is not supported`)

	for _, doc := range []string{
		`{"type": "string", "minLength": 1}`,
		`{"oneOf": [{"type": "string"}]}`,
		`{"anyOf": [{"type": "string"}]}`,
		`{"const": 1}`,
		`{"if": {}, "then": {}}`,
		`{"not": {}}`,
		`{"type": "array", "uniqueItems": true}`,
		`{"type": "array", "prefixItems": [{}]}`,
		`{"type": "object", "unevaluatedProperties": false}`,
		`{"$ref": "https://example.com/other.json"}`,
		`{"$ref": "#/$defs/missing"}`,
		`{"properties": {"a": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"multipleOf": 2}}}`,
		`{"type": "decimal"}`,
		`{"minimum": 9007199254740993}`,
		`{"enum": [[1]]}`,
	} {
		t.Run(doc, func(t *testing.T) {
			_, err := compileSchema([]byte(doc))
			assert.Error(t, err)
		})
	}
}

// TestSchemaEvaluatorSmall covers the keywords on small schemas, against the library too.
func TestSchemaEvaluatorSmall(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		value  any
		want   []string
	}{
		{"integer accepts 2.0", `{"type": "integer"}`, 2.0, nil},
		{"integer refuses 2.5", `{"type": "integer"}`, 2.5, []string{`[] type integer`}},
		{"types in the library's order", `{"type": ["string", "integer"]}`, true, []string{`[] type integer,string`}},
		{"enum number", `{"enum": [1, "a"]}`, int64(1), nil},
		{"enum miss", `{"enum": [1, "a"]}`, "b", []string{`[] enum b not in 1,a`}},
		{"maximum beyond 2^53", `{"maximum": 9007199254740992}`, int64(9007199254740993), []string{`[] *kind.Maximum maximum: got 9.007199254740992×10¹⁵, want 9.007199254740992×10¹⁵`}},
		{"minimum", `{"minimum": 0}`, -1000.5, []string{`[] *kind.Minimum minimum: got -1,000.5, want 0`}},
		{"maximum", `{"maximum": 62}`, int64(1000000), []string{`[] *kind.Maximum maximum: got 1×10⁰⁶, want 62`}},
		{"pattern", `{"pattern": "^a"}`, "b", []string{`[] pattern b`}},
		{"required in order", `{"required": ["b", "a", "c"]}`, map[string]any{"a": nil}, []string{`[] required b,c`}},
		{"additional false", `{"properties": {"a": {}}, "additionalProperties": false}`, map[string]any{"z": nil, "b": nil, "a": nil}, []string{`[] additionalProperties b,z`}},
		{"additional schema", `{"additionalProperties": {"type": "string"}}`, map[string]any{"k": int64(1)}, []string{`["k"] type string`}},
		{"pattern properties", `{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}`, map[string]any{"x-a": int64(1), "y": nil}, []string{`["x-a"] type string`, `[] additionalProperties y`}},
		{"items and ref", `{"items": {"$ref": "#/$defs/s"}, "$defs": {"s": {"type": "string"}}}`, []any{"a", int64(1)}, []string{`["1"] type string`}},
		{"type stops the rest", `{"type": "string", "pattern": "^a"}`, int64(1), []string{`[] type string`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sch, err := compileSchema([]byte(tt.schema))
			require.NoError(t, err)
			got, _ := evaluatorLeaves(sch, tt.value)
			want := slices.Clone(tt.want)
			sort.Strings(want)
			assert.Equal(t, want, got)

			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.schema))
			require.NoError(t, err)
			c := jsonschema.NewCompiler()
			require.NoError(t, c.AddResource("mem:///s.json", doc))
			lib, err := c.Compile("mem:///s.json")
			require.NoError(t, err)
			assert.Equal(t, libraryLeaves(lib, tt.value), got, "library")
		})
	}
}

// TestFormatNumberMatchesLibrary checks the numbers in minimum and maximum messages against the
// printer the library formats them with.
func TestFormatNumberMatchesLibrary(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 62, 63, 999, 1000, -1000, 999999, 1e6, -1234567, 0.5, -0.25,
		1e-4, 1e-5, 123456.789, 1e20, 1e21, 1.5e300, 5e-324, math.MaxFloat64, 9.223372036854776e18, 1.0 / 3}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		vals = append(vals, float64(r.Int64N(1<<40)-1<<39), r.NormFloat64()*math.Pow(10, float64(r.IntN(40)-20)))
	}
	for _, f := range vals {
		want := englishPrinter.Sprintf("%v", f)
		if f == 0 {
			want = "0" // the library's numbers come from big.Rat, which has no -0
		}
		if got := formatNumber(f); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", f, got, want)
		}
	}
}

// docGen builds random documents shaped by the embedded schema: mostly the keys and values it
// allows, with wrong types, unknown keys, out-of-range numbers and bad patterns mixed in, so that
// every keyword the evaluator implements fails somewhere.
type docGen struct {
	r    *rand.Rand
	raw  map[string]any
	defs map[string]any
}

func newDocGen(seed uint64) *docGen {
	var raw map[string]any
	if err := json.Unmarshal(config.JSONSchema(), &raw); err != nil {
		panic(err)
	}
	return &docGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), raw: raw, defs: raw["$defs"].(map[string]any)}
}

var oddValues = []any{
	"", "x", "My GitHub", "SSO12", "SSO012", "github", "Github", "gitlab", "env:X", "a,b c", "-bad",
	int64(-1), int64(0), int64(1), int64(2), int64(62), int64(63), int64(768), int64(1000), int64(1000000),
	int64(-1234567), int64(math.MaxInt64), -1.5, 0.5, 2.0, 1e21, 1e-7, 123456.789, math.Copysign(0, -1),
	true, false, nil, []any{}, []any{"a", int64(1)}, []any{true, nil, 1.5}, map[string]any{}, map[string]any{"a": int64(1)},
}

func (g *docGen) odd() any { return oddValues[g.r.IntN(len(oddValues))] }

func (g *docGen) resolve(s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		return g.defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	return s
}

// value returns a value for schema s at depth d.
func (g *docGen) value(s map[string]any, d int) any {
	s = g.resolve(s)
	if d > 6 || g.r.IntN(10) == 0 {
		return g.odd()
	}
	if e, ok := s["enum"].([]any); ok {
		if g.r.IntN(4) == 0 {
			return g.odd()
		}
		v := e[g.r.IntN(len(e))]
		if f, ok := v.(float64); ok {
			return int64(f)
		}
		return v
	}
	var types []string
	switch t := s["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			types = append(types, x.(string))
		}
	default:
		return g.odd()
	}
	switch types[g.r.IntN(len(types))] {
	case "object":
		return g.object(s, d)
	case "array":
		out := make([]any, g.r.IntN(4))
		items, _ := s["items"].(map[string]any)
		for i := range out {
			if items == nil {
				out[i] = g.odd()
			} else {
				out[i] = g.value(items, d+1)
			}
		}
		return out
	case "string":
		if _, ok := s["pattern"]; ok {
			return []string{"github", "My GitHub", "SSO060", "SSO1", "a-b_c", "_x", "webdav-read", "Web_Dav"}[g.r.IntN(8)]
		}
		return []string{"value", "env:SECRET", "https://example.com/cb", "", "$.login"}[g.r.IntN(5)]
	case "integer":
		return []any{int64(0), int64(5), int64(62), int64(63), int64(-3), int64(768), int64(100000), 1e21, -2.0}[g.r.IntN(9)]
	case "boolean":
		return g.r.IntN(2) == 0
	}
	return g.odd()
}

func (g *docGen) object(s map[string]any, d int) map[string]any {
	out := map[string]any{}
	props, _ := s["properties"].(map[string]any)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range props {
			if !yield(k) {
				return
			}
		}
	}) {
		if g.r.IntN(3) != 0 {
			out[k] = g.value(props[k].(map[string]any), d+1)
		}
	}
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		for i := range g.r.IntN(3) {
			out[fmt.Sprintf("/grp/%d", i)] = g.value(ap, d+1)
		}
	}
	switch g.r.IntN(6) {
	case 0:
		out[[]string{"clientId", "redirect_uri", "allowed_domains", "emial", "foo", "kind"}[g.r.IntN(6)]] = g.odd()
	case 1:
		out["x-"+fmt.Sprint(g.r.IntN(3))] = g.odd()
	}
	return out
}

// doc returns one random top-level document.
func (g *docGen) doc() map[string]any {
	top := make(map[string]any, len(g.raw))
	for k, v := range g.raw {
		if k != "$defs" {
			top[k] = v
		}
	}
	return g.object(top, 0)
}
