package config

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// constructRE matches the YAML library's type errors: "cannot construct !!str `read` into []string".
var constructRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile("^cannot construct (!!\\w+)(?: `(.*)`)? into (\\S+)")
})

// leadingLineRE matches the "line N: " our own UnmarshalYAML methods start their errors with.
var leadingLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line \d+: `) })

// decodeError turns the YAML library's decoding errors into one sentence for people: the first
// problem with its line, the key it is at and what the key takes, in the file's words rather than Go
// type names, and how many more there are. validate reports them all, each at its position.
func decodeError(path string, root *yaml.Node, err error) *DecodeError {
	var le *yaml.LoadErrors
	if !errors.As(err, &le) || len(le.Errors) == 0 {
		return &DecodeError{Path: path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	first := le.Errors[0]
	msg := leadingLineRE().ReplaceAllString(first.Message, "")
	if m := constructRE().FindStringSubmatch(msg); m != nil {
		what := "the value"
		if key := keyPathAt(root, first.Mark.Line, first.Mark.Column); key != "" {
			what = key
		}
		got := tagWord(m[1])
		switch {
		case m[1] == "!!str":
			got += fmt.Sprintf(" (%q)", m[2])
		case m[2] != "":
			got += " (" + m[2] + ")"
		}
		msg = fmt.Sprintf("%s must be %s, not %s", what, goTypeWord(m[3]), got)
	}
	if first.Mark.Line > 0 {
		msg = fmt.Sprintf("line %d: %s", first.Mark.Line, msg)
	}
	switch n := len(le.Errors) - 1; n {
	case 0:
	case 1:
		msg += " (and 1 more problem)"
	default:
		msg += fmt.Sprintf(" (and %d more problems)", n)
	}
	return &DecodeError{Path: path, Msg: msg}
}

// keyPathAt returns the path of the value node at line and column, such as providers[0].scopes, or ""
// when no value starts there.
func keyPathAt(n *yaml.Node, line, column int) string {
	if n == nil || line <= 0 {
		return ""
	}
	var walk func(n *yaml.Node, path string) (string, bool)
	walk = func(n *yaml.Node, path string) (string, bool) {
		if n.Line == line && n.Column == column && path != "" {
			return path, true
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if path != "" {
					k = path + "." + k
				}
				if p, ok := walk(n.Content[i+1], k); ok {
					return p, true
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				if p, ok := walk(c, path+"["+strconv.Itoa(i)+"]"); ok {
					return p, true
				}
			}
		}
		return "", false
	}
	p, _ := walk(n, "")
	return p
}

// tagWord names a YAML tag the way the schema's descriptions do.
func tagWord(tag string) string {
	switch tag {
	case "!!str":
		return "text"
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "true or false"
	case "!!seq":
		return "a list"
	case "!!map":
		return "a mapping"
	case "!!null":
		return "empty"
	case "!!timestamp":
		return "a date"
	}
	return tag
}

// goTypeWord names the Go type a value was decoded into the way the schema's descriptions do.
func goTypeWord(t string) string {
	t = strings.TrimPrefix(t, "*")
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "string", t == "config.Secret":
		return "text"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return "a number"
	}
	// map[...] and the config's structs.
	return "a mapping"
}
