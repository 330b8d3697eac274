package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

// undated is the date cobra/doc is given; writePages then blanks it in each page's .TH line. A page
// holds no date, so the pages change only when the commands do and TestManPagesCurrent does not fail
// on the first of every month (cobra/doc would otherwise stamp the month it ran in).
var undated = time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC)

// writePages writes one page per available command of the tree under root into dir, named as man
// looks them up (ssoctl-provider-add.1), after removing the pages it wrote before, so that a removed
// command's page goes too.
func writePages(root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "ssoctl*.1"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	// "ssoctl completion bash" and the others are added by cobra when a command line runs; add them
	// here too, so that their pages say where the packages install the scripts' counterparts.
	root.InitDefaultCompletionCmd()
	prepare(root)
	header := &doc.GenManHeader{Title: "", Section: "1", Date: &undated, Source: "ssoctl", Manual: "ssoctl manual"}
	return walk(root, func(c *cobra.Command) error {
		var b bytes.Buffer
		h := *header
		if err := doc.GenMan(c, &h, &b); err != nil {
			return err
		}
		page := bytes.Replace(b.Bytes(), []byte(` "Jan 1970" `), []byte(` "" `), 1)
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		return os.WriteFile(filepath.Join(dir, name), page, 0o644)
	})
}

// walk calls fn for cmd and every available command below it, as cobra/doc's GenManTree does.
func walk(cmd *cobra.Command, fn func(*cobra.Command) error) error {
	for _, c := range cmd.Commands() {
		if !c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
			continue
		}
		if err := walk(c, fn); err != nil {
			return err
		}
	}
	return fn(cmd)
}

// indented matches a line that help text indents to set it apart (a list of codes, a YAML snippet,
// the commands in cobra's completion help).
var indented = regexp.MustCompile(`^( {2,}|\t)\S`)

// prepare adapts the tree's help text, written for a terminal, to the Markdown that cobra/doc renders
// with go-md2man: the "HISTORY: Auto generated" footer goes (it would carry a date); what Markdown
// would take for markup in usage lines, descriptions and flag help ("<file>" as an HTML tag, "*" and
// "_" as emphasis) is escaped; and each run of indented lines in a description becomes a code block,
// so that man keeps its line breaks instead of joining a table of codes into one paragraph.
func prepare(cmd *cobra.Command) {
	cmd.DisableAutoGenTag = true
	name, args, _ := strings.Cut(cmd.Use, " ")
	cmd.Use = strings.TrimSpace(name + " " + escape(args))
	cmd.Long = markdown(cmd.Long)
	cmd.LocalFlags().VisitAll(escapeUsage)
	cmd.PersistentFlags().VisitAll(escapeUsage)
	for _, c := range cmd.Commands() {
		prepare(c)
	}
}

// escaped remembers the flags already escaped: a persistent flag is reached from every command.
var escaped = map[*pflag.Flag]bool{}

// escapeUsage escapes a flag's help. Backquotes there name the flag's value (pflag.UnquoteUsage):
// help shows the name without them, and so does the page.
func escapeUsage(f *pflag.Flag) {
	if !escaped[f] {
		f.Usage = escape(strings.ReplaceAll(f.Usage, "`", ""))
		escaped[f] = true
	}
}

// markdownSpecial is what Markdown reads as markup in running text.
var markdownSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "<", `\<`, ">", `\>`)

func escape(s string) string { return markdownSpecial.Replace(s) }

// markdown turns a terminal description into Markdown: prose escaped, each run of indented lines
// fenced as it is.
func markdown(text string) string {
	var out []string
	in := false
	for _, l := range strings.Split(text, "\n") {
		switch ind := indented.MatchString(l); {
		case ind && !in:
			out = append(out, "```")
			in = true
		case !ind && in:
			out = append(out, "```")
			in = false
		}
		if !in {
			l = escape(l)
		}
		out = append(out, l)
	}
	if in {
		out = append(out, "```")
	}
	return strings.Join(out, "\n")
}
