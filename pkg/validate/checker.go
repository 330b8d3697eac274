package validate

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// checker holds one validation run.
type checker struct {
	f    *config.File
	opts Options
	// root is the document's top-level mapping, nil for an empty file.
	root *yaml.Node
	// cfg is the decoded config; when the file's types are wrong it holds the parts that decode.
	cfg *config.Config
	// provOK tells which providers decoded, by index; checks skip the others, whose type errors the
	// schema check reports.
	provOK   []bool
	findings []Finding
	// online says the online checks ran, so that an ignore of their codes can be found unused.
	online bool
	// badTypes holds the paths (joined by "/") whose values have the wrong type, so that decoding
	// can leave them out and check the rest of their provider.
	badTypes map[string]bool
	// schemaAt holds code + "\x00" + path for the schema check's findings and their parents.
	schemaAt map[string]bool
	// schemes caches permission schemes by name: built-in ones are built afresh on every lookup.
	schemes map[string]*perm.Scheme
	// codesByLine indexes the findings' codes by line for the ignore comments' hints; built on first use.
	codesByLine map[int][]string
	// text holds the file's lines, split once on first use (a check per mapping rule reads them).
	text []string
}

// lines returns the file's lines without their line ends, counted as the YAML parser counts them:
// LF, CRLF and a lone CR (classic Mac OS) each end a line.
func (c *checker) lines() []string {
	if c.text == nil {
		data := string(c.f.Data)
		c.text = make([]string, 0, strings.Count(data, "\n")+1)
		for {
			i := strings.IndexAny(data, "\r\n")
			if i < 0 {
				c.text = append(c.text, data)
				break
			}
			c.text = append(c.text, data[:i])
			if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			data = data[i+1:]
		}
	}
	return c.text
}

func newChecker(f *config.File, opts Options) *checker {
	c := &checker{f: f, opts: opts, badTypes: map[string]bool{}, cfg: &config.Config{}, schemes: map[string]*perm.Scheme{}, schemaAt: map[string]bool{}}
	if f.Doc != nil && len(f.Doc.Content) > 0 {
		c.root = f.Doc.Content[0]
	}
	return c
}

func (c *checker) run() {
	if c.root == nil {
		c.addAt(CodeEmptyFile, nil, 0, 0, "the file holds no settings",
			`start it with "version: 1" and a "providers:" list, or let "ssoctl provider add" write it`)
		return
	}
	if hasAlias(c.root) && expandedSize(c.root, map[*yaml.Node]int{}, maxExpandedValues) > maxExpandedValues {
		c.add(CodeAliasExpansion, nil, "anchors and aliases expand the file to more than 1000000 values, so it is not checked further",
			"write the values out or use fewer nested aliases")
		return
	}
	c.checkSchema()
	c.decode()
	c.checkFile()
	for i := range c.cfg.Providers {
		if i < len(c.provOK) && c.provOK[i] {
			c.checkProvider(i, &c.cfg.Providers[i])
		}
	}
	c.checkSchemes()
	c.checkSecretsFile()
}

// decode fills cfg: the decoded config when it decoded, else each part that decodes on its own, so
// that one wrong type does not hide every other finding.
func (c *checker) decode() {
	if c.f.Config != nil {
		c.cfg = c.f.Config
		c.provOK = make([]bool, len(c.cfg.Providers))
		for i := range c.provOK {
			c.provOK[i] = true
		}
		return
	}
	c.cfg = &config.Config{}
	decodeInto := func(key string, v any) {
		if _, n := lookupKey(c.root, key); n != nil {
			_ = n.Decode(v)
		}
	}
	decodeInto("version", &c.cfg.Version)
	var app config.App
	if _, n := lookupKey(c.root, "app"); n != nil && n.Decode(&app) == nil {
		c.cfg.App = &app
	}
	if _, n := lookupKey(c.root, "providers"); n != nil {
		if n = deref(n); n.Kind == yaml.SequenceNode {
			for i, item := range n.Content {
				var p config.Provider
				err := item.Decode(&p)
				if err != nil {
					p = config.Provider{}
					err = c.prune(item, "providers/"+strconv.Itoa(i)).Decode(&p)
				}
				c.cfg.Providers = append(c.cfg.Providers, p)
				c.provOK = append(c.provOK, err == nil)
			}
		}
	}
	var ignores []config.Ignore
	if _, n := lookupKey(c.root, "ignore"); n != nil && n.Decode(&ignores) == nil {
		c.cfg.Ignore = ignores
	}
	var schemes []config.PermissionScheme
	if _, n := lookupKey(c.root, "permission_schemes"); n != nil && n.Decode(&schemes) == nil {
		c.cfg.PermissionSchemes = schemes
	}
}

