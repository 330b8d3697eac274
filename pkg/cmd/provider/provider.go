// Package provider implements `ssoctl provider`, the command group that registers SSO providers in
// the config file and shows what ssoctl knows about each platform.
package provider

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	cmdAdd "github.com/ssoctl/ssoctl/pkg/cmd/provider/add"
	cmdList "github.com/ssoctl/ssoctl/pkg/cmd/provider/list"
	cmdPresets "github.com/ssoctl/ssoctl/pkg/cmd/provider/presets"
	cmdRemove "github.com/ssoctl/ssoctl/pkg/cmd/provider/remove"
	cmdShow "github.com/ssoctl/ssoctl/pkg/cmd/provider/show"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// NewCmdProvider returns `ssoctl provider` with its subcommands.
func NewCmdProvider(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "provider <command>",
		Short: "Manage the SSO providers in the config file",
		Long: heredoc.Doc(`
			Register SSO providers (GitHub, Google, Microsoft Entra ID, DingTalk, Lark/Feishu, Casdoor, any
			OpenID Connect provider or a custom OAuth 2.0 server) in the config file, and see what ssoctl
			knows about each platform.

			The file holds only what you give; each type's preset fills in endpoints and scopes when a
			command runs, so "ssoctl provider presets" shows the defaults.
		`),
		Example: heredoc.Doc(`
			$ ssoctl provider presets
			$ ssoctl provider add github --type github --client-id Iv1.abc --client-secret-env GITHUB_CLIENT_SECRET
			$ ssoctl provider list
			$ ssoctl provider show github
			$ ssoctl provider remove github --yes
		`),
		Args: cobra.ArbitraryArgs,
		RunE: cmdutil.GroupRunE,
	}
	cmd.AddCommand(cmdAdd.NewCmdAdd(f, nil))
	cmd.AddCommand(cmdList.NewCmdList(f, nil))
	cmd.AddCommand(cmdShow.NewCmdShow(f, nil))
	cmd.AddCommand(cmdRemove.NewCmdRemove(f, nil))
	cmd.AddCommand(cmdPresets.NewCmdPresets(f, nil))
	return cmd
}
