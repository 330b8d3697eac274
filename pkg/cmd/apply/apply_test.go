package apply

import (
	"io"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// The runs against the real AList and OpenList are in e2e/apps (apply_test.go); usage errors in
// testdata/script/apply_usage.txtar.

func TestNewCmdApply(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     ApplyOptions
		wantErr  string
		wantCode int
	}{
		{name: "all flags", args: []string{"idp", "--target", "openlist", "--url", "http://127.0.0.1:5244", "--token", "env:T", "--yes", "-o", "json"},
			want: ApplyOptions{Name: "idp", Target: "openlist", URL: "http://127.0.0.1:5244", Token: "env:T", Yes: true, Output: "json"}},
		{name: "check", args: []string{"idp", "--token", "file:/run/secrets/alist", "--check"},
			want: ApplyOptions{Name: "idp", Token: "file:/run/secrets/alist", Check: true, Output: "text"}},
		{name: "no name", args: []string{}, wantErr: "cannot apply: provider name argument required", wantCode: 2},
		// cobra checks flag groups after FlagErrorFunc; root maps the error to exit 2
		// (testdata/script/apply_usage.txtar).
		{name: "yes and check", args: []string{"idp", "--yes", "--check"},
			wantErr: "if any flags in the group [yes check] are set none of the others can be; [check yes] were all set"},
		{name: "target without an admin API", args: []string{"idp", "-t", "photoprism"},
			wantErr: `invalid argument "photoprism" for "-t, --target" flag: valid values are {alist}|{openlist}`, wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			var got *ApplyOptions
			cmd := NewCmdApply(f, func(o *ApplyOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				if tt.wantCode != 0 {
					assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				}
				return
			}
			require.NoError(t, err)
			got.IO, got.Config, got.HttpClient, got.LookupEnv, got.Context = nil, nil, nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}
