package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmd/factory"
	"github.com/ssoctl/ssoctl/pkg/cmd/root"
)

// TestReadmeExamples runs every fenced code block of README.md that can run here, as a testscript
// generated from the block, so that an example a new user copies is one that works.
//
// Every block must be marked on the line(s) right before its opening fence (HTML comments, which
// GitHub does not show):
//
//	<!-- readme-test: run NAME -->            run it, with testdata/readme/NAME.txtar (below)
//	<!-- readme-test: skip (REASON) -->       do not run it, for the reason given
//	<!-- readme-test: skip-command "COMMAND" (REASON) -->
//	                                          in a run block, do not run this one command
//
// A block without a marker fails the test, and so does a marker or a companion file that matches
// nothing. How a run block runs:
//
//   - sh: every command (a line, with its "\" continuations; comment lines and trailing "# ..."
//     comments left out) runs with sh -c in the script's work directory, in order, with ssoctl on
//     $PATH (this test binary's main, as in testdata/script), a fresh $HOME and XDG directories
//     and no config (the companion's setup may start a provider or add files first).
//     "go run ./cmd/ssoctl" runs that same ssoctl. "export NAME=VALUE" (a plain value: no quotes,
//     escapes or $) sets the variable for the commands after it; any other command that changes
//     the shell (cd, unset, source, such an export) fails the test, as it would not reach the
//     next commands. A command must exit 0 unless its assertions say otherwise.
//   - console: "$ COMMAND" lines run as in sh, with stderr joined to stdout; every line the block
//     shows after a command must be a line of its output.
//   - yaml (and any other language): the block is written to readme.yaml, and the companion's
//     setup does what the block is for (validate it, for a config).
//
// The companion testdata/readme/NAME.txtar holds the fixture files of its txtar archive and, in its
// comment, testscript lines: the lines before the first "> COMMAND" line are the setup, run before
// the block; the lines after "> COMMAND" (COMMAND as the README shows it, without its comment) are
// the assertions run right after that command. When they start with "exitcode N" for N other than
// 0, the command must fail with that exit code. For a command marked skip-command, they run in its
// place (to add what the command would have added, say).
func TestReadmeExamples(t *testing.T) {
	text := readme(t)
	blocks, err := parseReadmeBlocks(text)
	require.NoError(t, err)
	dir := t.TempDir()
	used := map[string]bool{}
	for _, b := range blocks {
		if b.skip != "" {
			t.Logf("README.md:%d: ```%s block not run: %s", b.line, b.lang, b.skip)
			continue
		}
		used[b.name+".txtar"] = true
		script, err := b.script(filepath.Join("..", "..", "testdata", "readme", b.name+".txtar"))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("readme_%03d_%s.txtar", b.line, b.name)), script, 0o600))
	}
	companions, err := os.ReadDir(filepath.Join("..", "..", "testdata", "readme"))
	require.NoError(t, err)
	for _, c := range companions {
		if !used[c.Name()] {
			t.Errorf("testdata/readme/%s belongs to no README block (no <!-- readme-test: run %s -->)", c.Name(), strings.TrimSuffix(c.Name(), ".txtar"))
		}
	}
	if t.Failed() {
		return
	}
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup:               isolatedScriptEnv,
		Cmds:                scriptCmds(),
	})
}

// readmeBlock is one fenced code block of the README and its readme-test marker.
type readmeBlock struct {
	line int    // the opening fence's line
	lang string // the fence's info string
	body string
	name string // run NAME
	skip string // skip (REASON): the reason
	// skipCommands are the commands not run, with their reasons.
	skipCommands map[string]string
}

var (
	readmeFence  = regexp.MustCompile("^( *)```(\\S*)\\s*$") // indented in a list item too
	readmeMarker = regexp.MustCompile(`^ *<!-- readme-test: (.*) -->$`)
	markerRun    = regexp.MustCompile(`^run ([a-z0-9-]+)$`)
	markerSkip   = regexp.MustCompile(`^skip \((.+)\)$`)
	markerSkipCm = regexp.MustCompile(`^skip-command "(.+)" \((.+)\)$`)
)

