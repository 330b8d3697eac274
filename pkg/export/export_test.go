package export

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/joho/godotenv"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fakeEnv is the environment the tests resolve references in.
var fakeEnv = map[string]string{
	"GITHUB_CLIENT_SECRET":    "gh-s3cret",
	"DINGTALK_SECRET":         "ding-s3cret",
	"LARK_SECRET":             "lark-s3cret",
	"CASDOOR_SECRET":          "casdoor-s3cret",
	"AUTHENTIK_CLIENT_SECRET": "ak-s3cret",
	"KEYCLOAK_SECRET":         `kc-s3cret"with$quote\and'tick`,
	"CUSTOM_SECRET":           "custom-s3cret",
}

func lookupFake(name string) (string, bool) {
	v, ok := fakeEnv[name]
	return v, ok
}

// variant is one way of exporting: a target and, for LobeChat, a generation.
type variant struct {
	dir  string
	opts Options
}

var variants = []variant{
	{"alist", Options{Target: TargetAList}},
	{"photoprism", Options{Target: TargetPhotoPrism}},
	{"lobechat", Options{Target: TargetLobeChat}},
	{"lobechat-betterauth", Options{Target: TargetLobeChat, Generation: GenerationBetterAuth}},
	{"inventree", Options{Target: TargetInvenTree}},
	{"generic", Options{Target: TargetGeneric}},
}

// loadFixture reads testdata/ssoctl.yaml, which has a provider of every type.
func loadFixture(t *testing.T) *config.Config {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ssoctl.yaml"))
	require.NoError(t, err)
	f, err := config.Parse("ssoctl.yaml", data)
	require.NoError(t, err)
	require.NotNil(t, f.Config, "fixture must decode: %v", f.DecodeErr)
	return f.Config
}

// single is cfg with only provider p, as a file for one app holds it.
func single(cfg *config.Config, p config.Provider) *config.Config {
	c := *cfg
	c.Providers = []config.Provider{p}
	return &c
}

// archive is everything an export produced, as the golden file holds it.
func archive(t *testing.T, cfg *config.Config, p config.Provider, v variant) *txtar.Archive {
	t.Helper()
	a := &txtar.Archive{Comment: fmt.Appendf(nil, "ssoctl export %s --target %s %s\n", p.Name, v.opts.Target, v.opts.Generation)}
	opts := v.opts
	opts.LookupEnv = lookupFake
	r, err := Export(cfg, p, opts)
	if err != nil {
		a.Files = append(a.Files, txtar.File{Name: "error", Data: []byte(errorText(err))})
		return a
	}
	for _, format := range r.Formats {
		var b bytes.Buffer
		require.NoError(t, r.Write(&b, format, false))
		a.Files = append(a.Files, txtar.File{Name: format, Data: bytes.Clone(b.Bytes())})
		if format == FormatTable {
			b.Reset()
			require.NoError(t, r.Write(&b, format, true))
			a.Files = append(a.Files, txtar.File{Name: "table-tty", Data: bytes.Clone(b.Bytes())})
		}
	}
	var s strings.Builder
	for _, c := range r.Callbacks {
		s.WriteString(c + "\n")
	}
	a.Files = append(a.Files, txtar.File{Name: "callbacks", Data: []byte(s.String())})
	s.Reset()
	for _, w := range r.Warnings {
		fmt.Fprintf(&s, "%s %s: %s\n  hint: %s\n", w.Code, w.Field, w.Message, w.Hint)
	}
	a.Files = append(a.Files, txtar.File{Name: "warnings", Data: []byte(s.String())})
	s.Reset()
	for _, n := range r.Notes {
		s.WriteString(n + "\n")
	}
	a.Files = append(a.Files, txtar.File{Name: "notes", Data: []byte(s.String())})
	return a
}

func errorText(err error) string {
	s := "error: " + err.Error() + "\n"
	if h, ok := err.(interface{ Hint() string }); ok && h.Hint() != "" {
		s += "hint: " + h.Hint() + "\n"
	}
	if c, ok := err.(interface{ ExitCode() int }); ok {
		s += fmt.Sprintf("exit: %d\n", c.ExitCode())
	}
	return s
}

