// Package build holds the version information set at link time by goreleaser:
//
//	-X github.com/ssoctl/ssoctl/pkg/build.Version={{.Version}}
package build

import (
	"runtime/debug"
	"sync"
)

// Version is the released version, or "dev" for a local build. Read it through Get.
var Version = "dev"

// Commit is the git commit the binary was built from. Read it through Get.
var Commit = ""

// Date is the build date in RFC 3339 form. Read it through Get.
var Date = ""

// Info is the version information of the running binary.
type Info struct {
	Version, Commit, Date string
}

// Get returns the version information: the link-time values, completed from the module and VCS
// data of a `go install module@version` build, which has no ldflags. That data is parsed on the
// first call, not at startup: only version and SARIF output need it.
var Get = sync.OnceValue(func() Info {
	info := Info{Version: Version, Commit: Commit, Date: Date}
	if info.Version != "dev" {
		return info
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		info.Version = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if info.Commit == "" {
				info.Commit = s.Value
			}
		case "vcs.time":
			if info.Date == "" {
				info.Date = s.Value
			}
		}
	}
	return info
})
