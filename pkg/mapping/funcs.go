package mapping

import (
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ohler55/ojg/jp"
	"github.com/ohler55/ojg/oj"
)

// Jayway's filter operators and functions that ojg lacks are registered with
// ojg as script functions (its extension point), and the translator rewrites
// "@.a nin ['x']" into "ssoctlnin(@.a, ['x'])". ojg's registry is global and
// its function names may only hold the letters a-z, hence the ssoctl prefix
// that keeps them apart from ojg's own and from other registrations. They
// are registered on the first parse rather than in init, which every
// ssoctl command would pay for at startup.
var registerFuncs = sync.OnceFunc(func() {
	for name := range filterFuncSet() {
		f := filterFunc(name)
		// The plain form gets the value of a definite path, the "all" form
		// the list of matches of any other path.
		jp.RegisterUnaryFunction("ssoctl"+name, false, f)
		jp.RegisterUnaryFunction("ssoctl"+name+"all", true, f)
	}
	jp.RegisterBinaryFunction("ssoctleq", false, false, literals(opEq))
	jp.RegisterBinaryFunction("ssoctlne", false, false, literals(opNe))
	jp.RegisterBinaryFunction("ssoctltseq", false, false, literals(opTypeSafeEq))
	jp.RegisterBinaryFunction("ssoctltsne", false, false, literals(opTypeSafeNe))
	jp.RegisterBinaryFunction("ssoctlin", false, false, literals(opIn))
	jp.RegisterBinaryFunction("ssoctlnin", false, false, literals(opNin))
	jp.RegisterBinaryFunction("ssoctlsubsetof", false, false, literals(opSubsetOf))
	jp.RegisterBinaryFunction("ssoctlanyof", false, false, literals(opAnyOf))
	jp.RegisterBinaryFunction("ssoctlnoneof", false, false, literals(opNoneOf))
	jp.RegisterBinaryFunction("ssoctlsize", false, false, literals(opSize))
	jp.RegisterBinaryFunction("ssoctlcontains", false, false, literals(opContains))
	jp.RegisterBinaryFunction("ssoctlmatches", false, false, literals(opMatches))
	for name, op := range map[string]func(left, right any) any{"in": opIn, "nin": opNin, "subsetof": opSubsetOf,
		"anyof": opAnyOf, "noneof": opNoneOf, "size": opSize, "contains": opContains} {
		jp.RegisterBinaryFunction("ssoctlswapped"+name, false, false, literals(func(right, left any) any { return op(left, right) }))
	}
	jp.RegisterBinaryFunction("ssoctlnever", false, false, func(any, any) any { return false })
	jp.RegisterBinaryFunction("ssoctljexists", false, false, jaywayExists)
	jp.RegisterUnaryFunction("ssoctllistall", true, func(arg any) any {
		if list, ok := arg.([]any); ok && list != nil {
			return list
		}
		return []any{}
	})
})

// jsonMark starts the text of a JSON literal ojg cannot hold (an object, an empty list) when the
// translator passes it to one of the functions here as a string: ojg v1.28.5 does not evaluate a
// function call inside another's arguments, so the literal cannot come from a function.
const jsonMark = "\u2063ssoctl-json:"

// jsonLiterals caches the values of such literals by their text.
var jsonLiterals sync.Map

// literals wraps a binary function so that it receives the values of marked JSON literals.
func literals(f func(left, right any) any) func(left, right any) any {
	return func(left, right any) any { return f(jsonValue(left), jsonValue(right)) }
}

func jsonValue(arg any) any {
	s, ok := arg.(string)
	if !ok || !strings.HasPrefix(s, jsonMark) {
		return arg
	}
	text := s[len(jsonMark):]
	if v, ok := jsonLiterals.Load(text); ok {
		return v
	}
	v, err := ParseJSON([]byte(text))
	if err != nil {
		return jp.Nothing
	}
	jsonLiterals.Store(text, v)
	return v
}

// parsePath parses a path the translator wrote, with ssoctl's functions
// known to ojg.
func parsePath(text string) (jp.Expr, error) {
	registerFuncs()
	return jp.ParseString(text)
}

func filterFuncSet() map[string]bool {
	set := map[string]bool{}
	for _, v := range filterFuncs {
		set[v] = true
	}
	return set
}

