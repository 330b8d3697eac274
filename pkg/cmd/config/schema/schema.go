// Package schema implements `ssoctl config schema`.
package schema

import (
	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// SchemaOptions are the inputs of `ssoctl config schema`.
type SchemaOptions struct {
	IO *iostreams.IOStreams

	Output string
}

// NewCmdSchema returns `ssoctl config schema`.
func NewCmdSchema(f *cmdutil.Factory, runF func(*SchemaOptions) error) *cobra.Command {
	opts := &SchemaOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the config file",
		Long: heredoc.Docf(`
			Print the JSON Schema (draft 2020-12) of the config file, with titles, descriptions and
			allowed values, so that editors can complete and check the file as you type.

			With the YAML language server (VS Code, Neovim, Helix ...), save it and point the file at it
			with a first-line comment:
			  # yaml-language-server: $schema=./ssoctl.schema.json
			or use the published copy: %s
		`, config.SchemaID),
		Example: heredoc.Doc(`
			$ ssoctl config schema > ssoctl.schema.json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return schemaRun(opts)
		},
	}
	// The schema is JSON either way; -o json is accepted because every command that prints data
	// takes it, and scripts pass it without knowing which ones print JSON already.
	cmdutil.AddOutputFlag(cmd, &opts.Output, "json")
	cmdutil.MarkInstant(cmd)
	return cmd
}

func schemaRun(opts *SchemaOptions) error {
	_, err := opts.IO.Out.Write(config.JSONSchema())
	return err
}
