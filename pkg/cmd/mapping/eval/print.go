package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ssoctl/ssoctl/pkg/bulk"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// PrintUser writes the mapped user as text: the values with their sources, the groups, permission
// and registration, the rules with their nodes, and the notes. test-login and demo print the same.
// The values come from the provider's claims or a document, and the rules and names from the config:
// each goes through iostreams.Sanitize where it is written, outside ssoctl's own styling.
func PrintUser(ios *iostreams.IOStreams, u *mapping.User) error { return printUser(ios, u) }

func printUser(ios *iostreams.IOStreams, u *mapping.User) error {
	out := ios.Out
	cs := ios.ColorScheme()
	san := iostreams.Sanitize
	title := san(fmt.Sprintf("App user (%s)", describe(u)))
	fmt.Fprintln(out, cs.Bold(title))
	tw := iostreams.NewTabWriter(out, 2)
	src := func(field string) string {
		if s, ok := u.Sources.Get(field); ok {
			return cs.Gray(san(sourceText(s)))
		}
		return ""
	}
	// Labels have a fixed width; the source column is aligned, and rows without one end at the
	// value, so that no line carries trailing blanks.
	row := func(label, value, source string) {
		value = san(value)
		if source == "" {
			fmt.Fprintf(tw, "  %-12s  %s\n", label, value)
			return
		}
		fmt.Fprintf(tw, "  %-12s  %s\t%s\n", label, value, source)
	}
	row("id", orDash(u.ID), src("id"))
	username := orDash(u.Username)
	if c := u.UsernameInfo.Conflict; c != nil {
		username += fmt.Sprintf(" (%s was taken)", c.Taken)
	}
	row("username", username, src("username"))
	verified := ""
	if u.EmailVerified != nil {
		verified = map[bool]string{true: " (verified)", false: " (not verified)"}[*u.EmailVerified]
	}
	row("email", orDash(u.Email)+verified, src("email"))
	row("nickname", orDash(u.Nickname), src("nickname"))
	row("phone", orDash(u.Phone), src("phone"))
	row("description", orDash(u.Description), src("description"))
	row("roles", orDash(strings.Join(u.Roles, ", ")), src("roles"))
	g := u.Groups
	if g.Claim != "" {
		row("idp groups", orDash(strings.Join(g.IdP, ", ")), san(sourceOrClaim(g)))
		row("app groups", orDash(strings.Join(g.App, ", ")), "")
		if len(g.Unmapped) > 0 {
			row("unmapped", strings.Join(g.Unmapped, ", "), cs.Gray("not in groups.map: ignored"))
		}
		if g.Removed != nil {
			row("removed", orDash(strings.Join(g.Removed, ", ")), cs.Gray("remove_unmapped"))
		}
	}
	p := u.Permission
	stored := ""
	if u.Rights != nil && u.Rights.Model == mapping.RightsRoles {
		stored = ", stored but not read: see rights"
	}
	row("permission", fmt.Sprintf("%d = %s (scheme %s%s)", p.Sum, orText(strings.Join(p.Names, " + "), "no rights"), p.Scheme, stored), src("permission"))
	if err := tw.Flush(); err != nil {
		return err
	}
	// The registration reason is a sentence: outside the table, so as not to widen its columns.
	r := u.Registration
	decision := cs.Green("allowed")
	if !r.Allowed {
		decision = cs.Red("refused")
	}
	fmt.Fprintf(out, "  %-12s  %s: %s\n", "registration", decision, san(r.Reason))
	fmt.Fprintf(out, "  %-12s  %s\n", "default dir", san(r.DefaultDir))
	if rt := u.Rights; rt != nil {
		sum := fmt.Sprintf("%d = %s", rt.Sum, orText(strings.Join(rt.Names, " + "), "no rights"))
		if rt.Sum < 0 {
			sum = "unknown"
		}
		fmt.Fprintf(out, "  %-12s  %s at %s: %s\n", "rights", sum, san(rt.Path), san(rt.Source))
	}
	if l := u.Login; l != nil {
		switch l.Outcome {
		case mapping.LoginRefused:
			fmt.Fprintf(out, "  %-12s  %s: %s; the app answers %q\n", "login", cs.Red("refused"), san(l.Reason), san(l.Message))
		case mapping.LoginExisting:
			fmt.Fprintf(out, "  %-12s  %s: signs in as %s; %s\n", "login", cs.Green("existing account"), san(l.Username), san(l.Reason))
		default:
			fmt.Fprintf(out, "  %-12s  %s: creates %s; %s\n", "login", cs.Green("registered"), san(l.Username), san(l.Reason))
		}
	}

	if len(u.Rules) > 0 {
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Rules"))
		tw = iostreams.NewTabWriter(out, 2)
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", cs.Gray("FIELD"), cs.Gray("DOCUMENT"), cs.Gray("RULE"), cs.Gray("NODES"), cs.Gray("VALUE"))
		for _, rr := range u.Rules {
			value := compact(rr.Value)
			switch {
			case !rr.Found:
				value = cs.Gray("(matched nothing)")
			case rr.Ambiguous:
				value += cs.Yellow(fmt.Sprintf(" (first of %d)", len(rr.Nodes)))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", san(rr.Field), san(orDash(rr.Document)), san(rr.Expr), compact(rr.Nodes), value)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(u.Notes) > 0 {
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Notes"))
		for _, n := range u.Notes {
			fmt.Fprintf(out, "  - %s\n", san(n))
		}
	}
	return nil
}

func describe(u *mapping.User) string {
	var parts []string
	if u.Provider != "" {
		parts = append(parts, "provider "+u.Provider)
	}
	parts = append(parts, "app "+u.App, "mapping "+u.MappingType)
	return strings.Join(parts, ", ")
}

func sourceText(s mapping.Source) string {
	from := s.From
	if from == mapping.FromIDToken {
		from = "ID token"
	}
	return from + " " + s.Path
}

func sourceOrClaim(g mapping.Groups) string {
	if g.Source != nil {
		return sourceText(*g.Source)
	}
	return "claim " + g.Claim + " not found"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// compact shows a JSON value on one line, cut to a readable width, sanitized: encoding/json escapes
// C0 controls but not DEL, C1 or bidi overrides.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if r := []rune(s); len(r) > 48 {
		s = string(r[:45]) + "..."
	}
	return iostreams.Sanitize(s)
}

// printProblems writes warnings and errors to stderr.
func printProblems(ios *iostreams.IOStreams, warnings, errs []mapping.Warning) {
	cs := ios.ErrColorScheme()
	for _, w := range warnings {
		fmt.Fprintf(ios.ErrOut, "%s %s\n", cs.WarningIcon(), iostreams.Sanitize(w.Message))
	}
	for _, e := range errs {
		fmt.Fprintf(ios.ErrOut, "%s %s\n", cs.FailureIcon(), iostreams.Sanitize(e.Message))
	}
}

// printReport writes the summary of a bulk run as text.
func printReport(ios *iostreams.IOStreams, r *bulk.Report, m *mapping.Mapper) error {
	out := ios.Out
	cs := ios.ColorScheme()
	fmt.Fprintf(out, "%s (app %s, mapping %s)\n", cs.Bold("Report"), m.App(), m.MappingType())
	tw := iostreams.NewTabWriter(out, 2)
	fmt.Fprintf(tw, "  lines\t%d\t(%d blank, %d malformed)\n", r.Lines, r.Blank, r.Malformed)
	fmt.Fprintf(tw, "  users mapped\t%d\t(%d without errors)\n", r.Users, r.OK)
	fmt.Fprintf(tw, "  registrable\t%d\n", r.Registrable)
	c := r.Conflicts
	fmt.Fprintf(tw, "  username conflicts\t%d\t(%d with --existing, %d within the input; %d renamed, %d refused)\n", c.Existing+c.Input, c.Existing, c.Input, c.Renamed, c.Unresolved)
	if err := tw.Flush(); err != nil {
		return err
	}
	section := func(title string, counts map[string]int64) {
		if len(counts) == 0 {
			return
		}
		fmt.Fprintf(out, "\n%s\n", cs.Bold(title))
		tw := iostreams.NewTabWriter(out, 2)
		for _, k := range sortedKeys(counts) {
			fmt.Fprintf(tw, "  %s\t%d\n", iostreams.Sanitize(k), counts[k])
		}
		_ = tw.Flush()
	}
	section("Missing required fields", r.MissingRequired)
	section("Registration", r.Registration)
	list := func(title string, c bulk.Counts) {
		if c.Total == 0 {
			return
		}
		fmt.Fprintf(out, "\n%s (%d, %d distinct)\n", cs.Bold(title), c.Total, c.Distinct)
		tw := iostreams.NewTabWriter(out, 2)
		for i, e := range c.Top {
			if i == 20 {
				fmt.Fprintf(tw, "  …\t%d more\n", len(c.Top)-20)
				break
			}
			fmt.Fprintf(tw, "  %s\t%d\n", iostreams.Sanitize(e.Name), e.Count)
		}
		if c.Other > 0 {
			fmt.Fprintf(tw, "  (others)\t%d\n", c.Other)
		}
		_ = tw.Flush()
	}
	list("Rejected domains", r.RejectedDomains)
	list("Unmapped groups", r.UnmappedGroups)
	if len(r.Permissions) > 0 {
		fmt.Fprintf(out, "\n%s\n", cs.Bold("Permission sums of registrable users"))
		tw := iostreams.NewTabWriter(out, 2)
		for _, p := range r.Permissions {
			fmt.Fprintf(tw, "  %d\t%d users\t%s\n", p.Sum, p.Users, orText(strings.Join(p.Names, " + "), "no rights"))
		}
		_ = tw.Flush()
	}
	section("Warnings", r.Warnings)
	section("Errors", r.Errors)
	return nil
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return int(m[b] - m[a])
		}
		return strings.Compare(a, b)
	})
	return keys
}

