package config

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var b bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if bigEndian {
			_ = binary.Write(&b, binary.BigEndian, u)
		} else {
			_ = binary.Write(&b, binary.LittleEndian, u)
		}
	}
	return b.Bytes()
}

func utf32Bytes(s string, bigEndian, bom bool) []byte {
	var b bytes.Buffer
	rs := []rune(s)
	if bom {
		rs = append([]rune{0xFEFF}, rs...)
	}
	for _, r := range rs {
		if bigEndian {
			_ = binary.Write(&b, binary.BigEndian, uint32(r))
		} else {
			_ = binary.Write(&b, binary.LittleEndian, uint32(r))
		}
	}
	return b.Bytes()
}

// Issue 14 item 8: UTF-16 was called "binary data (a NUL byte)", %YAML 1.2 "found incompatible
// YAML document", and a second document was ignored without a word.
func TestParseNamesTheRealCause(t *testing.T) {
	const text = "version: 1\nproviders:\n  - name: github\n    type: github\n"
	tests := []struct {
		name       string
		data       []byte
		want       string
		line       int
		hint       string
		acceptedAs int // providers when the file is accepted
	}{
		{name: "UTF-16LE with BOM", data: utf16Bytes(text, false, true), want: "the file is UTF-16 (little-endian, with a byte order mark); save it as UTF-8", hint: "iconv -f UTF-16 -t UTF-8 c.yaml"},
		{name: "UTF-16BE with BOM", data: utf16Bytes(text, true, true), want: "the file is UTF-16 (big-endian, with a byte order mark); save it as UTF-8"},
		{name: "UTF-16LE without BOM", data: utf16Bytes(text, false, false), want: "the file is UTF-16 (little-endian); save it as UTF-8"},
		{name: "UTF-16BE without BOM", data: utf16Bytes(text, true, false), want: "the file is UTF-16 (big-endian); save it as UTF-8"},
		{name: "UTF-32LE with BOM", data: utf32Bytes(text, false, true), want: "the file is UTF-32 (little-endian, with a byte order mark); save it as UTF-8", hint: "iconv -f UTF-32 -t UTF-8"},
		{name: "UTF-32BE without BOM", data: utf32Bytes(text, true, false), want: "the file is UTF-32 (big-endian); save it as UTF-8"},
		{name: "binary stays binary", data: []byte("version: 1\x00\x01\x02"), line: 1, want: "binary data (a NUL byte)"},
		{name: "YAML 1.2 directive", data: []byte("%YAML 1.2\n---\n" + text), line: 1,
			want: `the directive "%YAML 1.2" is not supported: ssoctl's YAML parser accepts only %YAML 1.1`, hint: "delete the %YAML line"},
		{name: "YAML 1.1 directive", data: []byte("%YAML 1.1\n---\n" + text), acceptedAs: 1},
		{name: "second document", data: []byte(text + "---\nproviders: []\n"), line: 6,
			want: "a second YAML document starts here, after the document marker on line 5; ssoctl reads one document and would ignore it", hint: "delete the --- line"},
		{name: "second document on the marker's line", data: []byte(text + "--- {version: 2}\n"), line: 5,
			want: "a second YAML document starts here; ssoctl reads one document and would ignore it"},
		{name: "a bare document after ...", data: []byte(text + "...\n# more\n\nversion: 2\n"), line: 8,
			want: "after the document marker on line 5"},
		{name: "CRLF second document", data: []byte(strings.ReplaceAll(text+"---\nx: 1\n", "\n", "\r\n")), line: 6, want: "a second YAML document starts here"},
		{name: "explicit start and end are one document", data: []byte("# head\n---\n" + text + "...\n"), acceptedAs: 1},
		{name: "a trailing marker with only comments", data: []byte(text + "---\n# nothing here\n"), acceptedAs: 1},
		{name: "--- inside a block scalar is indented, so no marker", data: []byte("version: 1\nx: |\n  ---\n  y\n"), acceptedAs: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("c.yaml", tt.data)
			if tt.want == "" {
				require.NoError(t, err)
				assert.Len(t, f.Config.Providers, tt.acceptedAs)
				return
			}
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, pe.Msg, tt.want)
			assert.Equal(t, tt.line, pe.Line)
			assert.Equal(t, 2, pe.ExitCode())
			if tt.hint != "" {
				assert.Contains(t, pe.Hint(), tt.hint)
			}
		})
	}
}

// Lines added to a file end as its lines do: CRLF stays CRLF, CR-only (classic Mac OS) stays CR-only.
func TestEditKeepsLineEnds(t *testing.T) {
	const text = "version: 1\nproviders:\n  - name: github # staff\n    type: github\n"
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		t.Run(strings.NewReplacer("\r", "CR", "\n", "LF").Replace(nl), func(t *testing.T) {
			f, err := Parse("c.yaml", []byte(strings.ReplaceAll(text, "\n", nl)))
			require.NoError(t, err)
			require.NoError(t, f.AddProvider(Provider{Name: "lark", Type: TypeLark, ClientID: "cli"}))
			want := strings.ReplaceAll(text+"  - name: lark\n    type: lark\n    client_id: cli\n", "\n", nl)
			assert.Equal(t, want, string(f.Data))
			require.NoError(t, f.SetProviderValue("github", []string{"compat_mode"}, true))
			require.NoError(t, f.RemoveProvider("lark"))
			assert.Equal(t, strings.ReplaceAll(text+"    compat_mode: true\n", "\n", nl), string(f.Data))
		})
	}
}
