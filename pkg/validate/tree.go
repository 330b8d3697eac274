package validate

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// maxExpandedValues bounds how many values the JSON view of a document may have once aliases are
// expanded. Real config files have a few thousand; a "billion laughs" file has far more, and
// expanding it would hang validate.
const maxExpandedValues = 1_000_000

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isMergeKey(k *yaml.Node) bool {
	return k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0 && (k.Tag == "" || k.Tag == "!!merge"))
}

// hasAlias reports whether the tree under n uses an alias; without one its expanded size is its
// size, which the file size already bounds.
func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

// expandedSize counts the values of n with aliases expanded, memoised per node so that it is linear
// in the size of the file even when aliases nest. It stops counting past limit.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, limit int) int {
	if n == nil {
		return 0
	}
	if s, ok := memo[n]; ok {
		return s
	}
	memo[n] = limit + 1 // a node reached again while being counted is a cycle
	s := 1
	if n.Kind == yaml.AliasNode {
		s = expandedSize(n.Alias, memo, limit)
	} else {
		for _, c := range n.Content {
			s += expandedSize(c, memo, limit)
			if s > limit {
				break
			}
		}
	}
	memo[n] = min(s, limit+1)
	return memo[n]
}

// toValue converts a YAML node to the values encoding/json would produce (map[string]any, []any,
// string, int64, float64, bool, nil), expanding aliases and merge keys, so the JSON Schema sees what
// the YAML decoder sees.
func toValue(n *yaml.Node) any {
	n = deref(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return toValue(n.Content[0])
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if isMergeKey(k) {
				merges = append(merges, v)
				continue
			}
			m[deref(k).Value] = toValue(v)
		}
		// A mapping's own keys win over merged ones, and earlier merge sources over later ones.
		for _, mv := range merges {
			mv = deref(mv)
			sources := []*yaml.Node{mv}
			if mv.Kind == yaml.SequenceNode {
				sources = mv.Content
			}
			for _, s := range sources {
				if sv, ok := toValue(s).(map[string]any); ok {
					for k, v := range sv {
						if _, set := m[k]; !set {
							m[k] = v
						}
					}
				}
			}
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = toValue(c)
		}
		return s
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return nil
}

func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true")
	case "!!int":
		v := strings.ReplaceAll(n.Value, "_", "")
		if i, err := strconv.ParseInt(v, 0, 64); err == nil {
			return i
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	case "!!float":
		// .inf and .nan stay text: no field takes them, and the schema says so.
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return n.Value
}

// lookupKey returns the key and value nodes of key in mapping m, looking into merged mappings
// (<<: *anchor) after m's own keys as YAML's merge rules say; unlike config.Lookup it sees through
// an alias to m.
func lookupKey(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if isMergeKey(k) {
			merges = append(merges, v)
			continue
		}
		if deref(k).Value == key {
			return k, v
		}
	}
	for _, mv := range merges {
		mv = deref(mv)
		sources := []*yaml.Node{mv}
		if mv.Kind == yaml.SequenceNode {
			sources = mv.Content
		}
		for _, s := range sources {
			if k, v := lookupKey(s, key); v != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

var plainKeyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`) })

// renderPath writes path segments in jq style, telling list indexes from mapping keys by the node
// they index: providers[0].groups.map["/inventree/admins"].
func renderPath(root *yaml.Node, segs []string) string {
	var b strings.Builder
	n := root
	for _, s := range segs {
		d := deref(n)
		switch {
		case d != nil && d.Kind == yaml.SequenceNode:
			b.WriteString("[" + s + "]")
			if i, err := strconv.Atoi(s); err == nil && i >= 0 && i < len(d.Content) {
				n = d.Content[i]
			} else {
				n = nil
			}
			continue
		case plainKeyRE().MatchString(s):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		default:
			b.WriteString("[" + strconv.Quote(s) + "]")
		}
		_, n = lookupKey(n, s)
	}
	return b.String()
}

// nodeKindName says what a value is, in the words of someone editing YAML.
func nodeKindName(n *yaml.Node) string {
	n = deref(n)
	if n == nil {
		return "missing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!null":
		return "empty"
	case "!!bool":
		return "true/false"
	case "!!int", "!!float":
		return "a number"
	}
	return "text"
}

// typeName names a JSON Schema type the way nodeKindName does.
func typeName(t string) string {
	switch t {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "string":
		return "text"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "null":
		return "empty"
	}
	return t
}
