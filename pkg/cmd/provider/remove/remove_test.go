package remove

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/tui/providerform"
)

func TestNewCmdRemove(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		tty     bool
		want    RemoveOptions
		wantErr string
	}{
		{name: "yes without a terminal", args: []string{"github", "--yes"}, want: RemoveOptions{Name: "github", Yes: true}},
		{name: "short yes", args: []string{"github", "-y"}, want: RemoveOptions{Name: "github", Yes: true}},
		{name: "terminal asks instead", args: []string{"github"}, tty: true, want: RemoveOptions{Name: "github"}},
		{name: "no terminal needs --yes", args: []string{"github"}, wantErr: "--yes required when not running interactively"},
		{name: "missing name", args: []string{"--yes"}, wantErr: "cannot remove provider: name argument required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			ios.SetStdinTTY(tt.tty)
			ios.SetStderrTTY(tt.tty)
			var got *RemoveOptions
			cmd := NewCmdRemove(&cmdutil.Factory{IOStreams: ios}, func(o *RemoveOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Name, got.Name)
			assert.Equal(t, tt.want.Yes, got.Yes)
		})
	}
}

const sample = "version: 1\nproviders:\n  - name: github\n    type: github\n  - name: google\n    type: google\n"

func TestRemoveRun(t *testing.T) {
	tests := []struct {
		name       string
		content    string
		provider   string
		yes        bool
		answer     *bool
		answerErr  error
		wantNames  []string
		wantStderr string
		wantErr    string
		wantCode   int
	}{
		{name: "with --yes", content: sample, provider: "github", yes: true, wantNames: []string{"google"},
			wantStderr: "✓ Removed provider github from PATH\n"},
		{name: "confirmed", content: sample, provider: "google", answer: ptr(true), wantNames: []string{"github"},
			wantStderr: "✓ Removed provider google from PATH\n"},
		{name: "declined", content: sample, provider: "google", answer: ptr(false), wantNames: []string{"github", "google"},
			wantStderr: "Nothing removed.\n"},
		{name: "cancelled", content: sample, provider: "google", answerErr: providerform.ErrAborted, wantNames: []string{"github", "google"},
			wantStderr: "Nothing removed.\n", wantErr: "cancelled", wantCode: cmdutil.ExitInterrupted},
		{name: "unknown is reported before asking", content: sample, provider: "gihub", wantNames: []string{"github", "google"},
			wantErr: `no provider named "gihub" in PATH`, wantCode: 1},
		{name: "no file", provider: "github", yes: true, wantErr: `no provider named "github" in PATH`, wantCode: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ssoctl.yaml")
			if tt.content != "" {
				require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			}
			ios, _, stdout, stderr := iostreams.Test()
			asked := false
			opts := &RemoveOptions{
				IO:         ios,
				Config:     func() (*config.File, error) { return config.Load(path) },
				ConfigPath: func() (string, config.PathSource) { return path, config.SourceFlag },
				Confirm: func(_ context.Context, q string) (bool, error) {
					asked = true
					assert.Equal(t, `Remove provider "`+tt.provider+`" from `+path+`?`, q)
					if tt.answer == nil && tt.answerErr == nil {
						t.Fatal("no confirmation expected")
					}
					if tt.answerErr != nil {
						return false, tt.answerErr
					}
					return *tt.answer, nil
				},
				Name: tt.provider,
				Yes:  tt.yes,
			}
			err := removeRun(context.Background(), opts)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tt.wantErr, strings.ReplaceAll(err.Error(), path, "PATH"))
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.answer != nil || tt.answerErr != nil, asked)
			assert.Equal(t, tt.wantStderr, strings.ReplaceAll(stderr.String(), path, "PATH"))
			assert.Empty(t, stdout.String())
			if tt.content != "" {
				f, err := config.Load(path)
				require.NoError(t, err)
				assert.Equal(t, tt.wantNames, f.Config.ProviderNames())
			} else {
				assert.NoFileExists(t, path)
			}
		})
	}
}

func ptr(b bool) *bool { return &b }