// parseReadmeBlocks finds the fenced blocks and their markers; a block without a run or skip
// marker, or a marker that is not before a block, is an error.
func parseReadmeBlocks(text string) ([]*readmeBlock, error) {
	lines := strings.Split(text, "\n")
	var blocks []*readmeBlock
	var errs []string
	var pending []string // marker bodies since the last non-marker line
	pendingLine := 0
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if m := readmeMarker.FindStringSubmatch(l); m != nil {
			if len(pending) == 0 {
				pendingLine = i + 1
			}
			pending = append(pending, m[1])
			continue
		}
		m := readmeFence.FindStringSubmatch(l)
		if m == nil {
			if len(pending) > 0 {
				errs = append(errs, fmt.Sprintf("README.md:%d: readme-test marker not right before a ``` block", pendingLine))
				pending = nil
			}
			continue
		}
		b := &readmeBlock{line: i + 1, lang: m[2], skipCommands: map[string]string{}}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, strings.TrimPrefix(lines[i], m[1]))
		}
		if i == len(lines) {
			return nil, fmt.Errorf("README.md:%d: ``` block never closed", b.line)
		}
		b.body = strings.Join(body, "\n") + "\n"
		for _, p := range pending {
			switch {
			case markerRun.MatchString(p):
				b.name = markerRun.FindStringSubmatch(p)[1]
			case markerSkip.MatchString(p):
				b.skip = markerSkip.FindStringSubmatch(p)[1]
			case markerSkipCm.MatchString(p):
				sm := markerSkipCm.FindStringSubmatch(p)
				b.skipCommands[sm[1]] = sm[2]
			default:
				errs = append(errs, fmt.Sprintf("README.md:%d: unknown readme-test marker %q", b.line, p))
			}
		}
		pending = nil
		switch {
		case b.name == "" && b.skip == "":
			errs = append(errs, fmt.Sprintf("README.md:%d: ```%s block has no readme-test marker: run it (<!-- readme-test: run NAME --> with testdata/readme/NAME.txtar) or say why not (<!-- readme-test: skip (REASON) -->)", b.line, b.lang))
		case b.name != "" && b.skip != "":
			errs = append(errs, fmt.Sprintf("README.md:%d: block marked both run and skip", b.line))
		case b.skip != "" && len(b.skipCommands) > 0:
			errs = append(errs, fmt.Sprintf("README.md:%d: skip-command in a block that is skipped", b.line))
		}
		blocks = append(blocks, b)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return blocks, nil
}

// readmeCommand is one command of a sh or console block and the output a console block shows.
type readmeCommand struct {
	text   string
	output []string
}

// commands splits a sh or console block into commands.
func (b *readmeBlock) commands() []readmeCommand {
	var cmds []readmeCommand
	var cur strings.Builder
	lines := strings.Split(strings.TrimSuffix(b.body, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if b.lang == "console" {
			cmd, ok := strings.CutPrefix(l, "$ ")
			if !ok {
				if n := len(cmds); n > 0 && strings.TrimSpace(l) != "" {
					cmds[n-1].output = append(cmds[n-1].output, l)
				}
				continue
			}
			l = cmd
		}
		for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
			cur.WriteString(strings.TrimSuffix(l, "\\"))
			i++
			l = strings.TrimLeft(lines[i], " \t")
		}
		cur.WriteString(l)
		text := strings.TrimSpace(stripShellComment(cur.String()))
		cur.Reset()
		if text != "" {
			cmds = append(cmds, readmeCommand{text: text})
		}
	}
	return cmds
}

// stripShellComment removes a "#" comment that starts a line or follows a blank outside quotes.
func stripShellComment(s string) string {
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return s[:i]
		}
	}
	return s
}

