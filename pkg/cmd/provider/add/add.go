// Package add implements `ssoctl provider add`.
package add

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/provider/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/provider"
	"github.com/ssoctl/ssoctl/pkg/tui/providerform"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// MappingTypes are the values of --mapping-type: the mapping presets and custom.
var MappingTypes = []string{"github", "google", "microsoft", "dingtalk", "lark", "casdoor", "oidc", provider.MappingCustom}

// RuleFields are the fields a --rule may set (SPEC "Config file": name and email, optionally
// nickname, phone and description).
var RuleFields = []string{"name", "email", "nickname", "phone", "description"}

// AddOptions are the inputs of `ssoctl provider add`.
type AddOptions struct {
	IO         *iostreams.IOStreams
	Config     func() (*config.File, error)
	ConfigPath func() (string, config.PathSource)
	HttpClient func() (*http.Client, error)
	LookupEnv  func(string) (string, bool)
	// Prompt asks for the keys in ask on the terminal and returns the filled values.
	Prompt func(ctx context.Context, preset provider.Preset, v providerform.Values, ask []string) (providerform.Values, error)
	// SelectType asks for the provider type on the terminal.
	SelectType func(ctx context.Context) (string, error)

	Name             string
	Type             string
	DisplayName      string
	ClientID         string
	ClientSecretEnv  string
	ClientSecretFile string
	Issuer           string
	Tenant           string
	RedirectURL      string
	Scopes           []string
	AuthorizeURL     string
	TokenURL         string
	UserinfoURL      string
	MappingType      string
	Rules            map[string]string
	Force            bool
	Discover         bool
	// NoValidate writes the file even when the result has an error-level finding it did not have.
	NoValidate bool

	// Flavor names the product behind an oidc provider; Host, Realm, Slug, ClientName and
	// LegacyIssuer are the parts its issuer is built from (provider.Flavor.Issuer).
	Flavor       string
	Host         string
	Realm        string
	Slug         string
	ClientName   string
	LegacyIssuer bool
	// Groups maps identity-provider groups to app groups (--group IDP=APP), keyed as the flavour
	// sends them.
	Groups map[string]string
}

