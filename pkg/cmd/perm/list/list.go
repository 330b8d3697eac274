// Package list implements `ssoctl perm list`.
package list

import (
	"fmt"
	"strconv"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/perm/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// ListOptions are the inputs of `ssoctl perm list`.
type ListOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.File, error)

	Scheme string
	Output string
}

// NewCmdList returns `ssoctl perm list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Show the bits of a permission scheme",
		Long: heredoc.Doc(`
			Show every bit of a permission scheme: its index, value, name, the app version that
			introduced it and what it allows, followed by notes on the scheme's history and forks.

			On a terminal the bits are shown as a table with the notes below; otherwise one bit per line,
			tab separated (bit index, value, name, since, meaning), and the notes go to standard error.

			Schemes for other apps are defined in the config file, bit being the bit index:

			  permission_schemes:
			    - name: photos
			      bits:
			        - {bit: 0, name: view, meaning: view photos}
			        - {bit: 1, name: upload, meaning: upload photos}
		`),
		Example: heredoc.Doc(`
			$ ssoctl perm list
			$ ssoctl perm list -o json
			$ ssoctl perm list --scheme photos
		`),
		Aliases:           []string{"ls"},
		Args:              cmdutil.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	shared.AddSchemeFlag(cmd, &opts.Scheme, f.Config)
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmdutil.MarkInstant(cmd)
	return cmd
}

func listRun(opts *ListOptions) error {
	s, err := shared.ResolveScheme(opts.Scheme, opts.Config)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, s)
	}

	tty := opts.IO.IsStdoutTTY()
	tp := cmdutil.NewTablePrinter(opts.IO, "bit", "value", "name", "since", "meaning")
	for _, b := range s.Bits {
		tp.AddRow(strconv.Itoa(b.Index), strconv.FormatInt(b.Value, 10), b.Name, shared.OrDash(b.Since, tty), shared.OrDash(b.Meaning, tty))
	}
	if err := tp.Render(); err != nil {
		return err
	}

	if !tty {
		// Notes are not rows: keep stdout parseable and still show them to a person.
		for _, n := range s.Notes {
			fmt.Fprintf(opts.IO.ErrOut, "note: %s\n", n)
		}
		return nil
	}
	fmt.Fprintf(opts.IO.Out, "\nAll bits of scheme %s sum to %d.\n", s.Name, s.Max())
	if len(s.Notes) > 0 {
		fmt.Fprintln(opts.IO.Out, "\nNotes:")
		for _, n := range s.Notes {
			fmt.Fprintf(opts.IO.Out, "  - %s\n", n)
		}
	}
	return nil
}