// progressBar redraws one line on stderr (a terminal) ten times a second.
type progressBar struct {
	w     io.Writer
	p     *bulk.Progress
	size  int64
	now   func() time.Time
	start time.Time
	done  chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	drawn bool
}

func startProgress(ios *iostreams.IOStreams, p *bulk.Progress, size int64, now func() time.Time) *progressBar {
	if now == nil {
		now = time.Now
	}
	pb := &progressBar{w: ios.ErrOut, p: p, size: size, now: now, start: now(), done: make(chan struct{})}
	pb.wg.Add(1)
	go func() {
		defer pb.wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-pb.done:
				return
			case <-t.C:
				pb.draw()
			}
		}
	}()
	return pb
}

func (pb *progressBar) draw() {
	pb.mu.Lock()
	defer pb.mu.Unlock()
	read := pb.p.Bytes.Load()
	line := fmt.Sprintf("mapping: %s lines, %.1f MB", thousands(pb.p.Lines.Load()), float64(read)/1e6)
	if pb.size > 0 {
		line = fmt.Sprintf("mapping: %3.0f%%  %s lines, %.1f of %.1f MB", 100*float64(read)/float64(pb.size), thousands(pb.p.Lines.Load()), float64(read)/1e6, float64(pb.size)/1e6)
	}
	line += fmt.Sprintf(", %s", pb.now().Sub(pb.start).Round(100*time.Millisecond))
	fmt.Fprintf(pb.w, "\r\x1b[K%s", line)
	pb.drawn = true
}

// clear removes the bar so that a message can be printed; the next tick draws it again.
func (pb *progressBar) clear() {
	if pb == nil {
		return
	}
	pb.mu.Lock()
	defer pb.mu.Unlock()
	if pb.drawn {
		fmt.Fprint(pb.w, "\r\x1b[K")
		pb.drawn = false
	}
}

func (pb *progressBar) stop() {
	if pb == nil {
		return
	}
	close(pb.done)
	pb.wg.Wait()
	pb.clear()
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
