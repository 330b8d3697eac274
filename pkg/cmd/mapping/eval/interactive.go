package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/cmd/mapping/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/tui/workbench"
	validatepkg "github.com/ssoctl/ssoctl/pkg/validate"
)

// saveUpdate is how the workbench writes the file: validated like provider add's write (no new
// error-level finding), unless --no-validate.
func saveUpdate(opts *EvalOptions) workbench.UpdateFunc {
	return func(ctx context.Context, path string, fn func(*config.File) error) error {
		var uopts config.UpdateOptions
		if !opts.NoValidate {
			uopts.Check = validatepkg.Guard(validatepkg.Options{LookupEnv: opts.LookupEnv})
		}
		return config.UpdateWith(ctx, path, uopts, fn)
	}
}

// interactiveRun opens the mapping workbench (map eval -i). The UI draws on stderr and reads keys
// from stdin, so the final mapping it returns can be printed on stdout, as text or -o json, once
// the screen is restored. validate has checked that both are terminals.
func interactiveRun(ctx context.Context, opts *EvalOptions) error {
	rules, err := parseRules(opts.Rules)
	if err != nil {
		return err
	}
	wo := workbench.Options{
		In:              opts.IO.In,
		Out:             opts.IO.ErrOut,
		MappingType:     opts.MappingType,
		Rules:           rules,
		MaxDocumentSize: shared.MaxDocument,
		NoColor:         !opts.IO.ColorEnabledErr(),
		Update:          saveUpdate(opts),
	}

	var last *login.Report
	if opts.Last {
		if last, err = loadLast(opts); err != nil {
			return err
		}
	}
	file, cfgErr := opts.Config()
	switch {
	case cfgErr == nil:
		if _, err := file.Decoded(); err != nil {
			return err
		}
		wo.File = file
	case opts.Name != "" || !missingFile(cfgErr):
		return cfgErr
	}
	name := opts.Name
	if name == "" && last != nil && wo.File != nil && providerIn(wo.File.Config, last.Provider) {
		name = last.Provider
	}
	if name != "" {
		p, ok := wo.File.Config.Provider(name)
		if !ok {
			hint := `add it with "ssoctl provider add", or evaluate without a provider: --mapping-type TYPE`
			if names := wo.File.Config.ProviderNames(); len(names) > 0 {
				hint = "configured providers: " + strings.Join(names, ", ")
			}
			return cmdutil.Failf(hint, "no provider named %q in %s", name, wo.File.Path) // README: exit 1, as everywhere
		}
		wo.Provider = p
	}

	switch {
	case last != nil:
		ll, err := lastLogin(opts, last)
		if err != nil {
			return err
		}
		wo.Document, wo.Claims, wo.Source = ll.Data, ll.Claims, "the last test-login ("+ll.Provider+")"
	case opts.Input == "-":
		return cmdutil.WithHint(cmdutil.FlagErrorf("map eval -i reads keys from standard input, so it cannot read the document there"),
			"give the document with --input FILE")
	case opts.Input != "":
		if wo.Document, err = readOne(opts); err != nil {
			return err
		}
		wo.Source = opts.Input
	default:
		// No document: the workbench offers the last test-login, a file or a sample.
		wo.LastLogin = func() (*workbench.LastLogin, error) {
			rep, err := login.LoadLast(stateDir(opts))
			if err != nil {
				return nil, err
			}
			return lastLogin(opts, rep)
		}
	}
	if last != nil && wo.Provider == nil && wo.MappingType == "" {
		// The last login's provider is gone from the config: its type's preset still applies.
		if _, ok := mapping.Preset(last.Type); ok {
			wo.MappingType = last.Type
		}
	}
	if opts.IDTokenClaims != "" {
		if wo.Claims, err = shared.ReadClaims(opts.IDTokenClaims); err != nil {
			return err
		}
	}

	res, err := workbench.Run(ctx, wo)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, res)
	}
	return res.WriteText(opts.IO.Out)
}

func stateDir(opts *EvalOptions) string {
	return config.StateDir(config.Env{Getenv: func(k string) string { v, _ := opts.LookupEnv(k); return v }})
}

// loadLast reads the last test-login for --last.
func loadLast(opts *EvalOptions) (*login.Report, error) {
	rep, err := login.LoadLast(stateDir(opts))
	if errors.Is(err, login.ErrNoLastLogin) {
		return nil, cmdutil.InputErrorf(`run "ssoctl test-login NAME" first; it keeps its result for --last`, "no test-login result has been saved yet")
	}
	if err != nil {
		return nil, cmdutil.InputErrorf(`run "ssoctl test-login NAME" again`, "cannot read the last test-login result: %v", err)
	}
	return rep, nil
}

// lastLogin turns a saved test-login into the workbench's document: its userinfo, or its ID token
// claims when the provider has no userinfo endpoint.
func lastLogin(opts *EvalOptions, rep *login.Report) (*workbench.LastLogin, error) {
	ll := &workbench.LastLogin{Provider: rep.Provider}
	if rep.IDToken != nil {
		ll.Claims = rep.IDToken.Claims
	}
	var doc any = rep.Userinfo
	if rep.Userinfo == nil {
		doc = ll.Claims
	}
	if doc == nil {
		return nil, cmdutil.InputErrorf(`run "ssoctl test-login NAME" again`, "the last test-login result has neither ID token claims nor userinfo")
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	ll.Data = data
	if st, err := os.Stat(login.LastPath(stateDir(opts))); err == nil {
		ll.When = st.ModTime().Format("2006-01-02 15:04")
	}
	return ll, nil
}

// readOne reads --input as one document, checked the way map eval checks it, so a bad file is
// reported before the screen changes.
func readOne(opts *EvalOptions) ([]byte, error) {
	in, err := shared.Open(opts.IO, opts.Input, "")
	if err != nil {
		return nil, err
	}
	defer in.Close()
	br := bufio.NewReaderSize(in, 1<<20)
	if opts.NDJSON || shared.Detect(br) {
		return nil, cmdutil.WithHint(cmdutil.FlagErrorf("map eval -i works on one document, and %s holds one per line", in.Name),
			"run ssoctl map eval "+orText(opts.Name, "NAME")+" --input "+opts.Input+" --report for a summary of many users")
	}
	data, err := io.ReadAll(io.LimitReader(br, shared.MaxDocument+1))
	if err != nil {
		return nil, cmdutil.InputErrorf("", "cannot read %s: %v", in.Name, err)
	}
	if _, err := shared.ParseDocument(data, in.Name); err != nil {
		return nil, err
	}
	return data, nil
}
