// Package list implements `ssoctl provider list`.
package list

import (
	"fmt"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/provider/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// ListOptions are the inputs of `ssoctl provider list`.
type ListOptions struct {
	IO         *iostreams.IOStreams
	Config     func() (*config.File, error)
	ConfigPath func() (string, config.PathSource)

	Output string
}

// NewCmdList returns `ssoctl provider list`.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Config: f.Config, ConfigPath: f.ConfigPath}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the providers in the config file",
		Long: heredoc.Doc(`
			List the providers in the config file: name, type, client ID and redirect URL.

			On a terminal the table is aligned under a header; otherwise each provider is one
			tab-separated line without a header, for scripts.
		`),
		Example: heredoc.Doc(`
			$ ssoctl provider list
			$ ssoctl provider list -o json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output, "text", "json")
	cmdutil.MarkInstant(cmd)
	return cmd
}

// Item is one provider in the JSON output; its field names are pinned by a test. The secret is shown
// as its reference (env:NAME, file:PATH) or *** for a literal.
type Item struct {
	Name         string `json:"name"`
	Type         string `json:"type"`
	DisplayName  string `json:"displayName"`
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	RedirectURL  string `json:"redirectUrl"`
}

func listRun(opts *ListOptions) error {
	path, _ := opts.ConfigPath()
	f, cfg, err := shared.Load(opts.Config, path)
	if err != nil {
		return err
	}
	items := make([]Item, 0, len(cfg.Providers))
	for _, p := range cfg.Providers {
		items = append(items, Item{Name: p.Name, Type: p.Type, DisplayName: p.DisplayName, ClientID: p.ClientID,
			ClientSecret: p.ClientSecret.String(), RedirectURL: p.RedirectURL})
	}
	if len(items) == 0 {
		if f.Exists {
			fmt.Fprintf(opts.IO.ErrOut, "No providers in %s yet; add one with \"ssoctl provider add\".\n", f.Path)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "No providers: %s does not exist yet; add one with \"ssoctl provider add\".\n", f.Path)
		}
	}
	if opts.Output == "json" {
		return cmdutil.PrintJSON(opts.IO.Out, items)
	}
	if len(items) == 0 {
		return nil
	}
	tp := cmdutil.NewTablePrinter(opts.IO, "name", "type", "client-id", "redirect")
	for _, it := range items {
		tp.AddRow(it.Name, it.Type, it.ClientID, it.RedirectURL)
	}
	return tp.Render()
}