// NewCmdAdd returns `ssoctl provider add`.
func NewCmdAdd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	opts := &AddOptions{IO: f.IOStreams, Config: f.Config, ConfigPath: f.ConfigPath, HttpClient: f.HttpClient, LookupEnv: f.LookupEnv}
	accessible := func() bool {
		if opts.LookupEnv == nil {
			return false
		}
		_, ok := opts.LookupEnv("ACCESSIBLE")
		return ok
	}
	opts.Prompt = func(ctx context.Context, preset provider.Preset, v providerform.Values, ask []string) (providerform.Values, error) {
		return providerform.Run(ctx, preset, v, providerform.Options{Name: opts.Name, Ask: ask, In: opts.IO.In, Out: opts.IO.ErrOut, Accessible: accessible()})
	}
	opts.SelectType = func(ctx context.Context) (string, error) {
		return providerform.SelectType(ctx, providerform.Options{In: opts.IO.In, Out: opts.IO.ErrOut, Accessible: accessible()})
	}
	var rules, scopes, groups []string

	cmd := &cobra.Command{
		Use:   "add <name> --type <type> [flags]",
		Short: "Add a provider to the config file",
		Long: heredoc.Docf(`
			Add a provider to the config file, from the preset of its type
			(%[1]s).

			Only what you give is written; the preset fills in endpoints and scopes when a command runs
			("ssoctl provider presets" shows them). The client secret is written as a reference,
			env:VARIABLE (--client-secret-env) or file:PATH (--client-secret-file), never as the secret.

			Required values: --client-id and a secret reference for every type; --issuer for oidc and
			casdoor; --authorize-url, --token-url, --userinfo-url and --rule name=... --rule email=...
			for oauth2 (or any type with --mapping-type custom). Missing values are asked for in a form on
			a terminal; without a terminal the command fails and names the missing flags.

			When the file describes the app (app.kind and app.url) and no --redirect-url is given, the
			app's callback URL is proposed (and used without a terminal).

			--flavor names the OpenID provider product behind an oidc provider (%[2]s) and
			implies --type oidc. With --host (and --realm for Keycloak, --slug for authentik,
			--client-name for Kanidm; --legacy-issuer for Keycloak before 17) the issuer is built for
			you. Under an InvenTree app, the groups claim and the scope that carries it are written
			too; --group IDP_GROUP=APP_GROUP adds group map entries, written the way the product sends
			groups (Keycloak: /admins). "ssoctl provider presets --flavor NAME" shows each product's facts.

			The name is lowercase letters, digits, - and _. An existing name is refused unless --force,
			which replaces the entry in place. Comments and formatting of the file are kept; in a JSON
			file, everything outside the new entry stays byte for byte.

			The result is validated offline before it is written, as "ssoctl validate" would: when it
			has an error the file did not have (a rule that does not compile, an authorize URL with a
			#fragment, a second provider where the app takes one), nothing is written and the command
			exits 1 naming the finding. --no-validate writes it anyway. Errors the file already had
			do not stop the command.

			The file is written only if it is a regular file or does not exist yet: a symlink is
			followed and its target written; a device, named pipe, socket or directory is refused (exit 2),
			and so is a file you may not write (read-only, or another user's): it is never replaced.
		`, strings.Join(config.ProviderTypes, ", "), strings.Join(provider.FlavorNames(), ", ")),
		Example: heredoc.Doc(`
			$ ssoctl provider add github --type github --client-id Iv1.abc --client-secret-env GITHUB_CLIENT_SECRET
			$ ssoctl provider add authentik --type oidc --client-id abc \
			    --issuer https://auth.example.com/application/o/alist/ --client-secret-file /run/secrets/authentik --discover
			$ ssoctl provider add kc --flavor keycloak --host kc.example.com --realm home --client-id inventree \
			    --client-secret-env KC_SECRET --group admins=Admins
			$ ssoctl provider add entra --type microsoft --tenant contoso.onmicrosoft.com --client-id 0000 --client-secret-env ENTRA_SECRET
			$ ssoctl provider add custom --type oauth2 --client-id app --client-secret-env CUSTOM_SECRET \
			    --authorize-url https://sso.example.com/oauth/authorize --token-url https://sso.example.com/oauth/token \
			    --userinfo-url https://sso.example.com/api/me --rule 'name=$.username' --rule 'email=$.mail'
		`),
		Args: cmdutil.ExactArgs(1, "cannot add provider: name argument required"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if err := shared.CheckName(opts.Name); err != nil {
				return err
			}
			for _, s := range scopes {
				opts.Scopes = append(opts.Scopes, strings.Fields(s)...)
			}
			var err error
			if opts.Rules, err = parseRules(rules); err != nil {
				return err
			}
			if opts.Groups, err = parseGroups(groups); err != nil {
				return err
			}
			// A flavour is an OpenID provider product: it implies type oidc.
			if opts.Flavor != "" && opts.Type == "" {
				opts.Type = config.TypeOIDC
			}
			if err := checkFlags(opts); err != nil {
				return err
			}
			if opts.Type == "" && !opts.IO.CanPrompt() {
				return cmdutil.FlagErrorf("missing required flag: --type (one of %s)", strings.Join(config.ProviderTypes, ", "))
			}
			if runF != nil {
				return runF(opts)
			}
			return addRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.StringEnumFlag(cmd, &opts.Type, "type", "t", "", config.ProviderTypes, "Provider type")
	fl.StringVar(&opts.ClientID, "client-id", "", "OAuth client ID (DingTalk: AppKey; Lark: App ID)")
	fl.StringVar(&opts.ClientSecretEnv, "client-secret-env", "", "Read the client secret from this environment variable")
	fl.StringVar(&opts.ClientSecretFile, "client-secret-file", "", "Read the client secret from this file")
	fl.StringVar(&opts.Issuer, "issuer", "", "Issuer URL (oidc; casdoor: the Casdoor origin)")
	fl.StringVar(&opts.Tenant, "tenant", "", "Microsoft tenant: common, organizations, consumers, a tenant ID or domain (default common)")
	fl.StringVar(&opts.RedirectURL, "redirect-url", "", "Redirect (callback) URL registered at the provider")
	fl.StringArrayVar(&scopes, "scope", nil, "Scope to request instead of the preset's (repeatable)")
	fl.StringVar(&opts.AuthorizeURL, "authorize-url", "", "Authorization endpoint (oauth2; overrides the preset for others)")
	fl.StringVar(&opts.TokenURL, "token-url", "", "Token endpoint (oauth2; overrides the preset for others)")
	fl.StringVar(&opts.UserinfoURL, "userinfo-url", "", "Userinfo endpoint (oauth2; overrides the preset for others)")
	cmdutil.StringEnumFlag(cmd, &opts.MappingType, "mapping-type", "", "", MappingTypes, "Mapping preset (default: the type's)")
	fl.StringArrayVar(&rules, "rule", nil, "Mapping rule FIELD=JSONPATH, FIELD one of "+strings.Join(RuleFields, ", ")+" (repeatable)")
	fl.StringVar(&opts.DisplayName, "display-name", "", "Name shown on the app's login button")
	fl.BoolVar(&opts.Force, "force", false, "Replace a provider of the same name")
	fl.BoolVar(&opts.Discover, "discover", false, "Fetch and check the issuer's discovery document before adding")
	fl.BoolVar(&opts.NoValidate, "no-validate", false, "Write even when the result has an error \"ssoctl validate\" would report")
	cmdutil.StringEnumFlag(cmd, &opts.Flavor, "flavor", "", "", provider.FlavorNames(), "OpenID provider product (implies --type oidc)")
	fl.StringVar(&opts.Host, "host", "", "Host or base URL of the provider; with --flavor, the issuer is built from it")
	fl.StringVar(&opts.Realm, "realm", "", "Keycloak realm (--flavor keycloak)")
	fl.StringVar(&opts.Slug, "slug", "", "authentik application slug (--flavor authentik)")
	fl.StringVar(&opts.ClientName, "client-name", "", "Kanidm OAuth2 client name (--flavor kanidm)")
	fl.BoolVar(&opts.LegacyIssuer, "legacy-issuer", false, "Keycloak before 17: the issuer has the /auth prefix")
	fl.StringArrayVar(&groups, "group", nil, "Group map entry IDP_GROUP=APP_GROUP (repeatable); with --flavor, written as the provider sends it")
	cmd.MarkFlagsMutuallyExclusive("issuer", "host")
	cmd.MarkFlagsMutuallyExclusive("client-secret-env", "client-secret-file")
	_ = cmd.MarkFlagFilename("client-secret-file")
	return cmd
}

func parseRules(rules []string) (map[string]string, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(rules))
	for _, r := range rules {
		field, path, ok := strings.Cut(r, "=")
		field, path = strings.TrimSpace(field), strings.TrimSpace(path)
		if !ok || field == "" || path == "" {
			return nil, cmdutil.FlagErrorf("invalid --rule %q: use FIELD=JSONPATH, e.g. --rule email=$.email", r)
		}
		if !slices.Contains(RuleFields, field) {
			return nil, cmdutil.FlagErrorf("invalid --rule %q: field must be one of %s", r, strings.Join(RuleFields, ", "))
		}
		if _, dup := out[field]; dup {
			return nil, cmdutil.FlagErrorf("--rule %s is given twice", field)
		}
		out[field] = path
	}
	return out, nil
}

