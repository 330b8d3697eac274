package sum

import (
	"io"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

const photosYAML = `version: 1
permission_schemes:
  - name: photos
    bits:
      - {bit: 0, name: view, meaning: view photos}
      - {bit: 1, name: upload, meaning: upload photos}
`

func photosConfig() (*config.File, error) { return config.Parse("ssoctl.yaml", []byte(photosYAML)) }

func TestNewCmdSum(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     SumOptions
		wantErr  string
		wantCode int
	}{
		{name: "names", args: []string{"webdav-read", "webdav-manage"},
			want: SumOptions{Items: []string{"webdav-read", "webdav-manage"}, Scheme: "alist", Output: "text"}},
		{name: "values", args: []string{"8", "16", "128"},
			want: SumOptions{Items: []string{"8", "16", "128"}, Scheme: "alist", Output: "text"}},
		{name: "commas and spaces", args: []string{"write,rename, delete", "copy"},
			want: SumOptions{Items: []string{"write", "rename", "delete", "copy"}, Scheme: "alist", Output: "text"}},
		{name: "scheme and json", args: []string{"view", "--scheme", "photos", "-o", "json"},
			want: SumOptions{Items: []string{"view"}, Scheme: "photos", Output: "json"}},
		{name: "no arguments", args: []string{},
			wantErr: "cannot sum: at least one permission name or value required", wantCode: 2},
		{name: "only separators", args: []string{",", " "},
			wantErr: "cannot sum: the arguments hold no permission names or values", wantCode: 2},
		{name: "bad output", args: []string{"write", "-o", "yaml"},
			wantErr: `invalid argument "yaml" for "-o, --output" flag: valid values are {text}|{json}`, wantCode: 2},
		{name: "negative value is outside the scheme", args: []string{"write", "-8"},
			wantErr: "permission -8 is negative and so outside scheme alist", wantCode: 1},
		{name: "unknown flag", args: []string{"write", "--frob"},
			wantErr: "unknown flag: --frob", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Config: photosConfig}
			var got *SumOptions
			cmd := NewCmdSum(f, func(o *SumOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Items, got.Items)
			assert.Equal(t, tt.want.Scheme, got.Scheme)
			assert.Equal(t, tt.want.Output, got.Output)
		})
	}
}

func TestSumRun(t *testing.T) {
	tests := []struct {
		name     string
		opts     SumOptions
		tty      bool
		wantOut  string
		wantErr  string
		wantHint string
		wantCode int
		wantErrO string
	}{
		{name: "names, pipe", opts: SumOptions{Items: []string{"webdav-read", "webdav-manage"}}, wantOut: "768\n"},
		{name: "values, pipe", opts: SumOptions{Items: []string{"8", "16", "128"}}, wantOut: "152\n"},
		{name: "keys and any case", opts: SumOptions{Items: []string{"WRITE", "rename", "Delete"}}, wantOut: "152\n"},
		{name: "all bits", opts: SumOptions{Items: []string{"see-hides", "access_without_password", "4", "write", "rename", "move", "copy",
			"delete", "webdav-read", "webdav-manage", "ftp-read", "ftp-manage", "read-archives", "decompress", "check-path-limit", "mcp-read", "65536"}},
			wantOut: "131071\n"},
		{
			name: "names, tty", tty: true,
			opts: SumOptions{Items: []string{"webdav-read", "webdav-manage"}},
			wantOut: "768\n\n" +
				"BIT  VALUE  NAME           MEANING\n" +
				"8    256    webdav-read    WebDAV read\n" +
				"9    512    webdav-manage  WebDAV manage (write)\n",
		},
		{
			name: "json",
			opts: SumOptions{Items: []string{"webdav-read"}, Output: "json"},
			wantOut: `{
  "sum": 256,
  "scheme": "alist",
  "bits": [
    {
      "index": 8,
      "value": 256,
      "name": "webdav-read",
      "key": "webdav_read",
      "meaning": "WebDAV read",
      "since": "v3"
    }
  ]
}
`,
		},
		{
			name:     "repeated bit counts once with a warning",
			opts:     SumOptions{Items: []string{"write", "8", "rename"}},
			wantOut:  "24\n",
			wantErrO: "! \"write\" and \"8\" are the same bit (8); counted once\n",
		},
		{name: "defined scheme", opts: SumOptions{Items: []string{"view", "upload"}, Scheme: "photos"}, wantOut: "3\n"},
		{
			name:     "unknown name",
			opts:     SumOptions{Items: []string{"write", "webdav-reed"}},
			wantErr:  `unknown permission "webdav-reed" in scheme alist`,
			wantHint: `did you mean "webdav-read"? run "ssoctl perm list" to see all names`,
			wantCode: 1,
		},
		{
			name:     "unknown name in defined scheme",
			opts:     SumOptions{Items: []string{"veiw"}, Scheme: "photos"},
			wantErr:  `unknown permission "veiw" in scheme photos`,
			wantHint: `did you mean "view"? run "ssoctl perm list --scheme photos" to see all names`,
			wantCode: 1,
		},
		{
			name:     "a sum is not a bit",
			opts:     SumOptions{Items: []string{"768"}},
			wantErr:  `permission 768 is not a single bit of scheme alist`,
			wantHint: `768 is webdav-read + webdav-manage; give those names instead`,
			wantCode: 1,
		},
		{
			name:     "bit outside the scheme",
			opts:     SumOptions{Items: []string{"131072"}},
			wantErr:  `permission 131072 has bits outside scheme alist (extra 131072)`,
			wantHint: `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`,
			wantCode: 1,
		},
		{
			name:     "huge number",
			opts:     SumOptions{Items: []string{"99999999999999999999"}},
			wantErr:  `permission value "99999999999999999999" is too large`,
			wantHint: `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`,
			wantCode: 1,
		},
		{
			name:     "unknown scheme",
			opts:     SumOptions{Items: []string{"write"}, Scheme: "photo"},
			wantErr:  `unknown permission scheme "photo"`,
			wantHint: `did you mean "photos"? known schemes: alist, openlist, photos; define others under permission_schemes: in the config file`,
			wantCode: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			opts := tt.opts
			opts.IO = ios
			opts.Config = photosConfig
			if opts.Scheme == "" {
				opts.Scheme = "alist"
			}
			err := sumRun(&opts)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.wantHint, cmdutil.HintOf(err))
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				assert.Empty(t, out.String())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantOut, out.String())
			assert.Equal(t, tt.wantErrO, errOut.String())
		})
	}
}

func TestSumCompletion(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdSum(&cmdutil.Factory{IOStreams: ios, Config: photosConfig}, nil)

	names, directive := cmd.ValidArgsFunction(cmd, []string{"see-hides,write"}, "")
	assert.Equal(t, cobra.ShellCompDirectiveNoFileComp, directive)
	assert.Len(t, names, 15, "alist's 17 bits less the two given")
	assert.Equal(t, "access-without-password\taccess without password", names[0])

	require.NoError(t, cmd.Flags().Set("scheme", "photos"))
	names, _ = cmd.ValidArgsFunction(cmd, []string{"view"}, "")
	assert.Equal(t, []string{"upload\tupload photos"}, names)
	names, _ = cmd.ValidArgsFunction(cmd, nil, "U")
	assert.Equal(t, []string{"upload\tupload photos"}, names, "prefix filter ignores case")
}
