// Package path implements `ssoctl config path`.
package path

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// PathOptions are the inputs of `ssoctl config path`.
type PathOptions struct {
	IO *iostreams.IOStreams
	// ConfigPath resolves the config file and says why it was chosen.
	ConfigPath func() (string, config.PathSource)
	Stat       func(string) (os.FileInfo, error)

	Output string
}

// Info is the JSON form of `ssoctl config path`; its field names are stable.
type Info struct {
	// Path is the config file's absolute path.
	Path string `json:"path"`
	// Source says why it was chosen: flag (--config), env ($SSOCTL_CONFIG), workdir (./ssoctl.yaml)
	// or xdg ($XDG_CONFIG_HOME/ssoctl/config.yaml).
	Source string `json:"source"`
	// Exists tells whether the file exists yet; commands that write create it.
	Exists bool `json:"exists"`
}

// NewCmdPath returns `ssoctl config path`.
func NewCmdPath(f *cmdutil.Factory, runF func(*PathOptions) error) *cobra.Command {
	opts := &PathOptions{IO: f.IOStreams, ConfigPath: f.ConfigPath, Stat: os.Stat}
	cmd := &cobra.Command{
		Use:   "path",
		Short: "Print which config file is used and why",
		Long: heredoc.Doc(`
			Print the absolute path of the config file ssoctl uses. Why it was chosen and whether it
			exists go to stderr, or into the JSON document with -o json.

			The file is --config, else $SSOCTL_CONFIG, else ./ssoctl.yaml if it exists, else
			$XDG_CONFIG_HOME/ssoctl/config.yaml (~/.config when XDG_CONFIG_HOME is unset).
		`),
		Example: heredoc.Doc(`
			$ ssoctl config path
			$ $EDITOR "$(ssoctl config path)"
			$ ssoctl config path -o json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return pathRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmdutil.MarkInstant(cmd)
	return cmd
}

func pathRun(opts *PathOptions) error {
	p, src := opts.ConfigPath()
	abs, err := filepath.Abs(p)
	if err != nil {
		return cmdutil.InputErrorf("", "cannot make %s absolute: %w", p, err)
	}
	info := Info{Path: abs, Source: sourceKey(src)}
	fi, err := opts.Stat(abs)
	switch {
	case err == nil && fi.IsDir():
		return cmdutil.InputErrorf("point --config or $SSOCTL_CONFIG at a file", "config path %s is a directory", abs)
	case err == nil:
		info.Exists = true
	case !errors.Is(err, fs.ErrNotExist):
		return cmdutil.InputErrorf("check the permissions of the directories on the path", "cannot check config path %s: %v", abs, err)
	}
	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, info)
	}
	if _, err := fmt.Fprintln(opts.IO.Out, info.Path); err != nil {
		return err
	}
	state := "exists"
	if !info.Exists {
		state = `does not exist yet; "ssoctl provider add" creates it`
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s; the file %s\n", reason(src), state)
	return nil
}

func reason(s config.PathSource) string {
	switch s {
	case config.SourceFlag:
		return "given with --config"
	case config.SourceEnv:
		return "given by $" + config.EnvConfig
	case config.SourceWorkdir:
		return "found as ./" + config.DefaultFileName + " in the working directory"
	}
	return "the user config file, as neither --config, $" + config.EnvConfig + " nor ./" + config.DefaultFileName + " is there"
}

// sourceKey turns a PathSource into the stable word -o json prints.
func sourceKey(s config.PathSource) string {
	switch s {
	case config.SourceFlag:
		return "flag"
	case config.SourceEnv:
		return "env"
	case config.SourceWorkdir:
		return "workdir"
	case config.SourceXDG:
		return "xdg"
	}
	return string(s)
}
