package config

import (
	"encoding/json"
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v4"
)

// Permission is a permission value as written in the file: either a bit sum (768) or a list of bit
// names and numbers ([webdav-read, webdav-manage]). It is resolved against a scheme by package perm.
type Permission struct {
	// Sum is set when the file gives a number.
	Sum *int64
	// Items is set when the file gives a list.
	Items []string
}

// IsZero reports whether no permission was given; it makes omitempty work.
func (p Permission) IsZero() bool { return p.Sum == nil && p.Items == nil }

// UnmarshalYAML accepts a number or a list of strings and numbers.
func (p *Permission) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		v, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil || n.Tag == "!!str" {
			return fmt.Errorf("line %d: default_permission must be a number or a list of permission names, not %q", n.Line, n.Value)
		}
		p.Sum = &v
		return nil
	case yaml.SequenceNode:
		var items []string
		if err := n.Decode(&items); err != nil {
			return err
		}
		p.Items = items
		return nil
	}
	return fmt.Errorf("line %d: default_permission must be a number or a list of permission names", n.Line)
}

// MarshalYAML writes the form the user gave.
func (p Permission) MarshalYAML() (any, error) {
	if p.Sum != nil {
		return *p.Sum, nil
	}
	return p.Items, nil
}

// MarshalJSON writes the form the user gave.
func (p Permission) MarshalJSON() ([]byte, error) {
	if p.Sum != nil {
		return json.Marshal(*p.Sum)
	}
	return json.Marshal(p.Items)
}

// UnmarshalJSON accepts a number or a list.
func (p *Permission) UnmarshalJSON(b []byte) error {
	var n int64
	if err := json.Unmarshal(b, &n); err == nil {
		p.Sum = &n
		return nil
	}
	var raw []any
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("default_permission must be a number or a list of permission names")
	}
	for _, r := range raw {
		p.Items = append(p.Items, fmt.Sprint(r))
	}
	return nil
}
