package path

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestNewCmdPath(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *PathOptions
	cmd := NewCmdPath(&cmdutil.Factory{IOStreams: ios}, func(o *PathOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"-o", "json"})
	_, err := cmd.ExecuteC()
	require.NoError(t, err)
	assert.Equal(t, "json", got.Output)
}

func TestPathRun(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "ssoctl.yaml")
	require.NoError(t, os.WriteFile(existing, []byte("version: 1\n"), 0o600))
	tests := []struct {
		name       string
		path       string
		source     config.PathSource
		output     string
		wantStdout string
		wantStderr string
		wantCode   int
	}{
		{name: "flag, exists", path: existing, source: config.SourceFlag, output: "text",
			wantStdout: existing + "\n", wantStderr: "given with --config; the file exists\n"},
		{name: "env", path: existing, source: config.SourceEnv, output: "text",
			wantStdout: existing + "\n", wantStderr: "given by $SSOCTL_CONFIG; the file exists\n"},
		{name: "xdg, missing", path: filepath.Join(dir, "xdg", "ssoctl", "config.yaml"), source: config.SourceXDG, output: "text",
			wantStdout: filepath.Join(dir, "xdg", "ssoctl", "config.yaml") + "\n",
			wantStderr: "the user config file, as neither --config, $SSOCTL_CONFIG nor ./ssoctl.yaml is there; the file does not exist yet; \"ssoctl provider add\" creates it\n"},
		{name: "json", path: existing, source: config.SourceWorkdir, output: "json",
			wantStdout: "{\n  \"path\": \"" + existing + "\",\n  \"source\": \"workdir\",\n  \"exists\": true\n}\n"},
		{name: "directory", path: dir, source: config.SourceFlag, output: "text", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, stderr := iostreams.Test()
			err := pathRun(&PathOptions{IO: ios, Stat: os.Stat, Output: tt.output,
				ConfigPath: func() (string, config.PathSource) { return tt.path, tt.source }})
			assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
			if tt.wantCode != 0 {
				return
			}
			assert.Equal(t, tt.wantStdout, stdout.String())
			assert.Equal(t, tt.wantStderr, stderr.String())
			if tt.output == "json" {
				var info Info
				require.NoError(t, json.Unmarshal(stdout.Bytes(), &info))
			}
		})
	}
}

func TestRelativePathIsMadeAbsolute(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	ios, _, stdout, _ := iostreams.Test()
	require.NoError(t, pathRun(&PathOptions{IO: ios, Stat: os.Stat, Output: "text",
		ConfigPath: func() (string, config.PathSource) { return "ssoctl.yaml", config.SourceWorkdir }}))
	assert.Equal(t, filepath.Join(wd, "ssoctl.yaml")+"\n", stdout.String())
}
