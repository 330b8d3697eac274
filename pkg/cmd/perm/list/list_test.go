package list

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
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
      - {bit: 1, name: upload}
`

func photosConfig() (*config.File, error) { return config.Parse("ssoctl.yaml", []byte(photosYAML)) }

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     ListOptions
		wantErr  string
		wantCode int
	}{
		{name: "defaults", args: []string{}, want: ListOptions{Scheme: "alist", Output: "text"}},
		{name: "flags", args: []string{"--scheme", "photos", "-o", "json"}, want: ListOptions{Scheme: "photos", Output: "json"}},
		{name: "argument", args: []string{"alist"}, wantErr: `unexpected argument "alist" for "list"`, wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *ListOptions
			cmd := NewCmdList(&cmdutil.Factory{IOStreams: ios, Config: photosConfig}, func(o *ListOptions) error { got = o; return nil })
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
			assert.Equal(t, tt.want.Scheme, got.Scheme)
			assert.Equal(t, tt.want.Output, got.Output)
		})
	}
}

func TestListRun(t *testing.T) {
	alist, _ := perm.Builtin("alist")
	var alistRows, alistNotes strings.Builder
	for _, b := range alist.Bits {
		alistRows.WriteString(strings.Join([]string{itoa(int64(b.Index)), itoa(b.Value), b.Name, b.Since, b.Meaning}, "\t") + "\n")
	}
	for _, n := range alist.Notes {
		alistNotes.WriteString("note: " + n + "\n")
	}

	tests := []struct {
		name     string
		opts     ListOptions
		tty      bool
		wantOut  string
		wantErrO string
		wantErr  string
		wantCode int
	}{
		{name: "alist, pipe: rows on stdout, notes on stderr", opts: ListOptions{Scheme: "alist"},
			wantOut: alistRows.String(), wantErrO: alistNotes.String()},
		{name: "defined, pipe", opts: ListOptions{Scheme: "photos"},
			wantOut: "0\t1\tview\t\tview photos\n1\t2\tupload\t\t\n"},
		{name: "defined, tty", tty: true, opts: ListOptions{Scheme: "photos"}, wantOut: "" +
			"BIT  VALUE  NAME    SINCE  MEANING\n" +
			"0    1      view    -      view photos\n" +
			"1    2      upload  -      -\n" +
			"\n" +
			"All bits of scheme photos sum to 3.\n"},
		{name: "defined, json", opts: ListOptions{Scheme: "photos", Output: "json"}, wantOut: `{
  "name": "photos",
  "bits": [
    {
      "index": 0,
      "value": 1,
      "name": "view",
      "key": "",
      "meaning": "view photos",
      "since": ""
    },
    {
      "index": 1,
      "value": 2,
      "name": "upload",
      "key": "",
      "meaning": "",
      "since": ""
    }
  ]
}
`},
		{name: "unknown scheme", opts: ListOptions{Scheme: "photo"}, wantErr: `unknown permission scheme "photo"`, wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			opts := tt.opts
			opts.IO = ios
			opts.Config = photosConfig
			err := listRun(&opts)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantOut, out.String())
			assert.Equal(t, tt.wantErrO, errOut.String())
		})
	}
}

// TestListRunAlistTTY pins the terminal layout of the default scheme: aligned columns with a header,
// the total and the notes.
func TestListRunAlistTTY(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(true)
	require.NoError(t, listRun(&ListOptions{IO: ios, Scheme: "alist"}))
	assert.Empty(t, errOut.String())
	lines := strings.Split(out.String(), "\n")
	assert.Equal(t, "BIT  VALUE  NAME                     SINCE    MEANING", lines[0])
	assert.Equal(t, "0    1      see-hides                v3       see hidden files", lines[1])
	assert.Equal(t, "14   16384  check-path-limit         v3.46.0  check path limit: restrict the user to the base paths of their roles", lines[15])
	assert.Equal(t, "16   65536  mcp-write                v3.60.0  MCP write", lines[17])
	assert.Equal(t, []string{"", "All bits of scheme alist sum to 131071.", "", "Notes:"}, lines[18:22])
	assert.Equal(t, "  - AList stores the sum in User.Permission (int32) and checks bit i as (permission>>i)&1.", lines[22])
	assert.Len(t, lines, 22+10+1, "ten notes (the last four on roles) and the final newline")
	assert.Equal(t, "  - Role guest (id 1) on a fresh install grants 0 on /.", lines[30])
}

// TestListJSONRoundTrip checks that -o json is the scheme itself, notes included.
func TestListJSONRoundTrip(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	require.NoError(t, listRun(&ListOptions{IO: ios, Scheme: "alist", Output: "json"}))
	var got perm.Scheme
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	want, _ := perm.Builtin("alist")
	assert.Equal(t, want, &got)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
