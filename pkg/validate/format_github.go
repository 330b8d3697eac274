package validate

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// WriteGitHub writes findings as GitHub Actions workflow commands, which the runner turns into
// annotations on the file and line:
//
//	::error file=ssoctl.yaml,line=12,col=5,title=SSO012 URL is not an absolute http(s) URL::message. Hint: hint
//
// Notes become ::notice. Values are escaped as the runner expects (actions/toolkit's command.ts).
func WriteGitHub(w io.Writer, fs []Finding) error {
	bw := bufio.NewWriter(w)
	for _, f := range fs {
		level := "notice"
		switch f.Severity {
		case SeverityError:
			level = "error"
		case SeverityWarning:
			level = "warning"
		}
		props := []string{"file=" + escapeProperty(f.File)}
		if f.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Line))
			if f.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Column))
			}
		}
		title := f.Code
		if c, ok := LookupCode(f.Code); ok {
			title += " " + c.Title
		}
		props = append(props, "title="+escapeProperty(title))
		msg := f.Message
		msg += detail(f)
		fmt.Fprintf(bw, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg))
	}
	return bw.Flush()
}

// escapeData escapes a message for the runner. A CR or LF would end the command early (and let the
// rest start a command of its own, such as ::add-mask::); other controls are made visible with
// iostreams.SanitizeLines, since the job log renders ANSI escapes.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(sanitizeKeepingBreaks(s))
}

// sanitizeKeepingBreaks is iostreams.Sanitize except for CR and LF, which the runner's own escapes
// (%0D, %0A) carry.
func sanitizeKeepingBreaks(s string) string {
	parts := strings.Split(s, "\r")
	for i, p := range parts {
		parts[i] = iostreams.SanitizeLines(p)
	}
	return strings.Join(parts, "\r")
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(sanitizeKeepingBreaks(s))
}

// detail is what follows a finding's message on one line, for the formats without room for a block:
// the hint, the compared values and the value to paste.
func detail(f Finding) string {
	var b strings.Builder
	if f.Expected != "" || f.Actual != "" {
		fmt.Fprintf(&b, " (expected %q, actual %q)", f.Expected, f.Actual)
	}
	if f.Hint != "" {
		b.WriteString(". Hint: " + f.Hint)
	}
	if f.Fix != "" {
		b.WriteString(". Fix: " + f.Fix)
	}
	return b.String()
}
