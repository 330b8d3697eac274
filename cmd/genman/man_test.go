package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
