// Package root builds the ssoctl command tree and turns a command's error into the message and exit
// code the user sees. It is the only place that decides exit codes.
package root

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/factory"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// NewCmdRoot returns the root command with every subcommand.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	cmd := newCmdRoot(f, nil)
	finishHelp(cmd) // for callers that read the help text itself, such as the man page generator
	return cmd
}

// newCmdRoot returns the root command with the subcommands that args can run: only the one they
// name, or all of them (see addCommands). Their help text is finished when help is shown
// (finishHelp), not on every run.
func newCmdRoot(f *cmdutil.Factory, args []string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ssoctl <command> <subcommand> [flags]",
		Short: "Configure, test and diagnose single sign-on for self-hosted apps",
		// Plain strings, not heredoc.Doc as elsewhere: the root is built on every run, and in a fresh
		// process un-indenting them touches heap pages that nothing else in `ssoctl version` needs.
		Long: "Configure, test and diagnose single sign-on (OAuth 2.0 / OpenID Connect) for self-hosted apps\n" +
			"such as AList, PhotoPrism, InvenTree and LobeChat.\n\n" +
			"Providers live in one config file: --config, else $SSOCTL_CONFIG, else ./ssoctl.yaml if it\n" +
			"exists, else $XDG_CONFIG_HOME/ssoctl/config.yaml.\n",
		Example: "$ ssoctl provider add github --type github --client-id Iv1.abc --client-secret-env GITHUB_CLIENT_SECRET\n" +
			"$ ssoctl validate\n" +
			"$ ssoctl perm sum webdav-read webdav-manage\n",
		SilenceErrors: true,
		SilenceUsage:  true,
		// Unknown commands come to GroupRunE, so that they are reported like a group's: one sentence
		// and a did-you-mean hint, not cobra's several lines.
		Args: cobra.ArbitraryArgs,
		RunE: cmdutil.GroupRunE,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			f.SetContext(cmd.Context())
			if f.Global.NoColor {
				f.IOStreams.SetColorEnabled(false)
			}
		},
	}
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(plainFlagError(err)) })

	pf := cmd.PersistentFlags()
	pf.StringVarP(&f.Global.ConfigPath, "config", "c", "", "Config file (default: $SSOCTL_CONFIG, ./ssoctl.yaml, $XDG_CONFIG_HOME/ssoctl/config.yaml)")
	pf.StringVar(&f.Global.CAFile, "ca-file", "", "Trust the CA certificates in this PEM file (private identity providers)")
	pf.BoolVar(&f.Global.NoColor, "no-color", false, "Disable colour output")
	// Listed for --help; run turns "ssoctl --version" into "ssoctl version" before parsing.
	cmd.Flags().Bool("version", false, `Print ssoctl's version, as "ssoctl version" does`)

	addCommands(cmd, f, commandName(pf, args))
	showHelp := cmd.HelpFunc() // cobra's own
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		finishHelp(cmd)
		showHelp(c, args)
	})
	return cmd
}

// finishHelp builds the help text of root's tree that commands defer (cmdutil.DeferLong) and
// formats its examples, once: a run that shows no help skips the work.
func finishHelp(root *cobra.Command) {
	if root.Annotations[helpFinished] != "" {
		return
	}
	if root.Annotations == nil {
		root.Annotations = map[string]string{}
	}
	root.Annotations[helpFinished] = "true"
	cmdutil.ResolveLong(root)
	formatExamples(root)
}

// helpFinished is the root annotation that says finishHelp has run.
const helpFinished = "ssoctl/help-finished"

// formatExamples indents every command's examples under their heading, as gh shows them, and drops
// the heredoc's final newline, which cobra's help template would follow with a blank line of its
// own. Commands write their examples flush left; doing it here keeps that the same everywhere.
func formatExamples(cmd *cobra.Command) {
	if ex := strings.TrimRight(cmd.Example, "\n"); ex != "" {
		cmd.Example = "  " + strings.ReplaceAll(ex, "\n", "\n  ")
	}
	for _, c := range cmd.Commands() {
		formatExamples(c)
	}
}

// Main runs ssoctl and returns its exit code. Ctrl-C and SIGTERM cancel the command's context, so
// that it can stop cleanly and exit 130, unless the command is instant (cmdutil.MarkInstant).
func Main() int { return MainWith(factory.New()) }

// MainWith is Main with the given factory; end-to-end tests use it to give the real command line a
// fixed clock.
func MainWith(f *cmdutil.Factory) int {
	return run(context.Background(), f, os.Args[1:], func(ctx context.Context) (context.Context, context.CancelFunc) {
		return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	})
}

