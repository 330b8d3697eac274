package config

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/edit")

func editInt(n int64) *int64 { return &n }

// editLark is the provider the golden add cases add.
func editLark() Provider {
	return Provider{
		Name: "lark", Type: TypeLark, DisplayName: "Feishu", ClientID: "cli_a1b2",
		ClientSecret: "env:LARK_SECRET", RedirectURL: "https://files.example.com/api/auth/sso_callback",
		Scopes:       []string{"contact:user.email:readonly"},
		Mapping:      &Mapping{Type: "lark", Username: &Username{From: "name", Normalize: "handle"}},
		Registration: &Registration{Enabled: true, DefaultPermission: Permission{Sum: editInt(768)}},
	}
}

// editGitHubV2 is the github provider of spec.before.yaml with a new client ID, a changed rule and an
// icon instead of a display name.
func editGitHubV2() Provider {
	return Provider{
		Name: "github", Type: TypeGitHub, Icon: "https://github.com/favicon.ico", ClientID: "Iv1.def",
		ClientSecret: "env:GITHUB_CLIENT_SECRET", Scopes: []string{"read:user", "user:email"},
		Mapping: &Mapping{Type: "github", Rules: map[string]string{"name": "$.login", "email": "$.mail"}},
	}
}

func addLark(f *File) error { return f.AddProvider(editLark()) }

func appendLark(c *Config) { c.Providers = append(c.Providers, editLark()) }

func setVersion1(c *Config) { c.Version = 1 }

func removeAt(i int) func(*Config) {
	return func(c *Config) { c.Providers = append(c.Providers[:i:i], c.Providers[i+1:]...) }
}

type editCase struct {
	name   string // golden: testdata/edit/<name>.after<ext>
	before string // testdata/edit/<before>.before<ext>
	ext    string // ".yaml" unless set
	edit   func(*File) error
	want   func(*Config) // turns the config before into the config after
	// variants also runs the case with CRLF line endings and without a final line break.
	variants bool
}

