package shared

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// fileConfig returns a Config func over the given file content, as f.Config would load it.
func fileConfig(t *testing.T, content string) func() (*config.File, error) {
	t.Helper()
	return func() (*config.File, error) { return config.Parse("ssoctl.yaml", []byte(content)) }
}

const photosYAML = `version: 1
permission_schemes:
  - name: photos
    bits:
      - {bit: 0, name: view, meaning: view photos}
      - {bit: 1, name: upload}
`

func TestResolveScheme(t *testing.T) {
	missing := func() (*config.File, error) {
		return config.Load(filepath.Join(t.TempDir(), "none.yaml"))
	}
	failing := func() (*config.File, error) { t.Fatal("config loaded for a built-in scheme"); return nil, nil }

	tests := []struct {
		name       string
		scheme     string
		cfg        func() (*config.File, error)
		wantScheme string
		wantErr    string
		wantHint   string
		wantCode   int
	}{
		{name: "builtin never loads config", scheme: "alist", cfg: failing, wantScheme: "alist"},
		{name: "builtin with nil config", scheme: "alist", wantScheme: "alist"},
		{name: "empty is the default, without config", scheme: " ", cfg: failing, wantScheme: "alist"},
		{name: "defined", scheme: "photos", cfg: fileConfig(t, photosYAML), wantScheme: "photos"},
		{
			name:   "defined while another section has wrong types",
			scheme: "photos",
			cfg: fileConfig(t, photosYAML+`providers:
  - name: [not, a, string]
`),
			wantScheme: "photos",
		},
		{
			name: "unknown and no config file", scheme: "photo", cfg: missing,
			wantErr:  `unknown permission scheme "photo"`,
			wantHint: `known schemes: alist, openlist; define others under permission_schemes: in a config file (there is none at `,
			wantCode: 1,
		},
		{
			name: "unknown and nil config", scheme: "alsit",
			wantErr:  `unknown permission scheme "alsit"`,
			wantHint: `did you mean "alist"? known schemes: alist, openlist; define others under permission_schemes: in a config file`,
			wantCode: 1,
		},
		{
			name: "unknown with config", scheme: "photo", cfg: fileConfig(t, photosYAML),
			wantErr:  `unknown permission scheme "photo"`,
			wantHint: `did you mean "photos"? known schemes: alist, openlist, photos; define others under permission_schemes: in the config file`,
			wantCode: 1,
		},
		{
			name: "unparsable config", scheme: "photos", cfg: fileConfig(t, "version: 1\n\tbad: [\n"),
			wantErr:  `cannot parse ssoctl.yaml`,
			wantCode: 2,
		},
		{
			name: "wrong types in permission_schemes", scheme: "photos", cfg: fileConfig(t, "version: 1\npermission_schemes: {name: x}\n"),
			wantErr:  `config file ssoctl.yaml has values of the wrong type`,
			wantCode: 2,
		},
		{
			name:   "invalid definition points at the line",
			scheme: "photos",
			cfg: fileConfig(t, `version: 1
permission_schemes:
  - name: other
    bits: [{bit: 0, name: a}]
  - name: photos
    bits:
      - bit: 0
        name: view
      - bit: 0
        name: upload
      - bit: 99
        name: Admin
`),
			wantErr:  `invalid permission scheme "photos" at ssoctl.yaml:9:14: permission_schemes[1].bits[1].bit: 0 is already used by bit 0`,
			wantHint: `3 problems in all; bits are counted from 0 in the order written; run "ssoctl validate" to see every problem`,
			wantCode: 2,
		},
		{
			name:     "scheme without bits points at the scheme",
			scheme:   "photos",
			cfg:      fileConfig(t, "version: 1\npermission_schemes:\n  - name: photos\n"),
			wantErr:  `invalid permission scheme "photos" at ssoctl.yaml:3:5: permission_schemes[0].bits: a scheme needs at least one bit`,
			wantHint: `bits are counted from 0 in the order written; run "ssoctl validate" to see every problem`,
			wantCode: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ResolveScheme(tt.scheme, tt.cfg)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.wantScheme, s.Name)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, cmdutil.HintOf(err), tt.wantHint)
			assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
		})
	}
}

