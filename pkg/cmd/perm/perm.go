// Package perm implements the `ssoctl perm` command group: permission bit sums for apps such as
// AList, which store a user's rights as one number.
package perm

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	cmdDecode "github.com/ssoctl/ssoctl/pkg/cmd/perm/decode"
	cmdList "github.com/ssoctl/ssoctl/pkg/cmd/perm/list"
	cmdSum "github.com/ssoctl/ssoctl/pkg/cmd/perm/sum"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// NewCmdPerm returns `ssoctl perm` with its subcommands.
func NewCmdPerm(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "perm <command>",
		Short: "Compute and explain permission bit sums",
		Long: heredoc.Doc(`
			Apps such as AList store a user's rights as one number whose bits each grant a right, and
			admins type that number into forms such as AList's sso_default_permission. These commands
			turn permission names into that number and back.

			The default scheme is alist (AList's bits as of v3.63.0). Other apps' schemes can be defined
			under permission_schemes: in the config file and chosen with --scheme; built-in schemes need
			no config file.
		`),
		Example: heredoc.Doc(`
			$ ssoctl perm sum webdav-read webdav-manage
			768
			$ ssoctl perm decode 152
			$ ssoctl perm list
		`),
		Args: cobra.ArbitraryArgs,
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(cmdSum.NewCmdSum(f, nil))
	cmd.AddCommand(cmdDecode.NewCmdDecode(f, nil))
	cmd.AddCommand(cmdList.NewCmdList(f, nil))
	return cmd
}