var editCases = []editCase{
	{name: "spec_add", before: "spec", edit: addLark, want: appendLark, variants: true},
	{name: "four_add", before: "four", edit: addLark, want: appendLark, variants: true},
	{name: "column1_add", before: "column1", edit: addLark, want: appendLark, variants: true},
	{name: "anchors_add", before: "anchors", edit: addLark, want: appendLark, variants: true},
	{name: "trailing_add", before: "trailing", edit: addLark, want: appendLark, variants: true},
	{name: "nokey_add", before: "nokey", edit: addLark, want: appendLark, variants: true},
	{name: "commentsonly_add", before: "commentsonly", edit: addLark, want: func(c *Config) { setVersion1(c); appendLark(c) }, variants: true},
	{name: "empty_add", before: "empty", edit: addLark, want: func(c *Config) { setVersion1(c); appendLark(c) }},
	{name: "flowempty_add", before: "flowempty", edit: addLark, want: appendLark, variants: true},
	{name: "flowitems_add", before: "flowitems", edit: addLark, want: appendLark, variants: true},
	{name: "null_add", before: "null", edit: addLark, want: appendLark, variants: true},
	{name: "json_add", before: "json", ext: ".json", edit: addLark, want: appendLark},

	{name: "spec_replace", before: "spec", variants: true,
		edit: func(f *File) error {
			return f.ReplaceProvider(Provider{Name: "google", Type: TypeGoogle, ClientID: "5678.apps.googleusercontent.com", ClientSecret: "env:GOOGLE_SECRET"})
		},
		want: func(c *Config) {
			c.Providers[1] = Provider{Name: "google", Type: TypeGoogle, ClientID: "5678.apps.googleusercontent.com", ClientSecret: "env:GOOGLE_SECRET"}
		}},
	{name: "column1_replace", before: "column1", variants: true,
		edit: func(f *File) error {
			return f.ReplaceProvider(Provider{Name: "github", Type: TypeGitHub, ClientID: "Iv1.new"})
		},
		want: func(c *Config) { c.Providers[0] = Provider{Name: "github", Type: TypeGitHub, ClientID: "Iv1.new"} }},
	{name: "four_replace", before: "four", variants: true,
		edit: func(f *File) error {
			return f.ReplaceProvider(Provider{Name: "authentik", Type: TypeOIDC, Issuer: "https://auth.example.com/application/o/photos2/",
				Mapping: &Mapping{Type: "oidc", Rules: map[string]string{"name": "$.nickname"}}})
		},
		want: func(c *Config) {
			c.Providers[0] = Provider{Name: "authentik", Type: TypeOIDC, Issuer: "https://auth.example.com/application/o/photos2/",
				Mapping: &Mapping{Type: "oidc", Rules: map[string]string{"name": "$.nickname"}}}
		}},
	{name: "spec_replace_keeps_comments", before: "spec", variants: true,
		edit: func(f *File) error { return f.ReplaceProvider(editGitHubV2()) },
		want: func(c *Config) { c.Providers[0] = editGitHubV2() }},
	{name: "anchors_replace_merged", before: "anchors", variants: true,
		edit: func(f *File) error {
			return f.ReplaceProvider(Provider{Name: "keycloak", Type: TypeOIDC, Issuer: "https://kc.example.com/realms/other"})
		},
		want: func(c *Config) {
			c.Providers[0] = Provider{Name: "keycloak", Type: TypeOIDC, Issuer: "https://kc.example.com/realms/other"}
		}},
	{name: "json_replace", before: "json", ext: ".json",
		edit: func(f *File) error {
			return f.ReplaceProvider(Provider{Name: "github", Type: TypeGitHub, CompatMode: true})
		},
		want: func(c *Config) { c.Providers[0] = Provider{Name: "github", Type: TypeGitHub, CompatMode: true} }},

	{name: "spec_remove_first", before: "spec", edit: func(f *File) error { return f.RemoveProvider("github") }, want: removeAt(0), variants: true},
	{name: "spec_remove_middle", before: "spec", edit: func(f *File) error { return f.RemoveProvider("google") }, want: removeAt(1), variants: true},
	{name: "spec_remove_last", before: "spec", edit: func(f *File) error { return f.RemoveProvider("casdoor") }, want: removeAt(2), variants: true},
	{name: "column1_remove_last", before: "column1", edit: func(f *File) error { return f.RemoveProvider("microsoft") }, want: removeAt(1), variants: true},
	{name: "trailing_remove_only", before: "trailing", edit: func(f *File) error { return f.RemoveProvider("github") }, want: removeAt(0), variants: true},
	{name: "anchors_remove", before: "anchors", edit: func(f *File) error { return f.RemoveProvider("keycloak") }, want: removeAt(0), variants: true},
	{name: "flowitems_remove", before: "flowitems", edit: func(f *File) error { return f.RemoveProvider("github") }, want: removeAt(0), variants: true},
	{name: "json_remove", before: "json", ext: ".json", edit: func(f *File) error { return f.RemoveProvider("github") }, want: removeAt(0)},

	{name: "spec_set_existing", before: "spec", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("github", []string{"client_secret"}, Secret("env:GH_SECRET"))
		},
		want: func(c *Config) { c.Providers[0].ClientSecret = "env:GH_SECRET" }},
	{name: "spec_set_rule", before: "spec", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("github", []string{"mapping", "rules", "email"}, "$.mail")
		},
		want: func(c *Config) { c.Providers[0].Mapping.Rules["email"] = "$.mail" }},
	{name: "spec_set_new_rule", before: "spec", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("github", []string{"mapping", "rules", "phone"}, "$.phone")
		},
		want: func(c *Config) { c.Providers[0].Mapping.Rules["phone"] = "$.phone" }},
	{name: "spec_set_create_mappings", before: "spec", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("casdoor", []string{"mapping", "rules", "email"}, "$.mail")
		},
		want: func(c *Config) { c.Providers[2].Mapping = &Mapping{Rules: map[string]string{"email": "$.mail"}} }},
	{name: "spec_set_permission", before: "spec", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("google", []string{"registration", "default_permission"}, 768)
		},
		want: func(c *Config) { c.Providers[1].Registration.DefaultPermission = Permission{Sum: editInt(768)} }},
	{name: "spec_set_block_to_list", before: "spec", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("github", []string{"mapping"}, Mapping{Type: "custom", Rules: map[string]string{"name": "$.login"}})
		},
		want: func(c *Config) {
			c.Providers[0].Mapping = &Mapping{Type: "custom", Rules: map[string]string{"name": "$.login"}}
		}},
	{name: "column1_set_flow_map", before: "column1", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("github", []string{"groups", "map", "/inventree/users"}, "user")
		},
		want: func(c *Config) { c.Providers[0].Groups.Map["/inventree/users"] = "user" }},
	{name: "anchors_set_override", before: "anchors", variants: true,
		edit: func(f *File) error { return f.SetProviderValue("keycloak", []string{"scopes"}, []string{"openid"}) },
		want: func(c *Config) { c.Providers[0].Scopes = []string{"openid"} }},
	{name: "null_set_after_add", before: "null", variants: true,
		edit: func(f *File) error {
			if err := addLark(f); err != nil {
				return err
			}
			return f.SetProviderValue("lark", []string{"registration", "enabled"}, false)
		},
		want: func(c *Config) { appendLark(c); c.Providers[0].Registration.Enabled = false }},
	// Issue 14 item 8: a JSON file keeps every byte outside the entry, in its own indentation
	// (four spaces, tabs, one line), separators and line ends.
	{name: "jsonpretty_add", before: "jsonpretty", ext: ".json", edit: addLark, want: appendLark, variants: true},
	{name: "jsonpretty_replace_compact", before: "jsonpretty", ext: ".json", variants: true,
		edit: func(f *File) error {
			return f.ReplaceProvider(Provider{Name: "google", Type: TypeGoogle, ClientID: "5678.apps.googleusercontent.com", Scopes: []string{"openid"}})
		},
		want: func(c *Config) {
			c.Providers[1] = Provider{Name: "google", Type: TypeGoogle, ClientID: "5678.apps.googleusercontent.com", Scopes: []string{"openid"}}
		}},
	{name: "jsonpretty_replace", before: "jsonpretty", ext: ".json", variants: true,
		edit: func(f *File) error {
			return f.ReplaceProvider(Provider{Name: "github", Type: TypeGitHub, CompatMode: true})
		},
		want: func(c *Config) { c.Providers[0] = Provider{Name: "github", Type: TypeGitHub, CompatMode: true} }},
	{name: "jsonpretty_remove_first", before: "jsonpretty", ext: ".json", edit: func(f *File) error { return f.RemoveProvider("github") }, want: removeAt(0), variants: true},
	{name: "jsonpretty_remove_middle", before: "jsonpretty", ext: ".json", edit: func(f *File) error { return f.RemoveProvider("google") }, want: removeAt(1), variants: true},
	{name: "jsonpretty_remove_last", before: "jsonpretty", ext: ".json", edit: func(f *File) error { return f.RemoveProvider("casdoor") }, want: removeAt(2), variants: true},
	{name: "jsonpretty_set", before: "jsonpretty", ext: ".json", variants: true,
		edit: func(f *File) error {
			return f.SetProviderValue("casdoor", []string{"mapping", "rules", "email"}, "$.mail")
		},
		want: func(c *Config) { c.Providers[2].Mapping = &Mapping{Rules: map[string]string{"email": "$.mail"}} }},
	{name: "jsontabs_add", before: "jsontabs", ext: ".json", edit: addLark, want: appendLark, variants: true},
	{name: "jsonnokey_add", before: "jsonnokey", ext: ".json", edit: addLark, want: appendLark, variants: true},
	{name: "jsonnull_add", before: "jsonnull", ext: ".json", edit: addLark, want: appendLark, variants: true},
	{name: "jsonempty_add", before: "jsonempty", ext: ".json", edit: addLark, want: appendLark, variants: true},
	{name: "json_set", before: "json", ext: ".json",
		edit: func(f *File) error {
			return f.SetProviderValue("github", []string{"mapping", "rules", "email"}, "$.mail")
		},
		want: func(c *Config) { c.Providers[0].Mapping = &Mapping{Rules: map[string]string{"email": "$.mail"}} }},
}

