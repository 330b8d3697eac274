package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolvePath(t *testing.T) {
	dir := t.TempDir()
	withLocal := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(withLocal, DefaultFileName), []byte("version: 1\n"), 0o600))
	env := func(vars map[string]string, wd string) Env {
		return Env{
			Getenv: func(k string) string { return vars[k] },
			Getwd:  func() (string, error) { return wd, nil },
			Stat:   os.Stat,
		}
	}
	tests := []struct {
		name       string
		flag       string
		vars       map[string]string
		wd         string
		wantPath   string
		wantSource PathSource
	}{
		{"flag wins", "a.yaml", map[string]string{EnvConfig: "b.yaml"}, withLocal, "a.yaml", SourceFlag},
		{"env next", "", map[string]string{EnvConfig: "b.yaml"}, withLocal, "b.yaml", SourceEnv},
		{"local file", "", map[string]string{"XDG_CONFIG_HOME": "/x"}, withLocal, DefaultFileName, SourceWorkdir},
		{"xdg", "", map[string]string{"XDG_CONFIG_HOME": "/x"}, dir, "/x/ssoctl/config.yaml", SourceXDG},
		{"home fallback", "", map[string]string{"HOME": "/home/u"}, dir, "/home/u/.config/ssoctl/config.yaml", SourceXDG},
		{"relative XDG ignored", "", map[string]string{"XDG_CONFIG_HOME": "rel", "HOME": "/h"}, dir, "/h/.config/ssoctl/config.yaml", SourceXDG},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, src := ResolvePath(tt.flag, env(tt.vars, tt.wd))
			assert.Equal(t, tt.wantPath, p)
			assert.Equal(t, tt.wantSource, src)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		line     int
		column   int
		msg      string
		hintPart string
	}{
		{"tab indent", "version: 1\nproviders:\n\t- name: a\n", 3, 1, "cannot start any token", "tab"},
		{"duplicate key", "version: 1\nversion: 2\n", 2, 1, `key "version" appears twice`, "duplicate"},
		{"nested duplicate", "providers:\n  - name: a\n    type: github\n    name: b\n", 4, 5, `key "name" appears twice`, "duplicate"},
		{"unclosed flow", "providers: [\n", 2, 1, "expected", "not closed"},
		{"value with colon", "app:\n  url: a: b\n", 2, 9, "mapping values", "quoted"},
		{"not a mapping", "- a\n- b\n", 1, 1, "list", "version: 1"},
		{"binary", "version: 1\n\x00\x01\x02", 2, 1, "binary", "--config"},
		{"not utf8", "version: 1\nname: \xff\xfe\n", 2, 7, "UTF-8", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.data))
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.line, pe.Line, "line")
			assert.Equal(t, tt.column, pe.Column, "column")
			assert.Contains(t, pe.Error(), tt.msg)
			assert.Contains(t, pe.Hint(), tt.hintPart)
			assert.Equal(t, 2, pe.ExitCode())
			assert.NotContains(t, pe.Error(), "\n", "one sentence, one line")
		})
	}
}

