// Package show implements `ssoctl provider show`.
package show

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/cmd/provider/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// ShowOptions are the inputs of `ssoctl provider show`.
type ShowOptions struct {
	IO         *iostreams.IOStreams
	Config     func() (*config.File, error)
	ConfigPath func() (string, config.PathSource)

	Name   string
	Output string
	Reveal bool
}

// NewCmdShow returns `ssoctl provider show`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Config: f.Config, ConfigPath: f.ConfigPath}
	cmd := &cobra.Command{
		Use:   "show <name>",
		Short: "Show a provider with its effective endpoints and callback URLs",
		Long: heredoc.Doc(`
			Show a provider as configured, the endpoints and scopes in effect (the preset fills what the
			file leaves out) and the callback URLs to register at the identity provider.

			The client secret is shown as its reference (env:NAME, file:PATH, keyring:SERVICE/USER), and
			a secret written literally in the file as ***; --reveal shows it.
		`),
		Example: heredoc.Doc(`
			$ ssoctl provider show github
			$ ssoctl provider show authentik -o yaml
		`),
		Args:              cmdutil.ExactArgs(1, "cannot show provider: name argument required"),
		ValidArgsFunction: shared.CompleteNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "yaml", "json")
	cmd.Flags().BoolVar(&opts.Reveal, "reveal", false, "Show a client secret written literally in the file")
	cmdutil.MarkInstant(cmd)
	return cmd
}

// Document is the JSON and YAML output; its JSON field names are pinned by a test, and -o yaml prints
// the same names (printYAML), so the two formats never disagree.
type Document struct {
	Provider     any                 `json:"provider" yaml:"provider"`
	Resolved     *provider.Endpoints `json:"resolved" yaml:"resolved"`
	CallbackURLs []string            `json:"callbackUrls" yaml:"callback_urls"`
}

// jsonProvider shadows the embedded ClientSecret, whose own JSON form always redacts literals, so
// that --reveal can show them.
type jsonProvider struct {
	config.Provider
	ClientSecret string `json:"clientSecret,omitempty"`
}

func showRun(opts *ShowOptions) error {
	path, _ := opts.ConfigPath()
	f, cfg, err := shared.Load(opts.Config, path)
	if err != nil {
		return err
	}
	p, err := shared.Find(f, cfg, opts.Name)
	if err != nil {
		return err
	}
	pr, known := provider.Lookup(p.Type)
	ep, rerr := provider.Resolve(*p)
	var resolved *provider.Endpoints
	if !errors.As(rerr, new(*provider.UnknownTypeError)) {
		resolved = &ep
	}
	if rerr != nil {
		fmt.Fprintf(opts.IO.ErrOut, "%s %s\n", opts.IO.ErrColorScheme().WarningIcon(), iostreams.Sanitize(rerr.Error()))
	}
	var callbacks []string
	if cfg.App != nil {
		callbacks = provider.CallbackURLs(cfg.App.Kind, cfg.App.URL, p.Name, p.CompatMode)
	}
	if callbacks == nil {
		callbacks = []string{}
	}
	secret := p.ClientSecret.String()
	if opts.Reveal && p.ClientSecret.Kind() == config.SecretLiteral {
		secret = p.ClientSecret.Raw()
		fmt.Fprintf(opts.IO.ErrOut, "%s showing the literal client secret of %s; keep this output private\n",
			opts.IO.ErrColorScheme().WarningIcon(), p.Name)
	}

	switch opts.Output {
	case "json":
		return cmdutil.PrintJSON(opts.IO.Out, Document{Provider: jsonProvider{Provider: *p, ClientSecret: secret}, Resolved: resolved, CallbackURLs: callbacks})
	case "yaml":
		return printYAML(opts.IO.Out, Document{Provider: jsonProvider{Provider: *p, ClientSecret: secret}, Resolved: resolved, CallbackURLs: callbacks})
	}
	return printText(opts.IO.Out, p, secret, pr, known, resolved, callbacks)
}

