package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// Text is a string value that may reference environment variables. Writers keep references as
// ${NAME}, quoted so that the format's consumer (docker compose, a dotenv loader, a shell) fills them
// in, while literal text stays literal: a $ in it is escaped.
type Text []Span

// Span is a piece of Text: literal text, or a reference to an environment variable.
type Span struct {
	Lit string
	Ref string
}

// Lit is literal text.
func Lit(s string) Text { return Text{{Lit: s}} }

// Ref is a reference to the environment variable name.
func Ref(name string) Text { return Text{{Ref: name}} }

// String writes references as ${NAME}.
func (t Text) String() string {
	var b strings.Builder
	for _, s := range t {
		if s.Ref != "" {
			b.WriteString("${" + s.Ref + "}")
		} else {
			b.WriteString(s.Lit)
		}
	}
	return b.String()
}

// HasRef reports whether t references an environment variable.
func (t Text) HasRef() bool {
	return slices.ContainsFunc(t, func(s Span) bool { return s.Ref != "" })
}

// Object is a JSON object or YAML mapping whose keys keep their order. Values are string, Text,
// bool, int, []string, Object or []Object.
type Object []Field

// Field is one key of an Object.
type Field struct {
	Key   string
	Value any
}

// Get returns the value of key.
func (o Object) Get(key string) (any, bool) {
	for _, f := range o {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the fields in order; references appear as ${NAME}.
func (o Object) MarshalJSON() ([]byte, error) { return []byte(jsonText(o, "").String()), nil }

// valueText is a value as one line of text: scalars as they are, lists comma separated, objects as
// compact JSON.
func valueText(v any) Text {
	switch v := v.(type) {
	case Text:
		return v
	case string:
		return Lit(v)
	case bool:
		return boolText(v)
	case int:
		return Lit(strconv.Itoa(v))
	case int64:
		return Lit(strconv.FormatInt(v, 10))
	case []string:
		return Lit(strings.Join(v, ","))
	default:
		return jsonText(v, "")
	}
}

// jsonText writes v as JSON, indented when indent is not empty. References stay references, inside
// the JSON strings they belong to, so that a dotenv file can carry JSON that the environment
// completes.
func jsonText(v any, indent string) Text {
	w := &jsonWriter{indent: indent}
	w.value(v, 0)
	w.flush()
	return w.out
}

type jsonWriter struct {
	indent string
	out    Text
	buf    strings.Builder
}

func (w *jsonWriter) flush() {
	if w.buf.Len() > 0 {
		w.out = append(w.out, Span{Lit: w.buf.String()})
		w.buf.Reset()
	}
}

func (w *jsonWriter) newline(level int) {
	if w.indent != "" {
		w.buf.WriteString("\n" + strings.Repeat(w.indent, level))
	}
}

func (w *jsonWriter) value(v any, level int) {
	switch v := v.(type) {
	case Object:
		if len(v) == 0 {
			w.buf.WriteString("{}")
			return
		}
		w.buf.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			w.newline(level + 1)
			w.buf.WriteString(jsonString(f.Key))
			w.buf.WriteByte(':')
			if w.indent != "" {
				w.buf.WriteByte(' ')
			}
			w.value(f.Value, level+1)
		}
		w.newline(level)
		w.buf.WriteByte('}')
	case []Object:
		items := make([]any, len(v))
		for i := range v {
			items[i] = v[i]
		}
		w.list(items, level)
	case []string:
		items := make([]any, len(v))
		for i := range v {
			items[i] = v[i]
		}
		w.list(items, level)
	case []any:
		w.list(v, level)
	case map[string]string:
		// Sorted, so that output is stable; maps come from the config's group map.
		o := make(Object, 0, len(v))
		for _, k := range sortedKeys(v) {
			o = append(o, Field{k, v[k]})
		}
		w.value(o, level)
	case Text:
		w.buf.WriteByte('"')
		for _, s := range v {
			if s.Ref != "" {
				// A span of its own, so that writers know where the reference is.
				w.flush()
				w.out = append(w.out, Span{Ref: s.Ref})
				continue
			}
			q := jsonString(s.Lit)
			w.buf.WriteString(q[1 : len(q)-1])
		}
		w.buf.WriteByte('"')
	case string:
		w.buf.WriteString(jsonString(v))
	case bool:
		w.buf.WriteString(strconv.FormatBool(v))
	case int:
		w.buf.WriteString(strconv.Itoa(v))
	case int64:
		w.buf.WriteString(strconv.FormatInt(v, 10))
	case nil:
		w.buf.WriteString("null")
	default:
		panic(fmt.Sprintf("export: no JSON form for %T", v))
	}
}

func (w *jsonWriter) list(items []any, level int) {
	if len(items) == 0 {
		w.buf.WriteString("[]")
		return
	}
	w.buf.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			w.buf.WriteByte(',')
		}
		w.newline(level + 1)
		w.value(it, level+1)
	}
	w.newline(level)
	w.buf.WriteByte(']')
}

// jsonString quotes s as JSON without escaping <, > and &, which placeholders and URLs contain.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// FormatError is a format the target does not support (exit 2).
type FormatError struct {
	Target, Format string
	Formats        []string
}

// Error is one sentence with the cause.
func (e *FormatError) Error() string {
	return fmt.Sprintf("format %q is not available for target %s", e.Format, e.Target)
}

// ExitCode makes it a usage error.
func (e *FormatError) ExitCode() int { return 2 }

