// Package shared holds what `ssoctl map eval` and `map query` have in common: opening the input,
// telling one JSON document from NDJSON, and reading a document with errors users can act on.
package shared

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/ssoctl/ssoctl/pkg/bulk"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/readfile"
)

// MaxDocument is the largest single document read: the same 16 MiB as one NDJSON line.
const MaxDocument = bulk.MaxLine

// Input is an opened input.
type Input struct {
	io.Reader
	// Name is the file name, or "standard input".
	Name string
	// Size is the file's size, or -1 when unknown (a pipe).
	Size   int64
	closer io.Closer
}

// Close closes the file; standard input is left open.
func (in *Input) Close() error {
	if in.closer != nil {
		return in.closer.Close()
	}
	return nil
}

// Open opens --input: "-" is standard input, and so is "" when standard input is not a terminal.
// With neither a file nor piped input it fails (exit 2) naming the flags; noneHint says what else
// the command accepts.
func Open(ios *iostreams.IOStreams, path, noneHint string) (*Input, error) {
	if path == "" {
		if ios.IsStdinTTY() {
			return nil, cmdutil.WithHint(cmdutil.FlagErrorf("no input: give --input FILE, or pipe a document into the command"), noneHint)
		}
		path = "-"
	}
	if path == "-" {
		in := &Input{Reader: ios.In, Name: "standard input", Size: -1}
		// Standard input redirected from a file (< users.ndjson) has a size too.
		if f, ok := ios.In.(interface{ Stat() (fs.FileInfo, error) }); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
				in.Size = fi.Size()
			}
		}
		return in, nil
	}
	f, err := os.Open(path)
	if err != nil {
		hint := "check the path given to --input"
		if errors.Is(err, fs.ErrNotExist) {
			hint = "check the path given to --input; use --input - for standard input"
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, cmdutil.InputErrorf(hint, "cannot read input %s: %v", path, err)
	}
	in := &Input{Reader: f, Name: path, Size: -1, closer: f}
	if fi, err := f.Stat(); err == nil {
		if fi.IsDir() {
			f.Close()
			return nil, cmdutil.InputErrorf("give a JSON or NDJSON file", "cannot read input %s: it is a directory", path)
		}
		if fi.Mode().IsRegular() {
			in.Size = fi.Size()
		}
	}
	return in, nil
}

// peekSize is how much of the input Detect looks at.
const peekSize = 1 << 20

// Kind is what an input holds.
type Kind int

const (
	// OneDocument is one JSON document (or something that is not JSON: ReadDocument says what).
	OneDocument Kind = iota
	// NDJSON is one document per line.
	NDJSON
	// Array is one JSON array, streamed element by element.
	Array
)

// SkipBOM drops a UTF-8 byte order mark at the start of br, which some Windows tools write and
// JSON parsers refuse; the config loader accepts it too.
func SkipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		_, _ = br.Discard(3)
	}
}

var bom = []byte("\xef\xbb\xbf")

// Detect reads ahead (without consuming) to tell NDJSON from one document: the input is NDJSON when
// its first non-blank line is a complete JSON value and more follows it. A pretty-printed document
// starts with a line that is not complete JSON on its own. A first line longer than what Detect
// looks at (1 MiB) is left to Sniff.
func Detect(br *bufio.Reader) bool {
	kind, _ := detect(br)
	return kind == NDJSON
}

// detect is Detect, also saying when the first line is longer than the peek.
func detect(br *bufio.Reader) (kind Kind, long bool) {
	buf, _ := br.Peek(peekSize)
	rest := buf
	for len(rest) > 0 {
		k := bytes.IndexByte(rest, '\n')
		if k < 0 {
			// One line: one document, or a line longer than what was peeked.
			return OneDocument, len(buf) == peekSize
		}
		line := bytes.TrimSpace(rest[:k])
		rest = rest[k+1:]
		if len(line) == 0 {
			continue
		}
		if json.Valid(line) && len(bytes.TrimSpace(rest)) > 0 {
			return NDJSON, false
		}
		return OneDocument, false
	}
	return OneDocument, false
}

