// Package shared holds what the `ssoctl perm` verbs have in common: the --scheme flag and how a
// scheme name is resolved, the bit table, the JSON result and how perm's errors become exit codes.
package shared

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// AddSchemeFlag adds --scheme (default alist) to cmd. Completion offers the built-in schemes and those
// the config file defines; a config that cannot be read only costs its schemes.
func AddSchemeFlag(cmd *cobra.Command, p *string, cfg func() (*config.File, error)) {
	cmd.Flags().StringVar(p, "scheme", perm.DefaultScheme,
		"Permission scheme: a built-in one ("+strings.Join(perm.Names(), ", ")+") or one defined under permission_schemes: in the config file")
	_ = cmd.RegisterFlagCompletionFunc("scheme", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		names := perm.Names()
		for _, d := range definedSchemes(cfg) {
			if _, builtin := perm.Builtin(d.Name); !builtin {
				names = append(names, d.Name)
			}
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
}

// definedSchemes returns the config file's permission_schemes, or nil when there is no usable file.
func definedSchemes(cfg func() (*config.File, error)) []config.PermissionScheme {
	if cfg == nil {
		return nil
	}
	f, err := cfg()
	if err != nil {
		return nil
	}
	defs, _ := schemesOf(f)
	return defs
}

// schemesOf reads permission_schemes from f. When another part of the file has values of the wrong
// type, Config is nil, so the section is decoded on its own: a typo in a provider must not stop
// `perm` from using a scheme that is fine.
func schemesOf(f *config.File) ([]config.PermissionScheme, error) {
	if f.Config != nil {
		return f.Config.PermissionSchemes, nil
	}
	n := f.Node("permission_schemes")
	if n == nil {
		return nil, nil
	}
	var defs []config.PermissionScheme
	if err := n.Decode(&defs); err != nil {
		if f.DecodeErr != nil {
			return nil, f.DecodeErr
		}
		return nil, &config.DecodeError{Path: f.Path, Msg: err.Error()}
	}
	return defs, nil
}

// ResolveScheme returns the scheme called name. Built-in schemes need no config file, so cfg is called
// only for other names: `perm` works on a machine without any config. A missing config file means that
// no scheme is defined there; one that cannot be read or parsed is an error (exit 2), and so is a scheme
// definition that NewScheme refuses, located in the file.
func ResolveScheme(name string, cfg func() (*config.File, error)) (*perm.Scheme, error) {
	if strings.TrimSpace(name) == "" {
		name = perm.DefaultScheme
	}
	if s, ok := perm.Builtin(name); ok {
		return s, nil
	}
	var (
		file    *config.File
		missing string // the config path that does not exist
		defs    []config.PermissionScheme
	)
	if cfg != nil {
		f, err := cfg()
		var re *config.ReadError
		switch {
		case errors.As(err, &re) && errors.Is(re.Err, fs.ErrNotExist):
			// No file: the name is simply unknown, said below.
			missing = re.Path
		case err != nil:
			return nil, err
		default:
			file = f
			if defs, err = schemesOf(f); err != nil {
				return nil, err
			}
		}
	}
	s, err := perm.Resolve(name, defs)
	if err == nil {
		return s, nil
	}
	var unknown *perm.UnknownSchemeError
	if errors.As(err, &unknown) {
		if file == nil {
			hint := fmt.Sprintf("known schemes: %s; define others under permission_schemes: in a config file", strings.Join(unknown.Known, ", "))
			if missing != "" {
				hint += fmt.Sprintf(" (there is none at %s)", missing)
			}
			if unknown.Suggestion != "" {
				hint = fmt.Sprintf("did you mean %q? %s", unknown.Suggestion, hint)
			}
			return nil, cmdutil.WithHint(err, hint)
		}
		return nil, err
	}
	return nil, schemeDefinitionError(file, name, defs, err)
}

// schemeDefinitionError turns NewScheme's errors into one sentence that points at the file, line and
// column of the first problem; validate lists them all.
func schemeDefinitionError(f *config.File, name string, defs []config.PermissionScheme, err error) error {
	var se *perm.SchemeError
	if !errors.As(err, &se) {
		return cmdutil.InputErrorf("", "permission scheme %q in %s is invalid: %w", name, f.Path, err)
	}
	idx := 0
	for i, d := range defs {
		if strings.EqualFold(strings.TrimSpace(d.Name), strings.TrimSpace(name)) {
			idx = i
			break
		}
	}
	path := []string{"permission_schemes", strconv.Itoa(idx)}
	field := se.Field
	if field == "index" {
		field = "bit" // the config's name for it
	}
	if se.Pos >= 0 {
		path = append(path, "bits", strconv.Itoa(se.Pos), field)
	} else {
		path = append(path, field)
	}
	where := f.Path
	if pos := f.Pos(path...); pos.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", f.Path, pos.Line, pos.Column)
	}
	label := "permission_schemes[" + strconv.Itoa(idx) + "]"
	if se.Pos >= 0 {
		label += fmt.Sprintf(".bits[%d]", se.Pos)
	}
	label += "." + field
	hint := `bits are counted from 0 in the order written; run "ssoctl validate" to see every problem`
	if n := countJoined(err); n > 1 {
		hint = fmt.Sprintf("%d problems in all; %s", n, hint)
	}
	return cmdutil.InputErrorf(hint, "invalid permission scheme %q at %s: %s: %s", name, where, label, se.Reason)
}

func countJoined(err error) int {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return len(j.Unwrap())
	}
	return 1
}

