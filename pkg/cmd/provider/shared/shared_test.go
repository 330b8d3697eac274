package shared

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"github", "a", "0", "my-kc_2"} {
		assert.NoError(t, CheckName(ok), ok)
	}
	for _, bad := range []string{"", "GitHub", "-gh", "_gh", "git hub", "gh.com", "ü"} {
		err := CheckName(bad)
		require.Error(t, err, bad)
		assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(err), bad)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	load := func(p string) func() (*config.File, error) {
		return func() (*config.File, error) { return config.Load(p) }
	}

	t.Run("missing file reads as empty", func(t *testing.T) {
		p := filepath.Join(dir, "none.yaml")
		f, cfg, err := Load(load(p), p)
		require.NoError(t, err)
		assert.False(t, f.Exists)
		assert.Equal(t, p, f.Path)
		assert.Empty(t, cfg.Providers)
	})
	t.Run("wrong types are a usage error", func(t *testing.T) {
		p := write("bad.yaml", "version: 1\nproviders: {name: x}\n")
		_, _, err := Load(load(p), p)
		require.Error(t, err)
		assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(err))
	})
	t.Run("find with a did-you-mean", func(t *testing.T) {
		p := write("ok.yaml", "version: 1\nproviders:\n  - name: github\n    type: github\n")
		f, cfg, err := Load(load(p), p)
		require.NoError(t, err)
		got, err := Find(f, cfg, "github")
		require.NoError(t, err)
		assert.Equal(t, "github", got.Type)
		_, err = Find(f, cfg, "githu")
		var nf *config.ProviderNotFoundError
		require.True(t, errors.As(err, &nf))
		assert.Contains(t, cmdutil.HintOf(err), `did you mean "github"?`)
		assert.Equal(t, cmdutil.ExitCheckFailed, cmdutil.ExitCodeOf(err))
	})
}