// editVariant derives a golden case from an LF one.
type editVariant struct {
	name string
	conv func([]byte) []byte
}

var editVariants = []editVariant{
	{"", func(b []byte) []byte { return b }},
	{"crlf", func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }},
	{"noeol", func(b []byte) []byte { return bytes.TrimSuffix(b, []byte("\n")) }},
}

func TestEditGolden(t *testing.T) {
	for _, tc := range editCases {
		ext := tc.ext
		if ext == "" {
			ext = ".yaml"
		}
		beforeFile := filepath.Join("testdata", "edit", tc.before+".before"+ext)
		afterFile := filepath.Join("testdata", "edit", tc.name+".after"+ext)
		for _, v := range editVariants {
			if v.name != "" && !tc.variants {
				continue
			}
			name := tc.name
			if v.name != "" {
				name += "/" + v.name
			}
			t.Run(name, func(t *testing.T) {
				before, err := os.ReadFile(beforeFile)
				require.NoError(t, err)
				before = v.conv(before)
				f, err := Parse("config"+ext, before)
				require.NoError(t, err)
				require.NoError(t, f.DecodeErr)
				want, err := Parse("config"+ext, before)
				require.NoError(t, err)
				tc.want(want.Config)

				require.NoError(t, tc.edit(f))

				if *updateGolden && v.name == "" {
					require.NoError(t, os.WriteFile(afterFile, f.Data, 0o644))
				}
				after, err := os.ReadFile(afterFile)
				require.NoError(t, err)
				assert.Equal(t, string(v.conv(after)), string(f.Data))

				// The edit left f consistent, and the text reads back as the expected config.
				again, err := Parse("config"+ext, f.Data)
				require.NoError(t, err)
				require.NoError(t, again.DecodeErr)
				if d := cmp.Diff(want.Config, again.Config); d != "" {
					t.Errorf("config after the edit (-want +got):\n%s", d)
				}
				if d := cmp.Diff(again.Config, f.Config); d != "" {
					t.Errorf("f.Config is not the re-parsed data (-parsed +f.Config):\n%s", d)
				}
				if v.name == "crlf" {
					assert.NotContains(t, strings.ReplaceAll(string(f.Data), "\r\n", ""), "\n", "a bare LF in a CRLF file")
				}
			})
		}
	}
}