// checkFlags checks flag values on their own and, when the type is known, against the type.
func checkFlags(opts *AddOptions) error {
	if opts.ClientSecretEnv != "" {
		if err := providerform.CheckSecretRef("env:" + opts.ClientSecretEnv); err != nil {
			return cmdutil.FlagErrorf("invalid --client-secret-env %q: give the name of an environment variable, not the secret", opts.ClientSecretEnv)
		}
	}
	for _, u := range []struct{ flag, val string }{
		{"--issuer", opts.Issuer}, {"--redirect-url", opts.RedirectURL},
		{"--authorize-url", opts.AuthorizeURL}, {"--token-url", opts.TokenURL}, {"--userinfo-url", opts.UserinfoURL},
	} {
		if u.val == "" {
			continue
		}
		if err := provider.CheckURL(u.val); err != nil {
			return cmdutil.FlagErrorf("invalid %s: %v", u.flag, err)
		}
	}
	if err := checkFlavorFlags(opts); err != nil {
		return err
	}
	if opts.Type == "" {
		return nil
	}
	return checkTypeFlags(opts)
}

// checkFlavorFlags refuses issuer parts without a flavour, or of another flavour, and builds the
// issuer from them.
func checkFlavorFlags(opts *AddOptions) error {
	parts := []struct{ flag, part, val string }{
		{"--realm", provider.PartRealm, opts.Realm}, {"--slug", provider.PartSlug, opts.Slug},
		{"--client-name", provider.PartClient, opts.ClientName},
	}
	if opts.Flavor == "" {
		for _, p := range parts {
			if p.val != "" {
				return cmdutil.FlagErrorf("%s needs --flavor: it is a part of a product's issuer", p.flag)
			}
		}
		if opts.Host != "" || opts.LegacyIssuer {
			return cmdutil.FlagErrorf("--host and --legacy-issuer need --flavor; without one, give --issuer")
		}
		return nil
	}
	if opts.Type != config.TypeOIDC {
		return cmdutil.FlagErrorf("--flavor applies only to type oidc, not %s", opts.Type)
	}
	fl, _ := provider.LookupFlavor(opts.Flavor)
	part := ""
	for _, p := range parts {
		if p.val == "" {
			continue
		}
		if p.part != fl.IssuerPart {
			return cmdutil.FlagErrorf("%s does not apply to flavor %s: its issuer is %s", p.flag, fl.Name, fl.IssuerForm)
		}
		part = p.val
	}
	if opts.Host == "" {
		if part != "" || opts.LegacyIssuer {
			return cmdutil.FlagErrorf("--host is required to build the %s issuer %s", fl.Title, fl.IssuerForm)
		}
		return nil
	}
	iss, err := fl.Issuer(opts.Host, part, opts.LegacyIssuer)
	if err != nil {
		var ie *provider.IssuerError
		if errors.As(err, &ie) {
			return cmdutil.InputErrorf(ie.Hint(), "%s", ie.Error())
		}
		return err
	}
	opts.Issuer = iss
	return nil
}

