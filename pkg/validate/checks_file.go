package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"

	appmodel "github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// checkFile runs the checks about the file as a whole: version, providers list, duplicate names,
// the app section and rules that span providers.
func (c *checker) checkFile() {
	c.checkVersion()
	_, provs := lookupKey(c.root, "providers")
	if provs = deref(provs); provs == nil || (provs.Kind == yaml.SequenceNode && len(provs.Content) == 0) || provs.ShortTag() == "!!null" {
		c.add(CodeNoProviders, []string{"providers"}, "the file defines no providers",
			`add one with "ssoctl provider add NAME --type TYPE"`)
	}
	c.checkDuplicateNames(provs)
	c.checkApp()
	c.checkDecodeFallback()
}

func (c *checker) checkVersion() {
	_, n := lookupKey(c.root, "version")
	n = deref(n)
	if n == nil {
		c.addAt(CodeVersion, nil, c.root.Line, c.root.Column, "the file has no version key", `add "version: 1" as its first line`)
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		v, err := strconv.ParseInt(n.Value, 0, 64)
		if err == nil && v == config.FileVersion {
			return
		}
		c.add(CodeVersion, []string{"version"}, fmt.Sprintf("version %s is not supported: this ssoctl reads version %d", n.Value, config.FileVersion),
			fmt.Sprintf("write version: %d, or use the ssoctl release that wrote this file", config.FileVersion))
		return
	}
	if n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == strconv.Itoa(config.FileVersion) {
		c.add(CodeVersion, []string{"version"}, "version is text, but must be the number 1",
			fmt.Sprintf("write version: %d without quotes", config.FileVersion))
		return
	}
	c.add(CodeVersion, []string{"version"}, fmt.Sprintf("version is %s, but must be the number %d", nodeKindName(n), config.FileVersion),
		fmt.Sprintf("write version: %d", config.FileVersion))
}

func (c *checker) checkDuplicateNames(provs *yaml.Node) {
	if provs == nil || provs.Kind != yaml.SequenceNode {
		return
	}
	first := map[string]int{}
	for i := range provs.Content {
		n := c.node(provSegs(i, "name")...)
		if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
			continue
		}
		if line, ok := first[n.Value]; ok {
			c.add(CodeDuplicateName, provSegs(i, "name"), fmt.Sprintf("provider name %q is used twice (first at line %d)", n.Value, line),
				"rename one of them; commands, callback paths and exports find providers by name")
			continue
		}
		first[n.Value] = n.Line
	}
}

func (c *checker) checkApp() {
	app := c.cfg.App
	if app == nil {
		return
	}
	if app.URL != "" {
		c.checkURL([]string{"app", "url"}, "app.url", app.URL, false)
	}
	c.checkAppCallbacks()
	c.checkAppVersion()
	if !appmodel.IsAListKind(app.Kind) {
		return
	}
	title := appName(app.Kind)
	if n := len(c.cfg.Providers); n > 1 {
		c.add(CodeAListOneProvider, []string{"providers"},
			fmt.Sprintf("%s has one SSO platform at a time, but the file defines %d providers (%s)", title, n, strings.Join(c.cfg.ProviderNames(), ", ")),
			fmt.Sprintf("keep one provider in a file for a %s site, or use one file per site with --config", title))
	}
}

// checkAppVersion reports an app.version outside the versions ssoctl models: the checks and
// predictions follow the nearest modelled version, which may differ. An unset app.version is not a
// finding but the Report's assumed target, which the summary states: unset means the newest
// supported (the documented default), so a note on every such file would only be noise that CI
// annotations repeat and each file would need an ignore for. LobeChat is the exception: unset is
// LobeChat 1.x, not the newest, and the two generations differ in callbacks and client, so SSO093
// says it once, as a note.
func (c *checker) checkAppVersion() {
	a := c.cfg.App
	if a.Kind == config.AppLobeChat && a.Version == "" {
		// Unlike an app with modelled versions, whose unset version is the newest (the summary
		// says so), LobeChat's two generations differ in callbacks and client: said once.
		t, _ := appmodel.Resolve(a)
		msg, hint := appmodel.LobeChatVersionUnset(t, "<id>")
		c.add(CodeLobeChatVersionUnset, []string{"app", "kind"}, msg, hint)
		return
	}
	info, ok := appmodel.Lookup(a.Kind)
	if !ok || len(info.Versions) == 0 || a.Version == "" {
		return
	}
	t, err := appmodel.Resolve(a)
	if err != nil {
		return // the schema check reports an app.version that does not parse
	}
	if m, ok := appmodel.AListOf(t); ok && !m.InRange() {
		near := info.Newest()
		if t.Version.Less(info.Versions[0]) {
			near = info.Versions[0]
		}
		c.add(CodeAppVersionRange, []string{"app", "version"},
			fmt.Sprintf("%s %s is outside the versions ssoctl models (%s): checks and predictions follow %s %s, which may differ", info.Title, t.Version, m.ModelledRange(), info.Title, near),
			fmt.Sprintf("check the results against the app, or set app.version to one in %s", m.ModelledRange()))
	}
}

var decodeLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)`) })

// checkDecodeFallback makes sure a file whose values do not decode never passes: the schema check
// normally reports why, but a value the schema allows may still fail to decode (a number too large
// for its field, say).
func (c *checker) checkDecodeFallback() {
	if c.f.DecodeErr == nil {
		return
	}
	for _, f := range c.findings {
		switch f.Code {
		case CodeUnknownKey, CodeWrongType, CodeInvalidValue, CodeMissingKey, CodeVersion:
			return
		}
	}
	msg := c.f.DecodeErr.Error()
	if de, ok := c.f.DecodeErr.(*config.DecodeError); ok {
		msg = de.Msg
	}
	line := 0
	if m := decodeLineRE().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	msg = strings.TrimSpace(decodeLineRE().ReplaceAllString(msg, ""))
	msg = strings.TrimPrefix(msg, ": ")
	c.addAt(CodeWrongType, nil, line, 0, "a value cannot be read: "+msg, `fix the value's type; "ssoctl config schema" shows what each key takes`)
}

// checkSchemes checks the permission_schemes definitions and keeps the valid ones for the
// registration checks.
func (c *checker) checkSchemes() {
	for i, def := range c.cfg.PermissionSchemes {
		bits := make([]perm.Bit, len(def.Bits))
		for j, b := range def.Bits {
			bits[j] = perm.Bit{Index: b.Bit, Name: b.Name, Meaning: b.Meaning}
		}
		_, err := perm.NewScheme(def.Name, bits)
		if err == nil {
			continue
		}
		for _, e := range unjoin(err) {
			segs := []string{"permission_schemes", strconv.Itoa(i)}
			msg := e.Error()
			if se, ok := e.(*perm.SchemeError); ok {
				if se.Pos >= 0 {
					segs = append(segs, "bits", strconv.Itoa(se.Pos), schemeField(se.Field))
				} else {
					segs = append(segs, schemeField(se.Field))
				}
				msg = fmt.Sprintf("permission scheme %q: %s %s", def.Name, renderPath(c.node("permission_schemes", strconv.Itoa(i)), segs[2:]), se.Reason)
			}
			if c.hasFinding(CodeInvalidValue, segs) || c.hasFinding(CodeWrongType, segs) {
				continue // the schema check said it already
			}
			c.add(CodeSchemeInvalid, segs, msg, "fix the scheme's bits: each needs a unique bit index from 0 to 62 and a unique kebab-case name")
		}
	}
}

func schemeField(f string) string {
	if f == "index" {
		return "bit"
	}
	return f
}

func unjoin(err error) []error {
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		return u.Unwrap()
	}
	return []error{err}
}

// scheme returns the permission scheme a registration names, or reports why there is none.
func (c *checker) scheme(i int, name string) *perm.Scheme {
	if name == "" {
		name = perm.DefaultScheme
	}
	if s, ok := c.schemes[name]; ok {
		return s
	}
	if s, ok := perm.Builtin(name); ok {
		c.schemes[name] = s
		return s
	}
	known := perm.Names()
	for _, def := range c.cfg.PermissionSchemes {
		if def.Name == name {
			bits := make([]perm.Bit, len(def.Bits))
			for j, b := range def.Bits {
				bits[j] = perm.Bit{Index: b.Bit, Name: b.Name, Meaning: b.Meaning}
			}
			s, err := perm.NewScheme(def.Name, bits)
			if err != nil {
				return nil // checkSchemes reports it
			}
			c.schemes[name] = s
			return s
		}
		known = append(known, def.Name)
	}
	hint := fmt.Sprintf("known schemes: %s; define others under permission_schemes:", strings.Join(known, ", "))
	if s := closest(name, known); s != "" {
		hint = fmt.Sprintf("did you mean %q? %s", s, hint)
	}
	c.add(CodePermissionScheme, provSegs(i, "registration", "permission_scheme"), fmt.Sprintf("permission scheme %q is not defined", name), hint)
	return nil
}