var (
	// readmeExport is an export the script can repeat with env: a value without quotes, escapes or
	// expansions, which sh and testscript read alike.
	readmeExport = regexp.MustCompile("^export ([A-Za-z_][A-Za-z0-9_]*)=([^\\s'\"\\\\`$;&|]*)$")
	// readmeShellState is a command that changes the shell the next commands run in: run with sh -c
	// on its own it would change nothing, and the commands after it would run without it.
	readmeShellState = regexp.MustCompile(`^(export|cd|unset|alias|source|set|\.)(\s|$)`)
)

// script builds the testscript for a run block from its companion file.
func (b *readmeBlock) script(companion string) ([]byte, error) {
	data, err := os.ReadFile(companion)
	if err != nil {
		return nil, fmt.Errorf("README.md:%d: block marked run %s: %w", b.line, b.name, err)
	}
	ar := txtar.Parse(data)
	setup, asserts, order := splitCompanion(string(ar.Comment))
	var s bytes.Buffer
	fmt.Fprintf(&s, "# README.md:%d, a ```%s block, with %s\n", b.line, b.lang, companion)
	s.WriteString(setup)
	switch b.lang {
	case "sh", "console":
		seen := map[string]bool{}
		for _, c := range b.commands() {
			if reason, ok := b.skipCommands[c.text]; ok {
				seen[c.text] = true
				fmt.Fprintf(&s, "\n# not run: %s (%s)\n", c.text, reason)
				s.WriteString(asserts[c.text]) // what the companion runs instead, if anything
				continue
			}
			if m := readmeExport.FindStringSubmatch(c.text); m != nil {
				fmt.Fprintf(&s, "\nenv %s=%s\n", m[1], m[2])
				continue
			}
			if readmeShellState.MatchString(c.text) {
				return nil, fmt.Errorf("README.md:%d: %q would not reach the block's next commands (each runs in its own sh): write export NAME=VALUE with a plain value, or leave it out", b.line, c.text)
			}
			a := asserts[c.text]
			seen[c.text] = true
			cmd := c.text
			if rest, ok := strings.CutPrefix(cmd, "go run ./cmd/ssoctl "); ok {
				cmd = "ssoctl " + rest // the same main, built into this test binary
			}
			if b.lang == "console" {
				cmd = "exec 2>&1; " + cmd
			}
			neg := ""
			if m := regexp.MustCompile(`^exitcode (\d+)\b`).FindStringSubmatch(a); m != nil && m[1] != "0" {
				neg = "! "
			}
			fmt.Fprintf(&s, "\n# %s\n%sexec sh -c '%s'\n", c.text, neg, strings.ReplaceAll(cmd, "'", "''"))
			s.WriteString(a)
			for _, o := range c.output {
				fmt.Fprintf(&s, "stdout '^\\Q%s\\E$'\n", strings.ReplaceAll(o, "'", "''"))
			}
		}
		for _, c := range order {
			if !seen[c] {
				return nil, fmt.Errorf("%s: assertions for %q, a command README.md:%d does not show", companion, c, b.line)
			}
		}
		for c := range b.skipCommands {
			if !seen[c] {
				return nil, fmt.Errorf("README.md:%d: skip-command %q names no command of the block", b.line, c)
			}
		}
	default:
		if len(order) > 0 {
			return nil, fmt.Errorf("%s: a ```%s block has no commands to assert on", companion, b.lang)
		}
		if len(b.skipCommands) > 0 {
			return nil, fmt.Errorf("README.md:%d: skip-command in a ```%s block", b.line, b.lang)
		}
		ar.Files = append(ar.Files, txtar.File{Name: "readme.yaml", Data: []byte(b.body)})
	}
	ar.Comment = s.Bytes()
	return txtar.Format(ar), nil
}

// splitCompanion splits a companion's script into the setup and the assertions per command.
func splitCompanion(comment string) (setup string, asserts map[string]string, order []string) {
	asserts = map[string]string{}
	var cur *strings.Builder
	var sb strings.Builder
	name := ""
	for l := range strings.Lines(comment) {
		if c, ok := strings.CutPrefix(l, "> "); ok {
			if cur != nil {
				asserts[name] = cur.String()
			}
			name = strings.TrimSpace(c)
			order = append(order, name)
			cur = &strings.Builder{}
			continue
		}
		if cur == nil {
			sb.WriteString(l)
		} else {
			cur.WriteString(l)
		}
	}
	if cur != nil {
		asserts[name] = cur.String()
	}
	return sb.String(), asserts, slices.Clip(order)
}

