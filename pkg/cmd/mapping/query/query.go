// Package query implements `ssoctl map query`: the nodes one JSONPath expression selects from a
// document, for trying a rule before it goes into the config.
package query

import (
	"bufio"
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
	Read    bool
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

			%[1]s--read%[1]s prints what Jayway's JsonPath.read returns instead, which is what a Java app
			such as TDengine IDMP stores: for a definite path (names, one index, a final union of
			names; no wildcard, deep scan, filter or slice) its one value, not a list of one; for
			any other path the list. A definite path that selects nothing is what Jayway throws
			PathNotFoundException for: the command says so and exits 1.

			The document may be up to 16 MiB. To run a rule over every user of a larger export (NDJSON
			or a JSON array), stream it with map eval, which has no size limit.
		`, "`"),
		Example: heredoc.Doc(`
			$ ssoctl map query '$.login' --input user.json
			["mona-ops"]
			$ ssoctl map query '$[?(@.primary == true && @.verified == true)].email' --input emails.json
			$ curl -s https://api.github.com/users/octocat | ssoctl map query '$.name'
			$ ssoctl map query '$.groups[?search(@, "admin")]' --dialect rfc9535 --input userinfo.json
			$ ssoctl map query '$.login' --read --input user.json
			"mona-ops"
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
	cmd.Flags().BoolVar(&opts.Read, "read", false, "Print what Jayway's JsonPath.read returns: a definite path's value rather than a list")
	cmdutil.AddOutputFlag(cmd, &opts.Output, "json")
	cmdutil.MarkInstant(cmd)
	return cmd
}

func queryRun(opts *QueryOptions) error {
	dialect, err := mapping.ParseDialect(opts.Dialect)
	if err != nil {
		return cmdutil.FlagErrorf("%v", err)
	}
	if opts.Read && dialect != mapping.Jayway {
		return cmdutil.WithHint(cmdutil.FlagErrorf("--read gives Jayway's answer, and --dialect is rfc9535"), "RFC 9535 always gives a list of nodes: drop --read")
	}
	// Compile first: a broken expression is reported without waiting for input.
	rule, err := mapping.Compile("", opts.Expr, dialect)
	if err != nil {
		return shared.RuleError(err)
	}
	in, err := shared.Open(opts.IO, opts.Input, `for example: ssoctl map query '`+strings.ReplaceAll(opts.Expr, "'", `'\''`)+`' --input user.json`)
	if err != nil {
		return err
	}
	defer in.Close()
	br := bufio.NewReader(in)
	shared.SkipBOM(br)
	doc, err := shared.ReadDocument(br, in.Name)
	if err != nil {
		return err
	}
	if opts.Read {
		v, found := rule.Read(doc)
		if !found {
			return cmdutil.Failf("check the path against the document, or use a filter, which gives [] instead",
				"Jayway throws PathNotFoundException: no results for the definite path %s", opts.Expr)
		}
		return cmdutil.PrintJSON(opts.IO.Out, v)
	}
	nodes, err := mapping.Query(opts.Expr, doc, dialect)
	if err != nil {
		return shared.RuleError(err)
	}
	return cmdutil.PrintJSON(opts.IO.Out, nodes)
}
