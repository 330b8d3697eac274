// Package mapping implements the `ssoctl map` command group: what a userinfo document becomes in the
// app (eval) and what a JSONPath selects (query). The package is not called map, a Go keyword.
package mapping

import (
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	cmdEval "github.com/ssoctl/ssoctl/pkg/cmd/mapping/eval"
	cmdQuery "github.com/ssoctl/ssoctl/pkg/cmd/mapping/query"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// NewCmdMapping returns `ssoctl map` with its subcommands.
func NewCmdMapping(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "map <command>",
		Short: "Evaluate mapping rules: the app user a userinfo document becomes",
		Long: heredoc.Doc(`
			Predict, before anybody logs in, which app user a userinfo document becomes: username,
			email, groups, permission sum and whether the app registers the user, computed the way
			the app (app.kind) computes it. Works on one document, on the last test-login, or on an
			NDJSON export of many users.
		`),
		Example: heredoc.Doc(`
			$ ssoctl map eval github --input user.json
			$ ssoctl map eval --last
			$ ssoctl map query '$.emails[?(@.primary)].email' --input userinfo.json
		`),
		Args: cobra.ArbitraryArgs,
		// Without RunE cobra shows help and exits 0 for `map frob` too; a typo must fail (exit 2).
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			err := cmdutil.FlagErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			hint := fmt.Sprintf("run %q to see its commands", cmd.CommandPath()+" --help")
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				hint = fmt.Sprintf("did you mean %q? %s", s[0], hint)
			}
			return cmdutil.WithHint(err, hint)
		},
	}
	cmd.AddCommand(cmdEval.NewCmdEval(f, nil))
	cmd.AddCommand(cmdQuery.NewCmdQuery(f, nil))
	return cmd
}
