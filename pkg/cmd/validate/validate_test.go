package validate

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestNewCmdValidate(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		want     ValidateOptions
		wantErr  string
		wantCode int
	}{
		{name: "defaults", args: []string{}, want: ValidateOptions{Format: "text"}},
		{name: "file and strict", args: []string{"deploy/sso.yaml", "--strict"}, want: ValidateOptions{File: "deploy/sso.yaml", Format: "text", Strict: true}},
		{name: "format", args: []string{"--format", "sarif"}, want: ValidateOptions{Format: "sarif"}},
		{name: "output alias", args: []string{"-o", "json"}, want: ValidateOptions{Format: "json"}},
		{name: "both agree", args: []string{"-o", "github", "--format", "github"}, want: ValidateOptions{Format: "github"}},
		{name: "both disagree", args: []string{"-o", "json", "--format", "sarif"}, wantErr: "--output json and --format sarif disagree; give one of them", wantCode: 2},
		{name: "bad format", args: []string{"--format", "xml"}, wantErr: `invalid argument "xml" for "--format" flag: valid values are {text}|{json}|{github}|{sarif}`, wantCode: 2},
		{name: "two files", args: []string{"a.yaml", "b.yaml"}, wantErr: "too many arguments: b.yaml", wantCode: 2},
		{name: "online", args: []string{"--online", "--timeout", "3s"}, want: ValidateOptions{Format: "text", Online: true, Timeout: 3 * time.Second}},
		{name: "bad timeout", args: []string{"--online", "--timeout", "0s"}, wantErr: "--timeout must be positive, such as 10s", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios}
			var got *ValidateOptions
			cmd := NewCmdValidate(f, func(o *ValidateOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.File, got.File)
			assert.Equal(t, tt.want.Format, got.Format)
			assert.Equal(t, tt.want.Strict, got.Strict)
			assert.Equal(t, tt.want.Online, got.Online)
			if tt.want.Timeout != 0 {
				assert.Equal(t, tt.want.Timeout, got.Timeout)
			}
		})
	}
}

const cleanYAML = `version: 1
providers:
  - name: github
    type: github
    client_id: Iv1.abc
    client_secret: env:GH_SECRET
`

func TestValidateRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	clean := write("clean.yaml", cleanYAML)
	warn := write("warn.yaml", strings.Replace(cleanYAML, "env:GH_SECRET", "env:UNSET_VAR", 1))
	bad := write("bad.yaml", cleanYAML+"    redirect_uri: https://x.example.com/cb\n")
	broken := write("broken.yaml", "version: 1\nproviders:\n  - name: github\n\ttype: github\n")

	tests := []struct {
		name       string
		file       string
		format     string
		strict     bool
		wantStdout string // substring; "" means empty
		wantStderr string
		wantErr    error
		wantCode   int
	}{
		{name: "clean", file: clean, format: "text", wantStderr: "✓ clean.yaml: no problems found\n"},
		{name: "warning passes", file: warn, format: "text", wantStdout: "warn.yaml:6:20: warning SSO061", wantStderr: "! warn.yaml: 1 warning\n"},
		{name: "warning fails with strict", file: warn, format: "text", strict: true, wantStdout: "SSO061", wantStderr: "X warn.yaml: 1 warning; --strict makes warnings fail\n", wantErr: cmdutil.ErrSilent, wantCode: 1},
		{name: "error", file: bad, format: "text", wantStdout: "bad.yaml:7:5: error SSO001 unknown key \"redirect_uri\" in provider \"github\"\n    hint: did you mean \"redirect_url\"?\n", wantStderr: "X bad.yaml: 1 error\n", wantErr: cmdutil.ErrSilent, wantCode: 1},
		{name: "github", file: bad, format: "github", wantStdout: "::error file=bad.yaml,line=7,col=5,title=SSO001 unknown key::", wantStderr: "X bad.yaml", wantErr: cmdutil.ErrSilent, wantCode: 1},
		{name: "sarif", file: bad, format: "sarif", wantStdout: `"version": "2.1.0"`, wantStderr: "X bad.yaml", wantErr: cmdutil.ErrSilent, wantCode: 1},
		{name: "parse error text", file: broken, format: "text", wantCode: 2},
		{name: "parse error github", file: broken, format: "github", wantStdout: "::error file=broken.yaml,line=4,col=1,title=SSO000 the file cannot be parsed::cannot parse", wantCode: 2},
		{name: "missing file", file: filepath.Join(dir, "nope.yaml"), format: "json", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, stderr := iostreams.Test()
			opts := &ValidateOptions{
				IO:        ios,
				Config:    func() (*config.File, error) { return config.Load(tt.file) },
				Load:      config.Load,
				LookupEnv: func(n string) (string, bool) { return "set", n == "GH_SECRET" },
				Getwd:     func() (string, error) { return dir, nil },
				Format:    tt.format,
				Strict:    tt.strict,
			}
			err := validateRun(context.Background(), opts)
			assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err), "err: %v", err)
			if tt.wantErr != nil {
				assert.True(t, errors.Is(err, tt.wantErr))
			}
			if tt.wantStdout == "" {
				assert.Empty(t, stdout.String())
			} else {
				assert.Contains(t, stdout.String(), tt.wantStdout)
			}
			if tt.wantCode == 2 {
				assert.Empty(t, stderr.String(), "root prints the error")
				return
			}
			assert.Contains(t, stderr.String(), tt.wantStderr)
		})
	}
}

