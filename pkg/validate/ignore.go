package validate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ssoctl/ssoctl/pkg/doctor"
)

// ignoreDirective is the comment form of an ignore: `# ssoctl:ignore CODE[,CODE...] reason`.
const ignoreDirective = "ssoctl:ignore"

// ignore is one ignore comment or entry of the top-level ignore list.
type ignore struct {
	codes    []string
	provider string // list entries only
	// line is the line a comment silences; 0 for list entries, which silence anywhere.
	line int
	// at is where findings about the ignore itself point.
	segs          []string
	atLine, atCol int
	used          map[string]bool
	fromComment   bool
}

// applyIgnores splits the findings into kept and ignored, and adds findings about the ignores
// themselves: a missing reason, an unknown code, an ignore that silenced nothing.
func (c *checker) applyIgnores() (kept, ignored []Finding) {
	igs := c.commentIgnores()
	igs = append(igs, c.listIgnores()...)
	// Candidates by the line a comment silences and by the code (and provider) a list entry names, so that matching
	// takes time in proportion to findings plus ignores, not their product (a generated file can have
	// tens of thousands of each).
	byLine := map[int][]*ignore{}
	byCode := map[string][]*ignore{}
	for _, ig := range igs {
		if ig.fromComment {
			if ig.line > 0 {
				byLine[ig.line] = append(byLine[ig.line], ig)
			}
			continue
		}
		for _, code := range ig.codes {
			key := code + "\x00" + ig.provider
			byCode[key] = append(byCode[key], ig)
		}
	}
	for _, f := range c.findings {
		silenced := false
		if !strings.HasPrefix(f.Code, "SSO09") && f.Code != CodeSyntax {
			cands := [][]*ignore{byLine[f.Line], byCode[f.Code+"\x00"]}
			if f.Provider != "" {
				cands = append(cands, byCode[f.Code+"\x00"+f.Provider])
			}
			for _, cands := range cands {
				for _, ig := range cands {
					if ig.matches(f) {
						ig.used[f.Code] = true
						silenced = true
					}
				}
			}
		}
		if silenced {
			ignored = append(ignored, f)
		} else {
			kept = append(kept, f)
		}
	}
	c.findings = nil
	var names map[string]bool // the providers' names, built on first use
	for _, ig := range igs {
		for _, code := range ig.codes {
			if !c.reports(code) || ig.used[code] {
				continue
			}
			what := fmt.Sprintf("ignore of %s", code)
			hint := "remove it: the finding it silenced is gone, or the code or line is wrong"
			switch {
			case ig.fromComment && ig.line == 0:
				what = fmt.Sprintf("ignore comment for %s", code)
				hint = "put the comment at the end of the finding's line, or on its own line directly above it"
			case ig.fromComment:
				what = fmt.Sprintf("ignore comment for %s", code)
				hint = fmt.Sprintf("remove it: line %d has no %s finding", ig.line, code)
			case ig.provider != "":
				what = fmt.Sprintf("ignore of %s for provider %q", code, ig.provider)
				if names == nil {
					names = map[string]bool{}
					for _, p := range c.cfg.Providers {
						names[p.Name] = true
					}
				}
				if !names[ig.provider] {
					hint = fmt.Sprintf("no provider is named %q; fix the name or remove the entry", ig.provider)
				}
			}
			c.addAtIgnore(ig, CodeIgnoreUnused, what+" matches no finding", hint)
		}
	}
	kept = append(kept, c.findings...)
	return kept, ignored
}

func (ig *ignore) matches(f Finding) bool {
	if !containsStr(ig.codes, f.Code) {
		return false
	}
	if ig.fromComment {
		return ig.line > 0 && f.Line == ig.line
	}
	return ig.provider == "" || ig.provider == f.Provider
}

func (c *checker) addAtIgnore(ig *ignore, code, msg, hint string) {
	if ig.fromComment {
		c.addAt(code, nil, ig.atLine, ig.atCol, msg, hint)
		return
	}
	c.add(code, ig.segs, msg, hint)
}

