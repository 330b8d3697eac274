// Package export implements `ssoctl export`: one provider of the config file as the settings the
// target app takes, on stdout, with the callback URLs to register, warnings and notes on stderr.
package export

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	providershared "github.com/ssoctl/ssoctl/pkg/cmd/provider/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/export"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// ExportOptions are the inputs of `ssoctl export`.
type ExportOptions struct {
	IO         *iostreams.IOStreams
	Config     func() (*config.File, error)
	HttpClient func() (*http.Client, error)
	LookupEnv  func(string) (string, bool)
	// Context bounds the discovery request of --discover and the read of a file: secret.
	Context context.Context

	Name       string
	Target     string
	Format     string
	Generation string
	// GenerationSet is true when --generation was given, which only LobeChat takes.
	GenerationSet  bool
	ProviderID     string
	Reveal         bool
	GenerateSecret bool
	Discover       bool
	// CAFile is the global --ca-file: the note about the app's CA trust names it.
	CAFile string
}

// NewCmdExport returns `ssoctl export`.
func NewCmdExport(f *cmdutil.Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IOStreams, Config: f.Config, HttpClient: f.HttpClient, LookupEnv: f.LookupEnv}
	cmd := &cobra.Command{
		Use:   "export <provider> [--target <app>] [--format {env | compose | json | yaml | table}]",
		Short: "Write a provider as the settings the target app takes",
		Long: heredoc.Docf(`
			Write one provider of the config file as the settings the target app takes, so that nothing is
			copied by hand:

			  alist       AList's single sign-on settings (table, json, yaml)
			  photoprism  PHOTOPRISM_OIDC_* variables (env, compose, json, yaml, table)
			  lobechat    the Auth.js (--generation nextauth, LobeChat 1.x) or Better Auth
			              (--generation betterauth, LobeHub 2.x) variables (env, compose, json, yaml, table)
			  inventree   django-allauth's social_backends and social_providers with the Login Settings as
			              global_settings (yaml, json, env, compose, table)
			  generic     the fields of a "custom OAuth" admin form (table, json, yaml)

			--target defaults to app.kind, --format to the first format listed. The data goes to standard
			output; the redirect URLs to register at the identity provider, warnings about settings the app
			cannot express (with the codes %[1]sssoctl validate%[1]s reports) and notes go to standard error.

			The client secret is written as a reference: ${NAME} for env:NAME, which docker compose, dotenv
			loaders and shells fill in, and a placeholder such as <secret from file:/run/secrets/x> for a
			secret in a file, in the keyring or written in the config. Settings typed into an admin page
			(alist, openlist, generic) expand no ${NAME}: there env:NAME becomes <secret from env:NAME:
			paste its value here>. --reveal writes the value instead.

			LobeChat also needs a session secret: --generate-secret writes a fresh random one; without it
			the output holds a placeholder. Keep the secret you deploy, since a new one signs everyone out.
		`, "`"),
		Example: heredoc.Doc(`
			$ ssoctl export github --target alist
			$ ssoctl export authentik --target photoprism > photoprism.env
			$ ssoctl export authentik --target lobechat --generation betterauth --format compose
			$ ssoctl export keycloak --target inventree >> config.yaml
			$ ssoctl export sso --target generic --discover -o json
		`),
		Args:              cmdutil.ExactArgs(1, "cannot export: provider name argument required"),
		ValidArgsFunction: providershared.CompleteNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			opts.GenerationSet = cmd.Flags().Changed("generation")
			opts.Context = cmd.Context()
			if f.Global != nil {
				opts.CAFile = f.Global.CAFile
			}
			if runF != nil {
				return runF(opts)
			}
			return exportRun(opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.StringEnumFlag(cmd, &opts.Target, "target", "t", "", export.Targets(), "Target app (default: app.kind)")
	cmdutil.StringEnumFlag(cmd, &opts.Format, "format", "o", "", export.Formats(), "Output format (default: the target's first)")
	cmdutil.StringEnumFlag(cmd, &opts.Generation, "generation", "", export.GenerationNextAuth, export.Generations(), "LobeChat generation")
	fl.StringVar(&opts.ProviderID, "provider-id", "", "Id the app knows the provider by: LobeChat's SSO provider id, InvenTree's provider_id")
	fl.BoolVar(&opts.Reveal, "reveal", false, "Write the client secret's value instead of its reference")
	fl.BoolVar(&opts.GenerateSecret, "generate-secret", false, "Write a freshly generated LobeChat session secret")
	fl.BoolVar(&opts.Discover, "discover", false, "Read missing endpoints from the issuer's discovery document (generic)")
	// --output is what other commands call -o; accept it here too.
	fl.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if name == "output" {
			name = "format"
		}
		return pflag.NormalizedName(name)
	})
	return cmd
}