// prune returns a copy of n without the entries whose values have the wrong type (badTypes), path
// being n's path.
func (c *checker) prune(n *yaml.Node, path string) *yaml.Node {
	n = deref(n)
	if n == nil || (n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode) {
		return n
	}
	cp := *n
	cp.Content = make([]*yaml.Node, 0, len(n.Content))
	if n.Kind == yaml.SequenceNode {
		for i, item := range n.Content {
			p := path + "/" + strconv.Itoa(i)
			if !c.badTypes[p] {
				cp.Content = append(cp.Content, c.prune(item, p))
			}
		}
		return &cp
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMergeKey(k) {
			cp.Content = append(cp.Content, k, c.prune(v, path))
			continue
		}
		p := path + "/" + deref(k).Value
		if !c.badTypes[p] {
			cp.Content = append(cp.Content, k, c.prune(v, p))
		}
	}
	return &cp
}

// node returns the node at segs, aliases resolved, or nil.
func (c *checker) node(segs ...string) *yaml.Node {
	n := c.root
	for _, s := range segs {
		n = deref(n)
		if n == nil {
			return nil
		}
		switch n.Kind {
		case yaml.MappingNode:
			_, n = lookupKey(n, s)
		case yaml.SequenceNode:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
	}
	return deref(n)
}

// keyNode returns the key node of the last element of segs, when its parent is a mapping.
func (c *checker) keyNode(segs ...string) *yaml.Node {
	if len(segs) == 0 {
		return nil
	}
	parent := c.node(segs[:len(segs)-1]...)
	if parent == nil || parent.Kind != yaml.MappingNode {
		return nil
	}
	k, _ := lookupKey(parent, segs[len(segs)-1])
	return k
}

// position finds where a finding about segs points: the value when it is a scalar or in flow style,
// the key when the value is a block (whose own position is its first child's), and the nearest
// existing parent when segs does not exist, which is where a missing field belongs.
func (c *checker) position(segs []string) (int, int) {
	for i := len(segs); i >= 0; i-- {
		n := c.node(segs[:i]...)
		if n == nil {
			continue
		}
		if i > 0 && (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 {
			if k := c.keyNode(segs[:i]...); k != nil {
				return k.Line, k.Column
			}
		}
		return n.Line, n.Column
	}
	return 0, 0
}

// providerName returns the name of the provider segs points into, or "".
func (c *checker) providerName(segs []string) string {
	if len(segs) < 2 || segs[0] != "providers" {
		return ""
	}
	if n := c.node(segs[0], segs[1], "name"); n != nil && n.Kind == yaml.ScalarNode {
		return n.Value
	}
	return ""
}

// add reports a finding about the value at segs.
func (c *checker) add(code string, segs []string, msg, hint string) {
	line, col := c.position(segs)
	c.addAt(code, segs, line, col, msg, hint)
}

// addKey reports a finding about the key at segs, such as an unknown key.
func (c *checker) addKey(code string, segs []string, msg, hint string) {
	if k := c.keyNode(segs...); k != nil {
		c.addAt(code, segs, k.Line, k.Column, msg, hint)
		return
	}
	c.add(code, segs, msg, hint)
}

func (c *checker) addAt(code string, segs []string, line, col int, msg, hint string) {
	if c.opts.errorsOnly && severityOf(code) != SeverityError {
		return
	}
	c.findings = append(c.findings, Finding{
		Code:     code,
		Severity: severityOf(code),
		Provider: c.providerName(segs),
		Path:     renderPath(c.root, segs),
		File:     c.opts.DisplayPath,
		Line:     line,
		Column:   col,
		Message:  msg,
		Hint:     hint,
	})
}

// hasFinding reports whether the schema check reported code for segs or for a value inside it.
func (c *checker) hasFinding(code string, segs []string) bool {
	return c.schemaAt[code+"\x00"+strings.Join(segs, "/")]
}

// noteSchemaFinding records a schema finding at loc and at each of its parents for hasFinding, so
// that later checks of the same value stay quiet.
func (c *checker) noteSchemaFinding(code string, loc []string) {
	for i := len(loc); i >= 0; i-- {
		c.schemaAt[code+"\x00"+strings.Join(loc[:i], "/")] = true
	}
}

func provSegs(i int, rest ...string) []string {
	return append([]string{"providers", strconv.Itoa(i)}, rest...)
}
