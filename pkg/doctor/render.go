package doctor

import (
	"bufio"
	"fmt"
	"io"
	"strings"

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

// WriteText writes findings for people, one block each: a line with the severity's mark, the code
// and the message, then the compared values with a caret under their first difference, the value to
// paste and the hint, indented. A message, fix or hint may quote the provider (DOC032, DOC050 and
// DOC051 carry its words): each goes through iostreams.SanitizeLines, and the styling around it
// does not.
func WriteText(w io.Writer, fs []Finding, st Styler) error {
	bw := bufio.NewWriter(w)
	const indent = "    "
	san := iostreams.SanitizeLines
	for _, f := range fs {
		fmt.Fprintf(bw, "%s %s %s\n", mark(f.Severity, st), st.Gray(f.Code), san(f.Message))
		if f.Expected != "" || f.Actual != "" {
			el, al := f.Labels()
			bw.WriteString(discovery.Evidence(indent, el, f.Expected, al, f.Actual))
		}
		if f.Fix != "" {
			fmt.Fprintf(bw, "%s%s %s\n", indent, st.Cyan("fix:"), san(f.Fix))
		}
		// A provider-side fix often opens the hint too (the flavour's words replace the general
		// ones in both): say it once.
		hint := f.Hint
		if f.Fix != "" && strings.HasPrefix(hint, f.Fix) {
			hint = strings.TrimPrefix(strings.TrimPrefix(hint, f.Fix), "; ")
		}
		if hint != "" {
			fmt.Fprintf(bw, "%s%s %s\n", indent, st.Cyan("hint:"), san(hint))
		}
	}
	return bw.Flush()
}

func mark(s Severity, st Styler) string {
	switch s {
	case SeverityError:
		return st.Red("X")
	case SeverityWarning:
		return st.Yellow("!")
	}
	return st.Cyan("i")
}
