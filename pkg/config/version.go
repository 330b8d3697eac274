package config

import (
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v4"
)

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

// CheckVersion returns a *VersionError when the file declares a version other than FileVersion,
// whether or not the rest of it decodes (a new version may change the schema). A file without a
// version key is read as version 1, and a version that is not a whole number is left to decoding;
// `ssoctl validate` reports both (SSO005).
func (f *File) CheckVersion() error {
	v, ok := declaredVersion(f.Doc)
	if !ok || v == FileVersion {
		return nil
	}
	return &VersionError{Path: f.Path, Version: v}
}

// declaredVersion is the whole number under the top-level version key of doc.
func declaredVersion(doc *yaml.Node) (int, bool) {
	if doc == nil || len(doc.Content) == 0 {
		return 0, false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return 0, false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "version" {
			continue
		}
		n := root.Content[i+1]
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			return 0, false
		}
		v, err := strconv.ParseInt(n.Value, 0, 64)
		if err != nil || v != int64(int(v)) {
			return 0, false
		}
		return int(v), true
	}
	return 0, false
}
