package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/ssoctl/ssoctl/pkg/readfile"
)

// MaxFileSize bounds the config file: a larger file is almost surely the wrong file, and reading it
// whole would only waste memory.
// It is readfile.Config's limit, which every read of a config goes through.
const MaxFileSize = 4 << 20

// Format is the syntax of a config file.
type Format string

// Formats.
const (
	FormatYAML Format = "yaml"
	FormatJSON Format = "json"
)

// File is a loaded config file.
type File struct {
	// Path is the path as given; RealPath has symlinks resolved, and is where writes go.
	Path     string
	RealPath string
	Format   Format
	// Exists is false for a file that is yet to be created.
	Exists bool
	Mode   fs.FileMode
	// Data is the file's content as read.
	Data []byte
	// Doc is the YAML document node, or nil for an empty file.
	Doc *yaml.Node
	// Config is the decoded content. It is nil when the file's types are wrong (see DecodeErr).
	Config *Config
	// DecodeErr says why Config could not be decoded; validate reports it finding by finding.
	DecodeErr error

	// parsed is the Data that Doc, Config and DecodeErr were made from (by Parse or an edit). An edit
	// whose Data is still that slice reuses Doc instead of parsing the file again, which for a file
	// of 40,000 providers is most of the edit's time and memory. Code that changes Data assigns a new
	// slice, so a change is seen.
	parsed []byte
}

// upToDate reports whether Doc, Config and DecodeErr were made from the current Data.
func (f *File) upToDate() bool {
	return len(f.parsed) == len(f.Data) && (len(f.Data) == 0 && f.parsed != nil || len(f.Data) > 0 && &f.parsed[0] == &f.Data[0])
}

// ReadError is a config file that cannot be read.
type ReadError struct {
	Path string
	Err  error
}

func (e *ReadError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return fmt.Sprintf("config file %s does not exist", e.Path)
	}
	return fmt.Sprintf("cannot read config file %s: %v", e.Path, unwrapPathError(e.Err))
}
func (e *ReadError) Unwrap() error { return e.Err }

// ExitCode makes an unreadable config a usage error (exit 2).
func (e *ReadError) ExitCode() int { return 2 }

// errIsDir is a config path that names a directory.
var errIsDir = errors.New("it is a directory")

// sizeError is a config that gave more than MaxFileSize bytes when read.
type sizeError struct {
	msg string
	err *readfile.TooLargeError
}

func (e *sizeError) Error() string { return e.msg }
func (e *sizeError) Unwrap() error { return e.err }

// errSymlinkLoop replaces EvalSymlinks' "too many links", which names neither the cause nor the fix.
var errSymlinkLoop = errors.New("its symlinks lead in a circle (or through more than 255 links)")

// Hint says what to do.
func (e *ReadError) Hint() string {
	switch {
	case errors.Is(e.Err, fs.ErrNotExist):
		return `add a provider with "ssoctl provider add" to create it, or point --config or $SSOCTL_CONFIG at your file`
	case errors.Is(e.Err, fs.ErrPermission):
		return "check the file's owner and permissions"
	case errors.Is(e.Err, errIsDir):
		return "point --config or $SSOCTL_CONFIG at the config file itself, not at its directory"
	case readfile.IsTooLarge(e.Err):
		return readfile.Config.Hint
	case errors.Is(e.Err, errSymlinkLoop):
		return "check the symlinks with \"ls -l\" and point one of them at the config file itself"
	}
	return ""
}

// unwrapPathError drops the Go operation and paths around an error (open, rename, fsync), which the
// message says in its own words already: "rename /x/.c.yaml123 /x/c.yaml: file exists" becomes
// "file exists".
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

