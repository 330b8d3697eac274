package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/cmd/factory"
	"github.com/ssoctl/ssoctl/pkg/cmd/root"
)

// TestManPagesCurrent fails when docs/man no longer holds exactly the pages the command tree gives,
// as TestCompletionsCurrent does for completions/; scripts/manpages.sh regenerates them.
func TestManPagesCurrent(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, writePages(root.NewCmdRoot(factory.New()), dir))
	committed := filepath.Join("..", "..", "docs", "man")
	want := pageNames(t, dir)
	assert.Equal(t, want, pageNames(t, committed), "docs/man lacks a page or has a page of a command that is gone: run scripts/manpages.sh")
	for _, name := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		have, err := os.ReadFile(filepath.Join(committed, name))
		if assert.NoError(t, err) {
			assert.True(t, string(got) == string(have), "docs/man/%s is out of date: run scripts/manpages.sh", name)
		}
	}
	for _, name := range []string{"ssoctl.1", "ssoctl-test-login.1", "ssoctl-provider-add.1", "ssoctl-completion-bash.1"} {
		assert.Contains(t, want, name)
	}
}

// TestPageMarkup checks what the generator adds to cobra/doc: no date, usage placeholders kept
// (Markdown would read "<file>" as an HTML tag and drop it), and an indented list kept as lines.
func TestPageMarkup(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, writePages(root.NewCmdRoot(factory.New()), dir))
	b, err := os.ReadFile(filepath.Join(dir, "ssoctl-validate.1"))
	require.NoError(t, err)
	page := string(b)
	assert.Contains(t, page, `.TH "SSOCTL-VALIDATE" "1" "" "ssoctl" "ssoctl manual"`)
	assert.Contains(t, page, `[<file>]`)
	assert.Regexp(t, `(?m)^\.EX\n(?s:.*)SSO001  error    unknown key\n  SSO002`, page)
	assert.NotContains(t, page, "HISTORY")
}

func pageNames(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.1"))
	require.NoError(t, err)
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// TestReleaseShipsEveryPage keeps .goreleaser.yaml shipping every page: the archives and packages
// take docs/man by a glob, but a Homebrew cask names each page it links.
func TestReleaseShipsEveryPage(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	require.NoError(t, err)
	var release struct {
		Archives []struct {
			Files []string `yaml:"files"`
		} `yaml:"archives"`
		Nfpms []struct {
			Contents []struct {
				Src string `yaml:"src"`
				Dst string `yaml:"dst"`
			} `yaml:"contents"`
		} `yaml:"nfpms"`
		HomebrewCasks []struct {
			Manpages []string `yaml:"manpages"`
		} `yaml:"homebrew_casks"`
	}
	require.NoError(t, yaml.Unmarshal(b, &release))
	require.Len(t, release.Archives, 1)
	assert.Contains(t, release.Archives[0].Files, "docs/man/*")
	require.Len(t, release.Nfpms, 1)
	assert.Contains(t, release.Nfpms[0].Contents, struct {
		Src string `yaml:"src"`
		Dst string `yaml:"dst"`
	}{"docs/man/*.1", "/usr/share/man/man1/"})
	require.Len(t, release.HomebrewCasks, 1)
	var want []string
	for _, name := range pageNames(t, filepath.Join("..", "..", "docs", "man")) {
		want = append(want, "docs/man/"+name)
	}
	assert.Equal(t, want, release.HomebrewCasks[0].Manpages, ".goreleaser.yaml's homebrew_casks manpages must list every page in docs/man")
}
