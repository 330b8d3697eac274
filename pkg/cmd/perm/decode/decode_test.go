package decode

import (
	"io"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

const photosYAML = `version: 1
permission_schemes:
  - name: photos
    bits:
      - {bit: 0, name: view, meaning: view photos}
      - {bit: 4, name: admin}
`

func photosConfig() (*config.File, error) { return config.Parse("ssoctl.yaml", []byte(photosYAML)) }

func TestNewCmdDecode(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     DecodeOptions
		wantErr  string
		wantCode int
	}{
		{name: "value", args: []string{"768"}, want: DecodeOptions{Value: "768", Scheme: "alist", Output: "text"}},
		{name: "flags", args: []string{"--scheme", "photos", "17", "-o", "json"}, want: DecodeOptions{Value: "17", Scheme: "photos", Output: "json"}},
		{name: "negative after --", args: []string{"--", "-1"}, want: DecodeOptions{Value: "-1", Scheme: "alist", Output: "text"}},
		{name: "missing argument", args: []string{}, wantErr: "cannot decode: permission sum argument required", wantCode: 2},
		{name: "two arguments", args: []string{"1", "2"}, wantErr: "too many arguments: 2", wantCode: 2},
		{name: "negative is outside the scheme", args: []string{"-1"}, wantErr: "permission -1 is negative and so outside scheme alist", wantCode: 1},
		{name: "negative in a defined scheme", args: []string{"--scheme", "photos", "-16"}, wantErr: "permission -16 is negative and so outside scheme photos", wantCode: 1},
		{name: "unknown shorthand", args: []string{"-x"}, wantErr: "unknown shorthand flag: 'x' in -x", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Config: photosConfig}
			var got *DecodeOptions
			cmd := NewCmdDecode(f, func(o *DecodeOptions) error { got = o; return nil })
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
			assert.Equal(t, tt.want.Value, got.Value)
			assert.Equal(t, tt.want.Scheme, got.Scheme)
			assert.Equal(t, tt.want.Output, got.Output)
		})
	}
}

func TestDecodeRun(t *testing.T) {
	tests := []struct {
		name     string
		opts     DecodeOptions
		tty      bool
		wantOut  string
		wantErrO string
		wantErr  string
		wantHint string
		wantCode int
	}{
		{name: "pipe", opts: DecodeOptions{Value: "768"},
			wantOut: "8\t256\twebdav-read\tWebDAV read\n9\t512\twebdav-manage\tWebDAV manage (write)\n"},
		{name: "tty", tty: true, opts: DecodeOptions{Value: "152"}, wantOut: "" +
			"BIT  VALUE  NAME    MEANING\n" +
			"3    8      write   make directories and upload\n" +
			"4    16     rename  rename\n" +
			"7    128    delete  delete (remove)\n"},
		{name: "zero, pipe", opts: DecodeOptions{Value: "0"}, wantOut: ""},
		{name: "zero, tty", tty: true, opts: DecodeOptions{Value: "0"}, wantErrO: "0 grants no permissions in scheme alist\n"},
		{name: "json", opts: DecodeOptions{Value: "3", Scheme: "alist", Output: "json"}, wantOut: `{
  "sum": 3,
  "scheme": "alist",
  "bits": [
    {
      "index": 0,
      "value": 1,
      "name": "see-hides",
      "key": "see_hides",
      "meaning": "see hidden files",
      "since": "v3"
    },
    {
      "index": 1,
      "value": 2,
      "name": "access-without-password",
      "key": "access_without_password",
      "meaning": "access without password",
      "since": "v3"
    }
  ]
}
`},
		{name: "json zero has empty bits", opts: DecodeOptions{Value: "0", Output: "json"},
			wantOut: "{\n  \"sum\": 0,\n  \"scheme\": \"alist\",\n  \"bits\": []\n}\n"},
		{name: "defined scheme", opts: DecodeOptions{Value: "17", Scheme: "photos"},
			wantOut: "0\t1\tview\tview photos\n4\t16\tadmin\t\n"},
		{
			name: "not a number", opts: DecodeOptions{Value: "abc"},
			wantErr:  `permission value "abc" is not a decimal number`,
			wantHint: `write the sum as a decimal number such as 768, or run "ssoctl perm list" to see the bits`,
			wantCode: 2,
		},
		{
			name: "negative", opts: DecodeOptions{Value: "-1"},
			wantErr:  `permission -1 is negative and so outside scheme alist`,
			wantHint: `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`,
			wantCode: 1,
		},
		{
			name: "bits outside the scheme", opts: DecodeOptions{Value: "2", Scheme: "photos"},
			wantErr:  `permission 2 has bits outside scheme photos (extra 2)`,
			wantHint: `the largest valid sum in scheme photos is 17; run "ssoctl perm list --scheme photos" to see all bits`,
			wantCode: 1,
		},
		{
			name: "huge", opts: DecodeOptions{Value: "99999999999999999999"},
			wantErr:  `permission value "99999999999999999999" is too large`,
			wantHint: `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`,
			wantCode: 1,
		},
		{
			name: "unknown scheme", opts: DecodeOptions{Value: "1", Scheme: "nope"},
			wantErr:  `unknown permission scheme "nope"`,
			wantHint: `known schemes: alist, openlist, photos; define others under permission_schemes: in the config file`,
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
			err := decodeRun(&opts)
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

// TestDecodeEveryBit decodes each single bit and the full sum of the built-in scheme, so a new bit in
// the table cannot be left out of the output.
func TestDecodeEveryBit(t *testing.T) {
	s, _ := perm.Builtin(perm.DefaultScheme)
	for _, b := range s.Bits {
		t.Run(b.Name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			opts := &DecodeOptions{IO: ios, Value: itoa(b.Value), Scheme: "alist", Output: "text"}
			require.NoError(t, decodeRun(opts))
			assert.Equal(t, itoa(int64(b.Index))+"\t"+itoa(b.Value)+"\t"+b.Name+"\t"+b.Meaning+"\n", out.String())
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