// ParseError is a config file that is not valid YAML or JSON, or is not a config at all.
type ParseError struct {
	Path   string
	Line   int // 1-based; 0 when unknown
	Column int // 1-based; 0 when unknown
	Msg    string
	hint   string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("cannot parse %s at line %d, column %d: %s", e.Path, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("cannot parse %s: %s", e.Path, e.Msg)
}

// ExitCode makes an unparsable config a usage error (exit 2).
func (e *ParseError) ExitCode() int { return 2 }

// Hint says what to do.
func (e *ParseError) Hint() string { return e.hint }

// DecodeError is a config file whose values have the wrong types for the schema.
type DecodeError struct {
	Path string
	Msg  string
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("config file %s has values of the wrong type: %s", e.Path, e.Msg)
}

// ExitCode makes an undecodable config a usage error (exit 2).
func (e *DecodeError) ExitCode() int { return 2 }

// Hint says what to do.
func (e *DecodeError) Hint() string {
	return `run "ssoctl validate" to see every problem with its line and column`
}

// Load reads and parses the file at path. A file that does not exist is a ReadError; callers that
// create files use LoadOrNew.
func Load(path string) (*File, error) { return LoadContext(context.Background(), path) }

// LoadContext is Load, stopping when ctx ends: a named pipe given as the config blocks until someone
// writes to it, and Ctrl-C must still end the command. The file is read through readfile.Config, so
// that a device such as /dev/zero, whose size on disk says 0, is cut off at MaxFileSize too.
func LoadContext(ctx context.Context, path string) (*File, error) {
	return load(ctx, path, nil)
}

// load is LoadContext; when the file's bytes are those prev was parsed from, prev's parse is reused
// (a shallow copy, since edits replace Data, Doc and Config rather than change them).
func load(ctx context.Context, path string, prev *File) (*File, error) {
	real, err := realPath(path)
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	if fi.IsDir() {
		return nil, &ReadError{Path: path, Err: errIsDir}
	}
	if fi.Mode().IsRegular() && fi.Size() > MaxFileSize {
		// No need to read what is too large already on disk.
		return nil, &ParseError{Path: path, Msg: fmt.Sprintf("the file is %s, larger than the %s a config file may be", humanSize(fi.Size()), humanSize(MaxFileSize)),
			hint: readfile.Config.Hint}
	}
	data, err := readfile.File(ctx, real, readfile.Config)
	if err != nil {
		var tl *readfile.TooLargeError
		switch {
		case errors.As(err, &tl):
			// A device or pipe (its size says 0), or a file that grew while it was read.
			what := "the file"
			if !fi.Mode().IsRegular() {
				what = "it is " + fileTypeName(fi.Mode()) + " and"
			}
			return nil, &ReadError{Path: path, Err: &sizeError{msg: fmt.Sprintf("%s gave more than the %s a config file may be", what, humanSize(MaxFileSize)), err: tl}}
		case ctx.Err() != nil:
			return nil, err
		}
		return nil, &ReadError{Path: path, Err: err}
	}
	var f *File
	if prev != nil && prev.upToDate() && prev.Path == path && bytes.Equal(prev.Data, data) {
		c := *prev
		f = &c
	} else if f, err = Parse(path, data); err != nil {
		return nil, err
	}
	f.RealPath, f.Exists, f.Mode = real, true, fi.Mode().Perm()
	return f, nil
}

// LoadOrNew is Load, except that a missing file gives an empty File that a write will create.
func LoadOrNew(path string) (*File, error) { return LoadOrNewContext(context.Background(), path) }

// LoadOrNewContext is LoadOrNew, stopping when ctx ends.
func LoadOrNewContext(ctx context.Context, path string) (*File, error) {
	return loadOrNew(ctx, path, nil)
}

func loadOrNew(ctx context.Context, path string, prev *File) (*File, error) {
	f, err := load(ctx, path, prev)
	if err == nil {
		return f, nil
	}
	var re *ReadError
	if errors.As(err, &re) && errors.Is(re.Err, fs.ErrNotExist) {
		real, rerr := realPath(path)
		if rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return nil, &ReadError{Path: path, Err: rerr}
		}
		if real == "" {
			real = path
		}
		nf, _ := Parse(path, nil)
		nf.RealPath = real
		return nf, nil
	}
	return nil, err
}

// realPath resolves symlinks so that an atomic rename replaces the target, not the link.
func realPath(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		if _, serr := os.Stat(path); serr == nil {
			// The kernel resolves what EvalSymlinks cannot: /dev/stdin leads through /proc/self/fd/0
			// to "pipe:[1234]", which is no path. Such a file is read as it is named (and a write
			// refuses it, since it is no regular file).
			return path, nil
		}
		if _, serr := os.Stat(path); errors.Is(serr, syscall.ELOOP) {
			return "", errSymlinkLoop
		}
		if errors.Is(err, fs.ErrNotExist) {
			// A dangling link is written through to its target.
			if target, lerr := os.Readlink(path); lerr == nil {
				if !filepath.IsAbs(target) {
					target = filepath.Join(filepath.Dir(path), target)
				}
				return target, err
			}
			return path, err
		}
		return "", err
	}
	return real, nil
}

