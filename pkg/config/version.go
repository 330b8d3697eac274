package config

import "fmt"

// VersionError is a file that declares a config version this build does not read, most likely
// written by a newer ssoctl. Reading it as version 1 could misread it; writing it could lose what
// that version added.
type VersionError struct {
	Path    string
	Version int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("config file %s is version %d, but this ssoctl reads only version %d", e.Path, e.Version, FileVersion)
}

// ExitCode makes an unsupported version a usage error (exit 2), like a file that does not parse.
func (e *VersionError) ExitCode() int { return 2 }

func (e *VersionError) Hint() string {
	return "use the ssoctl release that wrote this file (see `ssoctl version`), or point --config at a version 1 file"
}

// CheckVersion returns a *VersionError when the file declares a version other than FileVersion. A
// file without a version is read as version 1; `ssoctl validate` reports the missing key (SSO005).
func (f *File) CheckVersion() error {
	if f.Config == nil || f.Config.Version == 0 || f.Config.Version == FileVersion {
		return nil
	}
	return &VersionError{Path: f.Path, Version: f.Config.Version}
}