func TestParseValid(t *testing.T) {
	data := `# my SSO
version: 1
app: {kind: alist, url: https://files.example.com}
defaults: &gh
  type: github
  scopes: [read:user]
providers:
  - name: github
    <<: *gh
    client_id: Iv1.abc
    client_secret: env:GH_SECRET
    registration:
      default_permission: [webdav-read, webdav-manage]
  - name: sso
    type: oidc
    registration:
      default_permission: 768
`
	f, err := Parse("c.yaml", []byte(data))
	require.NoError(t, err)
	// "defaults" is an unknown key: decoding ignores it, validate reports it.
	require.NoError(t, f.DecodeErr)
	require.NotNil(t, f.Config)
	assert.Equal(t, FormatYAML, f.Format)
	gh, ok := f.Config.Provider("github")
	require.True(t, ok)
	assert.Equal(t, "github", gh.Type, "merge key applied")
	assert.Equal(t, []string{"read:user"}, gh.Scopes)
	assert.Equal(t, []string{"webdav-read", "webdav-manage"}, gh.Registration.DefaultPermission.Items)
	sso, _ := f.Config.Provider("sso")
	require.NotNil(t, sso.Registration.DefaultPermission.Sum)
	assert.EqualValues(t, 768, *sso.Registration.DefaultPermission.Sum)
	assert.Equal(t, []string{"github", "sso"}, f.Config.ProviderNames())

	// Positions follow the merge key to the anchor, where the value is written.
	assert.Equal(t, Position{Line: 5, Column: 9}, f.Pos("providers", "0", "type"))
	assert.Equal(t, Position{Line: 11, Column: 20}, f.Pos("providers", "0", "client_secret"))
	assert.Equal(t, 11, f.KeyNode("providers", "0", "client_secret").Line)
	// A missing field is reported at its nearest parent.
	assert.Equal(t, Position{Line: 14, Column: 5}, f.Pos("providers", "1", "client_id"))
	assert.Equal(t, 1, f.ProviderIndex("sso"))
}

func TestParseEmptyAndComments(t *testing.T) {
	for _, data := range []string{"", "  \n", "# only a comment\n"} {
		f, err := Parse("c.yaml", []byte(data))
		require.NoError(t, err)
		assert.Empty(t, f.Config.Providers)
	}
}

func TestParseJSON(t *testing.T) {
	f, err := Parse("c.json", []byte(`{"version": 1, "providers": [{"name": "g", "type": "google"}]}`))
	require.NoError(t, err)
	assert.Equal(t, FormatJSON, f.Format)
	assert.Equal(t, "google", f.Config.Providers[0].Type)
}

func TestParseWrongTypes(t *testing.T) {
	f, err := Parse("c.yaml", []byte("version: one\nproviders:\n  - name: a\n    compat_mode: maybe\n"))
	require.NoError(t, err, "wrong types are validate findings, not parse errors")
	_, derr := f.Decoded()
	var de *DecodeError
	require.ErrorAs(t, derr, &de)
	assert.Contains(t, de.Error(), "line 1")
	assert.Contains(t, de.Hint(), "ssoctl validate")
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	t.Run("missing", func(t *testing.T) {
		_, err := Load(filepath.Join(dir, "nope.yaml"))
		var re *ReadError
		require.ErrorAs(t, err, &re)
		assert.Contains(t, re.Error(), "does not exist")
		assert.Contains(t, re.Hint(), "provider add")
		assert.Equal(t, 2, re.ExitCode())
	})
	t.Run("missing is new for writers", func(t *testing.T) {
		f, err := LoadOrNew(filepath.Join(dir, "sub", "new.yaml"))
		require.NoError(t, err)
		assert.False(t, f.Exists)
	})
	t.Run("directory", func(t *testing.T) {
		_, err := Load(dir)
		var re *ReadError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "cannot read config file "+dir+": it is a directory", re.Error())
		assert.Equal(t, "point --config or $SSOCTL_CONFIG at the config file itself, not at its directory", re.Hint())
		assert.Equal(t, 2, re.ExitCode())
	})
	t.Run("too large", func(t *testing.T) {
		p := filepath.Join(dir, "big.yaml")
		require.NoError(t, os.WriteFile(p, []byte(strings.Repeat("# padding\n", MaxFileSize/10+1)), 0o600))
		_, err := Load(p)
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Error(), "larger than")
	})
	t.Run("symlink resolves to target", func(t *testing.T) {
		target := filepath.Join(dir, "real.yaml")
		require.NoError(t, os.WriteFile(target, []byte("version: 1\n"), 0o640))
		link := filepath.Join(dir, "link.yaml")
		require.NoError(t, os.Symlink(target, link))
		f, err := Load(link)
		require.NoError(t, err)
		assert.Equal(t, target, f.RealPath)
		assert.Equal(t, os.FileMode(0o640), f.Mode)
	})
}

