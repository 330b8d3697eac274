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

// writable asks the kernel whether this process may write path (access(2) with W_OK, which knows
// owners, groups, ACLs and read-only mounts).
func writable(path string) bool {
	const wOK = 2 // W_OK in <unistd.h>, the same on every Unix
	return syscall.Access(path, wOK) == nil
}
