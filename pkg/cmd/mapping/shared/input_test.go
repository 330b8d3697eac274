package shared

import (
	"bufio"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, input string
		ndjson      bool
	}{
		{"one compact document", `{"a":1}`, false},
		{"one compact document and a newline", "{\"a\":1}\n\n", false},
		{"pretty document", "{\n  \"a\": 1\n}\n", false},
		{"two lines", "{\"a\":1}\n{\"a\":2}\n", true},
		{"blank lines first", "\n\n{\"a\":1}\n{\"a\":2}", true},
		{"broken first line", "{\"a\":\n{\"a\":2}\n", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.ndjson, Detect(bufio.NewReader(strings.NewReader(tt.input))))
		})
	}
}

func TestParseDocumentErrors(t *testing.T) {
	tests := []struct{ name, input, want string }{
		{"empty", " \n\t", "in.json is empty"},
		{"binary", "\x7fELF\x02\x01\x01\x00", "in.json is not JSON: it holds binary data"},
		{"syntax with position", "{\n  \"a\": tru\n}", "in.json is not valid JSON: invalid character '\\n' in literal true (expecting 'e') at line 2, column 11"},
		{"trailing garbage", `{"a":1} x`, "in.json is not valid JSON: invalid character 'x' after top-level value at line 1, column 9"},
		{"several documents", "{}\n[]", "in.json holds more than one JSON document, and they are not one per line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDocument([]byte(tt.input), "in.json")
			require.EqualError(t, err, tt.want)
			assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
			assert.NotEmpty(t, cmdutil.HintOf(err))
		})
	}
	big := make([]byte, MaxDocument+1)
	_, err := ParseDocument(big, "big.json")
	require.EqualError(t, err, "big.json is larger than the 16 MiB a document may be")
}

func TestReadClaims(t *testing.T) {
	dir := t.TempDir()
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"s1","preferred_username":"jens"}`))
	jwt := filepath.Join(dir, "token.jwt")
	require.NoError(t, os.WriteFile(jwt, []byte("eyJhbGciOiJSUzI1NiJ9."+payload+".c2ln\n"), 0o600))
	claims, err := ReadClaims(jwt)
	require.NoError(t, err)
	assert.Equal(t, "jens", claims["preferred_username"])

	obj := filepath.Join(dir, "claims.json")
	require.NoError(t, os.WriteFile(obj, []byte(`{"sub":"s2"}`), 0o600))
	claims, err = ReadClaims(obj)
	require.NoError(t, err)
	assert.Equal(t, "s2", claims["sub"])

	arr := filepath.Join(dir, "array.json")
	require.NoError(t, os.WriteFile(arr, []byte(`["sub"]`), 0o600))
	_, err = ReadClaims(arr)
	require.EqualError(t, err, "--id-token-claims "+arr+" is not a JSON object")
}

func TestReadNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.txt")
	require.NoError(t, os.WriteFile(path, []byte("# existing\n anyi \n\nmona\r\n"), 0o600))
	names, err := ReadNames(path)
	require.NoError(t, err)
	assert.Equal(t, mapping.NameSet{"anyi": {}, "mona": {}}, names)
	_, err = ReadNames(filepath.Join(t.TempDir(), "nope"))
	require.Error(t, err)
	assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
}

// TestReadNamesLongLine: a line over 1 MiB is one sentence naming the line, not
// "bufio.Scanner: token too long".
func TestReadNamesLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.txt")
	require.NoError(t, os.WriteFile(path, []byte("mona\n"+strings.Repeat("a", 2<<20)+"\n"), 0o600))
	_, err := ReadNames(path)
	require.Error(t, err)
	assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
	assert.Equal(t, "line 2 of --existing "+path+" is longer than 1 MiB, which no username is: the file is not a list of usernames", err.Error())
}

func TestSniff(t *testing.T) {
	long := `{"sub":"1","pad":"` + strings.Repeat("x", peekSize+10) + `"}`
	tests := []struct {
		name, input string
		kind        Kind
		err         string
		code        int
	}{
		{name: "ndjson", input: "{\"a\":1}\n{\"a\":2}\n", kind: NDJSON},
		{name: "one document", input: "{\n  \"a\": 1\n}\n", kind: OneDocument},
		{name: "byte order mark", input: "\ufeff{\"a\":1}\n{\"a\":2}\n", kind: NDJSON},
		{name: "array of users", input: " [\n {\"sub\": \"1\"},\n {\"sub\": \"2\"}\n]", kind: Array},
		{name: "empty array", input: "[]", kind: Array},
		{name: "array of strings", input: `["a","b"]`, err: "in.json is a JSON array of strings, not of userinfo documents", code: 2},
		{name: "array of arrays", input: `[[1]]`, err: "in.json is a JSON array of arrays, not of userinfo documents", code: 2},
		{name: "GitHub's /user/emails", input: `[{"email":"a@example.com","primary":true,"verified":true,"visibility":"public"}]`,
			err: "in.json is a JSON array of email addresses, like GitHub's /user/emails, not userinfo", code: 2},
		{name: "users that have an email", input: `[{"login":"a","id":1,"email":"a@example.com","verified":true}]`, kind: Array},
		// A first line longer than Detect's 1 MiB peek: read whole, and NDJSON when more lines follow
		// (issue 14: it was called "more than one JSON document").
		{name: "long first NDJSON line", input: long + "\n{\"sub\":\"2\"}\n", kind: NDJSON},
		{name: "long single document", input: long + "\n", kind: OneDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, r, err := Sniff(bufio.NewReaderSize(strings.NewReader(tt.input), 1<<20), "in.json")
			if tt.err != "" {
				require.Error(t, err)
				assert.Equal(t, tt.err, err.Error())
				assert.Equal(t, tt.code, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.kind, kind)
			// Nothing is lost: the reader gives the input from its start (after a BOM).
			rest, err := io.ReadAll(r)
			require.NoError(t, err)
			assert.Equal(t, strings.TrimPrefix(tt.input, "\ufeff"), string(rest))
		})
	}
}

func TestParseDocumentNumbersAndBOM(t *testing.T) {
	_, err := ParseDocument([]byte("{\n  \"id\": 1e400\n}"), "in.json")
	require.Error(t, err)
	assert.Equal(t, "in.json holds the number 1e400 at line 2, column 9, which is larger than any a JSON decoder holds (about 1.8e308): apps would read it as infinity or refuse the document", err.Error())
	assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
	doc, err := ParseDocument([]byte("\ufeff{\"id\":1}"), "in.json")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": int64(1)}, doc)
}