// Parse parses config file content. path is used in messages and to tell JSON from YAML.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path, RealPath: path, Format: detectFormat(path, data), Data: data, parsed: data}
	if data == nil {
		f.parsed = []byte{}
	}
	if err := checkText(path, data); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		f.Config = &Config{}
		return f, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, parseError(path, data, err)
	}
	if err := checkOneDocument(path, data); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		// Only comments.
		f.Config = &Config{}
		return f, nil
	}
	f.Doc = &doc
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &ParseError{Path: path, Line: root.Line, Column: root.Column,
			Msg:  fmt.Sprintf("the file holds a %s, but a config file is a mapping with version and providers", kindName(root)),
			hint: "start the file with \"version: 1\" and a \"providers:\" list; see \"ssoctl config schema\""}
	}
	if err := checkDuplicateKeys(path, root); err != nil {
		return nil, err
	}
	var cfg Config
	if err := root.Decode(&cfg); err != nil {
		f.DecodeErr = decodeError(path, root, err)
		return f, nil
	}
	f.Config = &cfg
	return f, nil
}

func detectFormat(path string, data []byte) Format {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return FormatJSON
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return FormatJSON
	}
	return FormatYAML
}

// checkText refuses binary files before the YAML parser gives a cryptic message about them.
func checkText(path string, data []byte) error {
	if enc := wideEncoding(data); enc != "" {
		// Windows editors save "Unicode" as UTF-16; its NUL bytes would otherwise be called binary data.
		return &ParseError{Path: path, Msg: fmt.Sprintf("the file is %s; save it as UTF-8", enc),
			hint: fmt.Sprintf("choose the encoding UTF-8 when saving it in your editor, or convert it: iconv -f %s -t UTF-8 %s > %s.utf8", iconvName(enc), path, path)}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		return &ParseError{Path: path, Line: line, Column: col, Msg: "the file holds binary data (a NUL byte), not YAML or JSON text",
			hint: "check that --config points at your ssoctl config and not at another file"}
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		line, col := lineCol(data, i)
		return &ParseError{Path: path, Line: line, Column: col, Msg: "the file is not valid UTF-8 text",
			hint: "save the file as UTF-8"}
	}
	return nil
}

// wideEncoding names the encoding of a UTF-16 or UTF-32 file, told by its byte order mark or, without
// one, by NUL bytes at the places ASCII text in that encoding has them; "" for anything else.
func wideEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}):
		return "UTF-32 (little-endian, with a byte order mark)"
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return "UTF-32 (big-endian, with a byte order mark)"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "UTF-16 (little-endian, with a byte order mark)"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "UTF-16 (big-endian, with a byte order mark)"
	}
	// Without a mark: count NULs by position modulo 4 in the first KiB. ASCII in UTF-16LE has every
	// odd byte NUL, in UTF-16BE every even one; in UTF-32 three of four.
	head := data[:min(len(data), 1024)]
	if len(head) < 4 {
		return ""
	}
	var nul [4]int
	for i, c := range head {
		if c == 0 {
			nul[i%4]++
		}
	}
	quarter := len(head) / 4
	most := func(i int) bool { return nul[i] >= quarter*9/10 }
	switch {
	case most(1) && most(2) && most(3) && !most(0):
		return "UTF-32 (little-endian)"
	case most(0) && most(1) && most(2) && !most(3):
		return "UTF-32 (big-endian)"
	case most(1) && most(3) && !most(0) && !most(2):
		return "UTF-16 (little-endian)"
	case most(0) && most(2) && !most(1) && !most(3):
		return "UTF-16 (big-endian)"
	}
	return ""
}

// iconvName is iconv's name for an encoding wideEncoding named.
func iconvName(enc string) string {
	name, _, _ := strings.Cut(enc, " ")
	return name
}

// checkOneDocument refuses a second YAML document after the config: the parser reads the first and
// would ignore the rest without a word, so settings written there would silently have no effect. A
// document marker (--- or ...) at the start of a line ends a document wherever it stands (YAML 1.2
// §9.1.4; no scalar may hold one there), so the lines tell. A marker followed only by blank lines and
// comments is harmless and accepted.
func checkOneDocument(path string, data []byte) error {
	content, marker := false, 0 // marker: the line of a marker after content, 0 before one
	line := 1
	for start := 0; start < len(data); line++ {
		end := start
		for end < len(data) && breakLen(data, end) == 0 {
			end++
		}
		l := data[start:end]
		if line == 1 {
			l = bytes.TrimPrefix(l, []byte("\xEF\xBB\xBF"))
		}
		rest, isMarker := cutMarker(l)
		switch {
		case isMarker && content && marker == 0:
			marker = line
			if isContent(rest) {
				return secondDocument(path, line, marker)
			}
		case isMarker:
			if content && isContent(rest) {
				return secondDocument(path, line, marker)
			}
		case len(l) > 0 && l[0] == '%' && !content:
			// A directive belongs to the document that follows.
		case isContent(l):
			if marker > 0 {
				return secondDocument(path, line, marker)
			}
			content = true
		}
		if end == len(data) {
			break
		}
		start = end + breakLen(data, end)
	}
	return nil
}

