// Package presets implements `ssoctl provider presets`: what ssoctl knows about every provider type
// and the callback URL conventions of every app kind.
package presets

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// PresetsOptions are the inputs of `ssoctl provider presets`.
type PresetsOptions struct {
	IO *iostreams.IOStreams

	Output string
	// Flavor, when set, shows that OpenID provider product's facts instead of the presets.
	Flavor string
}

// NewCmdPresets returns `ssoctl provider presets`.
func NewCmdPresets(f *cmdutil.Factory, runF func(*PresetsOptions) error) *cobra.Command {
	opts := &PresetsOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "presets",
		Short: "Show the provider types and the callback URLs of each app",
		Long: heredoc.Doc(`
			Show every provider type with its endpoints, default scopes, OpenID Connect and PKCE support,
			client authentication, default mapping and quirks, and the callback URL each app kind sends.

			With --flavor, show one OpenID provider product instead: how its issuer is built, where groups
			and roles come from, its signing, PKCE and claims defaults; for each app kind what "provider add
			--flavor" writes and the findings validate --online and test-login give on the product's
			defaults, each fix named in the product's terms; and each fact's and fix's source and the
			product version it applies to ("unconfirmed" where no source was checked).

			Endpoints may hold {tenant} (Microsoft; common when unset) and {origin} (the Casdoor issuer).
			Empty endpoints come from the issuer's discovery document or from you.
		`),
		Example: heredoc.Doc(`
			$ ssoctl provider presets
			$ ssoctl provider presets -o json
			$ ssoctl provider presets --flavor keycloak
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return presetsRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmdutil.StringEnumFlag(cmd, &opts.Flavor, "flavor", "", "", provider.FlavorNames(),
		"Show what ssoctl knows about this OpenID provider product (type oidc)")
	cmdutil.MarkInstant(cmd)
	return cmd
}

// PresetJSON is one provider type in the JSON output; its field names are pinned by a test.
type PresetJSON struct {
	Type          string   `json:"type"`
	Title         string   `json:"title"`
	OIDC          bool     `json:"oidc"`
	Issuer        string   `json:"issuer"`
	AuthorizeURL  string   `json:"authorizeUrl"`
	TokenURL      string   `json:"tokenUrl"`
	UserinfoURL   string   `json:"userinfoUrl"`
	DefaultScopes []string `json:"defaultScopes"`
	PKCE          string   `json:"pkce"`
	ClientAuth    string   `json:"clientAuth"`
	MappingType   string   `json:"mappingType"`
	Required      []string `json:"required"`
	StableID      string   `json:"stableId"`
	Notes         []string `json:"notes"`
}

// AppJSON is one app kind in the JSON output.
type AppJSON struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// RedirectPath is what `provider add` proposes as the redirect URL, relative to app.url.
	RedirectPath string `json:"redirectPath"`
	// CallbackPaths are all redirect URIs the app sends; CompatCallbackPaths those of AList's
	// compatibility mode.
	CallbackPaths       []string `json:"callbackPaths"`
	CompatCallbackPaths []string `json:"compatCallbackPaths,omitempty"`
	Notes               []string `json:"notes"`
}

// Document is the JSON output.
type Document struct {
	Providers []PresetJSON `json:"providers"`
	Apps      []AppJSON    `json:"apps"`
}

// Build returns the presets and app kinds as the JSON output shows them.
func Build() Document {
	var doc Document
	for _, p := range provider.Presets() {
		doc.Providers = append(doc.Providers, PresetJSON{
			Type: p.Type, Title: p.Title, OIDC: p.OIDC, Issuer: p.Issuer,
			AuthorizeURL: p.AuthorizeURL, TokenURL: p.TokenURL, UserinfoURL: p.UserinfoURL,
			DefaultScopes: p.DefaultScopes, PKCE: p.PKCE, ClientAuth: p.ClientAuth, MappingType: p.MappingType,
			Required: p.Required, StableID: p.StableID, Notes: p.Notes,
		})
	}
	for _, a := range provider.AppKinds() {
		aj := AppJSON{Kind: a.Kind, Title: a.Title, Notes: a.Notes,
			CallbackPaths: nonNil(provider.CallbackPaths(a.Kind, "{provider}", false))}
		// Apps with a compatibility mode (AList, OpenList) call back elsewhere in it.
		if c := provider.CallbackPaths(a.Kind, "{provider}", true); !slices.Equal(c, provider.CallbackPaths(a.Kind, "{provider}", false)) {
			aj.CompatCallbackPaths = c
		}
		if s := provider.SuggestRedirectURL(a.Kind, "https://host", "{provider}", false); s != "" {
			aj.RedirectPath = strings.TrimPrefix(s, "https://host")
		}
		doc.Apps = append(doc.Apps, aj)
	}
	return doc
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// FlavorJSON is one OpenID provider product in the JSON output of --flavor; its field names are
// pinned by a test.
type FlavorJSON struct {
	Name                 string          `json:"name"`
	Title                string          `json:"title"`
	IssuerPart           string          `json:"issuerPart"`
	IssuerForm           string          `json:"issuerForm"`
	LegacyIssuerForm     string          `json:"legacyIssuerForm"`
	GroupsClaim          string          `json:"groupsClaim"`
	GroupsScope          string          `json:"groupsScope"`
	GroupsShape          string          `json:"groupsShape"`
	GroupsSetup          string          `json:"groupsSetup"`
	RolesClaim           string          `json:"rolesClaim"`
	SigningAlg           string          `json:"signingAlg"`
	PKCERequired         bool            `json:"pkceRequired"`
	ClaimsInUserinfoOnly bool            `json:"claimsInUserinfoOnly"`
	Facts                []provider.Fact `json:"facts"`
	// Fixes are the product's own way of making each provider-side change a finding asks for.
	Fixes []FixJSON `json:"fixes"`
	// Apps are, per app kind, what provider add --flavor writes and the findings on the product's
	// defaults (doctor.FlavorMatrix).
	Apps []FlavorAppJSON `json:"apps"`
}

// FixJSON is one provider-side change in the product's terms, with its source.
type FixJSON struct {
	Key     provider.FixKey `json:"key"`
	Text    string          `json:"text"`
	Source  string          `json:"source"`
	Version string          `json:"version"`
}

// FlavorAppJSON is one app kind with one flavour: its preset and the findings ssoctl gives when the
// provider runs with the flavour's defaults.
type FlavorAppJSON struct {
	provider.AppPreset
	Findings []MatrixFindingJSON `json:"findings"`
}

// MatrixFindingJSON is one finding of the matrix and which command reports it.
type MatrixFindingJSON struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	// By is "validate --online" or "test-login".
	By      string `json:"by"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
	Hint    string `json:"hint"`
}

// BuildFlavor returns a flavour as the JSON output of --flavor shows it.
func BuildFlavor(f provider.Flavor) FlavorJSON {
	return FlavorJSON{
		Name: f.Name, Title: f.Title, IssuerPart: f.IssuerPart, IssuerForm: f.IssuerForm, LegacyIssuerForm: f.LegacyIssuerForm,
		GroupsClaim: f.GroupsClaim, GroupsScope: f.GroupsScope, GroupsShape: f.GroupsShape, GroupsSetup: f.GroupsSetup,
		RolesClaim: f.RolesClaim, SigningAlg: f.SigningAlg, PKCERequired: f.PKCERequired,
		ClaimsInUserinfoOnly: f.ClaimsInUserinfoOnly, Facts: f.Facts,
		Fixes: flavorFixes(f), Apps: flavorApps(f),
	}
}

func flavorFixes(f provider.Flavor) []FixJSON {
	out := []FixJSON{}
	for _, k := range f.FixKeysOf() {
		fx := f.Fixes[k]
		text, _ := f.Fix(k, "")
		out = append(out, FixJSON{Key: k, Text: text, Source: fx.Source, Version: fx.Version})
	}
	return out
}

// flavorApps is the flavour's row of the matrix: one entry per app kind.
func flavorApps(f provider.Flavor) []FlavorAppJSON {
	pr, _ := provider.Lookup(config.TypeOIDC)
	var out []FlavorAppJSON
	for _, kind := range provider.MatrixApps {
		cell := doctor.FlavorMatrix(f, kind)
		a := FlavorAppJSON{AppPreset: f.AppPreset(kind, pr.DefaultScopes), Findings: []MatrixFindingJSON{}}
		if a.Notes == nil {
			a.Notes = []string{}
		}
		add := func(fs []doctor.Finding, by string) {
			for _, x := range fs {
				a.Findings = append(a.Findings, MatrixFindingJSON{Code: x.Code, Severity: string(x.Severity), By: by, Message: x.Message, Fix: x.Fix, Hint: x.Hint})
			}
		}
		add(cell.Online, "validate --online")
		add(cell.Login, "test-login")
		out = append(out, a)
	}
	return out
}

func presetsRun(opts *PresetsOptions) error {
	if opts.Flavor != "" {
		f, ok := provider.LookupFlavor(opts.Flavor)
		if !ok {
			return cmdutil.FlagErrorf("unknown flavor %q", opts.Flavor)
		}
		if opts.Output == "json" {
			return cmdutil.PrintJSON(opts.IO.Out, BuildFlavor(f))
		}
		return printFlavor(opts.IO, BuildFlavor(f))
	}
	doc := Build()
	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, doc)
	}
	return printText(opts.IO, doc)
}