func TestEditErrors(t *testing.T) {
	const spec = "version: 1\nproviders:\n  - name: github\n    type: github\n  - name: google\n    type: google\n"
	tests := []struct {
		name     string
		data     string
		edit     func(*File) error
		check    func(t *testing.T, err error)
		exitCode int
	}{
		{
			name: "add existing", data: spec, exitCode: 1,
			edit: func(f *File) error { return f.AddProvider(Provider{Name: "github", Type: TypeGitHub}) },
			check: func(t *testing.T, err error) {
				var pe *ProviderExistsError
				require.ErrorAs(t, err, &pe)
				assert.Equal(t, `provider "github" already exists in config.yaml`, err.Error())
				assert.Contains(t, pe.Hint(), "--force")
			},
		},
		{
			name: "remove missing suggests the closest name", data: spec, exitCode: 1,
			edit: func(f *File) error { return f.RemoveProvider("githb") },
			check: func(t *testing.T, err error) {
				var nf *ProviderNotFoundError
				require.ErrorAs(t, err, &nf)
				assert.Equal(t, `no provider named "githb" in config.yaml`, err.Error())
				assert.Equal(t, `did you mean "github"? known providers: github, google`, nf.Hint())
			},
		},
		{
			name: "replace missing in an empty file", data: "", exitCode: 1,
			edit: func(f *File) error { return f.ReplaceProvider(Provider{Name: "x", Type: TypeOIDC}) },
			check: func(t *testing.T, err error) {
				var nf *ProviderNotFoundError
				require.ErrorAs(t, err, &nf)
				assert.Contains(t, nf.Hint(), `"ssoctl provider add"`)
			},
		},
		{
			name: "set on a missing provider", data: spec, exitCode: 1,
			edit: func(f *File) error { return f.SetProviderValue("gitlab", []string{"type"}, "oidc") },
			check: func(t *testing.T, err error) {
				var nf *ProviderNotFoundError
				require.ErrorAs(t, err, &nf)
			},
		},
		{
			name: "file with values of the wrong type", data: "version: 1\nproviders:\n  - name: [a]\n", exitCode: 2,
			edit: addLark,
			check: func(t *testing.T, err error) {
				var ne *NotEditableError
				require.ErrorAs(t, err, &ne)
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Contains(t, err.Error(), "config file config.yaml was not changed because it cannot be read")
				assert.Contains(t, ne.Hint(), "ssoctl validate")
			},
		},
		{
			name: "providers is an alias", data: "version: 1\nx: &l\n  - name: a\n    type: oidc\nproviders: *l\n", exitCode: 1,
			edit: addLark,
			check: func(t *testing.T, err error) {
				var ee *EditError
				require.ErrorAs(t, err, &ee)
				assert.Equal(t, `cannot add provider "lark" to config.yaml: the providers list is an alias (*l) of a list defined elsewhere`, err.Error())
			},
		},
		{
			name: "providers is not a list", data: "version: 1\nproviders: github\n", exitCode: 2,
			edit: addLark,
			check: func(t *testing.T, err error) {
				// "github" does not decode into a list, so the file is refused before any edit.
				var ne *NotEditableError
				require.ErrorAs(t, err, &ne)
			},
		},
		{
			name: "set inside a single value", data: spec, exitCode: 1,
			edit: func(f *File) error { return f.SetProviderValue("github", []string{"type", "x"}, "y") },
			check: func(t *testing.T, err error) {
				assert.Equal(t, `cannot set type.x of provider "github" in config.yaml: type is a single value, not a mapping`, err.Error())
			},
		},
		{
			name: "value of the wrong type", data: spec, exitCode: 2,
			edit: func(f *File) error {
				return f.SetProviderValue("github", []string{"registration", "enabled"}, []string{"yes"})
			},
			check: func(t *testing.T, err error) {
				var ee *EditError
				require.ErrorAs(t, err, &ee)
				assert.Contains(t, err.Error(), "the result would have values of the wrong type")
			},
		},
		{
			name: "entry shared through an anchor", data: "version: 1\nproviders:\n  - &a\n    name: a\n    type: oidc\n  - <<: *a\n    name: b\n", exitCode: 1,
			edit: func(f *File) error { return f.SetProviderValue("a", []string{"issuer"}, "https://x") },
			check: func(t *testing.T, err error) {
				assert.Contains(t, err.Error(), "shared through the anchor &a")
			},
		},
		{
			name: "flow-style top level", data: "# c\n{version: 1, providers: []}\n", exitCode: 1,
			edit: addLark,
			check: func(t *testing.T, err error) {
				assert.Contains(t, err.Error(), "flow style")
			},
		},
		{
			name: "empty path", data: spec, exitCode: 1,
			edit: func(f *File) error { return f.SetProviderValue("github", nil, "x") },
			check: func(t *testing.T, err error) {
				assert.Contains(t, err.Error(), "the path is empty")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("config.yaml", []byte(tt.data))
			require.NoError(t, err)
			before := *f
			err = tt.edit(f)
			require.Error(t, err)
			tt.check(t, err)
			var ec interface{ ExitCode() int }
			require.ErrorAs(t, err, &ec)
			assert.Equal(t, tt.exitCode, ec.ExitCode())
			var h interface{ Hint() string }
			require.ErrorAs(t, err, &h)
			assert.NotEmpty(t, h.Hint())
			assert.Equal(t, string(before.Data), string(f.Data), "a failed edit changed the data")
			assert.Same(t, before.Config, f.Config, "a failed edit changed the config")
			msg := err.Error()
			assert.Equal(t, strings.ToLower(msg[:1]), msg[:1], "errors start lowercase")
			assert.NotContains(t, msg, "\n")
		})
	}
}

