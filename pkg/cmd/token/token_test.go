package token

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestNewCmdToken(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantOut  string
		wantErr  string
		wantHint string
	}{
		{name: "no subcommand shows help", args: []string{}, wantOut: "  decode      Show a JWT's header and claims"},
		{name: "typo", args: []string{"decod"}, wantErr: `unknown command "decod" for "token"`,
			wantHint: `did you mean "decode"? run "token --help" to see its commands`},
		{name: "a token instead of a subcommand is not echoed", args: []string{"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"},
			wantErr: `"token" needs a subcommand before the token`, wantHint: `did you mean "token decode"? Pass the token on stdin to keep it out of the shell history`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			cmd := NewCmdToken(&cmdutil.Factory{IOStreams: ios})
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
