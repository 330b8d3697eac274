package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"
)

// GroupRunE is the RunE of a command that only groups subcommands (`ssoctl provider`, and the root
// itself): without arguments it shows the help; with one, that argument is no subcommand, and the
// result is a usage error (exit 2) that names the closest subcommand. Without a RunE cobra shows the
// help and exits 0 for `ssoctl provider frob`, so a typo in a script would pass unnoticed. The command
// needs Args: cobra.ArbitraryArgs, or cobra reports the root's unknown commands itself, over several
// lines.
func GroupRunE(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	err := FlagErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
	hint := fmt.Sprintf("run %q to see its commands", cmd.CommandPath()+" --help")
	if cmd.SuggestionsMinimumDistance <= 0 {
		// cobra sets its default distance only on its own lookup path, which a RunE bypasses.
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf("did you mean %q? %s", s[0], hint)
	}
	return WithHint(err, hint)
}
