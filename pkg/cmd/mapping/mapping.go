// Package mapping implements the `ssoctl map` command group: what a userinfo document becomes in the
// app (eval) and what a JSONPath selects (query). The package is not called map, a Go keyword.
package mapping

import (
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
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(cmdEval.NewCmdEval(f, nil))
	cmd.AddCommand(cmdQuery.NewCmdQuery(f, nil))
	return cmd
}