func printText(out io.Writer, p *config.Provider, secret string, pr provider.Preset, known bool, ep *provider.Endpoints, callbacks []string) error {
	var b strings.Builder
	// row prints one line of the aligned list; continuation lines of a multi-line value have no label.
	row := func(label, v string) {
		if label != "" {
			label += ":"
		}
		// Every value comes from the config file or a preset: escape what a terminal would obey.
		fmt.Fprintf(&b, "%-15s %s\n", label, iostreams.Sanitize(v))
	}
	kv := func(k, v string) {
		if v != "" {
			row(k, v)
		}
	}
	typ := p.Type
	if known {
		typ += " (" + pr.Title + ")"
	}
	kv("name", p.Name)
	kv("type", typ)
	kv("display name", p.DisplayName)
	kv("icon", p.Icon)
	kv("client id", p.ClientID)
	kv("client secret", secret)
	kv("redirect url", orText(p.RedirectURL, "none: test-login uses a loopback callback"))
	if p.Type == config.TypeMicrosoft {
		kv("tenant", orDefault(p.Tenant, provider.DefaultTenant))
	}
	if p.Organization != "" || p.Application != "" {
		kv("organization", p.Organization)
		kv("application", p.Application)
	}
	if ep != nil {
		kv("issuer", orPreset(p.Issuer, ep.Issuer))
		discovery := known && pr.OIDC
		kv("authorize url", endpoint(p.AuthorizeURL, ep.AuthorizeURL, discovery))
		kv("token url", endpoint(p.TokenURL, ep.TokenURL, discovery))
		kv("userinfo url", endpoint(p.UserinfoURL, ep.UserinfoURL, discovery))
		scopes := strings.Join(ep.Scopes, " ")
		if len(p.Scopes) == 0 {
			scopes = orText(scopes, "none") + " (preset)"
		}
		kv("scopes", scopes)
	}
	mapping := ""
	if p.Mapping != nil && p.Mapping.Type != "" {
		mapping = p.Mapping.Type
	} else if known {
		mapping = pr.MappingType + " (preset)"
	}
	kv("mapping", mapping)
	if p.Mapping != nil {
		fields := make([]string, 0, len(p.Mapping.Rules))
		for k := range p.Mapping.Rules {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		for i, k := range fields {
			row(first(i, "rules"), k+" = "+p.Mapping.Rules[k])
		}
	}
	if u := p.Mapping; u != nil && u.Username != nil {
		var parts []string
		for _, part := range []string{prefixed("from ", u.Username.From), prefixed("normalize ", u.Username.Normalize), prefixed("on conflict ", u.Username.OnConflict)} {
			if part != "" {
				parts = append(parts, part)
			}
		}
		kv("username", strings.Join(parts, ", "))
	}
	if len(p.Roles) > 0 {
		kv("roles", strings.Join(p.Roles, ", "))
	}
	if g := p.Groups; g != nil {
		kv("groups claim", g.Claim)
		idp := make([]string, 0, len(g.Map))
		for k := range g.Map {
			idp = append(idp, k)
		}
		slices.Sort(idp)
		for i, k := range idp {
			row(first(i, "group map"), k+" -> "+g.Map[k])
		}
		if g.RemoveUnmapped {
			kv("remove groups", "yes: app groups the provider no longer sends are removed")
		}
	}
	if r := p.Registration; r != nil {
		kv("registration", map[bool]string{true: "enabled", false: "disabled"}[r.Enabled])
		kv("domains", strings.Join(r.AllowedDomains, ", "))
		kv("default dir", r.DefaultDir)
		if sum := r.DefaultPermission.Sum; sum != nil {
			kv("permission", fmt.Sprint(*sum))
		} else if len(r.DefaultPermission.Items) > 0 {
			kv("permission", strings.Join(r.DefaultPermission.Items, " + "))
		}
	}
	if p.CompatMode {
		kv("compat mode", "yes")
	}
	for i, c := range callbacks {
		row(first(i, "callback urls"), c)
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// prefixed is prefix+v, or "" when v is empty.
func prefixed(prefix, v string) string {
	if v == "" {
		return ""
	}
	return prefix + v
}

// first returns label for the first line of a list and "" for the others.
func first(i int, label string) string {
	if i == 0 {
		return label
	}
	return ""
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// orDefault shows a configured value, or the default marked as such.
func orDefault(configured, def string) string {
	if configured != "" {
		return configured
	}
	return def + " (default)"
}

// orPreset shows a configured value, or the preset's marked as such.
func orPreset(configured, resolved string) string {
	switch {
	case configured != "":
		return configured
	case resolved != "":
		return resolved + " (preset)"
	}
	return ""
}

func endpoint(configured, resolved string, discovery bool) string {
	switch {
	case configured != "":
		return configured
	case resolved != "":
		return resolved + " (preset)"
	case discovery:
		return "from discovery"
	}
	return "missing"
}

// printYAML writes doc as YAML under its JSON field names, in their order: the JSON encoding is the one
// contract (camelCase, stable, CONVENTIONS.md §5), and YAML is a superset of JSON, so it is parsed into a
// node tree whose quoting and flow styles are then dropped for block YAML.
func printYAML(out io.Writer, doc Document) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		return err
	}
	plainStyle(&n)
	enc := yaml.NewEncoder(out)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return err
	}
	return enc.Close()
}

// plainStyle clears the JSON styles (double quotes, flow mappings) so the encoder chooses block style
// and quotes only where YAML needs quotes; tags stay, so "true" stays a string.
func plainStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		plainStyle(c)
	}
}
