package validate_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

const fixtures = "../../testdata/config"

// unsetVar is the one variable the fixtures' environment lacks, so that SSO061 can be tested while
// every other env: secret resolves.
const unsetVar = "SSOCTL_TEST_SURELY_UNSET_SECRET"

func fixtureOptions(display string) validate.Options {
	return validate.Options{
		DisplayPath: display,
		LookupEnv: func(name string) (string, bool) {
			if name == unsetVar {
				return "", false
			}
			return "value-of-" + name, true
		},
		// file: secrets of the good fixtures point at paths such as /run/secrets/x.
		Stat: func(string) (os.FileInfo, error) { return nil, nil },
	}
}

type outcome struct {
	exit   int               // exit code without --strict
	strict int               // exit code with --strict
	codes  []string          // every code reported, sorted; nil for exit 2
	phrase string            // part of the error or of one finding's message
	mode   fs.FileMode       // file mode to validate with; 0600 when 0
	lines  map[string][2]int // code -> line, column of its first finding, where positions matter
}

// badFixtures is the expectation table of testdata/config/bad: every file there must be listed.
var badFixtures = map[string]outcome{
	// Unreadable or unparsable: exit 2 with the line and column.
	"malformed-flow.yaml": {exit: 2, strict: 2, phrase: "at line 6, column 14"},
	"tabs.yaml":           {exit: 2, strict: 2, phrase: "tab"},
	"duplicate-keys.yaml": {exit: 2, strict: 2, phrase: `key "client_id" appears twice`},
	"not-a-mapping.yaml":  {exit: 2, strict: 2, phrase: "holds a list"},
	"bad-indent.yaml":     {exit: 2, strict: 2, phrase: "at line 4, column 10"},
	"unquoted-colon.yaml": {exit: 2, strict: 2, phrase: "mapping values are not allowed"},
	"unclosed-quote.yaml": {exit: 2, strict: 2, phrase: "quoted scalar"},
	"json-unclosed.json":  {exit: 2, strict: 2, phrase: "at line 5, column 3"},
	"binary.yaml":         {exit: 2, strict: 2, phrase: "binary data"},
	"invalid-utf8.yaml":   {exit: 2, strict: 2, phrase: "not valid UTF-8"},
	"empty.yaml":          {exit: 1, strict: 1, codes: []string{"SSO006"}, phrase: "holds no settings"},
	"comments-only.yaml":  {exit: 1, strict: 1, codes: []string{"SSO006"}, phrase: "holds no settings"},
	"no-version.yaml":     {exit: 1, strict: 1, codes: []string{"SSO005"}, phrase: "no version"},
	"version-2.yaml":      {exit: 1, strict: 1, codes: []string{"SSO005"}, phrase: "version 2 is not supported"},
	"no-providers.yaml":   {exit: 0, strict: 1, codes: []string{"SSO007"}, phrase: "no providers"},
	"unknown-key.yaml":    {exit: 1, strict: 1, codes: []string{"SSO001"}, phrase: `unknown key "redirect_uri"`, lines: map[string][2]int{"SSO001": {7, 5}}},
	"camelcase-key.yaml":  {exit: 1, strict: 1, codes: []string{"SSO001", "SSO010"}, phrase: `unknown key "clientId"`},
	"misplaced-key.yaml":  {exit: 1, strict: 1, codes: []string{"SSO001"}, phrase: `unknown key "allowed_domains"`},
	"json-unknown-key.json": {exit: 1, strict: 1, codes: []string{"SSO001"}, phrase: `unknown key "redirectUrl"`,
		lines: map[string][2]int{"SSO001": {9, 7}}},
	"wrong-type-scopes.yaml":          {exit: 1, strict: 1, codes: []string{"SSO002"}, phrase: "scopes of provider \"google\" is text, but must be a list", lines: map[string][2]int{"SSO002": {7, 13}}},
	"wrong-type-number.yaml":          {exit: 1, strict: 1, codes: []string{"SSO002"}, phrase: "is a number, but must be text"},
	"wrong-type-bool.yaml":            {exit: 1, strict: 1, codes: []string{"SSO002"}, phrase: "must be true or false"},
	"unknown-type.yaml":               {exit: 1, strict: 1, codes: []string{"SSO003"}, phrase: `type "gitlab"`},
	"bad-name.yaml":                   {exit: 1, strict: 1, codes: []string{"SSO003"}, phrase: `name "My GitHub"`},
	"missing-type.yaml":               {exit: 1, strict: 1, codes: []string{"SSO004"}, phrase: "has no type"},
	"required-issuer.yaml":            {exit: 1, strict: 1, codes: []string{"SSO010"}, phrase: "has no issuer"},
	"oauth2-incomplete.yaml":          {exit: 1, strict: 1, codes: []string{"SSO010", "SSO031"}, phrase: "has no token_url"},
	"duplicate-names.yaml":            {exit: 1, strict: 1, codes: []string{"SSO011"}, phrase: "used twice (first at line 3)", lines: map[string][2]int{"SSO011": {7, 11}}},
	"url-not-absolute.yaml":           {exit: 1, strict: 1, codes: []string{"SSO012"}, phrase: "not an absolute http(s) URL"},
	"http-redirect.yaml":              {exit: 1, strict: 1, codes: []string{"SSO013"}, phrase: "plain http"},
	"redirect-host.yaml":              {exit: 1, strict: 1, codes: []string{"SSO014"}, phrase: "in its host ("},
	"redirect-path-alist.yaml":        {exit: 1, strict: 1, codes: []string{"SSO015"}, phrase: "not the AList callback"},
	"redirect-path-photoprism.yaml":   {exit: 1, strict: 1, codes: []string{"SSO015"}, phrase: "not the PhotoPrism callback"},
	"redirect-path-inventree.yaml":    {exit: 1, strict: 1, codes: []string{"SSO015"}, phrase: "not the InvenTree callback"},
	"redirect-path-lobechat.yaml":     {exit: 1, strict: 1, codes: []string{"SSO015"}, phrase: "not the LobeChat callback"},
	"redirect-unset.yaml":             {exit: 0, strict: 0, codes: []string{"SSO021"}, phrase: "calls back at https://parts.example.com/accounts/keycloak/login/callback/"},
	"issuer-authentik-slash.yaml":     {exit: 0, strict: 1, codes: []string{"SSO016"}, phrase: "without its trailing slash"},
	"casdoor-built-in.yaml":           {exit: 1, strict: 1, codes: []string{"SSO017"}, phrase: "built-in organization"},
	"alist-two-providers.yaml":        {exit: 1, strict: 1, codes: []string{"SSO018"}, phrase: "one SSO platform at a time"},
	"alist-lark.yaml":                 {exit: 1, strict: 1, codes: []string{"SSO019"}, phrase: "does not support provider type lark"},
	"alist-tenant.yaml":               {exit: 0, strict: 1, codes: []string{"SSO020"}, phrase: "common tenant"},
	"mapping-rule-syntax.yaml":        {exit: 1, strict: 1, codes: []string{"SSO030"}, phrase: "syntax error at column 8", lines: map[string][2]int{"SSO030": {13, 22}}},
	"mapping-json-pointer.yaml":       {exit: 1, strict: 1, codes: []string{"SSO030"}, phrase: `rule name "/data/name"`},
	"custom-mapping-no-rules.yaml":    {exit: 1, strict: 1, codes: []string{"SSO031"}, phrase: "no rule for name and email"},
	"unknown-rule-field.yaml":         {exit: 1, strict: 1, codes: []string{"SSO001"}, phrase: `unknown key "emial"`},
	"mapping-preset-mismatch.yaml":    {exit: 0, strict: 1, codes: []string{"SSO032"}, phrase: "mapping preset github"},
	"scope-missing-github-email.yaml": {exit: 0, strict: 1, codes: []string{"SSO033"}, phrase: "user:email"},
	"scope-missing-oidc-email.yaml":   {exit: 0, strict: 1, codes: []string{"SSO033"}, phrase: "scopes lack email"},
	"username-unstable.yaml":          {exit: 0, strict: 1, codes: []string{"SSO034"}, phrase: "both username and SSO id"},
	"photoprism-username.yaml":        {exit: 1, strict: 1, codes: []string{"SSO035"}, phrase: `usernames from "sub"`},
	"lark-rule-root.yaml":             {exit: 0, strict: 1, codes: []string{"SSO036"}, phrase: "under $.data"},
	"mapping-dialect.yaml":            {exit: 0, strict: 1, codes: []string{"SSO038"}, phrase: "means something else in RFC 9535 at column 15", lines: map[string][2]int{"SSO038": {11, 30}}},
	"permission-unknown.yaml":         {exit: 1, strict: 1, codes: []string{"SSO040"}, phrase: `unknown permission "webdav-reed"`, lines: map[string][2]int{"SSO040": {9, 41}}},
	"permission-out-of-scheme.yaml":   {exit: 1, strict: 1, codes: []string{"SSO040"}, phrase: "bits outside scheme alist"},
	"permission-string-sum.yaml":      {exit: 1, strict: 1, codes: []string{"SSO002"}, phrase: "must be a whole number or a list"},
	"permission-scheme-unknown.yaml":  {exit: 1, strict: 1, codes: []string{"SSO041"}, phrase: `scheme "alsit" is not defined`},
	"permission-scheme-invalid.yaml":  {exit: 1, strict: 1, codes: []string{"SSO042"}, phrase: "already used"},
	"default-dir.yaml":                {exit: 1, strict: 1, codes: []string{"SSO043"}, phrase: "does not start with /"},
	"domain-invalid.yaml":             {exit: 1, strict: 1, codes: []string{"SSO044"}, phrase: "email address, not a domain"},
	"group-map-empty.yaml":            {exit: 1, strict: 1, codes: []string{"SSO050"}, phrase: "empty app group"},
	"remove-unmapped-empty.yaml":      {exit: 0, strict: 1, codes: []string{"SSO051"}, phrase: "group map is empty"},
	"secret-literal.yaml":             {exit: 0, strict: 1, codes: []string{"SSO060"}, phrase: "written in the file"},
	"secret-world-readable.yaml":      {exit: 0, strict: 1, codes: []string{"SSO060", "SSO062"}, phrase: "readable by every user", mode: 0o644},
	"secret-env-unset.yaml":           {exit: 0, strict: 1, codes: []string{"SSO061"}, phrase: unsetVar + ", which holds"},
	"secret-shell-var.yaml":           {exit: 1, strict: 1, codes: []string{"SSO063"}, phrase: "looks like a shell variable"},
	"ignore-no-reason.yaml":           {exit: 1, strict: 1, codes: []string{"SSO090"}, phrase: "gives no reason"},
	"ignore-unknown-code.yaml":        {exit: 1, strict: 1, codes: []string{"SSO091"}, phrase: `"SSO999"`},
	"ignore-unused.yaml":              {exit: 0, strict: 1, codes: []string{"SSO092"}, phrase: "matches no finding"},
	// The bad redirect is written once in an anchor and merged into two providers, one of them in
	// flow style: both findings point at the anchor's line, the flow value at its own column.
	"anchors.yaml": {exit: 1, strict: 1, codes: []string{"SSO002", "SSO012"}, phrase: "not an absolute http(s) URL",
		lines: map[string][2]int{"SSO012": {6, 17}, "SSO002": {11, 101}}},
	"billion-laughs.yaml": {exit: 1, strict: 1, codes: []string{"SSO008"}, phrase: "expand the file"},
}