// TestReadmeBlockMarkers checks that the README test refuses what it cannot classify.
func TestReadmeBlockMarkers(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
	}{
		{"unmarked block", "# x\n\n```sh\nssoctl version\n```\n", "README.md:3: ```sh block has no readme-test marker"},
		{"unmarked yaml", "```yaml\nversion: 1\n```\n", "README.md:1: ```yaml block has no readme-test marker"},
		{"skip without a reason", "<!-- readme-test: skip -->\n```sh\nx\n```\n", `unknown readme-test marker "skip"`},
		{"marker not before a block", "<!-- readme-test: run x -->\ntext\n```sh\nx\n```\n", "README.md:1: readme-test marker not right before a ``` block"},
		{"run and skip", "<!-- readme-test: run x -->\n<!-- readme-test: skip (no) -->\n```sh\nx\n```\n", "README.md:3: block marked both run and skip"},
		{"unclosed", "<!-- readme-test: run x -->\n```sh\nx\n", "README.md:2: ``` block never closed"},
		{"unmarked in a list item", "1. Run:\n   ```sh\n   ssoctl version\n   ```\n", "README.md:2: ```sh block has no readme-test marker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseReadmeBlocks(tt.text)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.wantErr)
		})
	}

	blocks, err := parseReadmeBlocks("<!-- readme-test: run demo -->\n<!-- readme-test: skip-command \"ssoctl b\" (needs a terminal) -->\n```sh\n" +
		"# a comment line\nexport A=1   # set\nssoctl a \\\n  --flag 'x # not a comment'   # a comment\nssoctl b\n```\n")
	require.NoError(t, err)
	require.Len(t, blocks, 1)
	b := blocks[0]
	require.Equal(t, map[string]string{"ssoctl b": "needs a terminal"}, b.skipCommands)
	var texts []string
	for _, c := range b.commands() {
		texts = append(texts, c.text)
	}
	require.Equal(t, []string{"export A=1", "ssoctl a --flag 'x # not a comment'", "ssoctl b"}, texts)

	dir := t.TempDir()
	companion := filepath.Join(dir, "demo.txtar")
	require.NoError(t, os.WriteFile(companion, []byte("> ssoctl a --flag 'x # not a comment'\nexitcode 1\nstderr x\n"), 0o600))
	script, err := b.script(companion)
	require.NoError(t, err)
	require.Contains(t, string(script), "env A=1\n")
	require.Contains(t, string(script), "! exec sh -c 'ssoctl a --flag ''x # not a comment'''\nexitcode 1\nstderr x\n")
	require.Contains(t, string(script), "# not run: ssoctl b (needs a terminal)")

	require.NoError(t, os.WriteFile(companion, []byte("> ssoctl gone\nstdout x\n"), 0o600))
	_, err = b.script(companion)
	require.ErrorContains(t, err, `assertions for "ssoctl gone", a command README.md:3 does not show`)

	// A command that changes the shell reaches the next commands only as a plain export.
	require.NoError(t, os.WriteFile(companion, nil, 0o600))
	for _, cmd := range []string{`export A="x y"`, "export A=$HOME/x", "cd sub", "unset A", ". ./env.sh"} {
		blocks, err := parseReadmeBlocks("<!-- readme-test: run demo -->\n```sh\n" + cmd + "\nssoctl a\n```\n")
		require.NoError(t, err)
		_, err = blocks[0].script(companion)
		require.ErrorContains(t, err, "would not reach the block's next commands", cmd)
	}

	// A console block: each "$ " line runs with stderr joined to stdout, and the lines shown after
	// it must be lines of its output.
	blocks, err = parseReadmeBlocks("<!-- readme-test: run demo -->\n```console\n$ ssoctl perm sum 8 16 128\n152\n$ ssoctl perm sum 768\n768\n```\n")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(companion, nil, 0o600))
	script, err = blocks[0].script(companion)
	require.NoError(t, err)
	require.Contains(t, string(script), "exec sh -c 'exec 2>&1; ssoctl perm sum 8 16 128'\nstdout '^\\Q152\\E$'\n")
	require.Contains(t, string(script), "exec sh -c 'exec 2>&1; ssoctl perm sum 768'\nstdout '^\\Q768\\E$'\n")
}

