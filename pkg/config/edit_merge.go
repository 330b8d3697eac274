package config

import (
	"errors"
	"reflect"

	"go.yaml.in/yaml/v4"
)

// errWholeValue tells the caller to rewrite a value whole because it cannot be merged key by key.
var errWholeValue = errors.New("the value cannot be changed key by key")

// mergeProvider replaces entry i with item by changing only the keys whose values differ.
func (e *editor) mergeProvider(i int, item *yaml.Node) error {
	seq, ki, err := e.providersSeq()
	if err != nil {
		return err
	}
	if seq == nil || i >= len(seq.Content) || e.json {
		return errWholeValue
	}
	seq.Content[i] = item
	pv := e.posRoot().Content[ki+1]
	if pv.Style&yaml.FlowStyle != 0 || pv.Kind != yaml.SequenceNode {
		return errWholeValue
	}
	return e.mergeMapping(pv.Content[i], item)
}

// mergeMapping turns block mapping m (from the position tree) into n.
func (e *editor) mergeMapping(m, n *yaml.Node) error {
	if m.Kind != yaml.MappingNode || n.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle != 0 ||
		len(m.Content) == 0 || hasMerge(m) || aliased(e.pos, m) {
		return errWholeValue
	}
	// The last key that stays is where new keys go.
	lastKept := -1
	for j := 0; j+1 < len(m.Content); j += 2 {
		if ownKey(n, m.Content[j].Value) < 0 {
			if err := e.deleteKey(m, j); err != nil {
				return err
			}
		} else {
			lastKept = j
		}
	}
	if lastKept < 0 {
		return errWholeValue
	}
	var added []*yaml.Node
	for j := 0; j+1 < len(n.Content); j += 2 {
		key, nv := n.Content[j], n.Content[j+1]
		oi := ownKey(m, key.Value)
		if oi < 0 {
			added = append(added, key, nv)
			continue
		}
		k, ov := m.Content[oi], m.Content[oi+1]
		if sameValue(ov, nv) {
			continue
		}
		if ov.Kind == yaml.MappingNode && nv.Kind == yaml.MappingNode {
			// Try key by key on a copy of the edits, so that a failure leaves none of them behind.
			saved := len(e.edits)
			err := e.mergeMapping(ov, nv)
			if err == nil {
				continue
			}
			if !errors.Is(err, errWholeValue) {
				return err
			}
			e.edits = e.edits[:saved]
		}
		if err := e.replaceValue(m, k, ov, nv); err != nil {
			return err
		}
	}
	if len(added) == 0 {
		return nil
	}
	return e.insertKeysAfter(m, lastKept, added)
}

// sameValue reports whether two nodes mean the same value.
func sameValue(a, b *yaml.Node) bool {
	var av, bv any
	if a.Decode(&av) != nil || b.Decode(&bv) != nil {
		return false
	}
	return reflect.DeepEqual(av, bv)
}

// keyExtent returns the lines of entry j of block mapping m: from the comment lines directly above
// its key (at the key's indentation) to the last line of its value.
func (e *editor) keyExtent(m *yaml.Node, j int) (head, end int, err error) {
	s := e.src
	k, v := m.Content[j], m.Content[j+1]
	keyIndent := k.Column - 1
	last, err := s.lastLine(v)
	if err != nil {
		return 0, 0, err
	}
	end = s.nodeEnd(v, max(last, k.Line), e.valueIndent(v, keyIndent))
	floor := 1
	if j >= 2 {
		_, prevEnd, err := e.keyExtent(m, j-2)
		if err != nil {
			return 0, 0, err
		}
		floor = prevEnd + 1
	}
	head = k.Line
	for head-1 >= floor && s.comment(head-1) && s.indent(head-1) == keyIndent {
		head--
	}
	return head, end, nil
}

// deleteKey removes entry j of block mapping m with the comment lines directly above it. A key that
// shares its line with the entry's dash cannot go without the dash.
func (e *editor) deleteKey(m *yaml.Node, j int) error {
	s := e.src
	k := m.Content[j]
	off, err := s.nodeOffset(k)
	if err != nil {
		return err
	}
	if off-s.start[k.Line-1] != k.Column-1 || s.indent(k.Line) != k.Column-1 {
		return errWholeValue
	}
	head, end, err := e.keyExtent(m, j)
	if err != nil {
		return err
	}
	e.add(s.deleteLines(head, end))
	return nil
}

// insertKeysAfter adds key/value pairs after entry j of block mapping m.
func (e *editor) insertKeysAfter(m *yaml.Node, j int, pairs []*yaml.Node) error {
	s := e.src
	keyIndent := m.Content[0].Column - 1
	step := e.step(m, 2)
	var lines []string
	for p := 0; p+1 < len(pairs); p += 2 {
		kt, err := scalarText(pairs[p])
		if err != nil {
			return err
		}
		inline, ok, err := inlineText(pairs[p+1])
		if err != nil {
			return err
		}
		if ok {
			lines = append(lines, spaces(keyIndent)+kt+": "+inline)
			continue
		}
		block, err := blockLines(pairs[p+1], keyIndent+step, step)
		if err != nil {
			return err
		}
		lines = append(lines, spaces(keyIndent)+kt+":")
		lines = append(lines, block...)
	}
	_, end, err := e.keyExtent(m, j)
	if err != nil {
		return err
	}
	e.add(s.insertAfterLine(end, lines))
	return nil
}