func TestProviderNotFoundHintManyNames(t *testing.T) {
	names := []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"}
	err := &ProviderNotFoundError{Name: "zzz", Path: "c.yaml", Names: names}
	assert.Equal(t, `run "ssoctl provider list" to see all 9 providers`, err.Hint())
}

func TestSecretsAreWrittenAsReferences(t *testing.T) {
	// Secret has a redacting MarshalJSON but no MarshalYAML: the file must get the reference (or, for a
	// literal the user chose, the literal), never "***".
	for _, ext := range []string{".yaml", ".json"} {
		t.Run(ext, func(t *testing.T) {
			f, err := Parse("config"+ext, nil)
			require.NoError(t, err)
			require.NoError(t, f.AddProvider(Provider{Name: "a", Type: TypeOIDC, ClientSecret: "env:A_SECRET"}))
			require.NoError(t, f.AddProvider(Provider{Name: "b", Type: TypeOIDC, ClientSecret: "s3cr3t"}))
			assert.Contains(t, string(f.Data), "env:A_SECRET")
			assert.Contains(t, string(f.Data), "s3cr3t")
			assert.NotContains(t, string(f.Data), Redacted)
		})
	}
}

func TestEditsKeepFileConsistent(t *testing.T) {
	// A chain of edits on one File: each starts from the previous result, so positions must come from
	// the current data, not the data first loaded.
	f, err := Parse("config.yaml", []byte("# mine\nversion: 1\n"))
	require.NoError(t, err)
	for _, name := range []string{"a", "b", "c"} {
		require.NoError(t, f.AddProvider(Provider{Name: name, Type: TypeOIDC, Issuer: "https://" + name}))
	}
	require.NoError(t, f.SetProviderValue("b", []string{"mapping", "rules", "email"}, "$.mail"))
	require.NoError(t, f.RemoveProvider("a"))
	require.NoError(t, f.ReplaceProvider(Provider{Name: "c", Type: TypeGitHub}))
	assert.Equal(t, `# mine
version: 1
providers:
  - name: b
    type: oidc
    issuer: https://b
    mapping:
      rules:
        email: $.mail
  - name: c
    type: github
`, string(f.Data))
	assert.Equal(t, []string{"b", "c"}, f.Config.ProviderNames())
	assert.Equal(t, f.Config.Providers[0].Mapping.Rules["email"], "$.mail")
}