// Result is the JSON form of `perm sum` and `perm decode`: a sum and the bits it is made of. Both
// commands print the same shape so that one's output can feed the other.
type Result struct {
	Sum    int64      `json:"sum"`
	Scheme string     `json:"scheme"`
	Bits   []perm.Bit `json:"bits"`
}

// PrintBits writes one row per bit: BIT VALUE NAME MEANING, aligned with a header on a terminal and tab
// separated without one otherwise.
func PrintBits(ios *iostreams.IOStreams, bits []perm.Bit) error {
	tty := ios.IsStdoutTTY()
	tp := cmdutil.NewTablePrinter(ios, "bit", "value", "name", "meaning")
	for _, b := range bits {
		tp.AddRow(strconv.Itoa(b.Index), strconv.FormatInt(b.Value, 10), b.Name, OrDash(b.Meaning, tty))
	}
	return tp.Render()
}

// OrDash fills an empty table cell on a terminal, where a blank reads as a layout fault (schemes from
// the config file may leave meaning out); scripts get the empty field.
func OrDash(s string, tty bool) string {
	if s == "" && tty {
		return "-"
	}
	return s
}

// ValueError gives perm's errors about a typed value their exit code and a hint that names the scheme
// in use: text that is not a number is unreadable input (exit 2), while a number too large for any
// scheme is a wrong permission like any other out-of-scheme value (exit 1). Other errors pass through;
// perm's remaining types already carry a hint and exit 1.
func ValueError(err error, s *perm.Scheme) error {
	var ve *perm.ValueError
	if !errors.As(err, &ve) {
		return err
	}
	list := perm.ListCommand(s.Name)
	if errors.Is(err, strconv.ErrRange) {
		return cmdutil.Failf(fmt.Sprintf("the largest valid sum in scheme %s is %d; run %q to see all bits", s.Name, s.Max(), list),
			"%s", err.Error())
	}
	hint := fmt.Sprintf("write the sum as a decimal number such as 768, or run %q to see the bits", list)
	if b, ok := s.Lookup(ve.Input); ok {
		hint = fmt.Sprintf("%q is a permission name; run \"ssoctl perm sum %s\" to get its value", ve.Input, b.Name)
	}
	return cmdutil.InputErrorf(hint, "%s", err.Error())
}

// NegativeNumberArgs lets a command take negative numbers as arguments, which pflag would otherwise
// refuse as unknown shorthand flags ("-1" looks like flag -1). It returns a flag error function:
// when the unknown "flag" is a number, check(number) decides the error (perm says a negative sum is
// outside the scheme, exit 1); any other flag error stays a usage error. `-- -1` works as well.
func NegativeNumberArgs(check func(arg string) error) func(*cobra.Command, error) error {
	return func(_ *cobra.Command, err error) error {
		var ne *pflag.NotExistError
		if errors.As(err, &ne) {
			if short := ne.GetSpecifiedShortnames(); short != "" && isDigits(short) {
				if cerr := check("-" + short); cerr != nil {
					return cerr
				}
			}
		}
		return cmdutil.FlagErrorWrap(err)
	}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