// TestReadmeInlineCommands checks the commands README names in running text (`ssoctl export NAME
// --target alist`, `map query --dialect rfc9535`, the command table), which the blocks do not run:
// every subcommand they name exists, alternatives (`perm sum|decode|list`) included, and every flag
// is one that command has. Placeholders (NAME, [JWT|-], <role>) end the command path.
func TestReadmeInlineCommands(t *testing.T) {
	rootCmd := root.NewCmdRoot(factory.New())
	rootCmd.InitDefaultCompletionCmd() // cobra adds it when the command runs
	var prose []string
	inFence := false
	for l := range strings.Lines(readme(t)) {
		if readmeFence.MatchString(strings.TrimRight(l, "\n")) {
			inFence = !inFence
			continue
		}
		if !inFence {
			prose = append(prose, l)
		}
	}
	checked := 0
	for _, m := range regexp.MustCompile("`([^`\n]+)`").FindAllStringSubmatch(strings.Join(prose, ""), -1) {
		words := strings.Fields(strings.ReplaceAll(m[1], `\|`, "|"))
		switch {
		case len(words) > 1 && words[0] == "ssoctl":
			words = words[1:]
		case len(words) > 1 && subcommand(rootCmd, words[0]) != nil:
		default:
			continue
		}
		checked++
		cmds := []*cobra.Command{rootCmd}
		for len(words) > 0 {
			w := words[0]
			if strings.HasPrefix(w, "-") || strings.ContainsAny(w, "[]<>") || strings.ToUpper(w) == w || !hasSubcommands(cmds) {
				break
			}
			var next []*cobra.Command
			for _, alt := range strings.Split(w, "|") {
				found := false
				for _, c := range cmds {
					if sc := subcommand(c, alt); sc != nil {
						next, found = append(next, sc), true
					}
				}
				if !found {
					t.Errorf("README's `%s`: %q is not a subcommand of %s", m[1], alt, cmds[0].CommandPath())
				}
			}
			if len(next) == 0 {
				break
			}
			cmds, words = next, words[1:]
		}
		for _, w := range words {
			w = strings.Trim(w, "[](),;")
			if !strings.HasPrefix(w, "-") || w == "-" {
				continue
			}
			name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
			if name == "help" {
				continue
			}
			if !slices.ContainsFunc(cmds, func(c *cobra.Command) bool { return hasFlag(c, name, !strings.HasPrefix(w, "--")) }) {
				t.Errorf("README's `%s`: %s has no flag %s", m[1], cmds[0].CommandPath(), w)
			}
		}
	}
	require.Greater(t, checked, 20, "the README's inline commands were not found")
	t.Logf("%d inline commands checked", checked)
}

func subcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sc := range c.Commands() {
		if sc.Name() == name || slices.Contains(sc.Aliases, name) {
			return sc
		}
	}
	return nil
}

func hasSubcommands(cmds []*cobra.Command) bool {
	return slices.ContainsFunc(cmds, func(c *cobra.Command) bool { return c.HasSubCommands() })
}

func hasFlag(c *cobra.Command, name string, short bool) bool {
	for _, fs := range []*pflag.FlagSet{c.Flags(), c.InheritedFlags(), c.PersistentFlags()} {
		if (short && fs.ShorthandLookup(name) != nil) || (!short && fs.Lookup(name) != nil) {
			return true
		}
	}
	return false
}
