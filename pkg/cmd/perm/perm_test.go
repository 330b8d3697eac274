package perm

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestNewCmdPerm(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantOut  string
		wantErr  string
		wantHint string
	}{
		{name: "no subcommand shows help", args: []string{}, wantOut: "  decode      List the permission bits a sum grants\n"},
		{name: "typo", args: []string{"su", "write"}, wantErr: `unknown command "su" for "perm"`,
			wantHint: `did you mean "sum"? run "perm --help" to see its commands`},
		{name: "typo that is no prefix", args: []string{"sume"}, wantErr: `unknown command "sume" for "perm"`,
			wantHint: `did you mean "sum"? run "perm --help" to see its commands`},
		{name: "unknown", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate" for "perm"`,
			wantHint: `run "perm --help" to see its commands`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			cmd := NewCmdPerm(&cmdutil.Factory{IOStreams: ios})
			var out bytes.Buffer
			cmd.SetOut(&out)
			cmd.SetErr(&out)
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.wantHint, cmdutil.HintOf(err))
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Contains(t, out.String(), tt.wantOut)
		})
	}
}
