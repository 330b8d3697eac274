package factory

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/cli/browser"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
)

// systemBrowser runs $BROWSER when set (the URL is its last argument), else the system's browser
// (xdg-open, open, rundll32 through cli/browser).
type systemBrowser struct{ f *cmdutil.Factory }

var _ cmdutil.Browser = (*systemBrowser)(nil)

// Browse starts the browser and returns without waiting for it: a terminal browser or a browser
// that stays open must not hold up the login, whose callback arrives meanwhile.
func (b *systemBrowser) Browse(url string) error {
	// Launcher chatter ("Opening in existing browser session.") goes to stderr: stdout is for data,
	// and -o json must stay parseable.
	errOut := b.f.IOStreams.ErrOut
	if v, ok := b.f.LookupEnv("BROWSER"); ok && strings.TrimSpace(v) != "" {
		argv, err := splitCommand(v)
		if err != nil {
			return fmt.Errorf("cannot parse $BROWSER %q: %w", v, err)
		}
		cmd := exec.Command(argv[0], append(argv[1:], url)...)
		cmd.Stdout, cmd.Stderr = errOut, errOut
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("cannot run $BROWSER: %w", err)
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
	browser.Stdout, browser.Stderr = errOut, errOut
	return browser.OpenURL(url)
}

// splitCommand splits a command line the way a shell splits words, minimally: blanks separate words,
// single quotes keep everything literal, double quotes keep blanks and honour \" and \\, a
// backslash outside quotes escapes the next character. No variables, globs or pipes.
func splitCommand(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			inWord = true
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inWord = true
			closed := false
			for i++; i < len(s); i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
					cur.WriteByte(s[i])
					continue
				}
				if s[i] == '"' {
					closed = true
					break
				}
				cur.WriteByte(s[i])
			}
			if !closed {
				return nil, errors.New("unterminated double quote")
			}
		case c == '\\' && i+1 < len(s):
			inWord = true
			i++
			cur.WriteByte(s[i])
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, errors.New("it names no command")
	}
	return words, nil
}