// Hint lists the target's formats.
func (e *FormatError) Hint() string {
	return fmt.Sprintf("use --format %s for %s", strings.Join(e.Formats, ", "), title(e.Target))
}

// Write writes the result in format ("" for the default) to w. tty aligns the table format and gives
// it a header, as on a terminal.
func (r *Result) Write(w io.Writer, format string, tty bool) error {
	if format == "" {
		format = r.DefaultFormat()
	}
	if !slices.Contains(r.Formats, format) {
		return &FormatError{Target: r.Target, Format: format, Formats: r.Formats}
	}
	switch format {
	case FormatEnv:
		return writeEnv(w, r.env)
	case FormatCompose:
		env := make(Object, 0, len(r.env))
		for _, e := range r.env {
			env = append(env, Field{e.Name, composeText(e.Value)})
		}
		return writeYAML(w, Object{{"environment", env}})
	case FormatJSON:
		_, err := io.WriteString(w, jsonText(r.doc, "  ").String()+"\n")
		return err
	case FormatYAML:
		return writeYAML(w, r.doc)
	case FormatTable:
		return writeTable(w, r.rows, tty)
	}
	return &FormatError{Target: r.Target, Format: format, Formats: r.Formats}
}

// unquotedRE matches values a dotenv file, docker compose and a shell all read unquoted the same way.
var unquotedRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_./:@,+=%-]+$`) })

// writeEnv writes dotenv lines. Values with references are double quoted (or bare when nothing else
// needs quoting) so that ${NAME} is expanded; other values are single quoted when they need quotes,
// which keeps $ literal everywhere, and double quoted with escapes when they hold a quote, a backslash
// or a line break. A value that ends in a backslash cannot be read back by godotenv in any quoting.
func writeEnv(w io.Writer, env []EnvVar) error {
	var b strings.Builder
	for _, e := range env {
		b.WriteString(e.Name + "=" + envValue(e.Value) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func envValue(t Text) string {
	bare := true
	for _, s := range t {
		if s.Ref == "" && s.Lit != "" && !unquotedRE().MatchString(s.Lit) {
			bare = false
		}
	}
	if bare {
		return t.String()
	}
	// Single quotes keep everything literal, but godotenv reads \' as an escaped quote even there.
	if s := t.String(); !t.HasRef() && !strings.ContainsAny(s, "'\\\n\r") && iostreams.Sanitize(s) == s {
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, s := range t {
		if s.Ref != "" {
			b.WriteString("${" + s.Ref + "}")
			continue
		}
		// Sanitize last: a control character or bidi override in a config value would otherwise
		// reach the terminal raw; it is written as a visible escape (\x1b, \u202e) instead.
		b.WriteString(iostreams.Sanitize(strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "\n", `\n`, "\r", `\r`).Replace(s.Lit)))
	}
	b.WriteByte('"')
	return b.String()
}

// composeText is a value for a compose file, where $ starts an interpolation: literal dollars are
// doubled, references stay ${NAME}.
func composeText(t Text) string {
	var b strings.Builder
	for _, s := range t {
		if s.Ref != "" {
			b.WriteString("${" + s.Ref + "}")
		} else {
			b.WriteString(strings.ReplaceAll(s.Lit, "$", "$$"))
		}
	}
	return b.String()
}

// writeYAML writes o without wrapping long lines: a folded JSON value would still parse, but could not
// be copied from a terminal in one piece.
func writeYAML(w io.Writer, o Object) error {
	d, err := yaml.NewDumper(w, yaml.WithV4Defaults(), yaml.WithCompactSeqIndent(false), yaml.WithLineWidth(-1))
	if err != nil {
		return err
	}
	if err := d.Dump(yamlNode(o)); err != nil {
		return err
	}
	return d.Close()
}

// yamlNode builds the node tree of v; scalars carry their tag, so that strings such as "true" or
// "768" stay strings.
func yamlNode(v any) *yaml.Node {
	scalar := func(tag, val string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: val} }
	switch v := v.(type) {
	case Object:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, f := range v {
			n.Content = append(n.Content, scalar("!!str", f.Key), yamlNode(f.Value))
		}
		return n
	case map[string]string:
		o := make(Object, 0, len(v))
		for _, k := range sortedKeys(v) {
			o = append(o, Field{k, v[k]})
		}
		return yamlNode(o)
	case []Object:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, it := range v {
			n.Content = append(n.Content, yamlNode(it))
		}
		return n
	case []string:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, it := range v {
			n.Content = append(n.Content, scalar("!!str", it))
		}
		return n
	case Text:
		return scalar("!!str", v.String())
	case string:
		return scalar("!!str", v)
	case bool:
		return scalar("!!bool", strconv.FormatBool(v))
	case int:
		return scalar("!!int", strconv.Itoa(v))
	case int64:
		return scalar("!!int", strconv.FormatInt(v, 10))
	case nil:
		return scalar("!!null", "null")
	}
	panic(fmt.Sprintf("export: no YAML form for %T", v))
}

// writeTable writes key/value rows: aligned under a header on a terminal, tab separated otherwise so
// that scripts can cut them.
func writeTable(w io.Writer, rows []Row, tty bool) error {
	if !tty {
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(iostreams.Sanitize(r.Key) + "\t" + iostreams.Sanitize(r.Value.String()) + "\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	tw := iostreams.NewTabWriter(w, 2)
	fmt.Fprintln(tw, "KEY\tVALUE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", iostreams.Sanitize(r.Key), iostreams.Sanitize(r.Value.String()))
	}
	return tw.Flush()
}
