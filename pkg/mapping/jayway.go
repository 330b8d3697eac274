package mapping

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ohler55/ojg/jp"
)

// Jayway JsonPath 2.9.0 behaviour that ojg's fragments do not have, supplied
// as jp.Proc fragments in place of the ones ojg parsed. The sources are
// json-path/src/main/java/com/jayway/jsonpath/internal/path/*.java at the
// tag json-path-2.9.0 of github.com/json-path/JsonPath.

// jaywaySliceOp is one of the three forms of ArraySliceOperation.
type jaywaySliceOp int

const (
	sliceFrom    jaywaySliceOp = iota // [2:]
	sliceBetween                      // [1:3]
	sliceTo                           // [:2]
)

// jaywaySlice is an array slice as ArraySliceToken evaluates it: there is
// no step (ArraySliceOperation.parse reads only the first two parts of
// "a:b:c"), [a:] and [:b] count a negative bound from the end, but [a:b]
// does not: a negative b selects nothing, and a negative a starts before
// the array and picks elements counted from its end (PathToken.
// handleArrayIndex), so [-2:1] on [0,1,2] is [1,2,0].
type jaywaySlice struct {
	op       jaywaySliceOp
	from, to int
}

// parseJaywaySlice reads the text between brackets as
// ArraySliceOperation.parse does, or returns the offset (within text) of
// what it refuses and what was expected.
func parseJaywaySlice(text string) (s jaywaySlice, badOff int, expected string) {
	for i := 0; i < len(text); i++ {
		if c := text[i]; !isDigit(c) && c != '-' && c != ':' {
			return s, i, "a digit, '-' or ':' in a slice (Jayway allows no spaces or commas in one)"
		}
	}
	// Java's String.split drops trailing empty parts: "1::" is ["1"].
	parts := strings.Split(text, ":")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	read := func(i int) (v int, set bool, bad bool) {
		if i >= len(parts) || parts[i] == "" {
			return 0, false, false
		}
		n, err := strconv.ParseInt(parts[i], 10, 32)
		if err != nil {
			return 0, false, true
		}
		return int(n), true, false
	}
	from, fromSet, bad1 := read(0)
	to, toSet, bad2 := read(1)
	switch {
	case bad1:
		return s, 0, "a slice bound Java reads as an int (Integer.parseInt)"
	case bad2:
		return s, len(parts[0]) + 1, "a slice bound Java reads as an int (Integer.parseInt)"
	case fromSet && !toSet:
		return jaywaySlice{op: sliceFrom, from: from}, -1, ""
	case fromSet:
		return jaywaySlice{op: sliceBetween, from: from, to: to}, -1, ""
	case toSet:
		return jaywaySlice{op: sliceTo, to: to}, -1, ""
	}
	return s, 0, "a start or an end in the slice, such as [0:2] (Jayway refuses [:] and [::2])"
}

func (s jaywaySlice) Get(data any) []any {
	list, ok := data.([]any)
	n := len(list)
	if !ok || n == 0 {
		return nil
	}
	var out []any
	at := func(i int) {
		if i < 0 {
			i += n
		}
		if 0 <= i && i < n {
			out = append(out, list[i])
		}
	}
	switch s.op {
	case sliceFrom:
		from := s.from
		if from < 0 {
			from += n
		}
		for i := max(0, from); i < n; i++ {
			at(i)
		}
	case sliceBetween:
		for i := s.from; i < min(n, s.to); i++ {
			at(i)
		}
	case sliceTo:
		to := s.to
		if to < 0 {
			to += n
		}
		for i := 0; i < min(n, to); i++ {
			at(i)
		}
	}
	return out
}

func (s jaywaySlice) First(data any) any {
	if got := s.Get(data); len(got) > 0 {
		return got[0]
	}
	return nil
}

// replaceSlices puts the translator's Jayway slices in place of the
// jp.Slice fragments ojg parsed for them, which are the path's own slices
// in the same order (slices inside filters are not fragments of x).
func replaceSlices(x jp.Expr, slices []jaywaySlice) jp.Expr {
	if len(slices) == 0 {
		return x
	}
	out := make(jp.Expr, len(x))
	copy(out, x)
	k := 0
	for i, f := range out {
		if _, ok := f.(jp.Slice); ok && k < len(slices) {
			out[i] = &jp.Proc{Procedure: slices[k], Script: []byte("(slice)")}
			k++
		}
	}
	return out
}

// jaywayFilter is a filter as PredicatePathToken.evaluate applies it: to
// an object, the object itself passes or not; to an array, each element.
// ojg, like RFC 9535, filters an object's member values instead. It is used
// only for filters without $ in them, since ojg's Filter.Match takes the
// node it tests as the document root.
type jaywayFilter struct{ f *jp.Filter }

func (j jaywayFilter) Get(data any) []any {
	switch tv := data.(type) {
	case map[string]any:
		if j.f.Match(tv) {
			return []any{tv}
		}
	case []any:
		// One evaluation over the array (the filter has no $, so the root ojg is given does
		// not matter); ojg returns the matches last first.
		got, _ := j.f.Eval([]any{}, tv).([]any)
		slices.Reverse(got)
		return got
	}
	return nil
}

func (j jaywayFilter) First(data any) any {
	if got := j.Get(data); len(got) > 0 {
		return got[0]
	}
	return nil
}

// jaywayScan is a deep scan ("..") together with the token after it, as
// ScanPathToken.walk evaluates them: it visits the document depth first,
// each object and array before what it holds, and where the token's
// predicate accepts a node (an object holding the member, an array for an
// index or a slice, any node for '*', the filter itself for a filter) it
// applies the token there. On an array that is not the path's last token it
// passes the elements on instead, skipping the token (walkArray).
type jaywayScan struct {
	next jp.Frag
	leaf bool
}