func parseGroups(groups []string) (map[string]string, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(groups))
	for _, g := range groups {
		idp, appGroup, ok := strings.Cut(g, "=")
		idp, appGroup = strings.TrimSpace(idp), strings.TrimSpace(appGroup)
		if !ok || idp == "" || appGroup == "" {
			return nil, cmdutil.FlagErrorf("invalid --group %q: use IDP_GROUP=APP_GROUP, e.g. --group admins=Admins", g)
		}
		if _, dup := out[idp]; dup {
			return nil, cmdutil.FlagErrorf("--group %s is given twice", idp)
		}
		out[idp] = appGroup
	}
	return out, nil
}

// checkTypeFlags refuses flags that mean nothing for the type, rather than writing values that every
// later command would ignore.
func checkTypeFlags(opts *AddOptions) error {
	preset, ok := provider.Lookup(opts.Type)
	if !ok {
		return cmdutil.FlagErrorf("unknown provider type %q", opts.Type)
	}
	if opts.Tenant != "" && opts.Type != config.TypeMicrosoft {
		return cmdutil.FlagErrorf("--tenant applies only to type microsoft, not %s", opts.Type)
	}
	if opts.Issuer != "" && !preset.OIDC {
		return cmdutil.FlagErrorf("--issuer does not apply to type %s: it issues no ID token and has no discovery", opts.Type)
	}
	if opts.Discover && !preset.OIDC {
		return cmdutil.FlagErrorf("--discover needs an OpenID Connect type (google, microsoft, casdoor, oidc), not %s", opts.Type)
	}
	return nil
}