// runFixture validates a copy of the fixture with the given mode, the way `ssoctl validate` does,
// and returns the exit code, the report (nil for exit 2) and the load error.
func runFixture(t *testing.T, src, name string, mode fs.FileMode, strict bool) (int, *validate.Report, error) {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, mode))
	require.NoError(t, os.Chmod(path, mode)) // umask must not change the mode under test
	t.Cleanup(func() {
		// validate must never change the file it checks.
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, data, after, "%s changed", name)
		fi, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, mode, fi.Mode().Perm(), "%s mode changed", name)
	})
	f, err := config.Load(path)
	if err != nil {
		var ec interface{ ExitCode() int }
		require.True(t, errors.As(err, &ec), "load error without exit code: %v", err)
		return ec.ExitCode(), nil, err
	}
	r := validate.Check(f, fixtureOptions(name))
	if validate.Summarize(r.Findings).Failed(strict) {
		return 1, r, nil
	}
	return 0, r, nil
}

func TestBadFixtures(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(fixtures, "bad"))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	for name := range badFixtures {
		assert.Contains(t, names, name, "expectation for a fixture that does not exist")
	}
	assert.GreaterOrEqual(t, len(names), 30)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			want, ok := badFixtures[name]
			require.True(t, ok, "testdata/config/bad/%s has no entry in badFixtures", name)
			mode := want.mode
			if mode == 0 {
				mode = 0o600
			}
			src := filepath.Join(fixtures, "bad", name)
			for _, strict := range []bool{false, true} {
				code, r, err := runFixture(t, src, name, mode, strict)
				wantCode := want.exit
				if strict {
					wantCode = want.strict
				}
				assert.Equal(t, wantCode, code, "exit code (strict=%v)", strict)
				if want.exit == 2 {
					require.Error(t, err)
					assertSentence(t, err.Error())
					assert.Contains(t, err.Error(), want.phrase)
					var h interface{ Hint() string }
					require.True(t, errors.As(err, &h))
					assert.NotEmpty(t, h.Hint(), "parse errors carry a hint")
					continue
				}
				require.NotNil(t, r)
				assert.Equal(t, want.codes, codesOf(r.Findings))
				var msgs []string
				for _, f := range r.Findings {
					assertSentence(t, f.Message)
					assert.NotEmpty(t, f.Hint, "%s has no hint", f.Code)
					assert.Equal(t, name, f.File)
					msgs = append(msgs, f.Message)
				}
				assert.Contains(t, strings.Join(msgs, "\n"), want.phrase)
				for code, pos := range want.lines {
					f := firstOf(r.Findings, code)
					require.NotNil(t, f, "no %s finding", code)
					assert.Equal(t, pos, [2]int{f.Line, f.Column}, "%s position", code)
				}
			}
		})
	}
}

