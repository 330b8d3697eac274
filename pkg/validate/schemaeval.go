package validate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// schemaErrKind is the keyword a value failed, one per kind of leaf error the library reports.
type schemaErrKind int

const (
	errType schemaErrKind = iota + 1
	errEnum
	errPattern
	errRequired
	errAdditionalProperties
	errMinimum
	errMaximum
)

// schemaError is one leaf violation: the value at loc failed kind.
type schemaError struct {
	loc  []string
	kind schemaErrKind
	// names are the wanted types (errType, in the library's order), the allowed values (errEnum),
	// the missing keys (errRequired) or the unknown keys, sorted (errAdditionalProperties).
	names []string
	// got is the value that failed errEnum or errPattern, or the number (float64) that failed
	// errMinimum or errMaximum.
	got any
	// limit is the bound of errMinimum and errMaximum.
	limit float64
}

// schemaNode is one compiled schema object of the embedded schema (pkg/config/schema.json).
//
// Why not a JSON Schema library: santhosh-tekuri/jsonschema compiles five drafts' meta-schemas in
// init(), ~3 ms on every start of every command, breaking the startup budget (issue 3: ssoctl
// version within 1.5× of bare cobra). It stays the tests' oracle (schemaeval_test.go).
//
// A node holds exactly the keywords schema.json uses; compileSchema refuses any other, so a new
// keyword in the schema fails the package's tests instead of being silently ignored here.
type schemaNode struct {
	types        []string // nil: any type
	enum         []any    // string, bool, nil or float64 (numbers)
	enumText     []string // enum as the library prints it
	ref          *schemaNode
	required     []string
	properties   map[string]*schemaNode
	patternProps []patternProp
	additional   *schemaNode // additionalProperties as a schema
	noAdditional bool        // additionalProperties: false
	items        *schemaNode
	pattern      *regexp.Regexp
	minimum      *float64
	maximum      *float64
}

type patternProp struct {
	re     *regexp.Regexp
	schema *schemaNode
}

// typeOrder is the order the library lists wanted types in, whatever order the schema gives.
var typeOrder = []string{"null", "boolean", "number", "integer", "string", "array", "object"}

// isAnnotation tells the keywords that change no validation result. "format" is an annotation in
// draft 2020-12 unless the meta-schema asks for the format-assertion vocabulary, which ours does not.
func isAnnotation(kw string) bool {
	switch kw {
	case "$schema", "$id", "title", "description", "format":
		return true
	}
	return false
}

type schemaCompiler struct {
	defs     map[string]any
	compiled map[string]*schemaNode
}

// compileSchema compiles a JSON Schema document for evalSchema, or says which part of it the
// evaluator does not implement.
func compileSchema(doc []byte) (*schemaNode, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber() // enum values keep their spelling, as the library prints them
	var raw map[string]any
	if err := d.Decode(&raw); err != nil {
		return nil, err
	}
	return compileSchemaValue(raw)
}

// compileSchemaValue compiles a decoded schema document (numbers as json.Number or float64).
func compileSchemaValue(raw map[string]any) (*schemaNode, error) {
	c := &schemaCompiler{compiled: map[string]*schemaNode{}}
	if defs, ok := raw["$defs"]; ok {
		m, ok := defs.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$defs is not an object")
		}
		c.defs = m
	}
	return c.compile(raw, "#", true)
}

func (c *schemaCompiler) compile(s map[string]any, at string, root bool) (*schemaNode, error) {
	n := &schemaNode{}
	for kw, v := range s {
		var err error
		switch {
		case isAnnotation(kw):
		case kw == "$defs" && root:
		case kw == "type":
			n.types, err = compileTypes(v)
		case kw == "enum":
			err = n.compileEnum(v)
		case kw == "$ref":
			n.ref, err = c.compileRef(v)
		case kw == "required":
			n.required, err = stringList(v)
		case kw == "properties":
			var props map[string]any
			if props, err = object(v); err == nil {
				n.properties = make(map[string]*schemaNode, len(props))
				for name, ps := range props {
					if n.properties[name], err = c.sub(ps, at+"/properties/"+name); err != nil {
						return nil, err
					}
				}
			}
		case kw == "patternProperties":
			var props map[string]any
			if props, err = object(v); err == nil {
				for expr, ps := range props {
					var pp patternProp
					if pp.re, err = regexp.Compile(expr); err != nil {
						return nil, fmt.Errorf("%s/patternProperties: %w", at, err)
					}
					if pp.schema, err = c.sub(ps, at+"/patternProperties/"+expr); err != nil {
						return nil, err
					}
					n.patternProps = append(n.patternProps, pp)
				}
			}
		case kw == "additionalProperties":
			if b, ok := v.(bool); ok {
				n.noAdditional = !b
			} else {
				n.additional, err = c.sub(v, at+"/additionalProperties")
			}
		case kw == "items":
			n.items, err = c.sub(v, at+"/items")
		case kw == "pattern":
			if p, ok := v.(string); !ok {
				err = fmt.Errorf("not a string")
			} else {
				n.pattern, err = regexp.Compile(p)
			}
		case kw == "minimum":
			n.minimum, err = number(v)
		case kw == "maximum":
			n.maximum, err = number(v)
		default:
			return nil, fmt.Errorf("%s: keyword %q is not supported by the built-in schema evaluator", at, kw)
		}
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", at, kw, err)
		}
	}
	return n, nil
}