// TestValidateRunJSON pins the JSON document and checks that stdout holds nothing else.
func TestValidateRunJSON(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.yaml")
	require.NoError(t, os.WriteFile(p, []byte(cleanYAML+"    scopes: read:user\n"), 0o600))
	ios, _, stdout, _ := iostreams.Test()
	err := validateRun(context.Background(), &ValidateOptions{IO: ios, Load: config.Load, File: p, Format: "json",
		LookupEnv: func(string) (string, bool) { return "x", true }, Getwd: func() (string, error) { return dir, nil }})
	assert.Equal(t, 1, cmdutil.ExitCodeOf(err))
	var doc struct {
		File     string           `json:"file"`
		Findings []map[string]any `json:"findings"`
		Summary  map[string]int   `json:"summary"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	assert.Equal(t, "c.yaml", doc.File)
	assert.Equal(t, map[string]int{"errors": 1, "warnings": 0, "notes": 0, "ignored": 0}, doc.Summary)
	require.Len(t, doc.Findings, 1)
	assert.Equal(t, map[string]any{
		"code": "SSO002", "severity": "error", "provider": "github", "path": "providers[0].scopes", "file": "c.yaml",
		"line": 7.0, "column": 13.0, "message": `scopes of provider "github" is text, but must be a list`,
		"hint": "write a list: scopes: [read:user]",
	}, doc.Findings[0])
}

func TestColourOnlyOnTerminal(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.yaml")
	require.NoError(t, os.WriteFile(p, []byte(cleanYAML+"    redirect_uri: x\n"), 0o600))
	for _, tty := range []bool{false, true} {
		ios, _, stdout, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		ios.SetColorEnabled(true)
		_ = validateRun(context.Background(), &ValidateOptions{IO: ios, Load: config.Load, File: p, Format: "text",
			LookupEnv: func(string) (string, bool) { return "x", true }})
		assert.Equal(t, tty, strings.Contains(stdout.String(), "\x1b["), "tty=%v", tty)
	}
}

func TestDisplayPath(t *testing.T) {
	opts := &ValidateOptions{Getwd: func() (string, error) { return "/repo", nil }}
	assert.Equal(t, "deploy/sso.yaml", displayPath(opts, "/repo/deploy/sso.yaml"))
	assert.Equal(t, "/etc/ssoctl.yaml", displayPath(opts, "/etc/ssoctl.yaml"))
	assert.Equal(t, "/repository/x.yaml", displayPath(opts, "/repository/x.yaml"))
	assert.Equal(t, "a.yaml", displayPath(opts, "./a.yaml"))
	assert.Equal(t, "", displayPath(opts, ""))
}

func TestHelpListsCodes(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmdValidate(&cmdutil.Factory{IOStreams: ios}, nil)
	assert.Contains(t, cmd.Long, "SSO012  error    URL is not an absolute http(s) URL")
	assert.Contains(t, cmd.Long, "SSO092  warning  ignore matches nothing")
}
