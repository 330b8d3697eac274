// Package providerform asks, in a terminal form, for the provider settings `ssoctl provider add` is
// missing. It asks for the client secret only as a reference (env:NAME or file:PATH): a secret typed
// into a form would end up in the config file, which is meant to be versioned.
package providerform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"charm.land/huh/v2"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// ErrAborted is returned when the user cancels the form (Ctrl+C or Esc).
var ErrAborted = errors.New("cancelled")

// Values are the settings the form fills. ClientSecret is a reference, env:NAME or file:PATH.
type Values struct {
	ClientID     string
	ClientSecret string
	Issuer       string
	RedirectURL  string
	AuthorizeURL string
	TokenURL     string
	UserinfoURL  string
	RuleName     string
	RuleEmail    string
}

// Options say what to ask and where.
type Options struct {
	// Name is the provider's name; it seeds the suggested environment variable.
	Name string
	// Ask lists the config keys to ask for (provider.KeyClientID, ..., provider.KeyRedirectURL), in
	// the order of the form.
	Ask []string
	// In and Out are the terminal; the form draws on Out (stderr) so stdout stays clean.
	In  io.Reader
	Out io.Writer
	// Accessible asks one plain line at a time instead of drawing (screen readers, $ACCESSIBLE).
	Accessible bool
}

// Run shows the form for the keys in opts.Ask, starting from v, and returns the filled values.
func Run(ctx context.Context, preset provider.Preset, v Values, opts Options) (Values, error) {
	if len(opts.Ask) == 0 {
		return v, nil
	}
	form := New(preset, &v, opts)
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return v, ErrAborted
		}
		return v, fmt.Errorf("provider form: %w", err)
	}
	trim(&v)
	return v, nil
}

// New builds the form over v; Run uses it, and tests drive it key by key.
func New(preset provider.Preset, v *Values, opts Options) *huh.Form {
	if v.ClientSecret == "" && slices.Contains(opts.Ask, provider.KeyClientSecret) {
		v.ClientSecret = "env:" + SuggestEnvVar(opts.Name)
	}
	var fields []huh.Field
	for _, key := range opts.Ask {
		if f := field(preset, v, key); f != nil {
			fields = append(fields, f)
		}
	}
	form := huh.NewForm(huh.NewGroup(fields...).
		Title(fmt.Sprintf("Add %s provider %q", preset.Title, opts.Name)).
		Description("Values the command line did not give. The secret is asked for as a reference only.")).
		WithAccessible(opts.Accessible).
		WithShowHelp(true)
	if opts.In != nil {
		form = form.WithInput(opts.In)
	}
	if opts.Out != nil {
		form = form.WithOutput(opts.Out)
	}
	return form
}

func field(preset provider.Preset, v *Values, key string) huh.Field {
	input := func(title, desc string, p *string, validate func(string) error) huh.Field {
		return huh.NewInput().Key(key).Title(title).Description(desc).Value(p).
			Validate(func(s string) error { return validate(strings.TrimSpace(s)) })
	}
	switch key {
	case provider.KeyClientID:
		return input("Client ID", clientIDDescription(preset.Type), &v.ClientID, notEmpty("the client ID"))
	case provider.KeyClientSecret:
		return input("Client secret reference",
			"Where ssoctl reads the secret: env:VARIABLE or file:PATH. The secret itself is never written.",
			&v.ClientSecret, CheckSecretRef)
	case provider.KeyIssuer:
		return input("Issuer URL", issuerDescription(preset.Type), &v.Issuer, provider.CheckURL)
	case provider.KeyRedirectURL:
		return input("Redirect URL", "The callback URL to register at the provider.", &v.RedirectURL, provider.CheckURL)
	case provider.KeyAuthorizeURL:
		return input("Authorize URL", "Where the browser is sent to log in.", &v.AuthorizeURL, provider.CheckURL)
	case provider.KeyTokenURL:
		return input("Token URL", "Where the code is exchanged for a token.", &v.TokenURL, provider.CheckURL)
	case provider.KeyUserinfoURL:
		return input("Userinfo URL", "Where the user's profile JSON is read.", &v.UserinfoURL, provider.CheckURL)
	case provider.KeyRuleName:
		return input("Name rule (JSONPath)", "Selects the user name in the userinfo JSON, e.g. $.login", &v.RuleName, checkRule)
	case provider.KeyRuleEmail:
		return input("Email rule (JSONPath)", "Selects the email in the userinfo JSON, e.g. $.email", &v.RuleEmail, checkRule)
	}
	return nil
}

