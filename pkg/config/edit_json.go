package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"
)

// encodeJSON writes a document node as JSON with two-space indentation, keeping the key order.
func encodeJSON(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	n := doc
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	if err := writeJSON(&b, n, 0, 0); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, depth, aliases int) error {
	for n.Kind == yaml.AliasNode {
		if aliases++; aliases > 100 {
			return fmt.Errorf("too many aliases to write the file as JSON")
		}
		n = n.Alias
	}
	if depth > 200 {
		return fmt.Errorf("the file nests too deeply to write as JSON")
	}
	ind := strings.Repeat("  ", depth+1)
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(ind)
			writeJSONString(b, n.Content[i].Value)
			b.WriteString(": ")
			if err := writeJSON(b, n.Content[i+1], depth+1, aliases); err != nil {
				return err
			}
		}
		b.WriteString("\n" + ind[2:] + "}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i, c := range n.Content {
			if i > 0 {
				b.WriteString(",\n")
			}
			b.WriteString(ind)
			if err := writeJSON(b, c, depth+1, aliases); err != nil {
				return err
			}
		}
		b.WriteString("\n" + ind[2:] + "]")
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("value %q on line %d cannot be written as JSON", n.Value, n.Line)
		}
		if s, ok := v.(string); ok {
			writeJSONString(b, s)
			return nil
		}
		out, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("value %q cannot be written as JSON", n.Value)
		}
		b.Write(out)
	default:
		return fmt.Errorf("a YAML node of kind %d cannot be written as JSON", n.Kind)
	}
	return nil
}

// writeJSONString writes s as a JSON string without escaping <, > and &, which JSON does not need.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode adds a newline
}
