package root

import (
	"github.com/spf13/cobra"

	cmdPerm "github.com/ssoctl/ssoctl/pkg/cmd/perm"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// addCommands registers the command groups. One line per group keeps concurrent additions simple.
func addCommands(cmd *cobra.Command, f *cmdutil.Factory) {
	cmd.AddCommand(cmdPerm.NewCmdPerm(f))
}
