//go:build !unix

package main

import "github.com/rogpeppe/go-internal/testscript"

// makeNullDevice fails the script: there is no /dev/null to stand in for and mknod is unix-only,
// so scripts that use nulldevice start with "[!unix] skip".
func makeNullDevice(ts *testscript.TestScript, p string) {
	ts.Fatalf("nulldevice %s: character devices are made only on unix systems (start the script with [!unix] skip)", p)
}

// makeFIFO fails the script: named pipes in the file system are unix-only.
func makeFIFO(ts *testscript.TestScript, p string) {
	ts.Fatalf("fifo %s: named pipes are made only on unix systems (start the script with [!unix] skip)", p)
}
