package root

import (
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func testFactory() *cmdutil.Factory {
	ios, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
}

// TestTopLevelNames keeps the table's names in step with the commands they build: a name that
// drifted would make its command build the whole tree, or worse, the wrong command.
func TestTopLevelNames(t *testing.T) {
	f := testFactory()
	seen := map[string]bool{}
	for _, c := range topLevelCommands {
		cmd := c.build(f)
		assert.Equal(t, c.name, cmd.Name())
		assert.Empty(t, cmd.Aliases, "%s: an alias would need its own entry in topLevelCommands", c.name)
		assert.False(t, seen[c.name], "%s listed twice", c.name)
		seen[c.name] = true
	}
}

func TestCommandName(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"version"}, "version"},
		{[]string{"provider", "add", "github"}, "provider"},
		{[]string{"--config", "x.yaml", "validate"}, "validate"},
		{[]string{"--config=validate", "perm", "sum"}, "perm"},
		{[]string{"-c", "version", "validate"}, "validate"},
		{[]string{"-cfile.yaml", "validate"}, "validate"},
		{[]string{"--no-color", "validate"}, "validate"},
		{[]string{"--ca-file", "ca.pem", "--no-color", "test-login", "github"}, "test-login"},
		{[]string{"--help"}, ""},
		{[]string{"-h", "validate"}, ""},
		{[]string{"--nope", "validate"}, ""},
		{[]string{"--", "validate"}, ""},
		{[]string{"--config"}, ""},
		{[]string{"help", "validate"}, "help"},
	}
	f := testFactory()
	flags := NewCmdRoot(f).PersistentFlags()
	for _, tt := range tests {
		assert.Equal(t, tt.want, commandName(flags, tt.args), "%q", tt.args)
	}
}

// TestOnlyNamedCommandBuilt: a run builds the command it names and nothing else, and everything
// when it names none.
func TestOnlyNamedCommandBuilt(t *testing.T) {
	f := testFactory()
	names := func(cmd *cobra.Command) []string {
		var n []string
		for _, c := range cmd.Commands() {
			n = append(n, c.Name())
		}
		return n
	}
	assert.Equal(t, []string{"version"}, names(newCmdRoot(f, []string{"version"})))
	assert.Equal(t, []string{"validate"}, names(newCmdRoot(f, []string{"-c", "x", "validate", "--strict"})))
	assert.Len(t, names(newCmdRoot(f, []string{"verison"})), len(topLevelCommands))
	assert.Len(t, names(newCmdRoot(f, []string{"help", "validate"})), len(topLevelCommands))
}

// TestHelpSameWithOneCommand runs `--help` for every command through Run, which builds only the
// command named, and compares it with the help of the whole tree: building less must not change
// what a user sees.
func TestHelpSameWithOneCommand(t *testing.T) {
	f := testFactory()
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			p := append(append([]string{}, path...), sub.Name())
			paths = append(paths, p)
			walk(sub, p)
		}
	}
	walk(NewCmdRoot(f), nil)
	require.Greater(t, len(paths), len(topLevelCommands))

	for _, path := range paths {
		t.Run(strings.Join(path, " "), func(t *testing.T) {
			args := append(append([]string{}, path...), "--help")

			ios, _, want, _ := iostreams.Test()
			full := NewCmdRoot(&cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}})
			full.SetArgs(args)
			require.NoError(t, full.Execute())

			ios, _, got, _ := iostreams.Test()
			require.Equal(t, 0, Run(context.Background(), &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}, args))
			require.NotEmpty(t, want.String())
			assert.Equal(t, want.String(), got.String())
		})
	}
}

// TestInterruptHandlerOnlyWhenNeeded: the interrupt handler is installed for every command but the
// instant ones, and for anything cobra cannot resolve.
func TestInterruptHandlerOnlyWhenNeeded(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"version"}, false},
		{[]string{"perm", "sum", "webdav-read"}, false},
		{[]string{"config", "path"}, false},
		{[]string{"provider", "list", "--config", "nope.yaml"}, false},
		{[]string{"map", "query", "$.a", "--input", "nope.json"}, false},
		{[]string{"validate", "--config", "nope.yaml"}, true},
		{[]string{"provider", "add", "x", "--config", "nope.yaml"}, true},
		{[]string{"test-login", "nope", "--config", "nope.yaml"}, true},
		{[]string{"frobnicate"}, true},
		{[]string{"--help"}, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			installed := false
			run(context.Background(), testFactory(), tt.args, func(ctx context.Context) (context.Context, context.CancelFunc) {
				installed = true
				return context.WithCancel(ctx)
			})
			assert.Equal(t, tt.want, installed)
		})
	}
}
