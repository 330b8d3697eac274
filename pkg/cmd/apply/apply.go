// Package apply implements `ssoctl apply`: a live AList's or OpenList's single sign-on settings
// brought to what `ssoctl export` writes, through the app's admin API.
package apply

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/app"
	providershared "github.com/ssoctl/ssoctl/pkg/cmd/provider/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/export"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// Targets are the apps apply can write to: the ones with an admin settings API ssoctl models.
var Targets = []string{config.AppAList, config.AppOpenList}

// ApplyOptions are the inputs of `ssoctl apply`.
type ApplyOptions struct {
	IO         *iostreams.IOStreams
	Config     func() (*config.File, error)
	HttpClient func() (*http.Client, error)
	LookupEnv  func(string) (string, bool)
	Context    context.Context

	Name   string
	Target string
	URL    string
	Token  string
	Yes    bool
	Check  bool
	Output string
	// NoValidate writes to the app even when the provider's config has an error-level finding.
	NoValidate bool
}

// NewCmdApply returns `ssoctl apply`.
func NewCmdApply(f *cmdutil.Factory, runF func(*ApplyOptions) error) *cobra.Command {
	opts := &ApplyOptions{IO: f.IOStreams, Config: f.Config, HttpClient: f.HttpClient, LookupEnv: f.LookupEnv}
	cmd := &cobra.Command{
		Use:   "apply <provider> --url URL --token REF [--target {alist | openlist}] [--yes | --check]",
		Short: "Bring a live AList's or OpenList's SSO settings to what export writes",
		Long: heredoc.Docf(`
			Read the single sign-on settings and the version of a running AList or OpenList through its
			admin API, show how they differ from what %[1]sssoctl export%[1]s writes for the provider, and
			write the difference. The client secret is compared but never printed.

			--token is a reference to an admin token, never the token itself: env:NAME, file:PATH or
			keyring:SERVICE/USER. Either a login token or the static admin token ("alist admin token").

			-o json prints one document: the app, its version, each differing setting with its live and
			wanted value (for the client secret only that it differs), and the keys written.

			Changes are written after a confirmation on a terminal, or with --yes; without a terminal
			and without --yes nothing is written (exit 2). The settings are read back afterwards and
			the changed keys are named. --check writes nothing and exits 1 when the settings differ
			(for CI).

			--target defaults to app.kind and --url to app.url. A live version other than app.version
			is a warning; a setting the live version does not have is an error naming it.

			Before anything is written the config file is validated offline, as "ssoctl validate" does:
			an error-level finding about the provider or the file as a whole stops the command (exit 1)
			before it contacts the app, since the app would get the same mistake. --no-validate writes
			anyway; --check, which writes nothing, is not stopped.
		`, "`"),
		Example: heredoc.Doc(`
			$ ssoctl apply authentik --url https://files.example.com --token env:ALIST_TOKEN
			$ ssoctl apply authentik --url http://127.0.0.1:5244 --token file:/run/secrets/alist --yes
			$ ssoctl apply authentik --token keyring:ssoctl/alist-admin --check
		`),
		Args:              cmdutil.ExactArgs(1, "cannot apply: provider name argument required"),
		ValidArgsFunction: providershared.CompleteNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			opts.Context = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return applyRun(opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.StringEnumFlag(cmd, &opts.Target, "target", "t", "", Targets, "Target app (default: app.kind)")
	fl.StringVar(&opts.URL, "url", "", "The app's address, such as https://files.example.com (default: app.url)")
	fl.StringVar(&opts.Token, "token", "", "Admin token reference: env:NAME, file:PATH or keyring:SERVICE/USER")
	fl.BoolVarP(&opts.Yes, "yes", "y", false, "Write the changes without asking")
	fl.BoolVar(&opts.Check, "check", false, "Write nothing; exit 1 when the live settings differ")
	fl.BoolVar(&opts.NoValidate, "no-validate", false, "Write even when \"ssoctl validate\" reports an error for the provider")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmd.MarkFlagsMutuallyExclusive("yes", "check")
	return cmd
}

// change is one setting whose live value differs from export's.
type change struct {
	key, live, want string
	secret          bool
}

// Report is apply's -o json document.
type Report struct {
	App      string `json:"app"`
	Version  string `json:"version"`
	URL      string `json:"url"`
	Provider string `json:"provider"`
	// Settings counts the settings export writes; Changes are those that differ from the live app.
	Settings int            `json:"settings"`
	Changes  []ReportChange `json:"changes"`
	// Written are the keys stored and read back; empty with --check or when nothing differs.
	Written []string `json:"written"`
}

// ReportChange is one differing setting; a secret's values are left out.
type ReportChange struct {
	Key    string `json:"key"`
	Live   string `json:"live"`
	Want   string `json:"want"`
	Secret bool   `json:"secret"`
}

func (c change) report() ReportChange {
	if c.secret {
		return ReportChange{Key: c.key, Secret: true}
	}
	return ReportChange{Key: c.key, Live: c.live, Want: c.want}
}

func applyRun(opts *ApplyOptions) error {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	f, cfg, p, err := loadProvider(opts)
	if err != nil {
		return err
	}
	target, base, err := resolveTargetURL(opts, cfg)
	if err != nil {
		return err
	}
	tokenRef := config.Secret(opts.Token)
	switch tokenRef.Kind() {
	case config.SecretNone:
		return cmdutil.FlagErrorf("cannot apply: --token required: a reference to an admin token (env:NAME, file:PATH or keyring:SERVICE/USER)")
	case config.SecretLiteral:
		return cmdutil.FlagErrorf("--token takes a reference (env:NAME, file:PATH or keyring:SERVICE/USER), never the token itself, which would stay in shell history")
	}
	token, err := tokenRef.Resolve(opts.LookupEnv)
	if err != nil {
		return cmdutil.InputErrorf("set the variable or file --token names to an admin token of the app", "cannot read the admin token: %v", err)
	}
	if cfg.App == nil || cfg.App.URL == "" {
		// The app's address builds the callback URLs export checks: the one apply writes to.
		withURL := *cfg
		withURL.App = &config.App{Kind: target, URL: base}
		if cfg.App != nil {
			a := *cfg.App
			a.URL = base
			withURL.App = &a
		}
		cfg = &withURL
	}
	r, err := export.Export(cfg, *p, export.Options{Target: target, Reveal: true, LookupEnv: opts.LookupEnv})
	var se *export.SecretError
	if errors.As(err, &se) {
		return cmdutil.InputErrorf(fmt.Sprintf("make %s readable: apply writes the client secret's value into the app", se.Secret),
			"cannot read the client secret of provider %s: %v; nothing was written", p.Name, se.Err)
	}
	if err != nil {
		return err
	}
	if !opts.Check && !opts.NoValidate {
		if err := checkConfig(opts, f, p.Name); err != nil {
			return err
		}
	}
	desired := desiredSettings(r.Doc())
	// What export would warn about applies to what apply writes.
	for _, x := range r.Warnings {
		fmt.Fprintf(opts.IO.ErrOut, "%s %s %s\n", opts.IO.ErrColorScheme().WarningIcon(), x.Message, opts.IO.ErrColorScheme().Gray("["+x.Code+" "+x.Field+"]"))
	}

	hc, err := opts.HttpClient()
	if err != nil {
		return err
	}
	title := appTitle(target)
	client := &app.AdminClient{BaseURL: base, Token: token, HTTP: hc}
	failed := func(err error) error { return apiFailure(title, base, tokenRef, err) }

	versionText, err := client.Version(ctx)
	if err != nil {
		return failed(err)
	}
	live, err := liveSettings(ctx, client, desired)
	if err != nil {
		return failed(err)
	}
	warnVersion(opts, cfg, target, title, versionText)
	var missing []string
	for _, kv := range desired {
		if _, ok := live[kv[0]]; !ok {
			missing = append(missing, kv[0])
		}
	}
	if len(missing) > 0 {
		return missingKeys(cfg, target, title, versionText, base, missing)
	}

	changes := diff(desired, live)
	rep := &Report{App: title, Version: versionText, URL: base, Provider: p.Name, Settings: len(desired),
		Changes: []ReportChange{}, Written: []string{}}
	for _, c := range changes {
		rep.Changes = append(rep.Changes, c.report())
	}
	if opts.Output != "json" {
		printDiff(opts.IO, rep)
	}
	if len(changes) == 0 {
		return printJSON(opts, rep)
	}
	if opts.Check {
		if err := printJSON(opts, rep); err != nil {
			return err
		}
		return cmdutil.Failf(fmt.Sprintf("run ssoctl apply %s --yes to write them", p.Name),
			"%s's SSO settings differ from what export writes (%s); --check wrote nothing", title, strings.Join(keys(changes), ", "))
	}
	if !opts.Yes {
		if !opts.IO.CanPrompt() {
			return cmdutil.InputErrorf("rerun with --yes to write them without a question, or --check to only compare",
				"not writing %d settings without a confirmation, and there is no terminal to ask on", len(changes))
		}
		ok, err := confirm(opts.IO, fmt.Sprintf("Write %d settings to %s at %s? [y/N] ", len(changes), title, base))
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(opts.IO.ErrOut, "nothing was written")
			return nil
		}
	}

	items := make([]app.Setting, 0, len(changes))
	for _, c := range changes {
		it := live[c.key]
		it.Value = c.want
		items = append(items, it)
	}
	saveErr := client.SaveSettings(ctx, items)
	after, readErr := liveSettings(ctx, client, desired)
	if readErr != nil {
		if saveErr != nil {
			return failed(saveErr)
		}
		return cmdutil.Failf("open the app's settings page to see what it stored",
			"%s accepted the save, but reading the settings back failed (%v); written, unconfirmed: %s", title, readErr, strings.Join(keys(changes), ", "))
	}
	var written, notWritten []string
	for _, c := range changes {
		if after[c.key].Value == c.want {
			written = append(written, c.key)
		} else {
			notWritten = append(notWritten, c.key)
		}
	}
	if saveErr != nil || len(notWritten) > 0 {
		cause := "it did not store them"
		if saveErr != nil {
			cause = saveErrText(saveErr)
		}
		return cmdutil.Failf(fmt.Sprintf("run ssoctl apply %s --check to see what still differs, and apply again", p.Name),
			"%s's save failed (%s): written %s; not written %s", title, cause, listOrNone(written), listOrNone(notWritten))
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s wrote %d settings and read them back: %s\n", opts.IO.ErrColorScheme().SuccessIcon(), len(written), strings.Join(written, ", "))
	rep.Written = written
	return printJSON(opts, rep)
}

// printDiff writes the differing settings for people; the client secret's values never appear.
func printDiff(ios *iostreams.IOStreams, rep *Report) {
	out, cs := ios.Out, ios.ColorScheme()
	fmt.Fprintf(out, "%s %s at %s, provider %s:\n", rep.App, rep.Version, rep.URL, rep.Provider)
	if len(rep.Changes) == 0 {
		fmt.Fprintf(out, "  all %d SSO settings match what export writes\n", rep.Settings)
		return
	}
	for _, c := range rep.Changes {
		if c.Secret {
			fmt.Fprintf(out, "  %s %s: differs (the client secret is not shown)\n", cs.Yellow("~"), c.Key)
			continue
		}
		fmt.Fprintf(out, "  %s %s: %s → %s\n", cs.Yellow("~"), c.Key, quote(c.Live), quote(c.Want))
	}
	fmt.Fprintf(out, "  %d of %d settings differ\n", len(rep.Changes), rep.Settings)
}

// printJSON writes the report with -o json.
func printJSON(opts *ApplyOptions, rep *Report) error {
	if opts.Output != "json" {
		return nil
	}
	return cmdutil.PrintJSON(opts.IO.Out, rep)
}

func loadProvider(opts *ApplyOptions) (*config.File, *config.Config, *config.Provider, error) {
	f, err := opts.Config()
	if err != nil {
		return nil, nil, nil, err
	}
	cfg, err := f.Decoded()
	if err != nil {
		return nil, nil, nil, err
	}
	if cfg == nil {
		cfg = &config.Config{}
	}
	p, ok := cfg.Provider(opts.Name)
	if !ok {
		return nil, nil, nil, &config.ProviderNotFoundError{Name: opts.Name, Path: f.Path, Names: cfg.ProviderNames()}
	}
	return f, cfg, p, nil
}

// checkConfig refuses to write a provider whose config has an error-level finding about it or about
// the file as a whole: the app would get the same mistake, and only find it at the next login.
func checkConfig(opts *ApplyOptions, f *config.File, name string) error {
	var errs []validate.Finding
	for _, x := range validate.Check(f, validate.Options{LookupEnv: opts.LookupEnv, MaxPerCode: -1}).Findings {
		if x.Severity == validate.SeverityError && (x.Provider == name || x.Provider == "") {
			errs = append(errs, x)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	x := errs[0]
	where := ""
	if x.Line > 0 {
		where = fmt.Sprintf(" at line %d", x.Line)
	}
	more := ""
	switch n := len(errs) - 1; {
	case n == 1:
		more = " (and 1 more error)"
	case n > 1:
		more = fmt.Sprintf(" (and %d more errors)", n)
	}
	return cmdutil.Failf(`fix the file ("ssoctl validate" lists every finding), or pass --no-validate to write anyway`,
		"not applying provider %s: the config file has error %s%s: %s%s; nothing was written", name, x.Code, where, strings.TrimSuffix(x.Message, "."), more)
}

// resolveTargetURL is --target (else app.kind) and --url (else app.url).
func resolveTargetURL(opts *ApplyOptions, cfg *config.Config) (string, string, error) {
	target := opts.Target
	if target == "" {
		if cfg.App == nil || !slices.Contains(Targets, cfg.App.Kind) {
			return "", "", cmdutil.FlagErrorf("cannot apply: --target required (alist or openlist), since app.kind is neither")
		}
		target = cfg.App.Kind
	}
	base := opts.URL
	if base == "" && cfg.App != nil {
		base = cfg.App.URL
	}
	if base == "" {
		return "", "", cmdutil.FlagErrorf("cannot apply: --url required, since the config file has no app.url")
	}
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return "", "", cmdutil.FlagErrorf("--url %q is not an http:// or https:// address", base)
	}
	return target, strings.TrimSuffix(base, "/"), nil
}

// desiredSettings are export's key/value pairs in export's order.
func desiredSettings(doc export.Object) [][2]string {
	out := make([][2]string, 0, len(doc))
	for _, f := range doc {
		var v string
		switch x := f.Value.(type) {
		case export.Text:
			v = x.String()
		case string:
			v = x
		default:
			v = fmt.Sprint(x)
		}
		out = append(out, [2]string{f.Key, v})
	}
	return out
}

// liveSettings reads the SSO group and, one by one, any other key export writes.
func liveSettings(ctx context.Context, c *app.AdminClient, desired [][2]string) (map[string]app.Setting, error) {
	items, err := c.Settings(ctx, app.SSOGroup)
	if err != nil {
		return nil, err
	}
	live := map[string]app.Setting{}
	for _, it := range items {
		live[it.Key] = it
	}
	for _, kv := range desired {
		if _, ok := live[kv[0]]; ok {
			continue
		}
		it, err := c.Setting(ctx, kv[0])
		var ae *app.APIError
		if errors.As(err, &ae) && !app.IsAuthError(err) {
			continue // the app has no such key: reported as missing
		}
		if err != nil {
			return nil, err
		}
		live[kv[0]] = it
	}
	return live, nil
}

func diff(desired [][2]string, live map[string]app.Setting) []change {
	var out []change
	for _, kv := range desired {
		if l := live[kv[0]].Value; l != kv[1] {
			out = append(out, change{key: kv[0], live: l, want: kv[1], secret: slices.Contains(app.SecretSettingKeys, kv[0])})
		}
	}
	return out
}

// warnVersion warns when the live app is not what app.version (or --target) says.
func warnVersion(opts *ApplyOptions, cfg *config.Config, target, title, live string) {
	cs := opts.IO.ErrColorScheme()
	lv, err := app.ParseVersion(live)
	if err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "%s %s reports version %q, which ssoctl cannot read; the settings are compared as for the newest %s ssoctl models\n", cs.WarningIcon(), title, live, title)
		return
	}
	kind := config.AppAList
	if lv.Major >= 4 {
		kind = config.AppOpenList // OpenList continues AList's numbering at v4
	}
	if kind != target {
		fmt.Fprintf(opts.IO.ErrOut, "%s the app at this address reports %s, which looks like %s, not %s; check --target\n", cs.WarningIcon(), live, appTitle(kind), title)
	}
	if cfg.App == nil || cfg.App.Version == "" {
		return
	}
	cv, err := app.ParseVersion(cfg.App.Version)
	if err != nil {
		return // validate reports it
	}
	if cv.Major != lv.Major || cv.Minor != lv.Minor || (cv.Patch != 0 && cv.Patch != lv.Patch) {
		fmt.Fprintf(opts.IO.ErrOut, "%s the live %s is %s, but app.version says %s: the settings are the ones ssoctl writes for %s; set app.version: %q\n",
			cs.WarningIcon(), title, live, cfg.App.Version, cfg.App.Version, lv.String())
	}
}

// missingKeys is the error for settings export writes that the live app lacks: each key with the
// version that added it, when ssoctl's model knows it.
func missingKeys(cfg *config.Config, target, title, live, base string, missing []string) error {
	model, ok := app.AListKind(target, "")
	if cfg.App != nil && cfg.App.Kind == target && cfg.App.Version != "" {
		if m, ok2 := app.AListKind(target, cfg.App.Version); ok2 {
			model, ok = m, true
		}
	}
	var named []string
	upgrade := newestVersion(target)
	for _, k := range missing {
		since := app.Version{}
		if ok {
			since = model.SettingSince(k)
		}
		if since.IsZero() {
			named = append(named, k)
			continue
		}
		named = append(named, fmt.Sprintf("%s (added in %s %s)", k, title, since))
		upgrade = since.String()
	}
	return cmdutil.Failf(fmt.Sprintf("upgrade %s to %s or newer, or set app.version to the version that runs so that export writes what it has", title, upgrade),
		"%s %s at %s has no setting %s, which export writes; nothing was written", title, live, base, strings.Join(named, ", "))
}

func newestVersion(target string) string {
	if i, ok := app.Lookup(target); ok && !i.Newest().IsZero() {
		return i.Newest().String()
	}
	return "the newest release"
}

func appTitle(target string) string {
	if i, ok := app.Lookup(target); ok {
		return i.Title
	}
	return target
}

// apiFailure turns an admin API error before any write into one sentence with a hint, exit 1.
func apiFailure(title, base string, tokenRef config.Secret, err error) error {
	const what = "nothing was written"
	var (
		ue *app.UnreachableError
		nj *app.NotJSONError
		ae *app.APIError
	)
	switch {
	case errors.As(err, &ue):
		return cmdutil.Failf("check --url and that the app runs there",
			"cannot reach %s at %s: %v; %s", title, base, ue.Err, what)
	case errors.As(err, &nj):
		return cmdutil.Failf(fmt.Sprintf("point --url at %s itself, not at a proxy's login page or another site", title),
			"%s answered %s with %s instead of %s's JSON; %s", base, nj.Path, describeType(nj), title, what)
	case app.IsAuthError(err):
		return cmdutil.Failf(fmt.Sprintf("put an admin's token in %s: log in as an admin, or use the static token of \"%s admin token\"", tokenRef, strings.ToLower(title)),
			"%s at %s refused the admin token from %s (%s); %s", title, base, tokenRef, ae2msg(err), what)
	case errors.As(err, &ae):
		return cmdutil.Failf("", "%s at %s answered %s with code %d: %s; %s", title, base, ae.Path, ae.Code, ae.Message, what)
	}
	return cmdutil.Failf("", "%s at %s: %v; %s", title, base, err, what)
}

func ae2msg(err error) string {
	var ae *app.APIError
	if errors.As(err, &ae) {
		return fmt.Sprintf("code %d: %s", ae.Code, ae.Message)
	}
	return err.Error()
}

func describeType(nj *app.NotJSONError) string {
	if nj.ContentType == "text/html" {
		return fmt.Sprintf("an HTML page (HTTP %d)", nj.Status)
	}
	if nj.ContentType == "" {
		return fmt.Sprintf("HTTP %d and no content type", nj.Status)
	}
	return fmt.Sprintf("%s (HTTP %d)", nj.ContentType, nj.Status)
}

func saveErrText(err error) string {
	var (
		ue *app.UnreachableError
		nj *app.NotJSONError
		ae *app.APIError
	)
	switch {
	case errors.As(err, &ue):
		return "the connection failed: " + ue.Err.Error()
	case errors.As(err, &nj):
		return "it answered " + describeType(nj)
	case errors.As(err, &ae):
		return fmt.Sprintf("code %d: %s", ae.Code, ae.Message)
	}
	return err.Error()
}

// confirm asks on the terminal; anything but y or yes is no.
func confirm(ios *iostreams.IOStreams, question string) (bool, error) {
	fmt.Fprint(ios.ErrOut, question)
	line, err := bufio.NewReader(ios.In).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

func keys(cs []change) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.key)
	}
	return out
}

func listOrNone(ks []string) string {
	if len(ks) == 0 {
		return "none"
	}
	return strings.Join(ks, ", ")
}

func quote(s string) string {
	if s == "" {
		return `""`
	}
	return fmt.Sprintf("%q", s)
}