// TestGolden pins every target's output for every provider type, in every format, with the callbacks,
// warnings and notes. go test ./pkg/export -update rewrites the files.
func TestGolden(t *testing.T) {
	cfg := loadFixture(t)
	for _, v := range variants {
		for _, p := range cfg.Providers {
			t.Run(v.dir+"/"+p.Name, func(t *testing.T) {
				got := txtar.Format(archive(t, single(cfg, p), p, v))
				path := filepath.Join("testdata", "golden", v.dir, p.Name+".txtar")
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
					require.NoError(t, os.WriteFile(path, got, 0o644))
					return
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run go test ./pkg/export -update to create the golden file")
				assert.Equal(t, string(want), string(got))
			})
		}
	}
}

// resolve fills references from fakeEnv.
func resolve(t Text) string {
	var b strings.Builder
	for _, s := range t {
		if s.Ref != "" {
			b.WriteString(fakeEnv[s.Ref])
		} else {
			b.WriteString(s.Lit)
		}
	}
	return b.String()
}

// interpolateCompose does what docker compose does to a value: ${NAME} from the environment, $$ to $.
func interpolateCompose(s string) string {
	re := regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	return re.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		return fakeEnv[m[2:len(m)-1]]
	})
}

// dotenvDefs defines the fake environment at the top of a dotenv file, so that godotenv (which
// expands only variables of the same file) fills the references in.
func dotenvDefs() string {
	var b strings.Builder
	for k, v := range fakeEnv {
		b.WriteString(k + "=" + envValue(Lit(v)) + "\n")
	}
	return b.String()
}

// TestRoundTrip reads every output back with the format's own parser and checks that it means what
// the Result says: godotenv for env, YAML for compose and yaml, encoding/json for json.
func TestRoundTrip(t *testing.T) {
	cfg := loadFixture(t)
	for _, v := range variants {
		for _, p := range cfg.Providers {
			opts := v.opts
			opts.LookupEnv = lookupFake
			r, err := Export(single(cfg, p), p, opts)
			if err != nil {
				continue
			}
			t.Run(v.dir+"/"+p.Name, func(t *testing.T) {
				out := map[string]string{}
				for _, f := range r.Formats {
					var b bytes.Buffer
					require.NoError(t, r.Write(&b, f, false))
					out[f] = b.String()
				}
				if s, ok := out[FormatEnv]; ok {
					got, err := godotenv.Unmarshal(dotenvDefs() + s)
					require.NoError(t, err)
					for _, e := range r.Env() {
						assert.Equal(t, resolve(e.Value), got[e.Name], e.Name)
					}
				}
				if s, ok := out[FormatCompose]; ok {
					var doc struct {
						Environment map[string]string `yaml:"environment"`
					}
					require.NoError(t, yaml.Unmarshal([]byte(s), &doc))
					require.Len(t, doc.Environment, len(r.Env()))
					for _, e := range r.Env() {
						assert.Equal(t, resolve(e.Value), interpolateCompose(doc.Environment[e.Name]), e.Name)
					}
				}
				var fromJSON, fromYAML any
				require.NoError(t, json.Unmarshal([]byte(out[FormatJSON]), &fromJSON))
				require.NoError(t, yaml.Unmarshal([]byte(out[FormatYAML]), &fromYAML))
				// YAML gives ints where JSON gives float64: compare both as JSON sees them.
				yj, err := json.Marshal(fromYAML)
				require.NoError(t, err)
				var fromYAMLasJSON any
				require.NoError(t, json.Unmarshal(yj, &fromYAMLasJSON))
				assert.Equal(t, fromJSON, fromYAMLasJSON, "json and yaml differ")
				if r.Env() != nil && r.Target != TargetInvenTree {
					m, ok := fromJSON.(map[string]any)
					require.True(t, ok)
					for _, e := range r.Env() {
						assert.Equal(t, e.Value.String(), m[e.Name], e.Name)
					}
				}
				if s, ok := out[FormatTable]; ok {
					lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
					require.Len(t, lines, len(r.Rows()))
					for i, row := range r.Rows() {
						assert.Equal(t, row.Key+"\t"+row.Value.String(), lines[i])
					}
				}
			})
		}
	}
}

