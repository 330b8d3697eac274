// Package version implements `ssoctl version`.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/build"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// VersionOptions are the inputs of `ssoctl version`.
type VersionOptions struct {
	IO *iostreams.IOStreams

	Output string
}

// NewCmdVersion returns `ssoctl version`.
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of ssoctl",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmdutil.MarkInstant(cmd)
	return cmd
}

// Info is the JSON form of the version.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
}

func versionRun(opts *VersionOptions) error {
	b := build.Get()
	info := Info{Version: b.Version, Commit: b.Commit, Date: b.Date}
	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, info)
	}
	line := "ssoctl version " + info.Version
	if info.Commit != "" || info.Date != "" {
		line += fmt.Sprintf(" (commit %s, built %s)", orUnknown(info.Commit), orUnknown(info.Date))
	}
	_, err := fmt.Fprintln(opts.IO.Out, line)
	return err
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
