package cmdutil

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// PrintJSON writes v as indented JSON followed by a newline. HTML characters are not escaped, so URLs
// with & and < read as they are.
func PrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// TablePrinter prints rows aligned with a header on a terminal, and tab separated without header
// otherwise, so that scripts can cut and awk the output.
type TablePrinter struct {
	out    io.Writer
	tty    bool
	header []string
	rows   [][]string
}

// NewTablePrinter returns a printer for ios.Out.
func NewTablePrinter(ios *iostreams.IOStreams, header ...string) *TablePrinter {
	return &TablePrinter{out: ios.Out, tty: ios.IsStdoutTTY(), header: header}
}

// AddRow adds one row. Cells are data, often from the config file or a provider, so each is passed
// through iostreams.Sanitize: a control character in a client_id cannot drive the terminal, and a
// tab or newline cannot break the tab-separated output into extra columns or rows.
func (t *TablePrinter) AddRow(fields ...string) {
	row := make([]string, len(fields))
	for i, f := range fields {
		row[i] = iostreams.Sanitize(f)
	}
	t.rows = append(t.rows, row)
}

// Render writes the table.
func (t *TablePrinter) Render() error {
	if !t.tty {
		for _, r := range t.rows {
			if _, err := fmt.Fprintln(t.out, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	tw := iostreams.NewTabWriter(t.out, 2)
	if len(t.header) > 0 {
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(t.header, "\t")))
	}
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}
