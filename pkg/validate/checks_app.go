package validate

import (
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/export"
)

// ownAppCodes are the codes export.Check shares with validate's own checks, which report them with
// positions of their own; export's copies are dropped so that no finding is reported twice.
var ownAppCodes = []string{CodeRedirectPath, CodeCasdoorBuiltIn, CodeAListOneProvider, CodeAListUnsupportedType,
	CodeAListTenant, CodeUsernameUnstable, CodeUsernameClaim, CodeUsernameKeyPath}

// exportCodes turns export's code descriptions (SSO070-SSO080) into validate codes: settings the
// app kind cannot express, which export leaves out.
func exportCodes() []Code {
	var out []Code
	for _, c := range export.Codes() {
		out = append(out, Code{ID: c.ID, Name: c.Name, Title: c.Title, Severity: SeverityWarning, Description: c.Description})
	}
	return out
}

// checkExport reports what the app kind cannot express of provider p, as `ssoctl export` would
// warn, so that validate in CI catches it before an export silently drops a setting.
func (c *checker) checkExport(i int, p *config.Provider) {
	if c.cfg.App == nil || c.cfg.App.Kind == "" || !slices.Contains(export.Targets(), c.cfg.App.Kind) {
		return
	}
	for _, w := range export.Check(c.cfg, *p, c.cfg.App.Kind) {
		if slices.Contains(ownAppCodes, w.Code) {
			continue
		}
		if _, ok := LookupCode(w.Code); !ok {
			continue // a code export added after this build's table: not ours to report
		}
		var segs []string
		switch {
		case w.Field == "providers" || strings.HasPrefix(w.Field, "app."):
			segs = strings.Split(w.Field, ".")
		case w.Field == "":
			segs = provSegs(i)
		default:
			segs = provSegs(i, strings.Split(w.Field, ".")...)
		}
		c.add(w.Code, segs, w.Message, w.Hint)
	}
}