func filterFunc(name string) func(any) any {
	return func(arg any) any {
		if arg == jp.Nothing {
			return jp.Nothing
		}
		v, ok := applyFunc(name, arg, nil)
		if !ok {
			return jp.Nothing
		}
		return v
	}
}

// The operators follow Jayway's evaluators (EvaluatorFactory): a missing
// member never equals anything, so "in" is false and "nin" true for it, and
// operators that need lists are false when a side is not a list.

// opEq is == as Jayway's EqualsEvaluator and ValueNodes decide it: a
// missing member (UndefinedNode) equals nothing, not even another missing
// member; a number equals a string that reads as the same number
// (NumberNode.equals), and a string equals a number written the same way
// (StringNode.equals compares the number's text); lists and objects compare
// member by member, numbers by value.
func opEq(left, right any) any { return javaEqual(left, right) }

func javaEqual(left, right any) bool {
	if left == jp.Nothing || right == jp.Nothing {
		return false
	}
	if _, ok := toFloat(left); ok {
		if s, ok := right.(string); ok {
			f, ok := bigDecimal(s)
			lf, _ := toFloat(left)
			return ok && lf == f
		}
	}
	if s, ok := left.(string); ok {
		if _, ok := toFloat(right); ok {
			return s == javaNumberText(right)
		}
	}
	return jsonEqual(left, right)
}

// bigDecimalPattern is the syntax Java's new BigDecimal(String) accepts.
var bigDecimalPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
})

func bigDecimal(s string) (float64, bool) {
	if !bigDecimalPattern().MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// javaNumberText writes a number as Jayway's NumberNode.asStringNode
// does: the text of the BigDecimal made from the number's Java toString, so
// an integer as digits and a decimal number with at least one fraction
// digit (1.0, 1.5). Exponents are written as Go writes them, which only
// differs from Java for numbers below 10^-3 or from 10^7 up.
func javaNumberText(v any) string {
	switch n := v.(type) {
	case int64:
		return strconv.FormatInt(n, 10)
	case int:
		return strconv.Itoa(n)
	}
	f, _ := toFloat(v)
	if a := math.Abs(f); a != 0 && (a < 1e-3 || a >= 1e7) {
		return strconv.FormatFloat(f, 'E', -1, 64)
	}
	t := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(t, ".") {
		t += ".0"
	}
	return t
}

func opNe(left, right any) any { return !opEq(left, right).(bool) }

// opTypeSafeEq is ===: Jayway's TypeSafeEqualsEvaluator, == between values
// of one kind only (the same ValueNode class), so 1 === '1' is false.
func opTypeSafeEq(left, right any) any {
	return jsonKind(left) == jsonKind(right) && javaEqual(left, right)
}

func opTypeSafeNe(left, right any) any { return !opTypeSafeEq(left, right).(bool) }

// jsonKind names the ValueNode class Jayway makes for a value.
func jsonKind(v any) string {
	if _, ok := toFloat(v); ok {
		return "number"
	}
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	case []any, map[string]any:
		return "json"
	}
	return "undefined"
}

func opIn(left, right any) any {
	list, ok := right.([]any)
	if !ok {
		return false
	}
	return containsValue(list, left)
}

func opNin(left, right any) any { return !opIn(left, right).(bool) }

func opSubsetOf(left, right any) any {
	l, lok := left.([]any)
	r, rok := right.([]any)
	if !lok || !rok {
		return false
	}
	for _, v := range l {
		if !containsValue(r, v) {
			return false
		}
	}
	return true
}

func opAnyOf(left, right any) any {
	l, lok := left.([]any)
	r, rok := right.([]any)
	if !lok || !rok {
		return false
	}
	for _, v := range l {
		if containsValue(r, v) {
			return true
		}
	}
	return false
}

func opNoneOf(left, right any) any {
	l, lok := left.([]any)
	r, rok := right.([]any)
	if !lok || !rok {
		return false
	}
	for _, v := range l {
		if containsValue(r, v) {
			return false
		}
	}
	return true
}