func TestSecret(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "s")
	require.NoError(t, os.WriteFile(secretFile, []byte("from-file\n"), 0o600))
	env := func(k string) (string, bool) {
		switch k {
		case "SET":
			return "from-env", true
		case "EMPTY":
			return "", true
		}
		return "", false
	}
	tests := []struct {
		name    string
		secret  Secret
		kind    SecretKind
		shown   string
		want    string
		wantErr string
	}{
		{"env", "env:SET", SecretEnv, "env:SET", "from-env", ""},
		{"env unset", "env:UNSET", SecretEnv, "env:UNSET", "", "environment variable UNSET is not set"},
		{"env empty", "env:EMPTY", SecretEnv, "env:EMPTY", "", "environment variable EMPTY is empty"},
		{"env without a name", "env:", SecretEnv, "env:", "", `the secret reference "env:" names no environment variable`},
		{"file", Secret("file:" + secretFile), SecretFile, "file:" + secretFile, "from-file", ""},
		{"file missing", "file:/does/not/exist", SecretFile, "file:/does/not/exist", "", "cannot read secret file /does/not/exist: no such file or directory"},
		{"file without a path", "file:", SecretFile, "file:", "", `the secret reference "file:" names no file`},
		{"keyring malformed", "keyring:nouser", SecretKeyring, "keyring:nouser", "", `keyring reference "keyring:nouser" must be keyring:SERVICE/USER`},
		{"literal", "s3cr3t", SecretLiteral, Redacted, "s3cr3t", ""},
		{"none", "", SecretNone, "", "", "secret is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.kind, tt.secret.Kind())
			assert.Equal(t, tt.shown, tt.secret.String())
			b, err := tt.secret.MarshalJSON()
			require.NoError(t, err)
			assert.NotContains(t, string(b), "s3cr3t")
			got, err := tt.secret.Resolve(env)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.NotContains(t, err.Error(), "s3cr3t")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	for _, s := range []Secret{"env:UNSET", "env:EMPTY", "env:", "file:"} {
		_, err := s.Resolve(env)
		assert.True(t, errors.Is(err, ErrSecretUnset), "%s", s)
	}
}

// TestDecodeErrorMessage pins the sentence commands print for a file whose values have the wrong
// types: the first problem, at its line and key, in the file's words and never Go type names.
func TestDecodeErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{name: "list where a mapping belongs", yaml: "version: 1\napp: [x]\n",
			want: "line 2: app must be a mapping, not a list"},
		{name: "number where a list belongs", yaml: "version: 1\nproviders: 5\n",
			want: "line 2: providers must be a list, not a number (5)"},
		{name: "text where a number belongs", yaml: "version: one\n",
			want: `line 1: version must be a number, not text ("one")`},
		{name: "nested key", yaml: "version: 1\nproviders:\n  - name: a\n    scopes: read\n",
			want: `line 4: providers[0].scopes must be a list, not text ("read")`},
		{name: "boolean", yaml: "version: 1\nproviders:\n  - name: a\n    compat_mode: maybe\n",
			want: `line 4: providers[0].compat_mode must be true or false, not text ("maybe")`},
		{name: "secret as a mapping", yaml: "version: 1\nproviders:\n  - name: a\n    client_secret: {a: 1}\n",
			want: "line 4: providers[0].client_secret must be text, not a mapping"},
		{name: "our own unmarshaler's message keeps one line number", yaml: "version: 1\nproviders:\n  - name: a\n    registration:\n      default_permission: {x: 1}\n",
			want: "line 5: default_permission must be a number or a list of permission names"},
		{name: "more problems are counted", yaml: "version: 1\napp: [x]\nproviders:\n  - name: a\n    scopes: read\n    mapping: 5\n",
			want: "line 2: app must be a mapping, not a list (and 2 more problems)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("c.yaml", []byte(tt.yaml))
			require.NoError(t, err)
			var de *DecodeError
			require.ErrorAs(t, f.DecodeErr, &de)
			assert.Equal(t, tt.want, de.Msg)
			assert.Equal(t, "config file c.yaml has values of the wrong type: "+tt.want, de.Error())
		})
	}
}
