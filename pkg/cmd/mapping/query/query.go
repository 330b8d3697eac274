// Package query implements `ssoctl map query`: the nodes one JSONPath expression selects from a
// document, for trying a rule before it goes into the config.
package query

import (
	"strings"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmd/mapping/shared"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// QueryOptions are the inputs of `ssoctl map query`.
type QueryOptions struct {
	IO *iostreams.IOStreams

	Expr    string
	Input   string
	Dialect string
	Output  string
}

// NewCmdQuery returns `ssoctl map query`.
func NewCmdQuery(f *cmdutil.Factory, runF func(*QueryOptions) error) *cobra.Command {
	opts := &QueryOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "query <jsonpath>",
		Short: "Print the JSON array of nodes a JSONPath expression selects from a document",
		Long: heredoc.Docf(`
			Evaluate one JSONPath expression against a JSON document and print the array of nodes it
			selects: [] when it selects nothing. Use it to try a mapping rule before putting it in the
			config file.

			The default dialect is Jayway JsonPath, which the apps' admin forms document: filters
			such as [?(@.primary == true)], the operators in, nin, anyof, =~ /re/i and path functions
			such as .length(). %[1]s--dialect rfc9535%[1]s keeps to the IETF standard (RFC 9535).
		`, "`"),
		Example: heredoc.Doc(`
			$ ssoctl map query '$.login' --input user.json
			["mona-ops"]
			$ ssoctl map query '$[?(@.primary == true && @.verified == true)].email' --input emails.json
			$ curl -s https://api.github.com/users/octocat | ssoctl map query '$.name'
			$ ssoctl map query '$.groups[?search(@, "admin")]' --dialect rfc9535 --input userinfo.json
		`),
		Args: cmdutil.ExactArgs(1, "cannot query: JSONPath argument required, such as '$.email'"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Expr = args[0]
			if runF != nil {
				return runF(opts)
			}
			return queryRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Input, "input", "", "Read the JSON document from `FILE` (- for standard input)")
	cmdutil.StringEnumFlag(cmd, &opts.Dialect, "dialect", "", "jayway", []string{"jayway", "rfc9535"}, "JSONPath dialect")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "json")
	cmdutil.MarkInstant(cmd)
	return cmd
}

func queryRun(opts *QueryOptions) error {
	dialect, err := mapping.ParseDialect(opts.Dialect)
	if err != nil {
		return cmdutil.FlagErrorf("%v", err)
	}
	// Compile first: a broken expression is reported without waiting for input.
	if _, err := mapping.Compile("", opts.Expr, dialect); err != nil {
		return shared.RuleError(err)
	}
	in, err := shared.Open(opts.IO, opts.Input, `for example: ssoctl map query '`+strings.ReplaceAll(opts.Expr, "'", `'\''`)+`' --input user.json`)
	if err != nil {
		return err
	}
	defer in.Close()
	doc, err := shared.ReadDocument(in, in.Name)
	if err != nil {
		return err
	}
	nodes, err := mapping.Query(opts.Expr, doc, dialect)
	if err != nil {
		return shared.RuleError(err)
	}
	return cmdutil.PrintJSON(opts.IO.Out, nodes)
}