func opSize(left, right any) any {
	n, ok := toFloat(right)
	if !ok {
		return false
	}
	want := int64(n) // Jayway takes intValue()
	switch l := left.(type) {
	case string:
		return int64(utf8.RuneCountInString(l)) == want
	case []any:
		return int64(len(l)) == want
	case map[string]any:
		return int64(len(l)) == want
	}
	return false
}

func opContains(left, right any) any {
	switch l := left.(type) {
	case string:
		r, ok := right.(string)
		return ok && strings.Contains(l, r)
	case []any:
		return containsValue(l, right)
	}
	return false
}

// opMatches is =~. Like Jayway it matches numbers and booleans by their
// text, any element of a list, and anything else as the empty string.
func opMatches(left, right any) any {
	rx, ok := right.(*regexp.Regexp)
	if !ok {
		return false
	}
	if list, ok := left.([]any); ok {
		for _, v := range list {
			if rx.MatchString(matchInput(v)) {
				return true
			}
		}
		return false
	}
	return rx.MatchString(matchInput(left))
}

func matchInput(v any) string {
	switch tv := v.(type) {
	case string:
		return tv
	case bool:
		return strconv.FormatBool(tv)
	}
	if _, ok := toFloat(v); ok {
		return stringify(v)
	}
	return ""
}

func containsValue(list []any, v any) bool {
	if v == jp.Nothing {
		return false
	}
	for _, e := range list {
		if javaEqual(v, e) {
			return true
		}
	}
	return false
}

