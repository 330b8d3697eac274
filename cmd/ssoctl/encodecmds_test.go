package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"unicode/utf16"

	"github.com/rogpeppe/go-internal/testscript"
)

// encodeScriptCmds write a file's text in another encoding or with other line ends, which a txtar
// archive cannot hold as such, for the scripts about how ssoctl reads and keeps them.
func encodeScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// reencode utf16le-bom|crlf|cr IN OUT: OUT is IN as UTF-16LE with a byte order mark, or with
		// its LF line ends replaced by CRLF or CR.
		"reencode": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 3 {
				ts.Fatalf("usage: reencode utf16le-bom|crlf|cr IN OUT")
			}
			in, err := os.ReadFile(ts.MkAbs(args[1]))
			ts.Check(err)
			var out []byte
			switch args[0] {
			case "utf16le-bom":
				var b bytes.Buffer
				for _, u := range append([]uint16{0xFEFF}, utf16.Encode([]rune(string(in)))...) {
					ts.Check(binary.Write(&b, binary.LittleEndian, u))
				}
				out = b.Bytes()
			case "crlf":
				out = bytes.ReplaceAll(in, []byte("\n"), []byte("\r\n"))
			case "cr":
				out = bytes.ReplaceAll(in, []byte("\n"), []byte("\r"))
			default:
				ts.Fatalf("unknown encoding %q", args[0])
			}
			ts.Check(os.WriteFile(ts.MkAbs(args[2]), out, 0o600))
		},
	}
}
