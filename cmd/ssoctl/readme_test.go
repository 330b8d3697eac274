package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmd/factory"
	"github.com/ssoctl/ssoctl/pkg/cmd/root"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	return string(b)
}

// TestReadmeConfigExample checks that the config file README shows under "The config file" is one a
// new user can copy: it passes validate --strict.
func TestReadmeConfigExample(t *testing.T) {
	text := readme(t)
	_, rest, ok := strings.Cut(text, "## The config file")
	require.True(t, ok)
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(rest)
	require.NotNil(t, m, "no YAML example under \"The config file\"")
	f, err := config.Parse("README.md", []byte(m[1]))
	require.NoError(t, err)
	r := validate.Check(f, validate.Options{DisplayPath: "README.md", LookupEnv: func(string) (string, bool) { return "a-secret", true }})
	var out bytes.Buffer
	require.NoError(t, validate.WriteText(&out, r.Findings, plainStyle{}))
	assert.False(t, validate.Summarize(r.Findings).Failed(true), "README's config example fails validate --strict:\n%s", out.String())
}

// TestReadmeMapQueryExample runs README's map query example on GitHub's /user/emails answer, a
// top-level array (sample: GitHub REST API "List email addresses for the authenticated user",
// as in the project's reference/userinfo/github-emails.json).
func TestReadmeMapQueryExample(t *testing.T) {
	m := regexp.MustCompile(`ssoctl map query '([^']+)' --input emails\.json`).FindStringSubmatch(readme(t))
	require.NotNil(t, m, "README has no map query example on emails.json")
	emails := filepath.Join(t.TempDir(), "emails.json")
	require.NoError(t, os.WriteFile(emails, []byte(`[
  {"email": "mona@example.com", "primary": true, "verified": true, "visibility": "private"},
  {"email": "58121947+mona-ops@users.noreply.github.com", "primary": false, "verified": true, "visibility": null}
]`), 0o600))
	f := factory.New()
	ios, _, stdout, stderr := iostreams.Test()
	f.IOStreams = ios
	code := root.Run(context.Background(), f, []string{"map", "query", m[1], "--input", emails})
	require.Equal(t, 0, code, stderr.String())
	assert.JSONEq(t, `["mona@example.com"]`, stdout.String())
}

// TestReadmeCodeTable checks that README's table lists every code validate can report, alone or in a
// range row such as "SSO070–SSO080".
func TestReadmeCodeTable(t *testing.T) {
	text := readme(t)
	ranges := regexp.MustCompile(`\| (SSO\d{3})–(SSO\d{3}) \|`).FindAllStringSubmatch(text, -1)
	for _, c := range validate.Codes() {
		if !strings.HasPrefix(c.ID, "SSO") || strings.Contains(text, "| "+c.ID+" |") {
			continue
		}
		inRange := false
		for _, r := range ranges {
			inRange = inRange || (c.ID >= r[1] && c.ID <= r[2])
		}
		assert.True(t, inRange, "README's code table lacks %s", c.ID)
	}
}

type plainStyle struct{}

func (plainStyle) Red(s string) string    { return s }
func (plainStyle) Yellow(s string) string { return s }
func (plainStyle) Cyan(s string) string   { return s }
func (plainStyle) Gray(s string) string   { return s }
func (plainStyle) Bold(s string) string   { return s }
