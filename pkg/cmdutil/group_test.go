package cmdutil

import (
	"bytes"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroupRunE(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantHelp bool
		wantErr  string
		wantHint string
	}{
		{name: "no subcommand shows help", args: nil, wantHelp: true},
		{name: "prefix of a subcommand", args: []string{"su"}, wantErr: `unknown command "su" for "app group"`,
			wantHint: `did you mean "sum"? run "app group --help" to see its commands`},
		// cobra leaves the distance at 0 on this path, which found no typo at all.
		{name: "typo of a subcommand", args: []string{"sume"}, wantErr: `unknown command "sume" for "app group"`,
			wantHint: `did you mean "sum"? run "app group --help" to see its commands`},
		{name: "nothing close", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate" for "app group"`,
			wantHint: `run "app group --help" to see its commands`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := &cobra.Command{Use: "app"}
			group := &cobra.Command{Use: "group <command>", Args: cobra.ArbitraryArgs, RunE: GroupRunE}
			group.AddCommand(&cobra.Command{Use: "sum", Short: "Add up", Run: func(*cobra.Command, []string) {}})
			root.AddCommand(group)
			var out bytes.Buffer
			root.SetOut(&out)
			root.SetErr(&out)
			root.SilenceErrors, root.SilenceUsage = true, true
			root.SetArgs(append([]string{"group"}, tt.args...))
			err := root.Execute()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.wantHint, HintOf(err))
				assert.Equal(t, ExitUsage, ExitCodeOf(err))
				assert.Empty(t, out.String())
				return
			}
			require.NoError(t, err)
			assert.Contains(t, out.String(), "sum         Add up")
		})
	}
}
