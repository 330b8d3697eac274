package root

import (
	"github.com/spf13/cobra"

	cmdConfig "github.com/ssoctl/ssoctl/pkg/cmd/config"
	cmdDemo "github.com/ssoctl/ssoctl/pkg/cmd/demo"
	cmdDiscover "github.com/ssoctl/ssoctl/pkg/cmd/discover"
	cmdExport "github.com/ssoctl/ssoctl/pkg/cmd/export"
	cmdMapping "github.com/ssoctl/ssoctl/pkg/cmd/mapping"
	cmdPerm "github.com/ssoctl/ssoctl/pkg/cmd/perm"
	cmdProvider "github.com/ssoctl/ssoctl/pkg/cmd/provider"
	cmdTestLogin "github.com/ssoctl/ssoctl/pkg/cmd/testlogin"
	cmdToken "github.com/ssoctl/ssoctl/pkg/cmd/token"
	cmdValidate "github.com/ssoctl/ssoctl/pkg/cmd/validate"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// addCommands registers the command groups. One line per group keeps concurrent additions simple.
func addCommands(cmd *cobra.Command, f *cmdutil.Factory) {
	cmd.AddCommand(cmdPerm.NewCmdPerm(f))
	cmd.AddCommand(cmdProvider.NewCmdProvider(f))
	cmd.AddCommand(cmdValidate.NewCmdValidate(f, nil))
	cmd.AddCommand(cmdConfig.NewCmdConfig(f))
	cmd.AddCommand(cmdTestLogin.NewCmdTestLogin(f, nil))
	cmd.AddCommand(cmdDiscover.NewCmdDiscover(f, nil))
	cmd.AddCommand(cmdToken.NewCmdToken(f))
	cmd.AddCommand(cmdDemo.NewCmdDemo(f, nil))
	cmd.AddCommand(cmdExport.NewCmdExport(f, nil))
	cmd.AddCommand(cmdMapping.NewCmdMapping(f))
}