func exportRun(opts *ExportOptions) error {
	f, err := opts.Config()
	if err != nil {
		return err
	}
	cfg, err := f.Decoded()
	if err != nil {
		return err
	}
	if cfg == nil {
		cfg = &config.Config{}
	}
	p, ok := cfg.Provider(opts.Name)
	if !ok {
		return &config.ProviderNotFoundError{Name: opts.Name, Path: f.Path, Names: cfg.ProviderNames()}
	}
	target, err := resolveTarget(opts, cfg)
	if err != nil {
		return err
	}
	if err := checkFlags(opts, target); err != nil {
		return err
	}
	eo := export.Options{Target: target, Generation: opts.Generation, ProviderID: opts.ProviderID,
		Reveal: opts.Reveal, LookupEnv: opts.LookupEnv, CAFile: opts.CAFile, Context: opts.Context}
	if opts.GenerateSecret {
		b := make([]byte, 32)
		_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
		eo.AuthSecret = base64.StdEncoding.EncodeToString(b)
	}
	if opts.Discover {
		if eo.Discovery, err = discover(opts, *p); err != nil {
			return err
		}
	}
	r, err := export.Export(cfg, *p, eo)
	if err != nil {
		return err
	}
	if err := r.Write(opts.IO.Out, opts.Format, opts.IO.IsStdoutTTY()); err != nil {
		return err
	}
	printReport(opts, *p, r)
	return nil
}

// resolveTarget is --target, else app.kind.
func resolveTarget(opts *ExportOptions, cfg *config.Config) (string, error) {
	if opts.Target != "" {
		return opts.Target, nil
	}
	if cfg.App == nil || cfg.App.Kind == "" {
		return "", cmdutil.FlagErrorf("cannot export: --target required, since the config file has no app.kind")
	}
	if !slices.Contains(export.Targets(), cfg.App.Kind) {
		return "", cmdutil.InputErrorf("use --target with one of "+strings.Join(export.Targets(), ", ")+", or fix app.kind",
			"cannot export: app.kind %q is not an export target", cfg.App.Kind)
	}
	return cfg.App.Kind, nil
}

// checkFlags refuses flags the target does not take, and formats it cannot write, before anything is
// exported.
func checkFlags(opts *ExportOptions, target string) error {
	if opts.Format != "" && !slices.Contains(export.TargetFormats(target), opts.Format) {
		return cmdutil.FlagErrorf("format %s is not available for --target %s; use %s", opts.Format, target,
			strings.Join(export.TargetFormats(target), ", "))
	}
	only := func(flag string, set bool, targets ...string) error {
		if set && !slices.Contains(targets, target) {
			return cmdutil.FlagErrorf("%s applies to --target %s only", flag, strings.Join(targets, " and "))
		}
		return nil
	}
	for _, err := range []error{
		only("--generation", opts.GenerationSet, export.TargetLobeChat),
		only("--generate-secret", opts.GenerateSecret, export.TargetLobeChat),
		only("--provider-id", opts.ProviderID != "", export.TargetLobeChat, export.TargetInvenTree),
		only("--discover", opts.Discover, export.TargetGeneric),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// discover fetches the provider's discovery document and checks its issuer, as an app's OpenID
// client would.
func discover(opts *ExportOptions, p config.Provider) (*provider.Discovery, error) {
	ep, _ := provider.Resolve(p)
	if ep.Issuer == "" {
		return nil, cmdutil.Failf(fmt.Sprintf("set issuer for provider %s, or the endpoints it needs, and drop --discover", p.Name),
			"cannot discover endpoints: provider %q has no issuer", p.Name)
	}
	client, err := opts.HttpClient()
	if err != nil {
		return nil, err
	}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	d, err := provider.Discover(ctx, client, ep.Issuer)
	if err != nil {
		return nil, err
	}
	if err := provider.CheckIssuer(p.Type, ep.Issuer, p.Issuer == "", d); err != nil {
		return nil, err
	}
	return d, nil
}

// printReport writes what goes next to the data on stderr: the --reveal warning, the app-aware
// warnings, notes and the redirect URLs to register.
func printReport(opts *ExportOptions, p config.Provider, r *export.Result) {
	w, cs := opts.IO.ErrOut, opts.IO.ErrColorScheme()
	if r.Revealed {
		fmt.Fprintf(w, "%s --reveal: the output holds the client secret of provider %s in clear text; keep it out of version control, logs and shell history\n",
			cs.WarningIcon(), p.Name)
	}
	for _, x := range r.Warnings {
		fmt.Fprintf(w, "%s %s %s\n", cs.WarningIcon(), x.Message, cs.Gray("["+x.Code+" "+x.Field+"]"))
		fmt.Fprintf(w, "  %s %s\n", cs.Cyan("hint:"), x.Hint)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "%s %s\n", cs.Gray("note:"), n)
	}
	if len(r.Callbacks) == 0 {
		return
	}
	what := "this redirect URL"
	if len(r.Callbacks) > 1 {
		what = "these redirect URLs"
	}
	fmt.Fprintf(w, "Register %s at %s:\n", what, idpName(p))
	for _, c := range r.Callbacks {
		fmt.Fprintf(w, "  %s\n", cs.Bold(c))
	}
}

// idpName names the identity provider for people: its display name, the platform's name, or for a
// generic OpenID or OAuth server its name in the config.
func idpName(p config.Provider) string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	if p.Type == config.TypeOIDC || p.Type == config.TypeOAuth2 {
		return "the identity provider (" + p.Name + ")"
	}
	pr, _ := provider.Lookup(p.Type)
	return pr.Title
}
