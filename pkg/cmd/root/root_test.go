package root

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"plain error is a failed check", errors.New("boom"), 1},
		{"flag error", cmdutil.FlagErrorf("bad flag"), 2},
		{"input error", cmdutil.InputErrorf("", "unreadable"), 2},
		{"fail", cmdutil.Failf("", "wrong"), 1},
		{"silent", cmdutil.ErrSilent, 1},
		{"wrapped parse error", fmt.Errorf("load: %w", &config.ParseError{Path: "x"}), 2},
		{"cobra unknown command", errors.New(`unknown command "x" for "ssoctl"`), 2},
		{"cobra unknown flag", errors.New("unknown flag: --nope"), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, exitCode(tt.err))
		})
	}
}

func TestPrintError(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantStderr string
	}{
		{"with hint", cmdutil.Failf("do this", "it failed"), "error: it failed\nhint: do this\n"},
		{"without hint", errors.New("it failed"), "error: it failed\n"},
		{"flag error gets a usage hint naming the command", cmdutil.FlagErrorf("bad"), "error: bad\nhint: run \"ssoctl perm sum --help\" for usage\n"},
		{"cobra's own usage error too", errors.New("unknown flag: --nope"), "error: unknown flag: --nope\nhint: run \"ssoctl perm sum --help\" for usage\n"},
		{"silent prints nothing", cmdutil.ErrSilent, ""},
		{"a provider's words cannot drive the terminal", cmdutil.Failf("see \x1b]8;;https://evil.example\x07here", "login failed: access_denied: nope\r\x1b[2K✓ verified\u202e"),
			"error: login failed: access_denied: nope\\r\\x1b[2K✓ verified\\u202e\nhint: see \\x1b]8;;https://evil.example\\x07here\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			printError(ios, tt.err, "ssoctl perm sum")
			assert.Equal(t, tt.wantStderr, errOut.String())
		})
	}
}

func TestRunInterrupted(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
	// Any failure after Ctrl-C (here a usage error) is reported as an interruption, exit 130.
	assert.Equal(t, 130, Run(ctx, f, []string{"version", "-o", "nope"}))
	assert.Equal(t, "interrupted\n", errOut.String())
}

// TestRunUsageErrors runs whole command lines: a usage error is one sentence and a hint that names the
// command's own help, with exit 2, at the root as in a group.
func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{name: "unknown command", args: []string{"frobnicate"},
			wantStderr: "error: unknown command \"frobnicate\" for \"ssoctl\"\nhint: run \"ssoctl --help\" to see its commands\n"},
		{name: "typo of a command", args: []string{"verison"},
			wantStderr: "error: unknown command \"verison\" for \"ssoctl\"\nhint: did you mean \"version\"? run \"ssoctl --help\" to see its commands\n"},
		{name: "unknown flag of a subcommand", args: []string{"version", "--nope"},
			wantStderr: "error: unknown flag: --nope\nhint: run \"ssoctl version --help\" for usage\n"},
		{name: "unexpected argument", args: []string{"version", "x"},
			wantStderr: "error: unexpected argument \"x\" for \"ssoctl version\"\nhint: run \"ssoctl version --help\" for usage\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
			assert.Equal(t, 2, Run(context.Background(), f, tt.args))
			assert.Equal(t, tt.wantStderr, errOut.String())
			assert.Empty(t, out.String())
		})
	}
}

// TestExamplesFormatted: help shows every command's examples indented under their heading, with one
// blank line after them, whatever heredoc the command wrote them in.
func TestExamplesFormatted(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Example != "" {
			t.Run(c.CommandPath(), func(t *testing.T) {
				assert.False(t, strings.HasSuffix(c.Example, "\n"), "trailing newline")
				for _, line := range strings.Split(c.Example, "\n") {
					assert.True(t, strings.HasPrefix(line, "  "), "line not indented: %q", line)
				}
			})
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)

	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
	assert.Equal(t, 0, Run(context.Background(), f, []string{"perm", "list", "--help"}))
	assert.Contains(t, out.String(), "Examples:\n  $ ssoctl perm list\n  $ ssoctl perm list -o json\n  $ ssoctl perm list --scheme photos\n\nFlags:\n")
}

func TestReportPanic(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	assert.Equal(t, 1, reportPanic(ios, "index out of range [3] with length 3", false))
	assert.Equal(t, "error: ssoctl hit an internal error: index out of range [3] with length 3\n"+
		"hint: this is a bug in ssoctl: please report it with the command you ran and the output of SSOCTL_DEBUG=1 ssoctl …\n", errOut.String())
	assert.NotContains(t, errOut.String(), "goroutine")

	ios, _, _, errOut = iostreams.Test()
	reportPanic(ios, "boom", true)
	assert.Contains(t, errOut.String(), "goroutine", "SSOCTL_DEBUG shows the stack")
}

func TestNumberFlagError(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a number", []string{"perm", "decode", "1", "--scheme", "alist", "--no-such"}, "unknown flag: --no-such"},
		{"pflag int", []string{"demo", "--port", "abc"}, `error: invalid argument "abc" for "--port" flag: not a whole number`},
		{"pflag int range", []string{"demo", "--port", "99999999999999999999999"}, `error: invalid argument "99999999999999999999999" for "--port" flag: the number is out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
			assert.Equal(t, 2, Run(context.Background(), f, tt.args))
			assert.Contains(t, errOut.String(), tt.want)
			assert.NotContains(t, errOut.String(), "strconv")
		})
	}
}

// TestDeferredHelp: a command's deferred long help (cmdutil.DeferLong) is not built by a run that
// shows no help, and help shows it finished, whether the run built one command or the whole tree.
func TestDeferredHelp(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
	cmd := newCmdRoot(f, []string{"test-login", "local"})
	login, _, err := cmd.Find([]string{"test-login"})
	require.NoError(t, err)
	assert.NotContains(t, login.Long, "Doctor codes:", "built by a run that shows no help")

	for _, args := range [][]string{{"test-login", "--help"}, {"help", "test-login"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
			require.Equal(t, 0, Run(context.Background(), f, args))
			assert.True(t, strings.HasPrefix(out.String(), "Run one real authorization-code login"), "un-indented: %q", out.String()[:80])
			assert.Contains(t, out.String(), "\nDoctor codes:\n  DOC001  error    ")
			assert.Contains(t, out.String(), "Examples:\n  $ ssoctl test-login authentik\n")
		})
	}
}
