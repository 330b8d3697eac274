// Package eval implements `ssoctl map eval`: the app user a userinfo document becomes, with every
// rule's nodes and every value's source, for one document or, streamed, for NDJSON exports of many
// users.
package eval

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/bulk"
	"github.com/ssoctl/ssoctl/pkg/cmd/mapping/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// EvalOptions are the inputs of `ssoctl map eval`.
type EvalOptions struct {
	IO        *iostreams.IOStreams
	Config    func() (*config.File, error)
	LookupEnv func(string) (string, bool)
	// Now times the progress display.
	Now func() time.Time

	Name          string
	Input         string
	Last          bool
	Rules         []string
	MappingType   string
	Existing      string
	Roles         string
	Seed          uint64
	SeedSet       bool
	IDTokenClaims string
	Output        string
	Require       bool
	Report        bool
	FailFast      bool
	NDJSON        bool
	Interactive   bool
	Workers       int
	Dialect       string
	// ArrayPath is --array-path: the users are the array at this path of member names.
	ArrayPath string

	// NoValidate lets the workbench (-i) save a result with an error-level finding the file did not
	// have, as provider add's --no-validate does.
	NoValidate bool
}

// mappingTypes are the values of --mapping-type.
func mappingTypes() []string { return append(mapping.Presets(), mapping.Custom) }

