//go:build unix

package config

import (
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives the new file the old one's owner and group, so that root editing a user's config
// (sudo ssoctl ...) does not leave a file the user can no longer write. A failure is ignored: an
// unprivileged writer cannot chown, and the file it writes is its own anyway.
func keepOwner(f pendingFile, old fs.FileInfo) {
	st, ok := old.Sys().(*syscall.Stat_t)
	if !ok || (int(st.Uid) == os.Geteuid() && int(st.Gid) == os.Getegid()) {
		return
	}
	_ = f.Chown(int(st.Uid), int(st.Gid))
}