// Sniff tells what the input holds, as map eval reads it: NDJSON, one JSON array of documents (an
// identity provider's export), or one document; it returns the reader to read it from, which has
// the bytes Sniff had to read. A first line longer than Detect's peek is read whole (up to
// MaxDocument) to find out whether more lines follow. An array whose elements are not userinfo
// documents (a list of strings, GitHub's /user/emails) is an error (exit 2) that names what it
// looks like.
func Sniff(br *bufio.Reader, name string) (Kind, io.Reader, error) {
	SkipBOM(br)
	kind, long := detect(br)
	if kind == NDJSON {
		return NDJSON, br, nil
	}
	if first, err := firstByte(br); err == nil && first == '[' {
		if err := checkArray(br, name); err != nil {
			return 0, nil, err
		}
		return Array, br, nil
	}
	if !long {
		return OneDocument, br, nil
	}
	// The first line is longer than the peek: read it (bounded), then look past it.
	var line []byte
	for len(line) <= MaxDocument {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		break
	}
	r := io.MultiReader(bytes.NewReader(line), br)
	if len(line) > MaxDocument {
		if more, _ := br.Peek(1); len(more) > 0 && bytes.HasSuffix(line, []byte("\n")) {
			return 0, nil, cmdutil.InputErrorf("a userinfo document is a few kilobytes; check that the file holds userinfo",
				"the first line of %s is longer than the %d MiB a document or an NDJSON line may be", name, MaxDocument>>20)
		}
		return OneDocument, r, nil
	}
	if bytes.HasSuffix(line, []byte("\n")) && json.Valid(bytes.TrimSpace(line)) {
		if more, _ := br.Peek(peekSize); len(bytes.TrimSpace(more)) > 0 {
			return NDJSON, r, nil
		}
	}
	return OneDocument, r, nil
}

func firstByte(br *bufio.Reader) (byte, error) {
	buf, err := br.Peek(peekSize)
	for _, c := range buf {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c, nil
	}
	return 0, err
}

// checkArray looks at the first element of the array br holds (as far as the peek holds it): an
// export of users holds JSON objects.
func checkArray(br *bufio.Reader, name string) error {
	buf, _ := br.Peek(peekSize)
	dec := json.NewDecoder(bytes.NewReader(buf))
	if _, err := dec.Token(); err != nil || !dec.More() {
		return nil // the stream says what is wrong, or that it holds no document
	}
	var first any
	if err := dec.Decode(&first); err != nil {
		return nil // longer than the peek, or broken: the stream says which
	}
	const hint = "map eval reads one userinfo document (a JSON object), NDJSON, or a JSON array of userinfo documents; look into the array with: ssoctl map query '$[0]' --input FILE"
	obj, ok := first.(map[string]any)
	if !ok {
		return cmdutil.InputErrorf(hint, "%s is a JSON array of %s, not of userinfo documents", name, jsonKind(first))
	}
	_, email := obj["email"]
	_, primary := obj["primary"]
	_, verified := obj["verified"]
	if email && (primary || verified) && obj["sub"] == nil && obj["login"] == nil && obj["id"] == nil && obj["preferred_username"] == nil {
		return cmdutil.InputErrorf("map eval reads GitHub's GET /user, the userinfo document; for the primary address in /user/emails run: ssoctl map query '$[?(@.primary == true)].email' --input FILE",
			"%s is a JSON array of email addresses, like GitHub's /user/emails, not userinfo", name)
	}
	return nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "strings"
	case float64:
		return "numbers"
	case bool:
		return "booleans"
	case nil:
		return "nulls"
	case []any:
		return "arrays"
	}
	return "values"
}

// ReadDocument reads and parses one JSON document of at most MaxDocument bytes. Errors are exit 2
// with a sentence on what is wrong: empty, too large, binary, not JSON, several documents.
func ReadDocument(r io.Reader, name string) (any, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocument+1))
	if err != nil {
		return nil, cmdutil.InputErrorf("", "cannot read %s: %v", name, err)
	}
	return ParseDocument(data, name)
}

// documentHint is the hint for input that is not a document.
const documentHint = "give a userinfo document as JSON (what the provider's userinfo endpoint returns), or NDJSON with one document per line"