func printText(ios *iostreams.IOStreams, doc Document) error {
	cs := ios.ColorScheme()
	w := &errWriter{w: ios.Out}
	kv := func(k, v string) {
		if v != "" {
			w.printf("  %-13s %s\n", k+":", v)
		}
	}
	for i, p := range doc.Providers {
		if i > 0 {
			w.printf("\n")
		}
		w.printf("%s  %s\n", cs.Bold(p.Type), p.Title)
		kv("oidc", yesNo(p.OIDC))
		switch {
		case p.Issuer != "":
			kv("issuer", p.Issuer)
		case p.OIDC:
			kv("issuer", "required")
		}
		kv("authorize", orDiscovery(p.AuthorizeURL, p.OIDC))
		kv("token", orDiscovery(p.TokenURL, p.OIDC))
		kv("userinfo", orDiscovery(p.UserinfoURL, p.OIDC))
		kv("scopes", orNone(strings.Join(p.DefaultScopes, " ")))
		kv("pkce", p.PKCE)
		kv("client auth", p.ClientAuth)
		kv("mapping", p.MappingType)
		kv("stable id", p.StableID)
		kv("required", strings.Join(p.Required, ", "))
		for j, n := range p.Notes {
			label := ""
			if j == 0 {
				label = "notes:"
			}
			w.printf("  %-13s - %s\n", label, n)
		}
	}
	w.printf("\n%s\n", cs.Bold("Callback URLs by app kind"))
	for _, a := range doc.Apps {
		w.printf("\n%s  %s\n", cs.Bold(a.Kind), a.Title)
		if a.RedirectPath != "" {
			kv("redirect url", "<app.url>"+a.RedirectPath)
		}
		if len(a.CallbackPaths) == 0 {
			kv("callbacks", "none known")
		}
		for j, c := range a.CallbackPaths {
			label := ""
			if j == 0 {
				label = "callbacks:"
			}
			w.printf("  %-13s <app.url>%s\n", label, c)
		}
		for j, c := range a.CompatCallbackPaths {
			label := ""
			if j == 0 {
				label = "compat mode:"
			}
			w.printf("  %-13s <app.url>%s\n", label, c)
		}
		for j, n := range a.Notes {
			label := ""
			if j == 0 {
				label = "notes:"
			}
			w.printf("  %-13s - %s\n", label, n)
		}
	}
	return w.err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDiscovery(s string, oidc bool) string {
	switch {
	case s != "":
		return s
	case oidc:
		return "from discovery"
	}
	return "required"
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// errWriter keeps the first write error so that printing code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func printFlavor(ios *iostreams.IOStreams, f FlavorJSON) error {
	cs := ios.ColorScheme()
	w := &errWriter{w: ios.Out}
	kv := func(k, v string) {
		if v != "" {
			w.printf("  %-15s %s\n", k+":", v)
		}
	}
	w.printf("%s  %s (type oidc)\n", cs.Bold(f.Name), f.Title)
	kv("issuer", f.IssuerForm)
	kv("legacy issuer", f.LegacyIssuerForm)
	if f.IssuerPart != "" {
		kv("add with", "--host <host> --"+f.IssuerPart+" <"+f.IssuerPart+">")
	} else {
		kv("add with", "--host <host>")
	}
	kv("groups claim", orNone(f.GroupsClaim))
	if f.GroupsClaim != "" {
		kv("groups scope", orNone(f.GroupsScope))
	}
	kv("groups shape", f.GroupsShape)
	kv("groups setup", f.GroupsSetup)
	kv("roles", f.RolesClaim)
	kv("signing", f.SigningAlg)
	pkce := "optional"
	if f.PKCERequired {
		pkce = "required"
	}
	kv("pkce", pkce)
	if f.ClaimsInUserinfoOnly {
		kv("claims", "profile, email and groups in userinfo only, not in the ID token")
	}
	w.printf("\n%s\n", cs.Bold("With each app (provider add --flavor under app.kind, the provider's defaults)"))
	for _, a := range f.Apps {
		w.printf("\n  %s\n", cs.Bold(a.App))
		groups := "not synced by the app"
		if a.Groups {
			groups = "claim " + a.GroupsClaim
		}
		w.printf("    username:  %s\n    groups:    %s\n    roles:     %s\n", a.UsernameClaim, groups, a.Roles)
		if len(a.Scopes) > 0 {
			w.printf("    scopes:    %s\n", strings.Join(a.Scopes, " "))
		}
		for _, n := range a.Notes {
			w.printf("    note:      %s\n", n)
		}
		if len(a.Findings) == 0 {
			w.printf("    findings:  none\n")
		}
		for _, x := range a.Findings {
			w.printf("    %s %s (%s): %s\n", x.Severity, x.Code, x.By, x.Message)
			if x.Fix != "" {
				w.printf("      fix:  %s\n", x.Fix)
			}
			if x.Hint != "" && x.Hint != x.Fix {
				w.printf("      hint: %s\n", x.Hint)
			}
		}
	}
	w.printf("\n%s\n", cs.Bold("Provider-side fixes (fix key: setting or command, source, version)"))
	for _, fx := range f.Fixes {
		w.printf("\n  %s: %s\n    source:  %s\n    version: %s\n", fx.Key, fx.Text, fx.Source, fx.Version)
	}
	w.printf("\n%s\n", cs.Bold("Facts (fact, value, source, version)"))
	for _, fact := range f.Facts {
		w.printf("\n  %s: %s\n    source:  %s\n    version: %s\n", fact.Topic, fact.Value, fact.Source, fact.Version)
	}
	return w.err
}
