//go:build unix

package main

import (
	"os"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// makeNullDevice makes p a character device that discards writes: as root a twin of /dev/null
// (major 1, minor 3 on Linux) made with mknod, so that a regression cannot replace the machine's own
// /dev/null; otherwise a symlink to /dev/null, which a user may not replace anyway.
func makeNullDevice(ts *testscript.TestScript, p string) {
	if os.Geteuid() == 0 {
		ts.Check(syscall.Mknod(p, syscall.S_IFCHR|0o666, 1<<8|3))
		return
	}
	ts.Check(os.Symlink("/dev/null", p))
}

// makeFIFO makes p a named pipe (for the fifo script command).
func makeFIFO(ts *testscript.TestScript, p string) {
	ts.Check(syscall.Mkfifo(p, 0o600))
}
