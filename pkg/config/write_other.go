//go:build !unix

package config

import "io/fs"

// keepOwner does nothing where files have no Unix owner.
func keepOwner(pendingFile, fs.FileInfo) {}