func addRun(ctx context.Context, opts *AddOptions) error {
	path, _ := opts.ConfigPath()
	f, cfg, err := shared.Load(opts.Config, path)
	if err != nil {
		return err
	}
	exists := slices.Contains(cfg.ProviderNames(), opts.Name)
	// Refuse a duplicate before asking anything: the answers would be lost.
	if exists && !opts.Force {
		return &config.ProviderExistsError{Name: opts.Name, Path: f.Path}
	}
	if opts.Type == "" {
		typ, err := opts.SelectType(ctx)
		if err != nil {
			return formError(err)
		}
		opts.Type = typ
		if err := checkTypeFlags(opts); err != nil {
			return err
		}
	}
	preset, _ := provider.Lookup(opts.Type)
	p := buildProvider(opts)
	if cfg.App != nil {
		fillFlavorGroups(opts, &p, preset, cfg.App.Kind)
	} else {
		fillFlavorGroups(opts, &p, preset, "")
	}

	var suggested string
	if p.RedirectURL == "" && cfg.App != nil {
		suggested = provider.SuggestRedirectURLFor(cfg.App, p.Name, p.CompatMode)
	}
	missing := preset.Missing(p)
	usedSuggested := false
	if opts.IO.CanPrompt() {
		ask := slices.Clone(missing)
		if suggested != "" {
			ask = append(ask, provider.KeyRedirectURL)
		}
		if len(ask) > 0 {
			v, err := opts.Prompt(ctx, preset, values(p, suggested), ask)
			if err != nil {
				return formError(err)
			}
			apply(&p, v, ask)
			if missing = preset.Missing(p); len(missing) > 0 {
				return cmdutil.InputErrorf("run the command again and answer every question, or pass the flags",
					"still missing for type %s: %s", p.Type, flagList(missing))
			}
		}
	} else {
		if len(missing) > 0 {
			word := "flags"
			if len(missing) == 1 {
				word = "flag"
			}
			return cmdutil.InputErrorf("pass them on the command line, or run the command in a terminal to be asked for them",
				"missing required %s for type %s: %s", word, p.Type, flagList(missing))
		}
		if suggested != "" {
			p.RedirectURL = suggested
			usedSuggested = true
		}
	}

	if opts.Discover {
		if err := discover(ctx, opts, p); err != nil {
			return err
		}
	}
	replaced := false
	uopts := config.UpdateOptions{Loaded: f}
	if !opts.NoValidate {
		uopts.Check = validate.Guard(validate.Options{LookupEnv: opts.LookupEnv})
	}
	err = config.UpdateWith(ctx, f.Path, uopts, func(cf *config.File) error {
		if opts.Force && cf.ProviderIndex(p.Name) >= 0 {
			replaced = true
			return cf.ReplaceProvider(p)
		}
		return cf.AddProvider(p)
	})
	if err != nil {
		return err
	}
	// Said only once the provider is written: before a refused write it would read as the cause.
	if usedSuggested {
		fmt.Fprintf(opts.IO.ErrOut, "Using redirect URL %s (the %s callback for app.url); pass --redirect-url to choose another.\n",
			suggested, appTitle(cfg.App.Kind))
	}
	cs := opts.IO.ErrColorScheme()
	if replaced {
		fmt.Fprintf(opts.IO.ErrOut, "%s Replaced provider %s in %s\n", cs.SuccessIcon(), p.Name, f.Path)
	} else {
		fmt.Fprintf(opts.IO.ErrOut, "%s Added provider %s to %s\n", cs.SuccessIcon(), p.Name, f.Path)
	}
	// Only now: before a failed write the warning would read as the reason for the failure.
	warnSecret(opts, p)
	printCallbacks(opts, cfg.App, p, preset)
	return nil
}