// TestInvenTreeEnvJSON checks that the JSON InvenTree reads from its environment variables is the
// configuration file's content once the references are filled in.
func TestInvenTreeEnvJSON(t *testing.T) {
	cfg := loadFixture(t)
	p, _ := cfg.Provider("authentik")
	r, err := Export(single(cfg, *p), *p, Options{Target: TargetInvenTree})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, r.Write(&b, FormatEnv, false))
	env, err := godotenv.Unmarshal(dotenvDefs() + b.String())
	require.NoError(t, err)

	var doc map[string]any
	b.Reset()
	require.NoError(t, r.Write(&b, FormatYAML, false))
	require.NoError(t, yaml.Unmarshal(b.Bytes(), &doc))
	for name, key := range map[string]string{"INVENTREE_SOCIAL_PROVIDERS": "social_providers", "INVENTREE_GLOBAL_SETTINGS": "global_settings"} {
		var fromEnv any
		require.NoError(t, json.Unmarshal([]byte(env[name]), &fromEnv), name)
		want, err := json.Marshal(doc[key])
		require.NoError(t, err)
		var wantAny any
		require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(string(want), "${AUTHENTIK_CLIENT_SECRET}", fakeEnv["AUTHENTIK_CLIENT_SECRET"])), &wantAny))
		assert.Equal(t, wantAny, fromEnv, name)
	}
	assert.Equal(t, "allauth.socialaccount.providers.openid_connect", env["INVENTREE_SOCIAL_BACKENDS"])
}

