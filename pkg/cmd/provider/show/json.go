package show

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"go.yaml.in/yaml/v4"
)

// writeJSON writes v as JSON under the key names of its YAML form, in the same order. A provider is
// a config entry, and the config file (YAML, or JSON) spells its keys in snake_case (client_id,
// redirect_url): `provider show -o json` and `-o yaml` print the one set of names the file uses, so
// that what show prints can be pasted back into a config file of either kind.
func writeJSON(w io.Writer, v any) error {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return err
	}
	var compact bytes.Buffer
	if err := nodeJSON(&compact, &n); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}

// nodeJSON writes the YAML node n as compact JSON; scalars keep the type YAML resolved for them.
func nodeJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return nodeJSON(b, n.Content[0])
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, n.Content[i].Value)
			b.WriteByte(':')
			if err := nodeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := nodeJSON(b, c); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			v, err := strconv.ParseBool(n.Value)
			if err != nil {
				return fmt.Errorf("yaml bool %q: %w", n.Value, err)
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int":
			v, err := strconv.ParseInt(n.Value, 0, 64)
			if err != nil {
				return fmt.Errorf("yaml int %q: %w", n.Value, err)
			}
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			writeString(b, n.Value)
		}
	default:
		return fmt.Errorf("no JSON form for YAML node kind %v", n.Kind)
	}
	return nil
}

// writeString writes s as a JSON string, with <, > and & as they are (URLs hold &), as
// cmdutil.PrintJSON does.
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}
