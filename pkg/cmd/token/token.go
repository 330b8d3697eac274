// Package token implements the `ssoctl token` command group: look inside the tokens a login
// produces.
package token

import (
	"fmt"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	cmdDecode "github.com/ssoctl/ssoctl/pkg/cmd/token/decode"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// NewCmdToken returns `ssoctl token` with its subcommands.
func NewCmdToken(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token <command>",
		Short: "Decode and verify ID tokens",
		Long: heredoc.Doc(`
			Look inside a JSON Web Token, such as an ID token an app received or "ssoctl test-login
			--reveal" printed: its header, its claims with readable times, and, with --verify, whether
			its issuer's keys, issuer, audience and times accept it.
		`),
		Example: heredoc.Doc(`
			$ pbpaste | ssoctl token decode
			$ ssoctl token decode --verify --issuer https://kc.example.com/realms/main --audience files < id_token.txt
		`),
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && (strings.HasPrefix(args[0], "eyJ") || strings.Count(args[0], ".") >= 2) {
				// A token where the subcommand belongs: never echo it, it is a credential.
				return cmdutil.WithHint(cmdutil.FlagErrorf("%q needs a subcommand before the token", cmd.CommandPath()),
					fmt.Sprintf("did you mean %q? Pass the token on stdin to keep it out of the shell history", cmd.CommandPath()+" decode"))
			}
			return cmdutil.GroupRunE(cmd, args)
		},
	}
	cmd.AddCommand(cmdDecode.NewCmdDecode(f, nil))
	return cmd
}
