// Package decode implements `ssoctl perm decode`.
package decode

import (
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/perm/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// DecodeOptions are the inputs of `ssoctl perm decode`.
type DecodeOptions struct {
	IO     *iostreams.IOStreams
	Config func() (*config.File, error)

	Value  string
	Scheme string
	Output string
}

// NewCmdDecode returns `ssoctl perm decode`.
func NewCmdDecode(f *cmdutil.Factory, runF func(*DecodeOptions) error) *cobra.Command {
	opts := &DecodeOptions{IO: f.IOStreams, Config: f.Config}
	cmd := &cobra.Command{
		Use:   "decode <sum>",
		Short: "List the permission bits a sum grants",
		Long: heredoc.Doc(`
			List the bits set in a permission sum, such as AList's sso_default_permission or a user's
			permission value, with their names and meanings.

			On a terminal the bits are shown as a table; otherwise one bit per line, tab separated:
			bit index, value, name, meaning. A sum with bits the scheme does not define is refused.
		`),
		Example: heredoc.Doc(`
			$ ssoctl perm decode 768
			$ ssoctl perm decode 152 -o json
			$ ssoctl perm decode 3 --scheme photos
		`),
		Args: cmdutil.ExactArgs(1, "cannot decode: permission sum argument required"),
		// A sum has nothing to complete, and file names would only mislead.
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Value = args[0]
			if runF != nil {
				return runF(opts)
			}
			return decodeRun(opts)
		},
	}
	shared.AddSchemeFlag(cmd, &opts.Scheme, f.Config)
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmd.SetFlagErrorFunc(shared.NegativeNumberArgs(func(arg string) error {
		_, _, _, err := decode(opts, arg)
		return err
	}))
	cmdutil.MarkInstant(cmd)
	return cmd
}

// decode resolves the scheme and the bits of value.
func decode(opts *DecodeOptions, value string) (*perm.Scheme, int64, []perm.Bit, error) {
	s, err := shared.ResolveScheme(opts.Scheme, opts.Config)
	if err != nil {
		return nil, 0, nil, err
	}
	n, err := perm.ParseValue(value)
	if err != nil {
		return nil, 0, nil, shared.ValueError(err, s)
	}
	bits, err := s.Decode(n)
	if err != nil {
		return nil, 0, nil, err
	}
	return s, n, bits, nil
}

func decodeRun(opts *DecodeOptions) error {
	s, n, bits, err := decode(opts, opts.Value)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, shared.Result{Sum: n, Scheme: s.Name, Bits: bits})
	}
	if len(bits) == 0 && opts.IO.IsStdoutTTY() {
		// An empty table would look like a failure; say what 0 means instead.
		_, err := fmt.Fprintf(opts.IO.ErrOut, "0 grants no permissions in scheme %s\n", s.Name)
		return err
	}
	return shared.PrintBits(opts.IO, bits)
}
