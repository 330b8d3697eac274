// Command nfpmpkg builds one Linux package (.deb, .rpm or .apk) with nFPM from the nfpms section of
// .goreleaser.yaml, the package definition GoReleaser releases with, for a binary built beforehand:
//
//	go run ./nfpmpkg -config ../../.goreleaser.yaml -binary /tmp/ssoctl -version 0.0.0~ci -arch amd64 -format deb -out /tmp/ssoctl.deb
//
// scripts/test-packages.sh builds all three in CI: it installs the .deb with dpkg and the .rpm with
// rpm (into a scratch root), and reads the .apk with tar. Building GoReleaser itself costs more than
// the whole CI budget allows (see that script), while nFPM is the library GoReleaser packages with; this program hands it the same section, so the package tested is the package
// released. Keys are translated, never guessed: GoReleaser keys it does not know, and templates it
// cannot render, are an error.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/apk"
	_ "github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
	_ "github.com/goreleaser/nfpm/v2/rpm"
	"go.yaml.in/yaml/v3"
)

func main() {
	var o options
	flag.StringVar(&o.config, "config", ".goreleaser.yaml", "GoReleaser config whose nfpms section defines the package")
	flag.StringVar(&o.binary, "binary", "", "the built binary to package")
	flag.StringVar(&o.version, "version", "", "package version")
	flag.StringVar(&o.arch, "arch", "amd64", "Go architecture of the binary")
	flag.StringVar(&o.format, "format", "deb", "deb, rpm or apk")
	flag.StringVar(&o.out, "out", "", "where to write the package")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintf(os.Stderr, "nfpmpkg: %v\n", err)
		os.Exit(1)
	}
}

type options struct {
	config, binary, version, arch, format, out string
}

// goreleaserOnly are the keys of a GoReleaser nfpms entry that nFPM's config does not have; the
// values of those in handled are used here, the others only pick which builds GoReleaser packages.
var goreleaserOnly = map[string]bool{"id": true, "ids": true, "formats": true, "file_name_template": true, "package_name": true, "bindir": true}

func run(o options) error {
	if o.binary == "" || o.version == "" || o.out == "" {
		return errors.New("-binary, -version and -out are required")
	}
	src, err := os.ReadFile(o.config)
	if err != nil {
		return err
	}
	// The paths in the section are relative to the project, where GoReleaser runs.
	for _, p := range []*string{&o.binary, &o.out} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	if err := os.Chdir(filepath.Dir(o.config)); err != nil {
		return err
	}
	var release struct {
		ProjectName string      `yaml:"project_name"`
		Nfpms       []yaml.Node `yaml:"nfpms"`
	}
	if err := yaml.Unmarshal(src, &release); err != nil {
		return fmt.Errorf("%s: %w", o.config, err)
	}
	if len(release.Nfpms) != 1 {
		return fmt.Errorf("%s: want exactly one nfpms entry, found %d", o.config, len(release.Nfpms))
	}
	entry := &release.Nfpms[0]
	if entry.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: nfpms[0] is not a mapping", o.config)
	}
	// GoReleaser's own keys out, nFPM's in: name, arch, version and the binary in bindir.
	name, bindir, formats := release.ProjectName, "/usr/bin", []string{}
	var kept []*yaml.Node
	for i := 0; i+1 < len(entry.Content); i += 2 {
		k, v := entry.Content[i], entry.Content[i+1]
		switch k.Value {
		case "package_name":
			name = v.Value
		case "bindir":
			bindir = v.Value
		case "formats":
			if err := v.Decode(&formats); err != nil {
				return err
			}
		}
		if !goreleaserOnly[k.Value] {
			kept = append(kept, k, v)
		}
	}
	if !slices.Contains(formats, o.format) {
		return fmt.Errorf("%s: nfpms[0] does not build %s packages (formats: %v)", o.config, o.format, formats)
	}
	if t := findTemplate(&yaml.Node{Kind: yaml.MappingNode, Content: kept}); t != "" {
		return fmt.Errorf("%s: nfpms[0] uses the template %q, which only GoReleaser renders", o.config, t)
	}
	// Set before nFPM parses, which splits the version into its parts (0.0.0-ci: 0.0.0, prerelease ci).
	for _, kv := range [][2]string{{"name", name}, {"arch", o.arch}, {"version", o.version}} {
		kept = append(kept, &yaml.Node{Kind: yaml.ScalarNode, Value: kv[0]}, &yaml.Node{Kind: yaml.ScalarNode, Value: kv[1]})
	}
	entry.Content = kept
	var doc bytes.Buffer
	if err := yaml.NewEncoder(&doc).Encode(entry); err != nil {
		return err
	}
	cfg, err := nfpm.ParseWithEnvMapping(&doc, func(string) string { return "" })
	if err != nil {
		return fmt.Errorf("%s: nfpms[0] is not an nFPM package definition: %w", o.config, err)
	}
	cfg.Contents = append(cfg.Contents, &files.Content{Source: o.binary, Destination: path.Join(bindir, path.Base(o.binary)), FileInfo: &files.ContentFileInfo{Mode: 0o755}})
	info, err := cfg.Get(o.format)
	if err != nil {
		return err
	}
	if err := nfpm.PrepareForPackager(info, o.format); err != nil {
		return err
	}
	packager, err := nfpm.Get(o.format)
	if err != nil {
		return err
	}
	f, err := os.Create(o.out)
	if err != nil {
		return err
	}
	if err := packager.Package(info, f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// findTemplate returns the first GoReleaser template in the tree under n, or "".
func findTemplate(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "{{") {
		return n.Value
	}
	for _, c := range n.Content {
		if t := findTemplate(c); t != "" {
			return t
		}
	}
	return ""
}
