package presets

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/provider"
)

// MatrixMarkdown renders docs/flavors.md: the flavour × app matrix, each pair's findings with the
// provider-side fix in the product's terms, and every flavour's fixes and facts with their sources.
// It is built from the same data `provider presets --flavor` shows (BuildFlavor), and a test holds
// docs/flavors.md equal to it, so the reference cannot drift from the code.
func MatrixMarkdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	var flavors []FlavorJSON
	for _, f := range provider.Flavors() {
		flavors = append(flavors, BuildFlavor(f))
	}
	p("# Provider flavours × apps\n\n")
	p("<!-- Generated from pkg/provider (flavor_*.go) and pkg/doctor (FlavorMatrix) by\n")
	p("     `go test ./pkg/cmd/provider/presets/ -run TestMatrixMarkdown -update`; do not edit by hand. -->\n\n")
	p("What ssoctl reports when an OpenID provider runs with its product's defaults and was added with\n")
	p("`ssoctl provider add NAME --flavor F …` under the app kind of each column: the findings of\n")
	p("`ssoctl validate --online` (discovery, the redirect pre-flight, the client probe) and of\n")
	p("`ssoctl test-login`'s doctor after a login of a user in a group. Every fix is named in the\n")
	p("product's own terms (its admin screen path, configuration key or command); `ssoctl provider presets\n")
	p("--flavor F` prints the same per app. `<client>` is the client ID, `<provider>` authentik's provider\n")
	p("name. AList stands for OpenList too (the same OAuth client); LobeChat is the newest modelled\n")
	p("version (LobeHub 2.x). Each pair is tested against the flavour's recorded discovery document and\n")
	p("login (testdata/discovery, testdata/flavors) in pkg/doctor/flavormatrix_test.go.\n\n")

	p("| flavour |")
	for _, a := range provider.MatrixApps {
		p(" %s |", a)
	}
	p("\n|---|")
	for range provider.MatrixApps {
		p("---|")
	}
	p("\n")
	for _, f := range flavors {
		p("| %s |", f.Title)
		for _, a := range f.Apps {
			var codes []string
			for _, x := range a.Findings {
				if !slices.Contains(codes, x.Code) {
					codes = append(codes, x.Code)
				}
			}
			if len(codes) == 0 {
				p(" none |")
			} else {
				p(" %s |", strings.Join(codes, ", "))
			}
		}
		p("\n")
	}
	p("\nCodes: DOC013 the provider requires PKCE and the app sends none; DOC023 the provider accepts the\n")
	p("client only with an authentication method the app never sends; DOC052 a claim the app reads is only\n")
	p("in the other document; DOC057 the ID token is signed with HMAC; DOC058 the app accepts none of the\n")
	p("provider's signing algorithms; DOC059 AList's username claim is not in the ID token; DOC062 the\n")
	p("groups claim is absent, so every user gets only the default role.\n")

	for _, f := range flavors {
		p("\n## %s (`--flavor %s`)\n\n", f.Title, f.Name)
		p("Issuer: %s", md(f.IssuerForm))
		if f.LegacyIssuerForm != "" {
			p("; legacy: %s", md(f.LegacyIssuerForm))
		}
		p(". Signing: %s. PKCE: %s.", md(f.SigningAlg), map[bool]string{true: "required", false: "optional"}[f.PKCERequired])
		if f.ClaimsInUserinfoOnly {
			p(" Profile, email and groups claims in userinfo only.")
		}
		p("\n\n")
		for _, a := range f.Apps {
			groups := "not synced by the app"
			if a.Groups {
				groups = "claim `" + a.GroupsClaim + "`"
			}
			p("- **%s**: username from `%s`; groups %s; roles: %s.", a.App, a.UsernameClaim, groups, md(a.Roles))
			if len(a.Scopes) > 0 {
				p(" Scopes written: `%s`.", strings.Join(a.Scopes, " "))
			}
			p("\n")
			for _, n := range a.Notes {
				p("  - Note: %s\n", md(n))
			}
			if len(a.Findings) == 0 {
				p("  - No findings.\n")
			}
			for _, x := range a.Findings {
				p("  - %s (%s, %s): %s\n", x.Code, x.Severity, x.By, md(x.Message))
				if x.Fix != "" {
					p("    - Fix: %s\n", md(x.Fix))
				}
			}
		}
		p("\nProvider-side fixes:\n\n| fix key | setting or command | source | version |\n|---|---|---|---|\n")
		for _, fx := range f.Fixes {
			p("| %s | %s | %s | %s |\n", fx.Key, cell(fx.Text), cell(fx.Source), cell(fx.Version))
		}
		p("\nFacts:\n\n| fact | value | source | version |\n|---|---|---|---|\n")
		for _, fact := range f.Facts {
			p("| %s | %s | %s | %s |\n", fact.Topic, cell(fact.Value), cell(fact.Source), cell(fact.Version))
		}
	}
	confirmed, total := ConfirmedFacts()
	p("\n%d of the %d facts above are confirmed from a cited source; the others say \"unconfirmed\".", confirmed, total)
	if n := UnpinnedFacts(); n > 0 {
		p(" %d of them cite in part a copy of the source that is not pinned to a commit, and say \"not pinned\".", n)
	}
	p("\n")
	return b.String()
}

// ConfirmedFacts counts the flavours' facts whose source is a citation rather than "unconfirmed".
func ConfirmedFacts() (confirmed, total int) {
	for _, f := range provider.Flavors() {
		for _, fact := range f.Facts {
			total++
			if !strings.Contains(fact.Source, "unconfirmed") {
				confirmed++
			}
		}
	}
	return confirmed, total
}

// UnpinnedFacts counts the flavours' facts whose source says part of it was read in a copy not
// pinned to a commit ("not pinned").
func UnpinnedFacts() int {
	n := 0
	for _, f := range provider.Flavors() {
		for _, fact := range f.Facts {
			if strings.Contains(fact.Source, "not pinned") {
				n++
			}
		}
	}
	return n
}

// md escapes what Markdown would read as HTML (<client>, <provider>).
func md(s string) string { return strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s) }

// cell escapes a table cell: its HTML-like placeholders and its pipes.
func cell(s string) string { return strings.ReplaceAll(md(s), "|", "\\|") }
