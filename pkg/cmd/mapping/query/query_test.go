package query

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

const emails = `[{"email":"mona@example.com","primary":true,"verified":true},{"email":"old@example.net","primary":false,"verified":false}]`

func TestQuery(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "emails.json")
	require.NoError(t, os.WriteFile(file, []byte(emails), 0o600))
	tests := []struct {
		name     string
		args     []string
		stdin    string
		want     string
		wantErr  string
		wantCode int
	}{
		{name: "filter", args: []string{"$[?(@.primary == true && @.verified == true)].email", "--input", file},
			want: "[\n  \"mona@example.com\"\n]\n"},
		{name: "Jayway operator and function", args: []string{"$[?(@.email =~ /.*EXAMPLE\\.com/i)].email.length()", "--input", "-"}, stdin: emails,
			want: "[\n  1\n]\n"},
		{name: "nothing selected", args: []string{"$.nope", "--input", file}, want: "[]\n"},
		{name: "rfc9535 refuses Jayway syntax", args: []string{"$[?(@.email =~ /x/)]", "--dialect", "rfc9535", "--input", file},
			wantErr: "has a syntax error", wantCode: 2},
		{name: "syntax error", args: []string{"$.a[", "--input", file}, wantErr: `rule "$.a[" has a syntax error`, wantCode: 2},
		{name: "invalid JSON", args: []string{"$.a", "--input", "-"}, stdin: `{"a":`, wantErr: "standard input is not valid JSON", wantCode: 2},
		{name: "empty", args: []string{"$.a", "--input", "-"}, stdin: "", wantErr: "standard input is empty", wantCode: 2},
		{name: "missing file", args: []string{"$.a", "--input", filepath.Join(dir, "nope.json")}, wantErr: "cannot read input", wantCode: 2},
		{name: "read: a definite path's value", args: []string{"$[0].email", "--read", "--input", file}, want: "\"mona@example.com\"\n"},
		{name: "read: a list for an indefinite path", args: []string{"$[*].primary", "--read", "--input", file}, want: "[\n  true,\n  false\n]\n"},
		{name: "read: PathNotFoundException", args: []string{"$[0].nope", "--read", "--input", file},
			wantErr: "Jayway throws PathNotFoundException: no results for the definite path $[0].nope", wantCode: 1},
		{name: "read: Jayway only", args: []string{"$[0]", "--read", "--dialect", "rfc9535", "--input", file}, wantErr: "--read gives Jayway's answer", wantCode: 2},
		{name: "number past float64", args: []string{"$.id", "--input", "-"}, stdin: `{"id":1e400}`,
			wantErr: "standard input holds the number 1e400 at line 1, column 7", wantCode: 2},
		{name: "byte order mark", args: []string{"$.id", "--input", "-"}, stdin: "\ufeff{\"id\":5}", want: "[\n  5\n]\n"},
		{name: "no expression", args: []string{}, wantErr: "cannot query: JSONPath argument required, such as '$.email'", wantCode: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, in, out, _ := iostreams.Test()
			in.WriteString(tt.stdin)
			cmd := NewCmdQuery(&cmdutil.Factory{IOStreams: ios}, nil)
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Equal(t, tt.wantCode, cmdutil.ExitCodeOf(err))
				assert.Empty(t, out.String())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, out.String())
		})
	}
}
