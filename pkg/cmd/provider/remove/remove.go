// Package remove implements `ssoctl provider remove`.
package remove

import (
	"context"
	"errors"
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/provider/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/tui/providerform"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// RemoveOptions are the inputs of `ssoctl provider remove`.
type RemoveOptions struct {
	IO         *iostreams.IOStreams
	Config     func() (*config.File, error)
	ConfigPath func() (string, config.PathSource)
	// Confirm asks the user a yes/no question on the terminal.
	Confirm func(ctx context.Context, question string) (bool, error)

	Name string
	Yes  bool
	// NoValidate writes the file even when the result has an error-level finding it did not have.
	NoValidate bool
	LookupEnv  func(string) (string, bool)
}

// NewCmdRemove returns `ssoctl provider remove`.
func NewCmdRemove(f *cmdutil.Factory, runF func(*RemoveOptions) error) *cobra.Command {
	opts := &RemoveOptions{IO: f.IOStreams, Config: f.Config, ConfigPath: f.ConfigPath, LookupEnv: f.LookupEnv}
	opts.Confirm = func(ctx context.Context, question string) (bool, error) {
		_, accessible := lookupEnv(f, "ACCESSIBLE")
		return providerform.Confirm(ctx, question, providerform.Options{In: opts.IO.In, Out: opts.IO.ErrOut, Accessible: accessible})
	}
	cmd := &cobra.Command{
		Use:     "remove <name>",
		Aliases: []string{"rm"},
		Short:   "Remove a provider from the config file",
		Long: heredoc.Doc(`
			Remove a provider's entry from the config file, together with the comment lines directly
			above it. The rest of the file keeps its comments and formatting.

			The file is written only if it is a regular file: a symlink is followed and its target
			written; a device, named pipe, socket or directory is refused (exit 2), and so is a file
			you may not write (read-only, or another user's): it is never replaced.

			The result is validated offline before it is written: when it has an error the file did
			not have, nothing is written (exit 1) unless --no-validate.

			On a terminal it asks for confirmation unless --yes is given; without a terminal --yes is
			required, so that a script never deletes by accident.
		`),
		Example: heredoc.Doc(`
			$ ssoctl provider remove github
			$ ssoctl provider remove github --yes
		`),
		Args:              cmdutil.ExactArgs(1, "cannot remove provider: name argument required"),
		ValidArgsFunction: shared.CompleteNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Name = args[0]
			if !opts.IO.CanPrompt() && !opts.Yes {
				return cmdutil.FlagErrorf("--yes required when not running interactively")
			}
			if runF != nil {
				return runF(opts)
			}
			return removeRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "Remove without asking for confirmation")
	cmd.Flags().BoolVar(&opts.NoValidate, "no-validate", false, "Write even when the result has an error \"ssoctl validate\" would report")
	return cmd
}

func lookupEnv(f *cmdutil.Factory, name string) (string, bool) {
	if f.LookupEnv == nil {
		return "", false
	}
	return f.LookupEnv(name)
}

func removeRun(ctx context.Context, opts *RemoveOptions) error {
	path, _ := opts.ConfigPath()
	f, cfg, err := shared.Load(opts.Config, path)
	if err != nil {
		return err
	}
	// Check the name before asking, so that a typo is reported with a did-you-mean rather than
	// after a confirmation.
	if _, err := shared.Find(f, cfg, opts.Name); err != nil {
		return err
	}
	if !opts.Yes {
		ok, err := opts.Confirm(ctx, fmt.Sprintf("Remove provider %q from %s?", opts.Name, f.Path))
		switch {
		case errors.Is(err, providerform.ErrAborted):
			fmt.Fprintln(opts.IO.ErrOut, "Nothing removed.")
			return cmdutil.WithExitCode(err, cmdutil.ExitInterrupted)
		case err != nil:
			return err
		case !ok:
			// Answering no is a decision, not a failure: like rm -i, exit 0.
			fmt.Fprintln(opts.IO.ErrOut, "Nothing removed.")
			return nil
		}
	}
	uopts := config.UpdateOptions{Loaded: f}
	if !opts.NoValidate {
		uopts.Check = validate.Guard(validate.Options{LookupEnv: opts.LookupEnv})
	}
	if err := config.UpdateWith(ctx, f.Path, uopts, func(cf *config.File) error { return cf.RemoveProvider(opts.Name) }); err != nil {
		return err
	}
	cs := opts.IO.ErrColorScheme()
	fmt.Fprintf(opts.IO.ErrOut, "%s Removed provider %s from %s\n", cs.SuccessIcon(), opts.Name, f.Path)
	return nil
}
