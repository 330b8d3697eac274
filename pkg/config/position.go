package config

import (
	"strconv"

	"go.yaml.in/yaml/v4"
)

// Position is a place in the file, 1-based. The zero Position means "the file as a whole".
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Node finds the node at a path of mapping keys and sequence indexes ("providers", "0", "scopes").
// It follows aliases and merge keys (<<), so a value that comes from an anchor is found where the
// anchor defines it. It returns nil when the path does not exist.
func (f *File) Node(path ...string) *yaml.Node {
	if f.Doc == nil || len(f.Doc.Content) == 0 {
		return nil
	}
	return Lookup(f.Doc.Content[0], path...)
}

// KeyNode is Node for the key of the last path element, which is where "unknown key" findings point.
func (f *File) KeyNode(path ...string) *yaml.Node {
	if len(path) == 0 {
		return nil
	}
	parent := f.Node(path[:len(path)-1]...)
	if parent == nil {
		return nil
	}
	k, _ := mappingEntry(deref(parent), path[len(path)-1])
	return k
}

// Pos returns the position of the node at path, or of the nearest existing parent: a missing field is
// reported where it should have been written.
func (f *File) Pos(path ...string) Position {
	for i := len(path); i >= 0; i-- {
		if n := f.Node(path[:i]...); n != nil {
			return Position{Line: n.Line, Column: n.Column}
		}
	}
	return Position{}
}

// Lookup walks n along path.
func Lookup(n *yaml.Node, path ...string) *yaml.Node {
	for _, p := range path {
		n = deref(n)
		if n == nil {
			return nil
		}
		switch n.Kind {
		case yaml.MappingNode:
			_, v := mappingEntry(n, p)
			if v == nil {
				return nil
			}
			n = v
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
	}
	return n
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	return n
}

// mappingEntry returns the key and value nodes for key in mapping m, looking into merged mappings
// (<<: *anchor) after the mapping's own keys, as YAML's merge rules say.
func mappingEntry(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value == key && k.Tag != "!!merge" {
			return k, v
		}
		if k.Value == "<<" || k.Tag == "!!merge" {
			merges = append(merges, v)
		}
	}
	for _, mv := range merges {
		mv = deref(mv)
		var sources []*yaml.Node
		if mv.Kind == yaml.SequenceNode {
			sources = mv.Content
		} else {
			sources = []*yaml.Node{mv}
		}
		for _, s := range sources {
			if s = deref(s); s != nil && s.Kind == yaml.MappingNode {
				if k, v := mappingEntry(s, key); v != nil {
					return k, v
				}
			}
		}
	}
	return nil, nil
}

// ProviderIndex returns the index of the named provider in the providers list, or -1.
func (f *File) ProviderIndex(name string) int {
	if f.Config == nil {
		return -1
	}
	for i, p := range f.Config.Providers {
		if p.Name == name {
			return i
		}
	}
	return -1
}
