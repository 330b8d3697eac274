// Package iostreams holds the standard streams of a command together with what is known about them:
// whether each is a terminal and whether colour may be used. Commands write data to Out and everything
// else (progress, warnings, prompts, the TUI) to ErrOut, so that `-o json` output stays clean.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the streams a command reads and writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	noColor   bool
	// colorForced colours streams that are not terminals ($CLICOLOR_FORCE); it never makes them
	// count as terminals, which would change the output's layout.
	colorForced bool
	termWidth   int
}

// System returns the process's streams.
func System() *IOStreams {
	s := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	}
	s.colorFromEnv(os.LookupEnv)
	return s
}

// colorFromEnv applies the colour conventions: NO_COLOR (when set and not empty, as no-color.org
// says: "when present and not an empty string") and TERM=dumb turn colour off, CLICOLOR_FORCE (other
// than 0) turns it on even where the output is no terminal.
func (s *IOStreams) colorFromEnv(lookupEnv func(string) (string, bool)) {
	nc, _ := lookupEnv("NO_COLOR")
	noColor := nc != ""
	termName, _ := lookupEnv("TERM")
	s.noColor = noColor || termName == "dumb"
	if force, _ := lookupEnv("CLICOLOR_FORCE"); force != "" && force != "0" {
		s.noColor, s.colorForced = false, true
	}
}

func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// Test returns streams backed by buffers, none of them a terminal.
func Test() (ios *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, noColor: true}, in, out, errOut
}

// SetStdinTTY marks stdin as a terminal or not (tests).
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetStdoutTTY marks stdout as a terminal or not (tests).
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY marks stderr as a terminal or not (tests).
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetColorEnabled turns colour on or off, as --no-color does.
func (s *IOStreams) SetColorEnabled(v bool) { s.noColor = !v }

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal; non-terminal output is tab separated and plain.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether the user can be asked questions: forms and the TUI draw on stderr and read
// stdin, so both must be terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stderrTTY }

// ColorEnabled reports whether stdout output may be coloured.
func (s *IOStreams) ColorEnabled() bool { return (s.stdoutTTY || s.colorForced) && !s.noColor }

// ColorEnabledErr reports whether stderr output may be coloured.
func (s *IOStreams) ColorEnabledErr() bool { return (s.stderrTTY || s.colorForced) && !s.noColor }

// TerminalWidth is the width of stdout's terminal, or 80.
func (s *IOStreams) TerminalWidth() int {
	if s.termWidth > 0 {
		return s.termWidth
	}
	if f, ok := s.Out.(*os.File); ok && s.stdoutTTY {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 80
}

// ColorScheme returns helpers that colour text only when colour is enabled on the given stream.
func (s *IOStreams) ColorScheme() *ColorScheme { return &ColorScheme{enabled: s.ColorEnabled()} }

// ErrColorScheme is ColorScheme for stderr.
func (s *IOStreams) ErrColorScheme() *ColorScheme { return &ColorScheme{enabled: s.ColorEnabledErr()} }

// ColorScheme wraps text in ANSI colours when enabled.
type ColorScheme struct{ enabled bool }

func (c *ColorScheme) wrap(code, s string) string {
	if !c.enabled {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Red colours s red (errors).
func (c *ColorScheme) Red(s string) string { return c.wrap("31", s) }

// Yellow colours s yellow (warnings).
func (c *ColorScheme) Yellow(s string) string { return c.wrap("33", s) }

// Green colours s green (success).
func (c *ColorScheme) Green(s string) string { return c.wrap("32", s) }

// Cyan colours s cyan (notes).
func (c *ColorScheme) Cyan(s string) string { return c.wrap("36", s) }

// Gray dims s.
func (c *ColorScheme) Gray(s string) string { return c.wrap("90", s) }

// Bold makes s bold.
func (c *ColorScheme) Bold(s string) string { return c.wrap("1", s) }

// SuccessIcon is a green check mark.
func (c *ColorScheme) SuccessIcon() string { return c.Green("✓") }

// WarningIcon is a yellow exclamation mark.
func (c *ColorScheme) WarningIcon() string { return c.Yellow("!") }

// FailureIcon is a red cross.
func (c *ColorScheme) FailureIcon() string { return c.Red("X") }