// Run executes the command line args and returns the exit code; tests call it in process.
func Run(ctx context.Context, f *cmdutil.Factory, args []string) int {
	return run(ctx, f, args, nil)
}

// run is Run, with onInterrupt, when not nil, deriving the context that interrupts cancel.
func run(ctx context.Context, f *cmdutil.Factory, args []string, onInterrupt func(context.Context) (context.Context, context.CancelFunc)) (code int) {
	// A bug must still end in one sentence, not a Go stack trace (SPEC: "never a Go stack trace");
	// SSOCTL_DEBUG=1 shows the stack for a bug report.
	defer func() {
		if p := recover(); p != nil {
			code = reportPanic(f.IOStreams, p, os.Getenv("SSOCTL_DEBUG") != "")
		}
	}()
	if len(args) > 0 && args[0] == "--version" {
		// The flag users try first, as with most CLIs: the same output as the version command
		// (including its -o json).
		args = append([]string{"version"}, args[1:]...)
	}
	cmd := newCmdRoot(f, args)
	cmd.SetArgs(args)
	if onInterrupt != nil {
		if target, _, err := cmd.Find(args); err != nil || !cmdutil.IsInstant(target) {
			var stop context.CancelFunc
			ctx, stop = onInterrupt(ctx)
			defer stop()
		}
	}
	ran, err := cmd.ExecuteContextC(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		fmt.Fprintln(f.IOStreams.ErrOut, "interrupted")
		return cmdutil.ExitInterrupted
	}
	path := cmd.CommandPath()
	if ran != nil {
		path = ran.CommandPath()
	}
	printError(f.IOStreams, err, path)
	return exitCode(err)
}

// strconvMessage matches what pflag passes through from strconv for a number flag, which names Go
// functions rather than the problem. Compiled on first use: nothing is built at startup.
var strconvMessage = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`strconv\.Parse\w+: parsing "[^"]*": (invalid syntax|value out of range)`)
})

// plainFlagError rewrites strconv's wording in a flag error into words a user reads.
func plainFlagError(err error) error {
	msg := err.Error()
	plain := strconvMessage().ReplaceAllStringFunc(msg, func(m string) string {
		if strings.HasSuffix(m, "value out of range") {
			return "the number is out of range"
		}
		return "not a whole number"
	})
	if plain == msg {
		return err
	}
	return errors.New(plain)
}

// reportPanic prints an internal error as one sentence with a hint, and the stack only when asked.
func reportPanic(ios *iostreams.IOStreams, p any, withStack bool) int {
	cs := ios.ErrColorScheme()
	fmt.Fprintf(ios.ErrOut, "%s ssoctl hit an internal error: %v\n", cs.Red("error:"), p)
	if withStack {
		fmt.Fprintf(ios.ErrOut, "%s\n", debug.Stack())
	}
	fmt.Fprintf(ios.ErrOut, "%s this is a bug in ssoctl: please report it with the command you ran and the output of SSOCTL_DEBUG=1 ssoctl …\n", cs.Cyan("hint:"))
	return cmdutil.ExitCheckFailed
}

func exitCode(err error) int {
	var c cmdutil.ExitCoder
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	if isCobraUsageError(err) {
		return cmdutil.ExitUsage
	}
	return cmdutil.ExitCheckFailed
}

// isCobraUsageError recognises the errors cobra returns itself, which carry no type.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "required flag", "accepts ", "requires at least", "if any flags in the group"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

// printError writes the error and its hint to stderr. A usage error without a hint of its own points
// at the help of cmdPath, the command whose flags or arguments were wrong.
func printError(ios *iostreams.IOStreams, err error, cmdPath string) {
	var silent *cmdutil.SilentError
	if errors.As(err, &silent) {
		return
	}
	cs := ios.ErrColorScheme()
	// An error often quotes what a provider, the config file or a document said (error_description,
	// a claim, a value): escape what a terminal would obey, so that it cannot forge lines or set the
	// window title. ssoctl's own errors are one line, so a newline is escaped too.
	fmt.Fprintf(ios.ErrOut, "%s %s\n", cs.Red("error:"), iostreams.Sanitize(err.Error()))
	hint := iostreams.Sanitize(cmdutil.HintOf(err))
	var fe *cmdutil.FlagError
	if hint == "" && (errors.As(err, &fe) || isCobraUsageError(err)) {
		hint = fmt.Sprintf("run %q for usage", cmdPath+" --help")
	}
	if hint != "" {
		fmt.Fprintf(ios.ErrOut, "%s %s\n", cs.Cyan("hint:"), hint)
	}
}
