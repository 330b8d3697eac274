package factory

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{in: "firefox", want: []string{"firefox"}},
		{in: "  firefox   --new-window ", want: []string{"firefox", "--new-window"}},
		{in: `'/opt/My Browser/bin' -x`, want: []string{"/opt/My Browser/bin", "-x"}},
		{in: `"/opt/My Browser/bin" "a \"b\" \\c"`, want: []string{"/opt/My Browser/bin", `a "b" \c`}},
		{in: `/opt/My\ Browser/bin`, want: []string{"/opt/My Browser/bin"}},
		{in: `a''b ""`, want: []string{"ab", ""}},
		{in: `'oops`, err: "unterminated single quote"},
		{in: `"oops`, err: "unterminated double quote"},
		{in: "   ", err: "names no command"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := splitCommand(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestBrowseRunsBrowserEnvWithURLLast(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := filepath.Join(dir, "my browser")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$OUT\"\necho launched >&2\n"), 0o700))
	t.Setenv("OUT", out)
	ios, _, stdout, stderr := iostreams.Test()
	env := map[string]string{"BROWSER": `'` + script + `' --flag`}
	b := &systemBrowser{f: &cmdutil.Factory{IOStreams: ios, LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}}

	require.NoError(t, b.Browse("http://127.0.0.1:1/auth?a=1&b=2"))
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(out)
		return err == nil && len(b) > 0
	}, 5*time.Second, 10*time.Millisecond)
	got, _ := os.ReadFile(out)
	assert.Equal(t, "--flag\nhttp://127.0.0.1:1/auth?a=1&b=2\n", string(got))
	assert.Empty(t, stdout.String(), "browser output must not reach stdout")
	_ = stderr
}

func TestBrowseReportsUnrunnableBrowser(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	b := &systemBrowser{f: &cmdutil.Factory{IOStreams: ios, LookupEnv: func(k string) (string, bool) { return "/nonexistent/browser", k == "BROWSER" }}}
	err := b.Browse("http://127.0.0.1/")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot run $BROWSER")
}
