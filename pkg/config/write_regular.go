package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// NotRegularError is a write to a path that exists but is no regular file: a device such as
// /dev/null, a named pipe, a socket or a directory. The atomic write would rename a new regular file
// over it (as root, /dev/null would become a world-writable file), so ssoctl refuses and leaves it
// alone. A symlink is followed first; only its target must be a regular file.
type NotRegularError struct {
	// Path is the path as given; Real is the file it resolves to.
	Path, Real string
	Mode       fs.FileMode
}

func (e *NotRegularError) Error() string {
	name := e.Path
	if e.Real != "" && e.Real != filepath.Clean(e.Path) {
		name = fmt.Sprintf("%s (which leads to %s)", e.Path, e.Real)
	}
	return fmt.Sprintf("refusing to write %s: it is %s, not a regular file", name, fileTypeName(e.Mode))
}

// ExitCode makes the refusal a usage error (exit 2): the path given is wrong, nothing was checked.
func (e *NotRegularError) ExitCode() int { return 2 }

// Hint says what to do.
func (e *NotRegularError) Hint() string {
	return "point --config or $SSOCTL_CONFIG at a regular file (a symlink to one is followed and its target written)"
}

// fileTypeName names a file type the way a user knows it.
func fileTypeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeIrregular != 0:
		return "a special file"
	}
	return "not a regular file"
}

// checkRegular returns a *NotRegularError when real exists and is no regular file. A missing file
// is fine: the write creates it.
func checkRegular(path, real string) error {
	fi, err := os.Stat(real)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return &ReadError{Path: path, Err: err}
	}
	if !fi.Mode().IsRegular() {
		return &NotRegularError{Path: path, Real: real, Mode: fi.Mode()}
	}
	return nil
}

// ReadOnlyError is a write to a config file the user may not write: the atomic write renames a new
// file over the old one, which needs only the directory's permission, so without this check a file
// made read-only (chmod 444, or owned by another user) would be replaced anyway.
type ReadOnlyError struct {
	// Path is the path as given; Real is the file it resolves to.
	Path, Real string
	Mode       fs.FileMode
	// NoWriteBit is true when the mode has no write bit at all (chmod a-w), which is refused even for
	// root: someone made the file read-only on purpose.
	NoWriteBit bool
}

func (e *ReadOnlyError) Error() string {
	name := e.Path
	if e.Real != "" && e.Real != filepath.Clean(e.Path) {
		name = fmt.Sprintf("%s (which leads to %s)", e.Path, e.Real)
	}
	if e.NoWriteBit {
		return fmt.Sprintf("refusing to write %s: the file is read-only (mode %04o)", name, e.Mode.Perm())
	}
	return fmt.Sprintf("refusing to write %s: you have no write permission on it (mode %04o)", name, e.Mode.Perm())
}

// ExitCode makes the refusal a usage error (exit 2), like any config that cannot be written as given.
func (e *ReadOnlyError) ExitCode() int { return 2 }

// Hint says what to do.
func (e *ReadOnlyError) Hint() string {
	return fmt.Sprintf("the file was not changed; if the change is meant, make it writable first (chmod u+w %s), or point --config at a copy", e.Path)
}

// checkWritable returns a *ReadOnlyError when real exists and the user may not write it. A missing
// file is fine: the write creates it.
func checkWritable(path, real string) error {
	fi, err := os.Stat(real)
	if err != nil {
		return nil // checkRegular reports what Stat found
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return &ReadOnlyError{Path: path, Real: real, Mode: fi.Mode(), NoWriteBit: true}
	}
	if !writable(real) {
		return &ReadOnlyError{Path: path, Real: real, Mode: fi.Mode()}
	}
	return nil
}
