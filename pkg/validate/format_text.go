package validate

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// Styler colours text; *iostreams.ColorScheme is one, and returns text unchanged when colour is off.
type Styler interface {
	Red(string) string
	Yellow(string) string
	Cyan(string) string
	Gray(string) string
	Bold(string) string
}

// WriteText writes findings for people: grouped by provider (the file-wide ones first), each group
// in line order, one `file:line:col: severity CODE message` line per finding, as compilers print
// them so editors can jump to the place, followed by the compared values with a caret under their
// first difference, the value to paste and the hint, indented.
func WriteText(w io.Writer, fs []Finding, st Styler) error {
	bw := bufio.NewWriter(w)
	groups, order := groupByProvider(fs)
	for gi, name := range order {
		if gi > 0 {
			bw.WriteString("\n")
		}
		if name == "" {
			bw.WriteString(st.Bold("file") + "\n")
		} else {
			bw.WriteString(st.Bold("provider "+strconv.Quote(name)) + "\n")
		}
		for _, f := range groups[name] {
			// Messages, hints and fixes quote the config file and, with --online, the provider's own
			// words (DOC022's error_description): escape what a terminal would obey.
			f.Message, f.Fix, f.Hint, f.File = iostreams.SanitizeLines(f.Message), iostreams.SanitizeLines(f.Fix), iostreams.SanitizeLines(f.Hint), iostreams.Sanitize(f.File)
			fmt.Fprintf(bw, "%s: %s %s %s\n", location(f), severityStyled(f.Severity, st), st.Gray(f.Code), f.Message)
			if f.Expected != "" || f.Actual != "" {
				bw.WriteString(discovery.Evidence("    ", "expected", f.Expected, "actual", f.Actual))
			}
			if f.Fix != "" {
				fmt.Fprintf(bw, "    %s %s\n", st.Cyan("fix:"), f.Fix)
			}
			if f.Hint != "" {
				fmt.Fprintf(bw, "    %s %s\n", st.Cyan("hint:"), f.Hint)
			}
		}
	}
	return bw.Flush()
}

// groupByProvider keeps the findings' order within each group and orders groups by their first
// finding, file-wide findings first.
func groupByProvider(fs []Finding) (map[string][]Finding, []string) {
	groups := map[string][]Finding{}
	var order []string
	for _, f := range fs {
		if _, ok := groups[f.Provider]; !ok {
			order = append(order, f.Provider)
		}
		groups[f.Provider] = append(groups[f.Provider], f)
	}
	for i, name := range order {
		if name == "" && i > 0 {
			copy(order[1:i+1], order[:i])
			order[0] = ""
		}
	}
	return groups, order
}

func location(f Finding) string {
	switch {
	case f.Line <= 0:
		return f.File
	case f.Column <= 0:
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
}

func severityStyled(s Severity, st Styler) string {
	switch s {
	case SeverityError:
		return st.Red(string(s))
	case SeverityWarning:
		return st.Yellow(string(s))
	}
	return st.Cyan(string(s))
}