// buildProvider writes down only what the user gave: the preset fills the rest at run time.
func buildProvider(opts *AddOptions) config.Provider {
	p := config.Provider{
		Name: opts.Name, Type: opts.Type, DisplayName: opts.DisplayName, ClientID: opts.ClientID,
		RedirectURL: opts.RedirectURL, Scopes: opts.Scopes, Issuer: opts.Issuer, Tenant: opts.Tenant,
		AuthorizeURL: opts.AuthorizeURL, TokenURL: opts.TokenURL, UserinfoURL: opts.UserinfoURL,
		Flavor: opts.Flavor,
	}
	switch {
	case opts.ClientSecretEnv != "":
		p.ClientSecret = config.Secret("env:" + opts.ClientSecretEnv)
	case opts.ClientSecretFile != "":
		p.ClientSecret = config.Secret("file:" + opts.ClientSecretFile)
	}
	if opts.MappingType != "" || len(opts.Rules) > 0 {
		p.Mapping = &config.Mapping{Type: opts.MappingType, Rules: opts.Rules}
	}
	return p
}

func values(p config.Provider, suggestedRedirect string) providerform.Values {
	v := providerform.Values{
		ClientID: p.ClientID, ClientSecret: p.ClientSecret.Raw(), Issuer: p.Issuer, RedirectURL: p.RedirectURL,
		AuthorizeURL: p.AuthorizeURL, TokenURL: p.TokenURL, UserinfoURL: p.UserinfoURL,
	}
	if v.RedirectURL == "" {
		v.RedirectURL = suggestedRedirect
	}
	if p.Mapping != nil {
		v.RuleName, v.RuleEmail = p.Mapping.Rules["name"], p.Mapping.Rules["email"]
	}
	return v
}

// apply copies the answers to the asked keys into p; keys not asked keep the flags' values.
func apply(p *config.Provider, v providerform.Values, ask []string) {
	setRule := func(field, val string) {
		if val == "" {
			return
		}
		if p.Mapping == nil {
			p.Mapping = &config.Mapping{}
		}
		if p.Mapping.Rules == nil {
			p.Mapping.Rules = map[string]string{}
		}
		p.Mapping.Rules[field] = val
	}
	for _, k := range ask {
		switch k {
		case provider.KeyClientID:
			p.ClientID = v.ClientID
		case provider.KeyClientSecret:
			// The form accepts references only; check again so that nothing else can reach the file.
			if providerform.CheckSecretRef(v.ClientSecret) == nil {
				p.ClientSecret = config.Secret(v.ClientSecret)
			}
		case provider.KeyIssuer:
			p.Issuer = v.Issuer
		case provider.KeyRedirectURL:
			p.RedirectURL = v.RedirectURL
		case provider.KeyAuthorizeURL:
			p.AuthorizeURL = v.AuthorizeURL
		case provider.KeyTokenURL:
			p.TokenURL = v.TokenURL
		case provider.KeyUserinfoURL:
			p.UserinfoURL = v.UserinfoURL
		case provider.KeyRuleName:
			setRule("name", v.RuleName)
		case provider.KeyRuleEmail:
			setRule("email", v.RuleEmail)
		}
	}
}

// flagList names the flags that set the given config keys, in order.
func flagList(keys []string) string {
	flags := make([]string, 0, len(keys))
	for _, k := range keys {
		switch k {
		case provider.KeyClientSecret:
			flags = append(flags, "--client-secret-env or --client-secret-file")
		case provider.KeyRuleName:
			flags = append(flags, "--rule name=JSONPATH")
		case provider.KeyRuleEmail:
			flags = append(flags, "--rule email=JSONPATH")
		default:
			flags = append(flags, "--"+strings.ReplaceAll(k, "_", "-"))
		}
	}
	return strings.Join(flags, ", ")
}

func formError(err error) error {
	if errors.Is(err, providerform.ErrAborted) {
		return cmdutil.WithExitCode(errors.New("cancelled: nothing was written"), cmdutil.ExitInterrupted)
	}
	return err
}