func TestEditEdgeCases(t *testing.T) {
	addB := func(f *File) error { return f.AddProvider(Provider{Name: "b", Type: TypeOIDC}) }
	tests := []struct {
		name string
		in   string
		edit func(*File) error
		want string
	}{
		{
			name: "block scalar keeping its trailing blank lines",
			in:   "providers:\n  - name: a\n    type: oidc\n    note: |+\n      x\n\n\nignore: []\n",
			edit: addB,
			want: "providers:\n  - name: a\n    type: oidc\n    note: |+\n      x\n\n\n  - name: b\n    type: oidc\nignore: []\n",
		},
		{
			name: "document end marker",
			in:   "---\nversion: 1\n...\n",
			edit: addB,
			want: "---\nversion: 1\nproviders:\n  - name: b\n    type: oidc\n...\n",
		},
		{
			name: "byte order mark",
			in:   "\ufeffversion: 1\nproviders:\n- name: a\n  type: oidc\n",
			edit: func(f *File) error { return f.SetProviderValue("a", []string{"type"}, "github") },
			want: "\ufeffversion: 1\nproviders:\n- name: a\n  type: github\n",
		},
		{
			name: "quoted scalar continued at column 1",
			in:   "providers:\n  - name: a\n    type: oidc\n    note: \"two\nlines\"\n",
			edit: addB,
			want: "providers:\n  - name: a\n    type: oidc\n    note: \"two\nlines\"\n  - name: b\n    type: oidc\n",
		},
		{
			name: "dash alone on its line",
			in:   "providers:\n  -\n    name: a\n    type: oidc\n  -\n    name: c\n    type: oidc\n",
			edit: func(f *File) error { return f.RemoveProvider("a") },
			want: "providers:\n  -\n    name: c\n    type: oidc\n",
		},
		{
			name: "quoted keys",
			in:   "'version': 1\n\"providers\" :\n  - \"name\": a\n    'type': oidc\n",
			edit: func(f *File) error { return f.SetProviderValue("a", []string{"type"}, "github") },
			want: "'version': 1\n\"providers\" :\n  - \"name\": a\n    'type': github\n",
		},
		{
			name: "tab after the colon and a line comment",
			in:   "providers:\n  - name: a\n    type:\toidc\t# kind\n",
			edit: func(f *File) error { return f.SetProviderValue("a", []string{"type"}, "github") },
			want: "providers:\n  - name: a\n    type: github\t# kind\n",
		},
		{
			name: "unaliased anchor on an entry",
			in:   "providers:\n  - &a\n    name: a\n    type: oidc\n  - name: b\n    type: oidc\n",
			edit: func(f *File) error { return f.RemoveProvider("a") },
			want: "providers:\n  - name: b\n    type: oidc\n",
		},
		{
			name: "set a value given as null",
			in:   "providers:\n  - name: a\n    type: oidc\n    mapping:   # later\n",
			edit: func(f *File) error { return f.SetProviderValue("a", []string{"mapping", "type"}, "oidc") },
			want: "providers:\n  - name: a\n    type: oidc\n    mapping:   # later\n      type: oidc\n",
		},
		{
			name: "set a multi-line plain scalar",
			in:   "providers:\n  - name: a\n    type: oidc\n    display_name: a long\n      name\n    icon: x\n",
			edit: func(f *File) error { return f.SetProviderValue("a", []string{"display_name"}, "short") },
			want: "providers:\n  - name: a\n    type: oidc\n    display_name: short\n    icon: x\n",
		},
		{
			// The empty value of "?" is placed past the last line; adding after it indexed beyond
			// the file and panicked (found by FuzzParse).
			name: "explicit key without a value at the end",
			in:   "version: 1\n? \n",
			edit: addB,
			want: "version: 1\n? \nproviders:\n  - name: b\n    type: oidc\n",
		},
		{
			name: "values that need quoting",
			in:   "providers:\n  - name: a\n    type: oidc\n",
			edit: func(f *File) error {
				return f.SetProviderValue("a", []string{"mapping", "rules", "name: x"}, "#not a comment\nsecond line")
			},
			want: "providers:\n  - name: a\n    type: oidc\n    mapping:\n      rules:\n        'name: x': \"#not a comment\\nsecond line\"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("config.yaml", []byte(tt.in))
			require.NoError(t, err)
			require.NoError(t, f.DecodeErr)
			require.NoError(t, tt.edit(f))
			assert.Equal(t, tt.want, string(f.Data))
		})
	}
}
