// Package sum implements `ssoctl perm sum`.
package sum

import (
	"fmt"
	"slices"
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/perm/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// SumOptions are the inputs of `ssoctl perm sum`.
type SumOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.File, error)

	// Items are the permission names and single-bit values, split at commas and spaces.
	Items  []string
	Scheme string
	Output string
}

// NewCmdSum returns `ssoctl perm sum`.
func NewCmdSum(f *cmdutil.Factory, runF func(*SumOptions) error) *cobra.Command {
	opts := &SumOptions{IO: f.IOStreams, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "sum <name | value>...",
		Short: "Add up permission names or bit values into the number apps store",
		Long: heredoc.Docf(`
			Add up permissions given by name (webdav-read, or AList's own key webdav_read) or by the value
			of one bit (256) into the sum that apps such as AList store, for example in
			sso_default_permission. A bit given twice counts once.

			A value made of several bits, such as 768, is refused so that a typo cannot grant several
			rights; use %[1]sssoctl perm decode%[1]s to see what a sum holds. Arguments may also be
			separated by commas.

			When standard output is not a terminal only the sum is printed, for scripts.
		`, "`"),
		Example: heredoc.Doc(`
			$ ssoctl perm sum webdav-read webdav-manage
			768
			$ ssoctl perm sum 8 16 128
			152
			$ ssoctl perm sum write,rename,delete -o json
			$ ssoctl perm sum view upload --scheme photos
		`),
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmdutil.FlagErrorf("cannot sum: at least one permission name or value required")
			}
			return nil
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			s, err := shared.ResolveScheme(opts.Scheme, opts.Config)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			given := splitItems(args)
			var names []string
			for _, b := range s.Bits {
				if !slices.Contains(given, b.Name) && strings.HasPrefix(b.Name, strings.ToLower(toComplete)) {
					names = append(names, b.Name+"\t"+b.Meaning)
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Items = splitItems(args)
			if len(opts.Items) == 0 {
				return cmdutil.FlagErrorf("cannot sum: the arguments hold no permission names or values")
			}
			if runF != nil {
				return runF(opts)
			}
			return sumRun(opts)
		},
	}
	shared.AddSchemeFlag(cmd, &opts.Scheme, f.Config)
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmd.SetFlagErrorFunc(shared.NegativeNumberArgs(func(arg string) error {
		s, err := shared.ResolveScheme(opts.Scheme, opts.Config)
		if err != nil {
			return err
		}
		_, err = s.Sum(arg)
		return shared.ValueError(err, s)
	}))
	cmdutil.MarkInstant(cmd)
	return cmd
}

// splitItems splits arguments at commas and white space, so that a list copied from a config file
// (`webdav-read, webdav-manage`) works as well as separate arguments.
func splitItems(args []string) []string {
	var items []string
	for _, a := range args {
		items = append(items, strings.FieldsFunc(a, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\n'
		})...)
	}
	return items
}

func sumRun(opts *SumOptions) error {
	s, err := shared.ResolveScheme(opts.Scheme, opts.Config)
	if err != nil {
		return err
	}
	// Sum item by item so that an error names the item and a repeated bit can be pointed out.
	var total int64
	firstBy := map[int64]string{}
	var repeats []string
	for _, item := range opts.Items {
		v, err := s.Sum(item)
		if err != nil {
			return shared.ValueError(err, s)
		}
		if first, ok := firstBy[v]; ok {
			repeats = append(repeats, fmt.Sprintf("%q and %q are the same bit (%d)", first, item, v))
			continue
		}
		firstBy[v] = item
		total |= v
	}
	bits, err := s.Decode(total)
	if err != nil {
		return err
	}
	cs := opts.IO.ErrColorScheme()
	for _, r := range repeats {
		fmt.Fprintf(opts.IO.ErrOut, "%s %s; counted once\n", cs.WarningIcon(), r)
	}

	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, shared.Result{Sum: total, Scheme: s.Name, Bits: bits})
	}
	if !opts.IO.IsStdoutTTY() {
		_, err := fmt.Fprintln(opts.IO.Out, total)
		return err
	}
	if _, err := fmt.Fprintf(opts.IO.Out, "%s\n\n", opts.IO.ColorScheme().Bold(fmt.Sprint(total))); err != nil {
		return err
	}
	return shared.PrintBits(opts.IO, bits)
}