// TestTenMegabyteFile checks that a file far too large for a config is refused as unreadable input
// (exit 2) without reading it whole; it is generated here rather than committed.
func TestTenMegabyteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	var b strings.Builder
	b.WriteString("version: 1\nproviders:\n")
	for b.Len() < 10<<20 {
		b.WriteString("  - {name: p, type: github, client_id: abcdefghijklmnopqrstuvwxyz0123456789, client_secret: env:X}\n")
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	_, err := config.Load(path)
	require.Error(t, err)
	var ec interface{ ExitCode() int }
	require.True(t, errors.As(err, &ec))
	assert.Equal(t, 2, ec.ExitCode())
	assert.Contains(t, err.Error(), "larger than")
	assertSentence(t, err.Error())
}

func TestGoodFixtures(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(fixtures, "good"))
	require.NoError(t, err)
	kinds, types := map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			code, r, err := runFixture(t, filepath.Join(fixtures, "good", e.Name()), e.Name(), 0o600, true)
			require.NoError(t, err)
			assert.Equal(t, 0, code)
			assert.Empty(t, r.Findings, "a good fixture validates clean")
			f, err := config.Load(filepath.Join(fixtures, "good", e.Name()))
			require.NoError(t, err)
			if f.Config.App != nil {
				kinds[f.Config.App.Kind] = true
			}
			for _, p := range f.Config.Providers {
				types[p.Type] = true
			}
		})
	}
	for _, k := range config.AppKinds {
		assert.True(t, kinds[k], "no good fixture for app kind %s", k)
	}
	for _, typ := range config.ProviderTypes {
		assert.True(t, types[typ], "no good fixture for provider type %s", typ)
	}
}

func codesOf(fs []validate.Finding) []string {
	var out []string
	for _, f := range fs {
		if !slices.Contains(out, f.Code) {
			out = append(out, f.Code)
		}
	}
	sort.Strings(out)
	return out
}

func firstOf(fs []validate.Finding, code string) *validate.Finding {
	for i := range fs {
		if fs[i].Code == code {
			return &fs[i]
		}
	}
	return nil
}

// assertSentence checks the shape every message has: one line, no Go internals.
func assertSentence(t *testing.T, s string) {
	t.Helper()
	assert.NotEmpty(t, s)
	assert.NotContains(t, s, "\n")
	for _, bad := range []string{"goroutine", "panic", "runtime error", "%!"} {
		assert.NotContains(t, s, bad)
	}
}