// NewCmdEval returns `ssoctl map eval`.
func NewCmdEval(f *cmdutil.Factory, runF func(*EvalOptions) error) *cobra.Command {
	opts := &EvalOptions{IO: f.IOStreams, Config: f.Config, LookupEnv: f.LookupEnv, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "eval [<provider>]",
		Short: "Show the app user a userinfo document becomes, or map an NDJSON export in bulk",
		Long: heredoc.Docf(`
			Apply a provider's mapping to a userinfo document and show the app user it becomes: id,
			username, email, nickname, phone, description, roles, groups, the permission sum with its
			names and whether the app would register the user, each value with the document and the
			JSONPath it came from, and for every rule the nodes it selected and the value used.

			With app.kind set in the config file the user is computed as that app computes it: AList
			takes fixed fields per platform (and, with OpenID Connect, one ID token claim as both SSO
			id and username), PhotoPrism derives a handle, InvenTree reads groups from userinfo only.

			Existing accounts (--existing) are the usernames the app has, and for AList and OpenList the
			SSO id each is bound to: the JSON of GET /api/admin/user/list, a CSV of username,sso_id, or
			one username per line. AList looks a login up by its SSO id first and signs a bound user in
			as that account whatever sso_auto_register says; only an unknown SSO id is registered
			(username_ssoid when the name is taken) or refused with AList's own message.

			The rights of a role created in AList (roles: in the config, AList's default_role) are
			unknown to ssoctl unless --roles gives the app's roles: the JSON of
			GET /api/admin/role/list, whose permission_scopes are then merged per path as AList does.

			Without a provider name the rules come from --mapping-type (a preset, or custom with
			--rule name=... and --rule email=...). --rule overrides single rules either way.

			Rules: a rule that selects nothing leaves its field empty; one node is the value; several
			nodes use the first and warn. JSON null counts as a node, with an empty value. An empty
			required field (the username; the email for custom mappings and allowed_domains; AList's
			SSO id) is an error naming the rule, and the command exits 1. With --require, a rule that
			selects nothing makes it exit 1 too. Rules are Jayway JsonPath, as the apps' forms take
			them; %[1]s--dialect rfc9535%[1]s reads the rules (the config's and --rule's) as RFC 9535
			instead. A value that is not UTF-8 is flagged (invalid-utf8: an error for the id and the
			username, a warning otherwise); a number larger than a float64 holds (1e400) refuses
			the document. A UTF-8 byte order mark is skipped.

			NDJSON input (one document per line, detected, or forced with --ndjson) is streamed: one
			JSON line per document, in input order, on all cores, in bounded memory. So is a JSON
			array of userinfo documents of any size (an identity provider's export of its users): its
			elements are the documents, "line" is the element's number, and a malformed element is
			reported and skipped as a line is. An array of anything else (strings, GitHub's
			/user/emails) is refused with a hint. An export that wraps the array in an object (a
			Keycloak realm export's users, Authentik's {"results": [...]}) is streamed the same way
			with %[1]s--array-path '$.users'%[1]s (a JSONPath of member names): the members around the
			array are skipped as they are read, whatever their size. A line holds what
			differs from user to user: "line" (the input line), ok, the values, groups, registration
			(allowed, code, domain), usernameDerivation (raw, base, conflict), warnings and errors.
			What is the same for every line (provider, app, roles, permission, sources, rules, notes,
			the configuration's warnings) is left out; %[1]s-o json%[1]s on one document shows it. Usernames
			that conflict within the input are renamed as the app would rename them in that order. A
			malformed line is reported on stderr with its number and skipped (exit 1 at the end), or
			stops the run with --fail-fast; a line over 16 MiB is refused. Users with an empty
			required field make the command exit 1 at the end. --report prints a summary
			instead: users mapped, missing required fields, conflicts, rejected domains, unmapped
			groups and the permission sums.
		`, "`"),
		Example: heredoc.Doc(`
			$ ssoctl map eval github --input user.json
			$ curl -s -H "Authorization: Bearer $TOKEN" https://api.github.com/user | ssoctl map eval github
			$ ssoctl map eval --last
			$ ssoctl map eval --mapping-type custom --rule name='$.data.login' --rule email='$.data.mail' --input doc.json
			$ ssoctl map eval authentik --input users.ndjson --existing usernames.txt > users.out.ndjson
			$ curl -s -H "Authorization: $ALIST_TOKEN" "$ALIST/api/admin/user/list?per_page=1000" > users.json
			$ ssoctl map eval authentik --last --existing users.json
			$ curl -s -H "Authorization: $ALIST_TOKEN" "$ALIST/api/admin/role/list" > roles.json
			$ ssoctl map eval authentik --last --roles roles.json
			$ ssoctl map eval authentik --input users.ndjson --report
			$ ssoctl map eval keycloak --input realm-export.json --array-path '$.users' --report
		`),
		Args: cmdutil.MaximumArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			file, err := f.Config()
			if err != nil || file == nil || file.Config == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return file.Config.ProviderNames(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				opts.Name = args[0]
			}
			opts.SeedSet = cmd.Flags().Changed("seed")
			if err := validate(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return evalRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Input, "input", "", "Read the userinfo document or NDJSON from `FILE` (- for standard input)")
	fl.BoolVar(&opts.Last, "last", false, "Use the ID token claims and userinfo of the last test-login")
	fl.StringArrayVar(&opts.Rules, "rule", nil, "Override one rule: `FIELD=JSONPATH` (fields: "+strings.Join(mapping.Fields(), ", ")+")")
	cmdutil.StringEnumFlag(cmd, &opts.MappingType, "mapping-type", "", "", mappingTypes(), "Mapping preset to apply instead of the provider's")
	fl.StringVar(&opts.Existing, "existing", "", "The app's accounts from `FILE`: AList's user list JSON, CSV username,sso_id, or one username per line")
	fl.StringVar(&opts.Roles, "roles", "", "The app's roles from `FILE` (AList's role list JSON), for the rights of a role created in the app")
	fl.Uint64Var(&opts.Seed, "seed", 0, "Seed for random-digits username suffixes, for reproducible output")
	fl.StringVar(&opts.IDTokenClaims, "id-token-claims", "", "ID token claims (JSON object, or the token itself) from `FILE`, for apps that read the ID token")
	fl.BoolVar(&opts.Require, "require", false, "Exit 1 when a rule selects nothing or a required field is empty")
	fl.BoolVar(&opts.Report, "report", false, "Print a summary of the NDJSON input instead of one line per user")
	fl.BoolVar(&opts.FailFast, "fail-fast", false, "Stop at the first malformed NDJSON line")
	fl.BoolVar(&opts.NDJSON, "ndjson", false, "Read the input as NDJSON even when it holds one line")
	fl.BoolVarP(&opts.Interactive, "interactive", "i", false, "Open the interactive workbench (needs a terminal)")
	fl.BoolVar(&opts.NoValidate, "no-validate", false, "With -i: save even when the result has an error \"ssoctl validate\" would report")
	cmdutil.StringEnumFlag(cmd, &opts.Dialect, "dialect", "", "jayway", []string{"jayway", "rfc9535"}, "JSONPath dialect of the rules (the config's and --rule's)")
	fl.StringVar(&opts.ArrayPath, "array-path", "", "Stream the users from the JSON array at `JSONPATH` of member names in the input's object, such as $.users")
	fl.IntVar(&opts.Workers, "workers", 0, "Number of `goroutines` mapping NDJSON (default: one per CPU)")
	_ = fl.MarkHidden("workers")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmd.MarkFlagsMutuallyExclusive("last", "input")
	cmd.MarkFlagsMutuallyExclusive("last", "report")
	cmd.MarkFlagsMutuallyExclusive("last", "ndjson")
	cmd.MarkFlagsMutuallyExclusive("last", "id-token-claims")
	cmd.MarkFlagsMutuallyExclusive("last", "array-path")
	cmd.MarkFlagsMutuallyExclusive("ndjson", "array-path")
	return cmd
}

// validate checks the flags that can be checked without reading anything.
func validate(opts *EvalOptions) error {
	if opts.NoValidate && !opts.Interactive {
		return cmdutil.WithHint(cmdutil.FlagErrorf("--no-validate applies to the workbench's save only"), "use it with -i, or leave it out")
	}
	if opts.Interactive {
		alt := "ssoctl map eval " + orText(opts.Name, "NAME") + " --input FILE"
		if !opts.IO.CanPrompt() {
			return cmdutil.WithHint(cmdutil.FlagErrorf("map eval -i needs a terminal on standard input and standard error"),
				"without one, run "+alt)
		}
		return nil // the workbench asks for whatever is missing
	}
	if opts.Name == "" && !opts.Last && opts.MappingType == "" && len(opts.Rules) == 0 {
		return cmdutil.WithHint(cmdutil.FlagErrorf("cannot evaluate: give a provider name, --last, or --mapping-type"),
			`for a custom mapping: --mapping-type custom --rule name='$.login' --rule email='$.email'`)
	}
	if _, err := parseRules(opts.Rules); err != nil {
		return err
	}
	if opts.ArrayPath != "" {
		if _, err := bulk.ParseArrayPath(opts.ArrayPath); err != nil {
			return cmdutil.WithHint(cmdutil.FlagErrorf("--array-path %v", err), `name the member that holds the users, such as --array-path '$.users'`)
		}
	}
	return nil
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// parseRules reads --rule FIELD=JSONPATH flags.
func parseRules(flags []string) (mapping.Rules, error) {
	rules := mapping.Rules{}
	for _, r := range flags {
		field, expr, ok := strings.Cut(r, "=")
		field = strings.TrimSpace(field)
		if !ok || field == "" || strings.TrimSpace(expr) == "" {
			return nil, cmdutil.WithHint(cmdutil.FlagErrorf("--rule %q is not FIELD=JSONPATH", r), `for example --rule email='$.emails[0].value'`)
		}
		if !slices.Contains(mapping.Fields(), field) {
			fe := &mapping.FieldError{Field: field, Err: mapping.ErrUnknownField}
			return nil, cmdutil.WithHint(cmdutil.FlagErrorf("--rule %s: unknown mapping field %q", r, field), fe.Hint())
		}
		rules[field] = expr
	}
	return rules, nil
}

// setup is what every mode needs: the mapper and the existing usernames.
type setup struct {
	mapper   *mapping.Mapper
	existing mapping.Names
	seed     uint64
}

func evalRun(ctx context.Context, opts *EvalOptions) error {
	if opts.Interactive {
		return interactiveRun(ctx, opts) // interactive.go
	}
	var last *login.Report
	if opts.Last {
		env := config.Env{Getenv: func(k string) string { v, _ := opts.LookupEnv(k); return v }}
		rep, err := login.LoadLast(config.StateDir(env))
		if errors.Is(err, login.ErrNoLastLogin) {
			return cmdutil.InputErrorf(`run "ssoctl test-login NAME" first; it keeps its result for --last`, "no test-login result has been saved yet")
		}
		if err != nil {
			return cmdutil.InputErrorf(`run "ssoctl test-login NAME" again`, "cannot read the last test-login result: %v", err)
		}
		last = rep
	}
	st, err := prepare(ctx, opts, last)
	if err != nil {
		return err
	}
	if last != nil {
		doc := mapping.Document{Userinfo: nil}
		if last.IDToken != nil {
			doc.Claims = last.IDToken.Claims
		}
		if last.Userinfo != nil {
			doc.Userinfo = last.Userinfo
		}
		return single(opts, st, doc)
	}

	in, err := shared.Open(opts.IO, opts.Input, "or use --last for the last test-login's result")
	if err != nil {
		return err
	}
	defer in.Close()
	br := bufio.NewReaderSize(in, 1<<20)
	if opts.ArrayPath != "" {
		path, _ := bulk.ParseArrayPath(opts.ArrayPath) // checked by validate
		shared.SkipBOM(br)
		return many(ctx, opts, st, bulk.NewArrayReaderAt(br, path), in, true)
	}
	kind, r, err := shared.Sniff(br, in.Name)
	if err != nil {
		return err
	}
	if kind == shared.Array {
		return many(ctx, opts, st, bulk.NewArrayReader(r), in, true)
	}
	if opts.NDJSON || opts.Report || kind == shared.NDJSON {
		return many(ctx, opts, st, r, in, false)
	}
	userinfo, err := shared.ReadDocument(r, in.Name)
	if err != nil {
		return err
	}
	doc := mapping.Document{Userinfo: userinfo}
	if opts.IDTokenClaims != "" {
		if doc.Claims, err = shared.ReadClaims(opts.IDTokenClaims); err != nil {
			return err
		}
	}
	return single(opts, st, doc)
}

// prepare finds the provider, compiles its mapping and reads --existing.
func prepare(ctx context.Context, opts *EvalOptions, last *login.Report) (*setup, error) {
	rules, err := parseRules(opts.Rules)
	if err != nil {
		return nil, err
	}
	file, cfgErr := opts.Config()
	var cfg *config.Config
	if cfgErr == nil {
		if cfg, cfgErr = file.Decoded(); cfgErr != nil {
			return nil, cfgErr
		}
	}
	name := opts.Name
	if name == "" && last != nil {
		name = last.Provider
	}
	var p config.Provider
	fromConfig := true // the provider is the config's, so app.kind applies to it
	switch {
	case opts.Name != "":
		if cfgErr != nil {
			return nil, cfgErr
		}
		pp, ok := cfg.Provider(name)
		if !ok {
			hint := `add it with "ssoctl provider add", or evaluate without a provider: --mapping-type TYPE`
			if names := cfg.ProviderNames(); len(names) > 0 {
				hint = "configured providers: " + strings.Join(names, ", ")
			}
			return nil, cmdutil.Failf(hint, "no provider named %q in %s", name, file.Path) // README: exit 1, as everywhere
		}
		p = *pp
	case last != nil && cfgErr == nil && providerIn(cfg, name):
		pp, _ := cfg.Provider(name)
		p = *pp
	case last != nil:
		// The provider of the last login is gone from the config: its type's preset still applies.
		p = config.Provider{Name: last.Provider, Type: last.Type}
		fromConfig = false
	default:
		// Rules from the command line alone: mapped as written, without an app's own rules.
		fromConfig = false
		p = config.Provider{Type: config.TypeOAuth2}
		if opts.MappingType != "" && slices.Contains(config.ProviderTypes, opts.MappingType) {
			p.Type = opts.MappingType
		}
		if opts.MappingType == "" {
			opts.MappingType = mapping.Custom
		}
	}
	if cfgErr != nil && !missingFile(cfgErr) {
		return nil, cfgErr
	}
	dialect, err := mapping.ParseDialect(opts.Dialect)
	if err != nil {
		return nil, cmdutil.FlagErrorf("%v", err)
	}
	mo := mapping.Options{Provider: p, MappingType: opts.MappingType, Rules: rules, Dialect: dialect}
	if cfg != nil {
		mo.PermissionSchemes = cfg.PermissionSchemes
		if cfg.App != nil && fromConfig {
			mo.App, mo.AppVersion = cfg.App.Kind, cfg.App.Version
		}
	}
	st := &setup{}
	if opts.Existing != "" {
		acc, err := readExisting(ctx, opts.Existing)
		if err != nil {
			return nil, err
		}
		st.existing, mo.Accounts = acc, acc
	}
	if opts.Roles != "" {
		roles, err := readRoles(ctx, opts.Roles)
		if err != nil {
			return nil, err
		}
		mo.AppRoles = roles
	}
	m, err := mapping.NewMapper(mo)
	if err != nil {
		return nil, mapperError(err)
	}
	st.mapper = m
	if opts.SeedSet {
		// 0 means "random" to the mapper; any seed given, 0 included, must be reproducible.
		st.seed = opts.Seed ^ 0x9e3779b97f4a7c15
		if st.seed == 0 {
			st.seed = 1
		}
	}
	return st, nil
}

func providerIn(cfg *config.Config, name string) bool {
	_, ok := cfg.Provider(name)
	return ok
}

// missingFile reports a config file that does not exist, which is fine without a provider name.
func missingFile(err error) bool {
	var re *config.ReadError
	return errors.As(err, &re) && errors.Is(re.Err, fs.ErrNotExist)
}

// mapperError gives NewMapper's errors their exit code: rules that do not compile and mappings
// that lack a rule are unusable input (2); an app that cannot use the provider and an unknown
// permission are the configuration being wrong (1).
func mapperError(err error) error {
	var se *mapping.SyntaxError
	var fe *mapping.FieldError
	if errors.As(err, &se) || errors.As(err, &fe) {
		return shared.RuleError(err)
	}
	return err
}

// single maps one document and prints it.
func single(opts *EvalOptions, st *setup, doc mapping.Document) error {
	if doc.Claims == nil && doc.Userinfo == nil {
		return cmdutil.InputErrorf(`run "ssoctl test-login NAME" again`, "the last test-login result has neither ID token claims nor userinfo")
	}
	m := st.mapper
	u := m.Map(doc)
	m.Resolve(u, mapping.NewConflicts(st.existing, nil, st.seed))
	if opts.Output == "json" {
		if err := cmdutil.PrintJSON(opts.IO.Out, u); err != nil {
			return err
		}
	} else {
		if err := printUser(opts.IO, u); err != nil {
			return err
		}
		printProblems(opts.IO, u.Warnings, u.Errors)
	}
	if opts.Require {
		return requireAll(u)
	}
	return missingRequired(u)
}

// missingRequired fails (exit 1) when a required field is empty: the app would refuse the user.
func missingRequired(u *mapping.User) error {
	var empty []string
	for _, e := range u.Errors {
		if e.Code == mapping.ErrMissingRequired {
			empty = append(empty, e.Field)
		}
	}
	if len(empty) == 0 {
		return nil
	}
	return cmdutil.Failf("fix the rule, or check that the document is the one the provider sends",
		"the required %s empty, so the app would refuse this user", plural(empty))
}

// requireAll fails (exit 1) when a rule selected nothing or a required field is empty.
func requireAll(u *mapping.User) error {
	var missing []string
	for _, r := range u.Rules {
		if !r.Found {
			missing = append(missing, fmt.Sprintf("%s (%s)", r.Field, r.Expr))
		}
	}
	var empty []string
	for _, e := range u.Errors {
		if e.Code == mapping.ErrMissingRequired {
			empty = append(empty, e.Field)
		}
	}
	switch {
	case len(missing) > 0:
		return cmdutil.Failf("fix the rule, or check that the document is the one the provider sends",
			"--require: %s matched nothing", joinAnd(missing))
	case len(empty) > 0:
		return cmdutil.Failf("fix the rule, or check that the document is the one the provider sends",
			"--require: the required %s empty", plural(empty))
	}
	return nil
}

func joinAnd(items []string) string {
	if len(items) == 1 {
		return "rule " + items[0]
	}
	return "rules " + strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(fields []string) string {
	if len(fields) == 1 {
		return "field " + fields[0] + " is"
	}
	return "fields " + strings.Join(fields, " and ") + " are"
}

// many streams NDJSON, or the elements of a JSON array, through package bulk.
func many(ctx context.Context, opts *EvalOptions, st *setup, r io.Reader, in *shared.Input, array bool) error {
	m := st.mapper
	ios := opts.IO
	cs := ios.ErrColorScheme()
	for _, w := range m.Warnings() {
		fmt.Fprintf(ios.ErrOut, "%s %s\n", cs.WarningIcon(), iostreams.Sanitize(w.Message))
	}
	if m.Reads() == mapping.FromIDToken {
		fmt.Fprintf(ios.ErrOut, "%s each line is read as ID token claims: the app reads the ID token only\n", cs.WarningIcon())
	}
	bo := bulk.Options{
		Mapper: m, Existing: st.existing, Seed: st.seed, Workers: opts.Workers,
		Report: opts.Report, FailFast: opts.FailFast, SizeHint: max(in.Size, 0), Elements: array,
	}
	var pb *progressBar
	bo.OnError = func(e *bulk.LineError) {
		pb.clear()
		fmt.Fprintf(ios.ErrOut, "%s %s\n", cs.FailureIcon(), iostreams.Sanitize(e.Error()))
	}
	if ios.IsStderrTTY() {
		bo.Progress = &bulk.Progress{}
		pb = startProgress(ios, bo.Progress, in.Size, opts.Now)
	}
	res, err := bulk.Run(ctx, r, ios.Out, bo)
	pb.stop()
	var le *bulk.LineError
	var ae *bulk.ArrayError
	switch {
	case errors.As(err, &le):
		unit := "line"
		if array {
			unit = "element"
		}
		return cmdutil.WithExitCode(&reported{fmt.Sprintf("stopped at %s %d (--fail-fast); the %d documents before it were mapped", unit, le.Line, res.Users)}, cmdutil.ExitCheckFailed)
	case errors.As(err, &ae) && ae.Around != "":
		hint := "--array-path names the members that lead to the array of users, such as --array-path '$.users' for {\"users\": [...]}"
		if res.Users == 0 {
			return cmdutil.InputErrorf(hint, "%s: %s", in.Name, ae.Error())
		}
		return cmdutil.InputErrorf(hint, "%s: %s; the %d documents before it were mapped", in.Name, ae.Error(), res.Users)
	case errors.As(err, &ae):
		return cmdutil.InputErrorf("give a JSON array of userinfo documents, or NDJSON with one document per line",
			"%s: %s; the %d documents before it were mapped", in.Name, ae.Error(), res.Users)
	case err != nil:
		return err
	}
	if opts.Report {
		if opts.Output == "json" {
			if err := cmdutil.PrintJSON(ios.Out, res.Report); err != nil {
				return err
			}
		} else if err := printReport(ios, res.Report, m); err != nil {
			return err
		}
	}
	if res.Conflicts.Approximate {
		fmt.Fprintf(ios.ErrOut, "%s more than two million usernames: conflicts within the input are found with a fixed-size filter, and a few may be false\n", cs.WarningIcon())
	}
	if res.Users == 0 && res.Malformed == 0 {
		return cmdutil.InputErrorf("give NDJSON with one userinfo document per line, or a JSON array of them", "%s holds no document", in.Name)
	}
	if res.Malformed > 0 {
		if array {
			return cmdutil.Failf("fix or remove the elements reported above; --fail-fast stops at the first",
				"%d of %d elements were malformed and skipped", res.Malformed, res.Lines)
		}
		return cmdutil.Failf("fix or remove the lines reported above; --fail-fast stops at the first",
			"%d of %d lines were malformed and skipped", res.Malformed, res.Lines)
	}
	if res.Incomplete > 0 {
		return cmdutil.Failf("the errors of each line name the rule", "%d of %d users have an empty required field", res.Incomplete, res.Users)
	}
	return nil
}

// reported is an error whose cause was already printed (the malformed line), said in one sentence.
type reported struct{ msg string }

func (r *reported) Error() string { return r.msg }