func (c *schemaCompiler) sub(v any, at string) (*schemaNode, error) {
	s, err := object(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", at, err)
	}
	return c.compile(s, at, false)
}

// compileRef compiles a reference to one of the document's $defs; each is compiled once, and a
// definition that refers to itself gets its own node, whose fields are filled in afterwards.
func (c *schemaCompiler) compileRef(v any) (*schemaNode, error) {
	ref, ok := v.(string)
	name, local := strings.CutPrefix(ref, "#/$defs/")
	if !ok || !local || strings.ContainsAny(name, "/~%") {
		return nil, fmt.Errorf("only references to #/$defs/NAME are supported, not %v", v)
	}
	if n, ok := c.compiled[name]; ok {
		return n, nil
	}
	def, ok := c.defs[name]
	if !ok {
		return nil, fmt.Errorf("%s is not defined", ref)
	}
	n := &schemaNode{}
	c.compiled[name] = n
	compiled, err := c.sub(def, "#/$defs/"+name)
	if err != nil {
		return nil, err
	}
	*n = *compiled
	return n, nil
}

func compileTypes(v any) ([]string, error) {
	var names []string
	switch t := v.(type) {
	case string:
		names = []string{t}
	default:
		var err error
		if names, err = stringList(v); err != nil {
			return nil, err
		}
	}
	for _, name := range names {
		if !slices.Contains(typeOrder, name) {
			return nil, fmt.Errorf("unknown type %q", name)
		}
	}
	var out []string
	for _, t := range typeOrder {
		if slices.Contains(names, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (n *schemaNode) compileEnum(v any) error {
	vals, ok := v.([]any)
	if !ok {
		return fmt.Errorf("not an array")
	}
	n.enum = []any{}
	for _, e := range vals {
		switch e := e.(type) {
		case string, bool, nil:
			n.enum = append(n.enum, e)
		case json.Number, float64:
			f, err := number(e)
			if err != nil {
				return err
			}
			n.enum = append(n.enum, *f)
		default:
			return fmt.Errorf("only scalar values are supported, not %v", e)
		}
		n.enumText = append(n.enumText, fmt.Sprint(e))
	}
	return nil
}

func object(v any) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not an object")
	}
	return m, nil
}

func stringList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("not an array")
	}
	out := make([]string, len(list))
	for i, e := range list {
		if out[i], ok = e.(string); !ok {
			return nil, fmt.Errorf("not an array of strings")
		}
	}
	return out, nil
}

// number reads a bound or an enum value. The library compares numbers exactly (big.Rat) and the
// evaluator as float64, so a number float64 cannot hold exactly is refused.
func number(v any) (*float64, error) {
	var f float64
	switch v := v.(type) {
	case json.Number:
		var err error
		if f, err = strconv.ParseFloat(string(v), 64); err != nil {
			return nil, err
		}
		if r, ok := new(big.Rat).SetString(string(v)); !ok || r.Cmp(new(big.Rat).SetFloat64(f)) != 0 {
			return nil, fmt.Errorf("%s is not exactly a float64", v)
		}
	case float64:
		f = v
	default:
		return nil, fmt.Errorf("not a number")
	}
	return &f, nil
}

// evalSchema validates v, a value as toValue makes it (map[string]any, []any, string, int64,
// float64, bool or nil), and returns its leaf errors in the order the library reports them, except
// that an object's keys are visited in sorted order where the library's order is random.
func (n *schemaNode) evalSchema(v any) []schemaError {
	return n.eval(v, nil, nil)
}

func (n *schemaNode) eval(v any, loc []string, out []schemaError) []schemaError {
	// As in the library, a wrong type or a value outside the enum is the only error of its value.
	if n.types != nil && !typeMatches(v, n.types) {
		return append(out, schemaError{loc: slices.Clone(loc), kind: errType, names: n.types})
	}
	if n.enum != nil && !slices.ContainsFunc(n.enum, func(e any) bool { return jsonEqual(v, e) }) {
		return append(out, schemaError{loc: slices.Clone(loc), kind: errEnum, names: n.enumText, got: v})
	}
	if n.ref != nil {
		out = n.ref.eval(v, loc, out)
	}
	switch v := v.(type) {
	case map[string]any:
		out = n.evalObject(v, loc, out)
	case []any:
		if n.items != nil {
			for i, item := range v {
				out = n.items.eval(item, append(loc, strconv.Itoa(i)), out)
			}
		}
	case string:
		if n.pattern != nil && !n.pattern.MatchString(v) {
			out = append(out, schemaError{loc: slices.Clone(loc), kind: errPattern, got: v})
		}
	case int64, float64:
		f := toFloat(v)
		if n.minimum != nil && numLess(v, *n.minimum) {
			out = append(out, schemaError{loc: slices.Clone(loc), kind: errMinimum, got: f, limit: *n.minimum})
		}
		if n.maximum != nil && numLess(*n.maximum, v) {
			out = append(out, schemaError{loc: slices.Clone(loc), kind: errMaximum, got: f, limit: *n.maximum})
		}
	}
	return out
}