func TestEnvValue(t *testing.T) {
	tests := []struct {
		name string
		in   Text
		want string
	}{
		{"plain", Lit("Iv1.abc"), "Iv1.abc"},
		{"url", Lit("https://a.example.com/x?y=1"), "'https://a.example.com/x?y=1'"},
		{"empty", Lit(""), ""},
		{"space", Lit("Company SSO"), "'Company SSO'"},
		{"dollar stays literal", Lit("a$b"), "'a$b'"},
		{"hash", Lit("a #b"), "'a #b'"},
		{"single quote", Lit("it's"), `"it's"`},
		{"newline", Lit("a\nb"), `"a\nb"`},
		{"backslash and quote", Lit(`a\b"c'`), `"a\\b\"c'"`},
		{"reference alone", Ref("GITHUB_CLIENT_SECRET"), "${GITHUB_CLIENT_SECRET}"},
		{"reference in text", Text{{Lit: "x-"}, {Ref: "LARK_SECRET"}}, "x-${LARK_SECRET}"},
		{"reference in JSON", Text{{Lit: `{"s":"`}, {Ref: "LARK_SECRET"}, {Lit: `$"}`}}, `"{\"s\":\"${LARK_SECRET}\$\"}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := envValue(tt.in)
			assert.Equal(t, tt.want, got)
			parsed, err := godotenv.Unmarshal(dotenvDefs() + "X=" + got + "\n")
			require.NoError(t, err)
			assert.Equal(t, resolve(tt.in), parsed["X"])
		})
	}
}

func TestComposeText(t *testing.T) {
	assert.Equal(t, "a$$b${X}", composeText(Text{{Lit: "a$b"}, {Ref: "X"}}))
}

// TestNoSecretInOutput exports providers whose secrets are written literally, kept in a file or in
// the environment to every target in every format and checks that no value appears anywhere, not in
// the data, the notes, the warnings or an error, unless Reveal is set.
func TestNoSecretInOutput(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	require.NoError(t, os.WriteFile(secretFile, []byte("file-SECRET-value-43\n"), 0o600))
	values := []string{"literal-SECRET-value-42", "file-SECRET-value-43", "env-SECRET-value-44"}
	lookup := func(name string) (string, bool) {
		if name == "SSO_SECRET" {
			return values[2], true
		}
		return "", false
	}
	base := loadFixture(t)
	secrets := []config.Secret{config.Secret(values[0]), config.Secret("file:" + secretFile), "env:SSO_SECRET"}
	for _, v := range variants {
		for _, p := range base.Providers {
			for i, s := range secrets {
				p := p
				p.ClientSecret = s
				if p.RedirectURL == "" {
					p.RedirectURL = "https://app.example.com/callback"
				}
				for _, reveal := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%s/%s/reveal=%v", v.dir, p.Name, s.Kind(), reveal), func(t *testing.T) {
						opts := v.opts
						opts.LookupEnv, opts.Reveal = lookup, reveal
						all := exportAll(t, single(base, p), p, opts)
						if reveal {
							if !strings.Contains(all, "error:") {
								assert.Contains(t, all, values[i])
							}
							return
						}
						for _, val := range values {
							assert.NotContains(t, all, val)
						}
					})
				}
			}
		}
	}
}

// exportAll is everything Export says: every format, callbacks, warnings, notes, or the error.
func exportAll(t *testing.T, cfg *config.Config, p config.Provider, opts Options) string {
	t.Helper()
	r, err := Export(cfg, p, opts)
	if err != nil {
		return errorText(err)
	}
	if opts.Reveal {
		assert.True(t, r.Revealed)
	}
	var b bytes.Buffer
	for _, f := range r.Formats {
		require.NoError(t, r.Write(&b, f, false))
		require.NoError(t, r.Write(&b, f, true))
	}
	fmt.Fprintln(&b, r.Callbacks, r.Notes)
	for _, w := range r.Warnings {
		fmt.Fprintln(&b, w.Code, w.Field, w.Message, w.Hint)
	}
	return b.String()
}

// TestEnvSecretOnAdminForms: an env:NAME secret stays ${NAME} where a consumer expands it (dotenv,
// compose, a shell), and becomes a placeholder naming the variable where the settings are typed into an
// admin page (AList, OpenList, the generic form), in every format: there a literal ${NAME} would be
// stored as the secret itself. --reveal writes the value for both.
func TestEnvSecretOnAdminForms(t *testing.T) {
	cfg := loadFixture(t)
	for _, v := range variants {
		for _, p := range cfg.Providers {
			if p.ClientSecret.Kind() != config.SecretEnv {
				continue
			}
			opts := v.opts
			opts.LookupEnv = lookupFake
			r, err := Export(single(cfg, p), p, opts)
			if err != nil {
				continue
			}
			t.Run(v.dir+"/"+p.Name, func(t *testing.T) {
				adminForm := v.opts.Target == TargetAList || v.opts.Target == TargetOpenList || v.opts.Target == TargetGeneric
				ref := p.ClientSecret.Ref()
				var all bytes.Buffer
				for _, f := range r.Formats {
					require.NoError(t, r.Write(&all, f, true))
				}
				notes := strings.Join(r.Notes, "\n")
				if adminForm {
					assert.NotContains(t, all.String(), "${", "a literal ${NAME} would become the secret")
					assert.Contains(t, all.String(), "<secret from env:"+ref+": paste its value here>")
					assert.Contains(t, notes, "paste the value of $"+ref+" there, or rerun with --reveal")
				} else {
					assert.Contains(t, all.String(), "${"+ref+"}")
					assert.NotContains(t, notes, "paste the value")
				}
				opts.Reveal = true
				revealed, err := Export(single(cfg, p), p, opts)
				require.NoError(t, err)
				var out bytes.Buffer
				require.NoError(t, revealed.Write(&out, revealed.DefaultFormat(), false))
				assert.True(t, revealed.Revealed)
				if want, _ := lookupFake(ref); !strings.ContainsAny(want, `"$\'`) { // else quoted per format
					assert.Contains(t, out.String(), want)
				}
				assert.NotContains(t, out.String(), "paste its value")
			})
		}
	}
}
