package main

import (
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// fileScriptCmds make and inspect files that are no regular files, for the scripts that check ssoctl
// refuses to write them.
func fileScriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// nulldevice PATH: PATH becomes a character device that discards writes. As root it is a
		// twin of /dev/null made with mknod, so that a regression cannot replace the machine's own
		// /dev/null; otherwise a symlink to /dev/null, which a user may not replace anyway.
		"nulldevice": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: nulldevice PATH")
			}
			p := ts.MkAbs(args[0])
			makeNullDevice(ts, p)
		},
		// chardevice PATH: PATH (followed if a symlink) is a character device.
		"chardevice": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 1 {
				ts.Fatalf("usage: chardevice PATH")
			}
			fi, err := os.Stat(ts.MkAbs(args[0]))
			ts.Check(err)
			if (fi.Mode()&os.ModeCharDevice != 0) == neg {
				ts.Fatalf("%s is %v", args[0], fi.Mode())
			}
		},
		// nofiles GLOB: nothing matches GLOB.
		"nofiles": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: nofiles GLOB")
			}
			m, err := filepath.Glob(ts.MkAbs(args[0]))
			ts.Check(err)
			if len(m) > 0 {
				ts.Fatalf("unexpected files: %v", m)
			}
		},
	}
}