func (n *schemaNode) evalObject(obj map[string]any, loc []string, out []schemaError) []schemaError {
	var missing []string
	for _, r := range n.required {
		if _, ok := obj[r]; !ok {
			missing = append(missing, r)
		}
	}
	if missing != nil {
		out = append(out, schemaError{loc: slices.Clone(loc), kind: errRequired, names: missing})
	}
	if n.properties == nil && n.patternProps == nil && n.additional == nil && !n.noAdditional {
		return out
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var unknown []string
	for _, k := range keys {
		evaluated := false
		if ps, ok := n.properties[k]; ok {
			evaluated = true
			out = ps.eval(obj[k], append(loc, k), out)
		}
		for _, pp := range n.patternProps {
			if pp.re.MatchString(k) {
				evaluated = true
				out = pp.schema.eval(obj[k], append(loc, k), out)
			}
		}
		switch {
		case evaluated:
		case n.noAdditional:
			unknown = append(unknown, k)
		case n.additional != nil:
			out = n.additional.eval(obj[k], append(loc, k), out)
		}
	}
	if unknown != nil {
		out = append(out, schemaError{loc: slices.Clone(loc), kind: errAdditionalProperties, names: unknown})
	}
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case int64, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return ""
}

// typeMatches applies "type": an integer is any number without a fraction, 2.0 included.
func typeMatches(v any, types []string) bool {
	t := jsonType(v)
	if slices.Contains(types, t) {
		return true
	}
	if t != "number" || !slices.Contains(types, "integer") {
		return false
	}
	f, isFloat := v.(float64)
	return !isFloat || f == math.Trunc(f)
}

// jsonEqual compares an instance value with an enum value (numbers are float64 there).
func jsonEqual(v, e any) bool {
	switch v := v.(type) {
	case int64:
		f, ok := e.(float64)
		return ok && cmpIntFloat(v, f) == 0
	case float64:
		f, ok := e.(float64)
		return ok && v == f
	case string, bool, nil:
		return v == e
	}
	return false
}

// numLess reports a < b for int64 and float64 values.
func numLess(a, b any) bool {
	switch a := a.(type) {
	case int64:
		if b, ok := b.(float64); ok {
			return cmpIntFloat(a, b) < 0
		}
	case float64:
		if b, ok := b.(int64); ok {
			return cmpIntFloat(b, a) > 0
		}
	}
	return toFloat(a) < toFloat(b)
}

// cmpIntFloat compares i with f exactly, as the library does with big.Rat: an int64 beyond 2^53
// must not be rounded onto a bound.
func cmpIntFloat(i int64, f float64) int {
	switch {
	case f >= 1<<63:
		return -1
	case f < -(1 << 63):
		return 1
	}
	t := math.Trunc(f) // |f-t| < 1, so i differs from f as from t unless i == t
	if c := cmp.Compare(i, int64(t)); c != 0 {
		return c
	}
	return cmp.Compare(t, f)
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

// formatNumber prints f the way the library's messages do (golang.org/x/text/message in English
// with %v): digits grouped by three, and 1.5×10²¹ where fmt would print 1.5e+21.
func formatNumber(f float64) string {
	if f == 0 {
		return "0" // also for -0
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	var b strings.Builder
	if mant, exp, ok := strings.Cut(s, "e"); ok {
		b.WriteString(mant + "×10")
		for _, r := range exp {
			switch {
			case r == '-':
				b.WriteString("⁻")
			case r >= '0' && r <= '9':
				b.WriteString(superscriptDigits[r-'0'])
			}
		}
		return b.String()
	}
	if s[0] == '-' {
		b.WriteByte('-')
		s = s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	for i := range len(intPart) {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(intPart[i])
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

var superscriptDigits = [10]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// describe words a leaf error the way the library's English messages do, for the kinds that have
// no message of their own in schemaFinding.
func (e schemaError) describe() string {
	switch e.kind {
	case errMinimum:
		return fmt.Sprintf("minimum: got %s, want %s", formatNumber(e.got.(float64)), formatNumber(e.limit))
	case errMaximum:
		return fmt.Sprintf("maximum: got %s, want %s", formatNumber(e.got.(float64)), formatNumber(e.limit))
	}
	return fmt.Sprintf("schema error %d", e.kind)
}