func appTitle(kind string) string {
	if a, ok := provider.LookupApp(kind); ok {
		return a.Title
	}
	return kind
}

// discover fetches the issuer's discovery document and checks it. It fills nothing in: the preset and
// the login derive endpoints themselves, and a copy in the file would go stale.
func discover(ctx context.Context, opts *AddOptions, p config.Provider) error {
	ep, err := provider.Resolve(p)
	if err != nil {
		return err
	}
	client, err := opts.HttpClient()
	if err != nil {
		return err
	}
	d, err := provider.Discover(ctx, client, ep.Issuer)
	if err != nil {
		// A transport failure (DNS, TCP, TLS, timeout) is told in the words discover and test-login
		// use, instead of the dial error's ("dial tcp: lookup … on 10.0.0.53:53: no such host").
		var de *provider.DiscoveryError
		if ctx.Err() == nil && errors.As(err, &de) {
			if c := discovery.ClassifyError(de.Err, "discovery document", de.URL); c.Code != discovery.CodeFetch {
				return cmdutil.Failf(c.Hint+"; or add the provider without --discover", "%s", c.Message)
			}
		}
		return err
	}
	if err := provider.CheckIssuer(p.Type, ep.Issuer, p.Issuer == "", d); err != nil {
		return err
	}
	cs := opts.IO.ErrColorScheme()
	if d.Issuer == ep.Issuer {
		fmt.Fprintf(opts.IO.ErrOut, "%s Discovery: issuer %s matches\n", cs.SuccessIcon(), d.Issuer)
	} else {
		fmt.Fprintf(opts.IO.ErrOut, "%s Discovery: issuer %s (tokens are checked against their tenant)\n", cs.SuccessIcon(), d.Issuer)
	}
	// The flavour is detected at run time when unset, so it is only said here, not written.
	if got, ok := provider.DetectFlavor(d); ok {
		switch {
		case p.Flavor == "":
			fmt.Fprintf(opts.IO.ErrOut, "%s Discovery: the document looks like %s (%s); \"ssoctl provider presets --flavor %s\" shows its defaults\n",
				cs.SuccessIcon(), got.Name, got.Evidence, got.Name)
		case p.Flavor != got.Name:
			fmt.Fprintf(opts.IO.ErrOut, "%s --flavor is %s, but the discovery document looks like %s (%s)\n",
				cs.WarningIcon(), p.Flavor, got.Name, got.Evidence)
		}
	}
	if len(d.CodeChallengeMethodsSupported) > 0 && !slices.Contains(d.CodeChallengeMethodsSupported, "S256") {
		fmt.Fprintf(opts.IO.ErrOut, "%s the provider does not list PKCE S256 (code_challenge_methods_supported: %s)\n",
			cs.WarningIcon(), strings.Join(d.CodeChallengeMethodsSupported, ", "))
	}
	return nil
}

// warnSecret points out a secret reference that leads nowhere yet; adding the provider still
// succeeds, since the secret is often set up afterwards.
func warnSecret(opts *AddOptions, p config.Provider) {
	cs := opts.IO.ErrColorScheme()
	switch p.ClientSecret.Kind() {
	case config.SecretEnv:
		if opts.LookupEnv == nil {
			return
		}
		if v, ok := opts.LookupEnv(p.ClientSecret.Ref()); !ok || v == "" {
			fmt.Fprintf(opts.IO.ErrOut, "%s $%s is not set here; set it before \"ssoctl test-login %s\"\n", cs.WarningIcon(), p.ClientSecret.Ref(), p.Name)
		}
	case config.SecretFile:
		if _, err := os.Stat(p.ClientSecret.Ref()); errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(opts.IO.ErrOut, "%s %s does not exist yet; put the client secret in it before \"ssoctl test-login %s\"\n", cs.WarningIcon(), p.ClientSecret.Ref(), p.Name)
		}
	}
}

