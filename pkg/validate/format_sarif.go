package validate

import (
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// SARIFOptions describe the tool in a SARIF log.
type SARIFOptions struct {
	// ToolVersion is ssoctl's version.
	ToolVersion string
	// InformationURI is the tool's home page.
	InformationURI string
}

// WriteSARIF writes findings as a SARIF 2.1.0 log that GitHub code scanning (and other SARIF
// viewers) accept: one run whose driver "ssoctl" lists every finding code as a rule, and one result
// per finding with the file, relative to the working directory, and the line and column.
func WriteSARIF(w io.Writer, fs []Finding, opts SARIFOptions) error {
	report, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	if opts.InformationURI == "" {
		opts.InformationURI = "https://github.com/ssoctl/ssoctl"
	}
	run := sarif.NewRunWithInformationURI("ssoctl", opts.InformationURI)
	if opts.ToolVersion != "" {
		v := opts.ToolVersion
		run.Tool.Driver.Version = &v
	}
	for _, c := range allCodes() {
		run.AddRule(c.ID).
			WithName(ruleName(c.Name)).
			WithShortDescription(sarif.NewMultiformatMessageString(c.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(c.Description)).
			WithHelp(sarif.NewMultiformatMessageString(c.Description)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(string(c.Severity)))
	}
	for _, f := range fs {
		msg := f.Message
		msg += detail(f)
		// Code scanning needs a line for every result; file-wide findings point at the first one.
		region := sarif.NewRegion().WithStartLine(max(f.Line, 1))
		if f.Line > 0 && f.Column > 0 {
			region.WithStartColumn(f.Column)
		}
		loc := sarif.NewPhysicalLocation().WithArtifactLocation(artifactLocation(f.File)).WithRegion(region)
		run.CreateResultForRule(f.Code).
			WithLevel(string(f.Severity)).
			WithMessage(sarif.NewTextMessage(msg)).
			AddLocation(sarif.NewLocationWithPhysicalLocation(loc))
	}
	report.AddRun(run)
	if err := report.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// ruleName turns a kebab-case check name into the PascalCase SARIF recommends for rule names.
func ruleName(s string) string {
	parts := strings.Split(s, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

// artifactLocation writes a file path as a URI with forward slashes and escapes: relative to the
// source root (%SRCROOT%) when the path is relative, as code scanning expects, else a file: URI.
func artifactLocation(p string) *sarif.ArtifactLocation {
	if filepath.IsAbs(p) {
		return sarif.NewSimpleArtifactLocation((&url.URL{Scheme: "file", Path: filepath.ToSlash(p)}).String())
	}
	return sarif.NewSimpleArtifactLocation((&url.URL{Path: filepath.ToSlash(p)}).String()).WithUriBaseId("%SRCROOT%")
}
