// Package build holds the version information set at link time by goreleaser:
//
//	-X github.com/ssoctl/ssoctl/pkg/build.Version={{.Version}}
package build

import "runtime/debug"

// Version is the released version, or "dev" for a local build.
var Version = "dev"

// Commit is the git commit the binary was built from.
var Commit = ""

// Date is the build date in RFC 3339 form.
var Date = ""

func init() {
	// A `go install module@version` build has no ldflags but does carry module and VCS data.
	if Version != "dev" {
		return
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		Version = v
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if Commit == "" {
				Commit = s.Value
			}
		case "vcs.time":
			if Date == "" {
				Date = s.Value
			}
		}
	}
}
