// Package config implements the `ssoctl config` command group: facts about the config file itself.
package config

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	cmdPath "github.com/ssoctl/ssoctl/pkg/cmd/config/path"
	cmdSchema "github.com/ssoctl/ssoctl/pkg/cmd/config/schema"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// NewCmdConfig returns `ssoctl config` with its subcommands.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Show where the config file is and the schema it follows",
		Long: heredoc.Doc(`
			The config file is --config, else $SSOCTL_CONFIG, else ./ssoctl.yaml if it exists, else
			$XDG_CONFIG_HOME/ssoctl/config.yaml. "config path" says which one is used and why;
			"config schema" prints its JSON Schema for editors.
		`),
		Example: heredoc.Doc(`
			$ ssoctl config path
			$ ssoctl config schema > ssoctl.schema.json
		`),
		Args: cobra.ArbitraryArgs,
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(cmdPath.NewCmdPath(f, nil))
	cmd.AddCommand(cmdSchema.NewCmdSchema(f, nil))
	return cmd
}
