package validate

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// Guard returns the check that commands writing the config file pass to config.UpdateWith: it
// validates the file as it was read and as the edit left it (offline, as `ssoctl validate` does) and
// refuses the write with an *IntroducedError when the result has an error-level finding the file did
// not have. Errors the file had before do not stop an edit elsewhere: an admin fixing a file one
// provider at a time must be able to write it.
func Guard(opts Options) func(before, after *config.File) error {
	opts.MaxPerCode, opts.errorsOnly = -1, true
	return func(before, after *config.File) error {
		if introduced := Introduced(before, after, opts); len(introduced) > 0 {
			return &IntroducedError{Path: after.Path, Findings: introduced}
		}
		return nil
	}
}

// Introduced returns the error-level findings of after that before does not have. Findings are
// told apart by code, provider and field path (without the provider's index, which an edit of the
// list shifts); a finding that appears more often than before counts as new.
func Introduced(before, after *config.File, opts Options) []Finding {
	opts.MaxPerCode = -1
	var errs []Finding
	for _, f := range Check(after, opts).Findings {
		if f.Severity == SeverityError {
			errs = append(errs, f)
		}
	}
	if len(errs) == 0 {
		// The usual case; no need to check the file as it was.
		return nil
	}
	had := map[string]int{}
	if before != nil && before.DecodeErr == nil && (before.Doc != nil || len(before.Data) > 0) {
		for _, f := range Check(before, opts).Findings {
			if f.Severity == SeverityError {
				had[findingKey(f)]++
			}
		}
	}
	var out []Finding
	for _, f := range errs {
		k := findingKey(f)
		if had[k] > 0 {
			had[k]--
			continue
		}
		out = append(out, f)
	}
	return out
}

// providerIndex is the providers[N] at the start of a finding's path. Compiled on first use: a
// run that guards no write (every test-login) does not pay for it at start-up.
var providerIndex = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^providers\[\d+\]`) })

func findingKey(f Finding) string {
	path := f.Path
	if f.Provider != "" {
		path = providerIndex().ReplaceAllLiteralString(path, "")
	}
	return f.Code + "\x00" + f.Provider + "\x00" + path
}

// IntroducedError is a write that was refused because its result has error-level findings the file
// did not have. The file is left as it was.
type IntroducedError struct {
	Path     string
	Findings []Finding
}

func (e *IntroducedError) Error() string {
	f := e.Findings[0]
	// The file was not written, so its line numbers would point into text nobody can see.
	where := ""
	if f.Path != "" {
		where = " in " + f.Path
	}
	more := ""
	switch n := len(e.Findings) - 1; {
	case n == 1:
		more = " (and 1 more error)"
	case n > 1:
		more = fmt.Sprintf(" (and %d more errors)", n)
	}
	return fmt.Sprintf("%s was not changed: the change would add error %s%s: %s%s",
		e.Path, f.Code, where, strings.TrimSuffix(f.Message, "."), more)
}

// ExitCode makes the refusal a failed check (exit 1): the change is what is wrong.
func (e *IntroducedError) ExitCode() int { return 1 }

// Hint gives the finding's own hint and the way to write anyway.
func (e *IntroducedError) Hint() string {
	h := strings.TrimSuffix(e.Findings[0].Hint, ".")
	if h != "" {
		h += "; "
	}
	return h + "or pass --no-validate to write it anyway (\"ssoctl validate\" will still report it)"
}
