// Package finding holds what every kind of finding shares: its severity and the description of its
// code. validate (SSO, and DSC/DOC with --online) and the doctor (DOC, in test-login) report findings
// of different shapes, but one code table and one severity scale, so that ignores, SARIF rules and
// exit codes treat them alike.
package finding

import (
	"fmt"
	"strings"
)

// Severity says how bad a finding is. Errors fail validate; warnings fail it only with --strict; notes
// never do.
type Severity string

// Severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Note    Severity = "note"
)

// Code describes one finding code. Codes are stable: a code is never renumbered or reused, so ignore
// comments and CI baselines keep working across releases.
type Code struct {
	// ID is the code users see and ignore, e.g. "SSO012" or "DOC010".
	ID string `json:"id"`
	// Name is a kebab-case name for the check, e.g. "url-not-absolute"; SARIF uses it as the rule name.
	Name string `json:"name"`
	// Title says in a few words what is wrong.
	Title string `json:"title"`
	// Severity is the severity every finding of this code has.
	Severity Severity `json:"severity"`
	// Description explains why it matters; SARIF shows it as the rule's full description.
	Description string `json:"description"`
}

// Define builds one row of a code table; the tables read better positionally.
func Define(id, name, title string, sev Severity, description string) Code {
	return Code{ID: id, Name: name, Title: title, Severity: sev, Description: description}
}

// Table lists codes one per line, ID, severity and title in columns, for a command's help.
func Table(codes []Code) string {
	var b strings.Builder
	for _, c := range codes {
		fmt.Fprintf(&b, "  %s  %-8s %s\n", c.ID, c.Severity, c.Title)
	}
	return b.String()
}