// commentIgnores finds `# ssoctl:ignore` comments in the file's text. A comment after a value
// silences its own line; a comment on a line of its own silences the next line that is not a
// comment, so several ignores can be stacked above one line.
func (c *checker) commentIgnores() []*ignore {
	if !bytes.Contains(c.f.Data, []byte(ignoreDirective)) {
		return nil
	}
	lines := c.lines()
	var out []*ignore
	for i, l := range lines {
		col, text, ok := commentOf(l)
		if !ok || !strings.HasPrefix(text, ignoreDirective) {
			continue
		}
		rest := strings.TrimPrefix(text, ignoreDirective)
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue // e.g. ssoctl:ignored, not ours
		}
		ig := &ignore{fromComment: true, atLine: i + 1, atCol: utf8.RuneCountInString(l[:col]) + 1, used: map[string]bool{}}
		if strings.TrimSpace(l[:col]) != "" {
			ig.line = i + 1
		} else {
			for j := i + 1; j < len(lines); j++ {
				if strings.TrimSpace(lines[j]) == "" {
					break
				}
				if _, _, isComment := commentOf(lines[j]); isComment && strings.TrimSpace(lines[j])[0] == '#' {
					continue
				}
				ig.line = j + 1
				break
			}
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			c.addAt(CodeIgnoreUnknownCode, nil, ig.atLine, ig.atCol, "ignore comment names no code",
				"write # ssoctl:ignore SSO012 why it does not apply")
			continue
		}
		for _, code := range strings.Split(fields[0], ",") {
			if code = strings.ToUpper(strings.TrimSpace(code)); code != "" {
				ig.codes = append(ig.codes, code)
			}
		}
		reason := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), fields[0]))
		for _, code := range ig.codes {
			if _, ok := LookupCode(code); !ok {
				hint := unknownCodeHint(code)
				if onLine := c.codesOnLine(ig.line); len(onLine) > 0 {
					hint = fmt.Sprintf("line %d has %s; \"ssoctl validate --help\" lists the codes", ig.line, strings.Join(onLine, ", "))
					if s := closest(code, onLine); s != "" {
						hint = fmt.Sprintf("did you mean %s? line %d has a %s finding", s, ig.line, s)
					}
				}
				c.addAt(CodeIgnoreUnknownCode, nil, ig.atLine, ig.atCol, fmt.Sprintf("ignore comment names %q, which is not a finding code", code), hint)
			}
		}
		if reason == "" {
			c.addAt(CodeIgnoreNoReason, nil, ig.atLine, ig.atCol, fmt.Sprintf("ignore comment for %s gives no reason", strings.Join(ig.codes, ",")),
				fmt.Sprintf("say why after the code: # ssoctl:ignore %s <reason>", strings.Join(ig.codes, ",")))
		}
		out = append(out, ig)
	}
	return out
}

// commentOf finds the YAML comment on a line: a # at the start or after a space, outside quotes. It
// returns the byte offset of the # and the comment's text without the # and leading spaces.
func commentOf(line string) (int, string, bool) {
	var quote byte
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quote == '"' && ch == '\\':
			i++
		case quote != 0:
			if ch == quote {
				if quote == '\'' && i+1 < len(line) && line[i+1] == '\'' {
					i++ // '' is an escaped quote
					continue
				}
				quote = 0
			}
		case (ch == '"' || ch == '\'') && (i == 0 || strings.ContainsRune(" \t[{,:-", rune(line[i-1]))):
			quote = ch
		case ch == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return i, strings.TrimSpace(line[i+1:]), true
		}
	}
	return 0, "", false
}

// codesOnLine lists the codes of the findings on a line, in the order found.
func (c *checker) codesOnLine(line int) []string {
	if c.codesByLine == nil {
		// Built once: a file may have an unknown code in every one of thousands of comments.
		c.codesByLine = map[int][]string{}
		for _, f := range c.findings {
			if f.Line > 0 && !containsStr(c.codesByLine[f.Line], f.Code) {
				c.codesByLine[f.Line] = append(c.codesByLine[f.Line], f.Code)
			}
		}
	}
	if line <= 0 {
		return nil
	}
	return c.codesByLine[line]
}

func (c *checker) listIgnores() []*ignore {
	var out []*ignore
	for i, e := range c.cfg.Ignore {
		segs := []string{"ignore", strconv.Itoa(i)}
		code := strings.ToUpper(strings.TrimSpace(e.Code))
		ig := &ignore{codes: []string{code}, provider: e.Provider, segs: segs, used: map[string]bool{}}
		if _, ok := LookupCode(code); !ok && !isDoctorCode(code) {
			if codeRE().MatchString(code) { // other forms are the schema's SSO003
				c.add(CodeIgnoreUnknownCode, join(segs, "code"), fmt.Sprintf("ignore entry names %q, which is not a finding code", e.Code), unknownCodeHint(code))
			}
		}
		if strings.TrimSpace(e.Reason) == "" {
			c.add(CodeIgnoreNoReason, segs, fmt.Sprintf("ignore entry for %s gives no reason", e.Code), "add reason: why the finding does not apply")
		}
		out = append(out, ig)
	}
	return out
}

// reports says whether this run can report code, so that an ignore of it that silenced nothing is
// stale: validate's own codes always, the online checks' codes with --online, and never the doctor
// codes only test-login reports (its findings are silenced by the same ignore list).
func (c *checker) reports(code string) bool {
	if _, known := LookupCode(code); !known {
		return false
	}
	return strings.HasPrefix(code, "SSO") || c.online
}

// isDoctorCode says whether code is one of the doctor's, which test-login reports.
func isDoctorCode(code string) bool {
	_, ok := doctor.LookupCode(code)
	return ok
}

func unknownCodeHint(code string) string {
	all := allCodes()
	ids := make([]string, len(all))
	for i, c := range all {
		ids[i] = c.ID
	}
	if s := closest(code, ids); s != "" {
		return fmt.Sprintf("did you mean %s? \"ssoctl validate --help\" and \"ssoctl test-login --help\" list the codes", s)
	}
	return `"ssoctl validate --help" and "ssoctl test-login --help" list the codes`
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