// allUnder reports whether every URL is base itself, a query on it, or a path below it.
func allUnder(urls []string, base string) bool {
	for _, u := range urls {
		rest, ok := strings.CutPrefix(u, base)
		if !ok || rest != "" && rest[0] != '?' && rest[0] != '/' {
			return false
		}
	}
	return true
}

// printCallbacks tells the user what to register at the identity provider.
func printCallbacks(opts *AddOptions, app *config.App, p config.Provider, preset provider.Preset) {
	var urls []string
	if app != nil {
		urls = provider.CallbackURLsFor(app, p.Name, p.CompatMode)
	}
	if len(urls) > 1 && preset.OneCallbackURL {
		// One callback URL covers the app's several where each is it or below it (AList's ?method=
		// forms share their path; compatibility mode's two paths do not, and stay two).
		if u := provider.SuggestRedirectURLFor(app, p.Name, p.CompatMode); u != "" && allUnder(urls, u) {
			urls = []string{u}
		}
	}
	if len(urls) == 0 && p.RedirectURL != "" {
		urls = []string{p.RedirectURL}
	}
	if len(urls) == 0 {
		return
	}
	what := "this callback URL"
	if len(urls) > 1 {
		what = "these callback URLs"
	}
	where := preset.Title
	if p.Type == config.TypeOIDC || p.Type == config.TypeOAuth2 {
		where = "your identity provider"
	}
	fmt.Fprintf(opts.IO.ErrOut, "Register %s at %s:\n", what, where)
	for _, u := range urls {
		fmt.Fprintf(opts.IO.ErrOut, "  %s\n", u)
	}
}

// fillFlavorGroups writes the group settings that fit the flavour and the app: the claim the flavour
// sends groups in and the scope that releases it, for InvenTree (whose group sync reads the claim
// from userinfo, SSO_GROUP_KEY) or whenever --group is given; group map keys are written as the
// flavour sends them (Keycloak: /admins). Nothing is written for a flavour whose groups need an
// admin's mapper first and no --group.
func fillFlavorGroups(opts *AddOptions, p *config.Provider, preset provider.Preset, appKind string) {
	fl, hasFlavor := provider.LookupFlavor(opts.Flavor)
	// The flavour's preset for the app (provider.AppPreset) decides, so that what is written here
	// is what provider presets --flavor and the flavour matrix show.
	var ap provider.AppPreset
	if hasFlavor {
		ap = fl.AppPreset(appKind, preset.DefaultScopes)
	}
	if len(opts.Groups) == 0 && !ap.Groups {
		return
	}
	g := &config.Groups{}
	if hasFlavor && fl.GroupsClaim != "" && fl.GroupsClaim != "groups" {
		g.Claim = fl.GroupsClaim
	}
	if hasFlavor && fl.GroupsClaim != "" && len(opts.Scopes) == 0 {
		if s := fl.GroupScopes(preset.DefaultScopes); len(s) != len(preset.DefaultScopes) {
			p.Scopes = s
		}
	}
	cs := opts.IO.ErrColorScheme()
	// Sorted, so that the notes come in a stable order.
	for _, idp := range slices.Sorted(maps.Keys(opts.Groups)) {
		appGroup, key := opts.Groups[idp], idp
		if hasFlavor {
			var note string
			if key, note = fl.GroupKey(idp); note != "" {
				fmt.Fprintf(opts.IO.ErrOut, "%s %s\n", cs.WarningIcon(), note)
			}
		}
		if g.Map == nil {
			g.Map = map[string]string{}
		}
		g.Map[key] = appGroup
	}
	p.Groups = g
	if hasFlavor && fl.GroupsSetup != "" {
		fmt.Fprintf(opts.IO.ErrOut, "%s %s: %s\n", cs.WarningIcon(), fl.Title, fl.GroupsSetup)
	}
	if hasFlavor && fl.GroupsClaim == "" {
		fmt.Fprintf(opts.IO.ErrOut, "%s %s sends no groups claim by default (%s): configure one at the provider, then set groups.claim\n", cs.WarningIcon(), fl.Title, fl.GroupsShape)
	}
}