func (s jaywayScan) Get(data any) []any {
	var out []any
	s.walk(data, &out)
	return out
}

func (s jaywayScan) First(data any) any {
	if got := s.Get(data); len(got) > 0 {
		return got[0]
	}
	return nil
}

func (s jaywayScan) walk(v any, out *[]any) {
	switch tv := v.(type) {
	case map[string]any:
		if s.accepts(tv) {
			*out = append(*out, s.apply(tv)...)
		}
		for _, e := range tv {
			s.walk(e, out)
		}
	case []any:
		if s.accepts(tv) {
			if s.leaf {
				*out = append(*out, s.apply(tv)...)
			} else {
				*out = append(*out, tv...)
			}
		}
		for _, e := range tv {
			s.walk(e, out)
		}
	}
}

// accepts is ScanPathToken.createScanPredicate's predicate for the token.
func (s jaywayScan) accepts(v any) bool {
	switch f := s.next.(type) {
	case jp.Child:
		m, ok := v.(map[string]any)
		if ok {
			_, ok = m[string(f)]
		}
		return ok
	case jp.Wildcard:
		return true
	case *jp.Filter:
		return f.Match(v)
	default: // an index, indexes or a slice
		_, ok := v.([]any)
		return ok
	}
}

func (s jaywayScan) apply(v any) []any {
	switch f := s.next.(type) {
	case *jp.Filter:
		return jaywayFilter{f}.Get(v)
	case *jp.Proc:
		return f.Procedure.Get(v)
	default:
		return jp.Expr{f}.Get(v)
	}
}

// jaywayTokens puts jaywayScan in place of ".." and the token after it,
// and jaywayFilter in place of the path's own filters, when the filters
// have no $ in them (see jaywayFilter).
func jaywayTokens(x jp.Expr, rootInFilter bool) jp.Expr {
	out := make(jp.Expr, 0, len(x))
	for i := 0; i < len(x); i++ {
		switch f := x[i].(type) {
		case jp.Descent:
			if i+1 < len(x) && scannable(x[i+1], rootInFilter) {
				out = append(out, &jp.Proc{Procedure: jaywayScan{next: x[i+1], leaf: i+2 == len(x)}, Script: []byte("(scan)")})
				i++
				continue
			}
		case *jp.Filter:
			if !rootInFilter {
				out = append(out, &jp.Proc{Procedure: jaywayFilter{f}, Script: []byte("(filter)")})
				continue
			}
		}
		out = append(out, x[i])
	}
	return out
}

func scannable(f jp.Frag, rootInFilter bool) bool {
	switch tf := f.(type) {
	case jp.Child, jp.Wildcard, jp.Nth:
		return true
	case *jp.Filter:
		return !rootInFilter
	case *jp.Proc:
		_, ok := tf.Procedure.(jaywaySlice)
		return ok
	case jp.Union:
		for _, k := range tf {
			if _, ok := k.(int64); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// jaywayPaths caches the paths of existence tests by their text.
var jaywayPaths sync.Map

// jaywayExists is an existence test on a path that may select several nodes, as Jayway's
// ValueNodes.PathNode.evaluate makes it: the path is evaluated with Option.REQUIRE_PROPERTIES,
// and the test fails only when that throws PathNotFoundException, not when the path selects
// nothing. So [?(@.a[*])] holds for an empty list a, and [?(@.a[*].b)] fails when one element
// lacks b (PathToken.handleObjectProperty throws for a missing property); a token that meets the
// wrong kind of node throws only while the path is still definite (ArrayPathToken.
// checkArrayModel, PropertyPathToken.evaluate), and a definite path that selects nothing throws
// (EvaluationContextImpl.getValue).
func jaywayExists(cur, path any) any {
	text, _ := path.(string)
	x, ok := jaywayPaths.Load(text)
	if !ok {
		parsed, err := jp.ParseString(text) // registerFuncs has run: this runs inside a filter
		if err != nil || len(parsed) == 0 {
			return false
		}
		x = jaywayTokens(parsed, false)
		jaywayPaths.Store(text, x)
	}
	return existsRequired(x.(jp.Expr)[1:], cur)
}

func existsRequired(frags jp.Expr, v any) bool {
	nodes := []any{v}
	definite := true
	for _, f := range frags {
		var next []any
		for _, n := range nodes {
			m, isMap := n.(map[string]any)
			a, isArray := n.([]any)
			switch tf := f.(type) {
			case jp.Child:
				if !isMap {
					if definite {
						return false
					}
					continue
				}
				c, ok := m[string(tf)]
				if !ok {
					return false
				}
				next = append(next, c)
			case jp.Nth, jp.Slice:
				if !isArray {
					if definite {
						return false
					}
					continue
				}
				next = append(next, jp.Expr{tf}.Get(a)...)
			case jp.Wildcard:
				next = append(next, jp.Expr{tf}.Get(n)...)
			case *jp.Proc:
				switch tf.Procedure.(type) {
				case jaywayFilter, jaywaySlice:
					if definite && !isMap && !isArray {
						return false
					}
				}
				next = append(next, tf.Procedure.Get(n)...)
			default:
				next = append(next, jp.Expr{f}.Get(n)...)
			}
		}
		switch f.(type) {
		case jp.Child, jp.Nth:
		default:
			definite = false
		}
		nodes = next
	}
	return !definite || len(nodes) > 0
}