// jsonEqual compares JSON values; numbers compare by value, so 1 equals 1.0
// whichever decoder produced them.
func jsonEqual(a, b any) bool {
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	switch ta := a.(type) {
	case nil:
		return b == nil
	case string:
		tb, ok := b.(string)
		return ok && ta == tb
	case bool:
		tb, ok := b.(bool)
		return ok && ta == tb
	case []any:
		tb, ok := b.([]any)
		if !ok || len(ta) != len(tb) {
			return false
		}
		for i := range ta {
			if !jsonEqual(ta[i], tb[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		tb, ok := b.(map[string]any)
		if !ok || len(ta) != len(tb) {
			return false
		}
		for k, va := range ta {
			vb, ok := tb[k]
			if !ok || !jsonEqual(va, vb) {
				return false
			}
		}
		return true
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case float32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// tailCall is a path-tail function such as .length() that ojg cannot parse;
// the translator cuts it off and apply runs it on ojg's node list.
type tailCall struct {
	name string
	off  int // offset of the name in the rule
	args []tailArg
}

// tailArg is a function argument: a literal, or a path evaluated against the
// document.
type tailArg struct {
	off      int
	lit      any
	path     string // translated path text, empty for a literal
	pathOffs []int
	x        jp.Expr
}

type funcSpec struct {
	minArgs, maxArgs int // maxArgs -1: any number
	arity            string
}

// tailFuncs are Jayway's path functions (PathFunctionFactory, plus first,
// last and index from Jayway 2.9).
var tailFuncs = map[string]funcSpec{
	"length": {0, 0, "no arguments"},
	"size":   {0, 0, "no arguments"},
	"keys":   {0, 0, "no arguments"},
	"first":  {0, 0, "no arguments"},
	"last":   {0, 0, "no arguments"},
	"min":    {0, -1, "numbers as arguments"},
	"max":    {0, -1, "numbers as arguments"},
	"avg":    {0, -1, "numbers as arguments"},
	"stddev": {0, -1, "numbers as arguments"},
	"sum":    {0, -1, "numbers as arguments"},
	"index":  {1, 1, "one index argument"},
	"concat": {0, -1, "any arguments"},
	"append": {0, -1, "any arguments"},
}

// compileArgs parses the path arguments with ojg and checks index's.
func (c *tailCall) compileArgs(expr string) *SyntaxError {
	for i := range c.args {
		a := &c.args[i]
		if a.path == "" {
			continue
		}
		x, err := parsePath(a.path)
		if err != nil {
			return ojgSyntaxError(expr, a.path, a.pathOffs, err)
		}
		a.x = x
	}
	if c.name == "index" {
		if _, ok := c.args[0].lit.(int64); !ok {
			return newSyntaxError(expr, c.args[0].off, "an integer index such as index(0) or index(-1)", "")
		}
	}
	return nil
}

// apply runs the function on the nodes the path selected. As in Jayway the
// input is the value of a definite path, or the list of all results of any
// other path; a definite path that selected nothing gives no result.
func (c *tailCall) apply(nodes []any, definite bool, doc any) []any {
	var in any = nodes
	if definite {
		if len(nodes) == 0 {
			return nil
		}
		in = nodes[0]
	}
	var args []any
	if len(c.args) > 0 {
		args = make([]any, len(c.args))
		for i, a := range c.args {
			if a.x == nil {
				args[i] = a.lit
				continue
			}
			if doc == nil {
				continue // as in Rule.nodes: ojg's filters panic on null
			}
			switch got := a.x.Get(doc); len(got) {
			case 0:
			case 1:
				args[i] = got[0]
			default:
				args[i] = got
			}
		}
	}
	v, ok := applyFunc(c.name, in, args)
	if !ok {
		return nil
	}
	return []any{v}
}

// applyFunc computes one Jayway path function; ok is false when the function
// does not apply to in, where Jayway would return null or throw.
func applyFunc(name string, in any, args []any) (any, bool) {
	list, isList := in.([]any)
	switch name {
	case "length", "size":
		switch v := in.(type) {
		case []any:
			return int64(len(v)), true
		case map[string]any:
			return int64(len(v)), true
		case string:
			// An extension: Jayway returns null for strings.
			return int64(utf8.RuneCountInString(v)), true
		}
		return nil, false
	case "min", "max", "avg", "stddev", "sum":
		return aggregate(name, list, args)
	case "keys":
		m, ok := in.(map[string]any)
		if !ok {
			return nil, false
		}
		// Go maps have no order; sorted keys keep output stable.
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k
		}
		return out, true
	case "first":
		if len(list) == 0 {
			return nil, false
		}
		return list[0], true
	case "last":
		if len(list) == 0 {
			return nil, false
		}
		return list[len(list)-1], true
	case "index":
		i, _ := args[0].(int64)
		if i < 0 {
			i += int64(len(list))
		}
		if !isList || i < 0 || i >= int64(len(list)) {
			return nil, false
		}
		return list[i], true
	case "concat":
		var b strings.Builder
		switch v := in.(type) {
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					b.WriteString(s)
				}
			}
		case string:
			// An extension: Jayway ignores a string input, which makes
			// $.name.concat('x') surprising.
			b.WriteString(v)
		}
		for _, a := range args {
			if a != nil {
				b.WriteString(stringify(a))
			}
		}
		return b.String(), true
	case "append":
		if !isList {
			return nil, false
		}
		out := make([]any, 0, len(list)+len(args))
		out = append(out, list...)
		return append(out, args...), true
	}
	return nil, false
}

// aggregate is Jayway's AbstractAggregation: the numbers in the input list
// and the numeric arguments; no numbers at all gives no result.
func aggregate(name string, list, args []any) (any, bool) {
	var nums []float64
	for _, src := range [][]any{list, args} {
		for _, v := range src {
			if f, ok := toFloat(v); ok {
				nums = append(nums, f)
			}
		}
	}
	if len(nums) == 0 {
		return nil, false
	}
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, f := range nums {
		sum += f
		lo, hi = min(lo, f), max(hi, f)
	}
	n := float64(len(nums))
	switch name {
	case "min":
		return lo, true
	case "max":
		return hi, true
	case "sum":
		return sum, true
	case "avg":
		return sum / n, true
	}
	// stddev: the population standard deviation, as Jayway computes it.
	mean := sum / n
	var sq float64
	for _, f := range nums {
		sq += (f - mean) * (f - mean)
	}
	return math.Sqrt(sq / n), true
}

// stringify gives a value's text for concat and =~: strings as they are,
// numbers without exponent or trailing zeros, everything else as JSON.
func stringify(v any) string {
	switch tv := v.(type) {
	case string:
		return tv
	case int64:
		return strconv.FormatInt(tv, 10)
	case int:
		return strconv.Itoa(tv)
	case float64:
		return strconv.FormatFloat(tv, 'f', -1, 64)
	case json.Number:
		return tv.String()
	case bool:
		return strconv.FormatBool(tv)
	}
	return oj.JSON(v, &oj.Options{Sort: true})
}
