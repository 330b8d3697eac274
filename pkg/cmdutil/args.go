package cmdutil

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// ExactArgs is cobra.ExactArgs with our own message for the common "missing argument" case.
func ExactArgs(n int, msg string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return FlagErrorf("too many arguments: %s", strings.Join(args[n:], " "))
		}
		if len(args) < n {
			return FlagErrorf("%s", msg)
		}
		return nil
	}
}

// MaximumArgs accepts at most n arguments.
func MaximumArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return FlagErrorf("too many arguments: %s", strings.Join(args[n:], " "))
		}
		return nil
	}
}

// NoArgs refuses positional arguments.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("unexpected argument %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// enumValue is a string flag restricted to a closed set of values.
type enumValue struct {
	value   *string
	options []string
}

func (e *enumValue) Set(v string) error {
	if !slices.Contains(e.options, v) {
		return fmt.Errorf("valid values are %s", formatValues(e.options))
	}
	*e.value = v
	return nil
}
func (e *enumValue) String() string { return *e.value }
func (e *enumValue) Type() string   { return "string" }

func formatValues(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("{%s}", v)
	}
	return strings.Join(q, "|")
}

// StringEnumFlag defines a flag that accepts only the given options and completes them.
func StringEnumFlag(cmd *cobra.Command, p *string, name, shorthand, defaultValue string, options []string, usage string) *pflag.Flag {
	*p = defaultValue
	val := &enumValue{value: p, options: options}
	f := cmd.Flags().VarPF(val, name, shorthand, fmt.Sprintf("%s: %s", usage, strings.Join(options, ", ")))
	_ = cmd.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return options, cobra.ShellCompDirectiveNoFileComp
	})
	return f
}

// AddOutputFlag adds -o/--output with the given formats; the first is the default.
func AddOutputFlag(cmd *cobra.Command, p *string, formats ...string) {
	StringEnumFlag(cmd, p, "output", "o", formats[0], formats, "Output format")
}