func TestValueError(t *testing.T) {
	alist, _ := perm.Builtin("alist")
	custom, err := perm.NewScheme("photos", []perm.Bit{{Index: 0, Name: "view"}})
	require.NoError(t, err)

	tests := []struct {
		name     string
		scheme   *perm.Scheme
		input    string
		wantErr  string
		wantHint string
		wantCode int
	}{
		{
			name: "junk", scheme: alist, input: "abc",
			wantErr:  `permission value "abc" is not a decimal number`,
			wantHint: `write the sum as a decimal number such as 768, or run "ssoctl perm list" to see the bits`,
			wantCode: 2,
		},
		{
			name: "junk in custom scheme", scheme: custom, input: "0x1",
			wantErr:  `permission value "0x1" is not a decimal number`,
			wantHint: `write the sum as a decimal number such as 768, or run "ssoctl perm list --scheme photos" to see the bits`,
			wantCode: 2,
		},
		{
			name: "a name where a number belongs", scheme: alist, input: "WebDAV_Read",
			wantErr:  `permission value "WebDAV_Read" is not a decimal number`,
			wantHint: `"WebDAV_Read" is a permission name; run "ssoctl perm sum webdav-read" to get its value`,
			wantCode: 2,
		},
		{
			name: "too large", scheme: alist, input: "99999999999999999999",
			wantErr:  `permission value "99999999999999999999" is too large`,
			wantHint: `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`,
			wantCode: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, perr := perm.ParseValue(tt.input)
			err := ValueError(perr, tt.scheme)
			require.EqualError(t, err, tt.wantErr)
			assert.Equal(t, tt.wantHint, cmdutil.HintOf(err))
			assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
		})
	}

	other := errors.New("other")
	assert.Same(t, other, ValueError(other, alist), "other errors pass through")
}

func TestNegativeNumberArgs(t *testing.T) {
	var checked []string
	run := func(args ...string) error {
		checked = nil
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		cmd.Flags().String("scheme", "", "")
		cmd.SetFlagErrorFunc(NegativeNumberArgs(func(arg string) error {
			checked = append(checked, arg)
			return cmdutil.Failf("", "negative %s", arg)
		}))
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		return cmd.Execute()
	}

	err := run("-12")
	require.EqualError(t, err, "negative -12")
	assert.Equal(t, []string{"-12"}, checked)
	assert.Equal(t, 1, cmdutil.ExitCodeOf(err))

	err = run("-x")
	require.EqualError(t, err, `unknown shorthand flag: 'x' in -x`)
	assert.Empty(t, checked, "a real unknown flag is not a number")
	assert.Equal(t, 2, cmdutil.ExitCodeOf(err))

	err = run("--nope")
	require.EqualError(t, err, `unknown flag: --nope`)
	assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
}

func TestPrintBits(t *testing.T) {
	alist, _ := perm.Builtin("alist")
	bits, err := alist.Decode(768)
	require.NoError(t, err)

	tests := []struct {
		name string
		tty  bool
		want string
	}{
		{name: "tty", tty: true, want: "" +
			"BIT  VALUE  NAME           MEANING\n" +
			"8    256    webdav-read    WebDAV read\n" +
			"9    512    webdav-manage  WebDAV manage (write)\n"},
		{name: "pipe", want: "8\t256\twebdav-read\tWebDAV read\n9\t512\twebdav-manage\tWebDAV manage (write)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(tt.tty)
			require.NoError(t, PrintBits(ios, bits))
			assert.Equal(t, tt.want, out.String())
		})
	}
}

// TestSchemesOfBrokenProvider pins the premise of the "wrong types" case above: the file as a whole
// does not decode, and the schemes are still read.
func TestSchemesOfBrokenProvider(t *testing.T) {
	f, err := fileConfig(t, photosYAML+"providers:\n  - name: [not, a, string]\n")()
	require.NoError(t, err)
	require.Nil(t, f.Config)
	require.Error(t, f.DecodeErr)
	defs, err := schemesOf(f)
	require.NoError(t, err)
	require.Len(t, defs, 1)
	assert.Equal(t, "photos", defs[0].Name)
}