func clientIDDescription(typ string) string {
	switch typ {
	case config.TypeDingTalk:
		return "The app's AppKey."
	case config.TypeLark:
		return "The app's App ID (cli_...)."
	case config.TypeGitHub:
		return "From the OAuth app's settings (Iv1... for GitHub Apps)."
	}
	return "As the provider's app registration shows it."
}

func issuerDescription(typ string) string {
	if typ == config.TypeCasdoor {
		return "The Casdoor origin, e.g. https://door.example.com"
	}
	return "Exactly as the discovery document says: authentik's ends in /, Keycloak's does not."
}

func notEmpty(what string) func(string) error {
	return func(s string) error {
		if s == "" {
			return fmt.Errorf("enter %s", what)
		}
		return nil
	}
}

func checkRule(s string) error {
	if s == "" {
		return errors.New("enter a JSONPath such as $.name")
	}
	if strings.HasPrefix(s, "/") {
		return errors.New("rules are JSONPath ($.a.b), not JSON Pointer (/a/b)")
	}
	return nil
}

var envVarName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// CheckSecretRef accepts env:NAME and file:PATH, and refuses everything else, literal secrets above all.
func CheckSecretRef(s string) error {
	switch {
	case strings.HasPrefix(s, "env:"):
		if !envVarName().MatchString(strings.TrimPrefix(s, "env:")) {
			return errors.New("after env: comes a variable name such as GITHUB_CLIENT_SECRET")
		}
		return nil
	case strings.HasPrefix(s, "file:"):
		if strings.TrimSpace(strings.TrimPrefix(s, "file:")) == "" {
			return errors.New("after file: comes the path of a file that holds the secret")
		}
		return nil
	}
	return errors.New("enter env:VARIABLE or file:PATH, not the secret itself")
}

// SuggestEnvVar is the environment variable proposed for a provider's secret: GITHUB_CLIENT_SECRET
// for a provider named github.
func SuggestEnvVar(name string) string {
	up := strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(name))
	if up == "" || !envVarName().MatchString(up) {
		up = "SSO"
	}
	return up + "_CLIENT_SECRET"
}

func trim(v *Values) {
	for _, p := range []*string{&v.ClientID, &v.ClientSecret, &v.Issuer, &v.RedirectURL, &v.AuthorizeURL, &v.TokenURL, &v.UserinfoURL, &v.RuleName, &v.RuleEmail} {
		*p = strings.TrimSpace(*p)
	}
}

// SelectType asks for the provider type when the command line gave none.
func SelectType(ctx context.Context, opts Options) (string, error) {
	var typ string
	options := make([]huh.Option[string], 0, len(config.ProviderTypes))
	for _, p := range provider.Presets() {
		options = append(options, huh.NewOption(fmt.Sprintf("%s (%s)", p.Title, p.Type), p.Type))
	}
	sel := huh.NewSelect[string]().Title("Provider type").Options(options...).Value(&typ)
	form := huh.NewForm(huh.NewGroup(sel)).WithAccessible(opts.Accessible)
	if opts.In != nil {
		form = form.WithInput(opts.In)
	}
	if opts.Out != nil {
		form = form.WithOutput(opts.Out)
	}
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return "", ErrAborted
		}
		return "", fmt.Errorf("provider type form: %w", err)
	}
	return typ, nil
}

// Confirm asks a yes/no question; No is the default, so Enter alone changes nothing.
func Confirm(ctx context.Context, title string, opts Options) (bool, error) {
	var ok bool
	form := huh.NewForm(huh.NewGroup(huh.NewConfirm().Title(title).Affirmative("Yes").Negative("No").Value(&ok))).
		WithAccessible(opts.Accessible)
	if opts.In != nil {
		form = form.WithInput(opts.In)
	}
	if opts.Out != nil {
		form = form.WithOutput(opts.Out)
	}
	if err := form.RunWithContext(ctx); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return false, ErrAborted
		}
		return false, fmt.Errorf("confirmation: %w", err)
	}
	return ok, nil
}