// cutMarker reports whether line starts with a document marker and returns what follows it.
func cutMarker(line []byte) ([]byte, bool) {
	if len(line) < 3 || (string(line[:3]) != "---" && string(line[:3]) != "...") {
		return nil, false
	}
	if len(line) > 3 && line[3] != ' ' && line[3] != '\t' {
		return nil, false
	}
	return line[3:], true
}

// isContent reports whether a line holds more than white space and a comment.
func isContent(l []byte) bool {
	t := bytes.TrimLeft(l, " \t")
	return len(t) > 0 && t[0] != '#'
}

func secondDocument(path string, line, marker int) error {
	where := ""
	if marker != line {
		where = fmt.Sprintf(", after the document marker on line %d", marker)
	}
	return &ParseError{Path: path, Line: line, Column: 1,
		Msg:  fmt.Sprintf("a second YAML document starts here%s; ssoctl reads one document and would ignore it", where),
		hint: "a config file is one document: move these settings into the first one and delete the --- line"}
}

func lineCol(data []byte, offset int) (int, int) {
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return line, col
}

func parseError(path string, data []byte, err error) error {
	pe := &ParseError{Path: path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	var le *yaml.LoadError
	if errors.As(err, &le) {
		pe.Msg, pe.Line, pe.Column = le.Message, le.Mark.Line, le.Mark.Column
		if le.ContextMsg != "" && le.ContextMark.Line > 0 {
			pe.Msg += fmt.Sprintf(" (%s that starts at line %d)", le.ContextMsg, le.ContextMark.Line)
		}
	}
	lines := strings.Split(string(data), "\n")
	switch {
	case strings.Contains(pe.Msg, "incompatible YAML document") && pe.Line > 0 && pe.Line <= len(lines) && strings.HasPrefix(lines[pe.Line-1], "%YAML"):
		// go-yaml reads YAML 1.1 and refuses any other %YAML directive, even for a file that means
		// the same in both.
		pe.Msg = fmt.Sprintf("the directive %q is not supported: ssoctl's YAML parser accepts only %%YAML 1.1", strings.TrimSpace(strings.TrimSuffix(lines[pe.Line-1], "\r")))
		pe.Column = 1
		pe.hint = "delete the %YAML line (the file needs no directive), or write %YAML 1.1"
	case pe.Line > 0 && pe.Line <= len(lines) && strings.Contains(lines[pe.Line-1], "\t"):
		pe.hint = fmt.Sprintf("line %d contains a tab: YAML indents with spaces only", pe.Line)
	case strings.Contains(pe.Msg, "mapping values are not allowed"):
		pe.hint = "a value that contains \": \" must be quoted, or the line is indented wrongly"
	case strings.Contains(pe.Msg, "did not find expected key"), strings.Contains(pe.Msg, "did not find expected '-'"):
		pe.hint = "check the indentation of this line against the lines above it"
	case strings.Contains(pe.Msg, "did not find expected ','"), strings.Contains(pe.Msg, "flow sequence"), strings.Contains(pe.Msg, "flow mapping"), strings.Contains(pe.Msg, "flow node"):
		pe.hint = "a [ or { list is not closed"
	default:
		pe.hint = "fix the YAML syntax at that position; \"ssoctl config schema\" shows the expected layout"
	}
	return pe
}

func checkDuplicateKeys(path string, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Value == "<<" {
				continue
			}
			if prev, ok := seen[k.Value]; ok {
				return &ParseError{Path: path, Line: k.Line, Column: k.Column,
					Msg:  fmt.Sprintf("key %q appears twice in one mapping (first at line %d)", k.Value, prev.Line),
					hint: "remove or rename one of the two; YAML does not allow duplicate keys"}
			}
			seen[k.Value] = k
			if err := checkDuplicateKeys(path, n.Content[i+1]); err != nil {
				return err
			}
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			if err := checkDuplicateKeys(path, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value"
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Decoded returns the decoded config or the reason it could not be decoded.
func (f *File) Decoded() (*Config, error) {
	if f.DecodeErr != nil {
		return nil, f.DecodeErr
	}
	return f.Config, nil
}