// ParseDocument parses one JSON document read from name. A UTF-8 byte order mark is skipped, as
// the config loader skips it.
func ParseDocument(data []byte, name string) (any, error) {
	data = bytes.TrimPrefix(data, bom)
	switch {
	case len(data) > MaxDocument:
		return nil, cmdutil.InputErrorf("a userinfo document is a few kilobytes; for an export of many users, map eval streams NDJSON (one document per line) or a JSON array of any size: ssoctl map eval NAME --input FILE, and an array inside an object (a realm export) with --array-path '$.users'",
			"%s is larger than the %d MiB a document may be", name, MaxDocument>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, cmdutil.InputErrorf(documentHint, "%s is empty", name)
	case binary(data):
		return nil, cmdutil.InputErrorf(documentHint, "%s is not JSON: it holds binary data", name)
	}
	doc, err := mapping.ParseJSON(data)
	if err == nil {
		return doc, nil
	}
	var nr *mapping.NumberRangeError
	if errors.As(err, &nr) {
		return nil, cmdutil.InputErrorf("write the number as a string, or fix what produced the document",
			"%s holds the number %s at line %d, column %d, which %s", name, nr.Text, nr.Line, nr.Column, nr.Why())
	}
	msg := strings.TrimPrefix(err.Error(), "parse JSON: ")
	// Two documents one after the other parse on their own: say so rather than "invalid character".
	dec := json.NewDecoder(bytes.NewReader(data))
	var first, second json.RawMessage
	if dec.Decode(&first) == nil && dec.Decode(&second) == nil {
		return nil, cmdutil.InputErrorf("give one document, or NDJSON with one compact document per line (--ndjson)",
			"%s holds more than one JSON document, and they are not one per line", name)
	}
	var v any
	var se *json.SyntaxError
	if uerr := json.Unmarshal(data, &v); errors.As(uerr, &se) {
		// Offset counts the bytes read, the offending one included.
		line, col := position(data, se.Offset-1)
		return nil, cmdutil.InputErrorf(documentHint, "%s is not valid JSON: %s at line %d, column %d", name, msg, line, col)
	}
	return nil, cmdutil.InputErrorf(documentHint, "%s is not valid JSON: %s", name, msg)
}

// binary reports input that is plainly not text: control characters other than white space near
// the start, which JSON allows nowhere.
func binary(data []byte) bool {
	for _, c := range data[:min(len(data), 512)] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
	}
	return false
}

// position turns the byte offset of a character into its 1-based line and column.
func position(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

// ReadClaims reads --id-token-claims: a JSON object of claims, or an ID token (a JWT), whose
// payload is decoded without verification (test-login verifies; this only maps).
func ReadClaims(path string) (map[string]any, error) {
	// Bounded: /dev/zero or a huge file is one sentence, not the machine's memory. (Not yet
	// cancellable: the caller has no context to pass.)
	data, err := readfile.File(context.Background(), path, readfile.Document)
	if err != nil {
		if readfile.IsTooLarge(err) {
			return nil, cmdutil.InputErrorf("check the path given to --id-token-claims", "cannot read --id-token-claims %s: it is larger than the %s a JSON document may be", path, readfile.HumanSize(readfile.Document.Limit))
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, cmdutil.InputErrorf("check the path given to --id-token-claims", "cannot read --id-token-claims %s: %v", path, err)
	}
	text := bytes.TrimSpace(data)
	if parts := bytes.Split(text, []byte(".")); len(parts) == 3 && bytes.HasPrefix(text, []byte("eyJ")) {
		payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(string(parts[1]), "="))
		if err != nil {
			return nil, cmdutil.InputErrorf("give the claims as JSON, or the whole ID token", "--id-token-claims %s looks like a JWT, but its payload is not base64url: %v", path, err)
		}
		text = payload
	}
	doc, err := ParseDocument(text, "--id-token-claims "+path)
	if err != nil {
		return nil, err
	}
	claims, ok := doc.(map[string]any)
	if !ok {
		return nil, cmdutil.InputErrorf("give the ID token's payload: a JSON object such as {\"sub\": \"…\", \"preferred_username\": \"…\"}",
			"--id-token-claims %s is not a JSON object", path)
	}
	return claims, nil
}

// ReadNames reads --existing: one username per line; blank lines and lines starting with # are
// skipped, surrounding space is trimmed.
func ReadNames(path string) (mapping.NameSet, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, cmdutil.InputErrorf("give a file with one existing username per line", "cannot read --existing %s: %v", path, err)
	}
	defer f.Close()
	names := mapping.NameSet{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names.Add(line)
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return nil, cmdutil.InputErrorf("give a file with one existing username per line", "line %d of --existing %s is longer than 1 MiB, which no username is: the file is not a list of usernames", lines+1, path)
	} else if err != nil {
		return nil, cmdutil.InputErrorf("give a file with one existing username per line", "cannot read --existing %s: %v", path, err)
	}
	return names, nil
}

// RuleError turns rule compile errors into one sentence (the first error, with how many more
// there are) with its hint, exit 2.
func RuleError(err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	first := errs[0]
	msg := first.Error()
	if len(errs) > 1 {
		msg = fmt.Sprintf("%s (and %d more rule errors)", msg, len(errs)-1)
	}
	hint := cmdutil.HintOf(first)
	var se *mapping.SyntaxError
	if hint == "" && errors.As(first, &se) {
		hint = fmt.Sprintf("rules are Jayway JsonPath; try one on a document with: ssoctl map query '%s' --input FILE", strings.ReplaceAll(se.Expr, "'", `'\''`))
	}
	return cmdutil.InputErrorf(hint, "%s", msg)
}
