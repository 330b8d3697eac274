// Package validate checks an ssoctl config file offline and reports findings: each with a stable code,
// a severity, the provider and field path it concerns, the file's line and column, a message and a
// hint. It never prints by itself; the Write* functions render findings as text, JSON, GitHub workflow
// annotations or SARIF 2.1.0.
//
// Positions come from the YAML node tree, so a finding points at the text that caused it even when
// the value comes from an anchor, is written in flow style or sits among comments.
//
// Findings are silenced the way linters do it: a `# ssoctl:ignore CODE reason` comment on the
// finding's line (or on a comment line directly above it), or a top-level
// `ignore: [{code: CODE, provider: NAME, reason: ...}]` entry. An ignore that matches nothing, names
// an unknown code or gives no reason is itself a finding (SSO090-SSO092).
//
// # Codes
//
//	code    severity  what is wrong
//	SSO000  error     the file cannot be parsed (json, github and sarif output only; exit 2)
//	SSO001  error     unknown key (with a "did you mean" hint)
//	SSO002  error     value of the wrong type
//	SSO003  error     value not allowed (enum, pattern, range)
//	SSO004  error     missing key (provider name or type, ignore code, ...)
//	SSO005  error     missing or unsupported version
//	SSO006  error     the file is empty
//	SSO007  warning   no providers
//	SSO008  error     aliases expand too far
//	SSO009  warning   app.version outside the versions ssoctl models
//	SSO010  error     field required by the provider type is missing
//	SSO011  error     duplicate provider name
//	SSO012  error     URL is not an absolute http(s) URL
//	SSO013  error     https required (redirect, issuer, endpoints; loopback excepted)
//	SSO014  error     redirect scheme, host or port differs from app.url's
//	SSO015  error     redirect path is not the app kind's callback
//	SSO016  warning   issuer does not look like the provider's issuer (trailing slash, discovery URL)
//	SSO017  error     Casdoor built-in organization
//	SSO018  error     AList has one SSO platform at a time
//	SSO019  error     provider type AList does not support
//	SSO020  warning   AList ignores the Microsoft tenant
//	SSO021  note      redirect URL not set (names the app's callback URL to register)
//	SSO022  warning   redirect URL names a port a reverse proxy strips (:443, the app's own port)
//	SSO023  warning   AList without a site URL (app.url)
//	SSO024  warning   the app's callback is plain http on a public host
//	SSO025  error     the app cannot make this client choice (token_endpoint_auth_method, pkce)
//	SSO026  warning   a public client without PKCE
//	SSO027  error     flavor on a provider that is not oidc
//	SSO030  error     mapping rule does not compile
//	SSO031  error     custom mapping without name and email rules
//	SSO032  warning   mapping preset does not fit the provider type
//	SSO033  warning   scopes lack what the mapping needs
//	SSO034  warning   username claim is not stable (AList OIDC)
//	SSO035  error     username claim the app does not support (PhotoPrism)
//	SSO036  warning   Lark rule outside $.data
//	SSO037  error     AList username key written as a JSONPath, which AList reads literally
//	SSO038  warning   mapping rule means something else in RFC 9535
//	SSO040  error     permission outside the scheme
//	SSO041  error     unknown permission scheme
//	SSO042  error     invalid permission scheme
//	SSO043  error     default_dir is not an absolute path
//	SSO044  error     allowed domain is not a domain
//	SSO050  error     group map entry is empty or padded
//	SSO051  warning   remove_unmapped with an empty group map
//	SSO060  warning   client secret written in the file
//	SSO061  warning   secret environment variable is not set
//	SSO062  warning   world-readable file holds a secret
//	SSO063  error     malformed secret reference
//	SSO064  warning   secret file cannot be read
//	SSO070  warning   the app cannot sync or map groups              (from export.Check, for app.kind)
//	SSO071  warning   the app cannot assign these roles
//	SSO072  warning   registration setting the app lacks
//	SSO073  warning   the app takes no mapping rules
//	SSO074  warning   the app derives usernames differently
//	SSO075  warning   the app or issuer is served over plain http
//	SSO076  warning   the app requests fixed scopes
//	SSO077  warning   the app shows no configurable name or icon
//	SSO078  warning   the app cannot use the Microsoft tenant as configured
//	SSO079  warning   a field the generic form requires is empty
//	SSO080  warning   the app has no support for the provider type
//	SSO090  error     ignore without a reason
//	SSO091  error     ignore names an unknown code
//	SSO092  warning   ignore matches nothing
//	SSO093  note      LobeChat without app.version is taken for 1.x
//	SSO094  warning   AList does not read this endpoint setting
//
// With --online (CheckOnline) every provider is also checked against the provider itself, and the
// findings carry the codes of the package that checks: DSC001-DSC040 from package discovery (the
// discovery document, JWKS and clock, as `ssoctl discover` checks them) and DOC001-DOC032 from
// package doctor (endpoint reachability, the redirect pre-flight, the client probe, issuer
// variants). Both are silenced like the SSO codes.
//
// A report lists at most Options.MaxPerCode (DefaultMaxPerCode, 20) findings of one code; the rest of
// that code become one summary finding with the code's severity and Omitted set, so a generated file
// with thousands of alike mistakes gives a short report in every format while totals and the exit
// code still count every finding.
//
// SSO070-SSO080 are the settings the app kind (app.kind) cannot express, which `ssoctl export`
// leaves out; package export defines and checks them, and validate reports them with positions.
// Codes returns the whole table with descriptions.
package validate

import (
	"cmp"
	"fmt"
	"github.com/ssoctl/ssoctl/pkg/finding"
	"os"
	"slices"

	appmodel "github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
)

// Severity says how bad a finding is; it is shared with the doctor's findings.
type Severity = finding.Severity

// Severities. Errors fail validate; warnings fail it only with --strict; notes never do.
const (
	SeverityError   = finding.Error
	SeverityWarning = finding.Warning
	SeverityNote    = finding.Note
)

// Finding is one problem found in the config file. The JSON field names are stable.
type Finding struct {
	// Code is the stable finding code, e.g. "SSO012".
	Code string `json:"code"`
	// Severity is the code's severity.
	Severity Severity `json:"severity"`
	// Provider is the name of the provider the finding concerns, or "" for the file as a whole.
	Provider string `json:"provider"`
	// Path is the field path in jq style: providers[0].redirect_url, providers[1].groups.map["/a b"].
	// It is "" for the file as a whole.
	Path string `json:"path"`
	// File is the config file's path as shown to the user.
	File string `json:"file"`
	// Line and Column are 1-based; 0 means the file as a whole.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Message is one sentence saying what is wrong.
	Message string `json:"message"`
	// Hint says what to do about it.
	Hint string `json:"hint"`
	// Expected and Actual are the compared values of online findings that compare strings (the
	// discovered and the configured issuer, say); the text format puts a caret under their first
	// difference. Omitted when empty.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	// Fix is the exact value to paste (a config line, a redirect URI to register); omitted when empty.
	Fix string `json:"fix,omitempty"`
	// Omitted is set on the one summary finding that stands for the findings of its code left out
	// after the first Options.MaxPerCode (see capFindings): how many there were. Summarize counts
	// them, so totals and the exit code stay those of every finding. Omitted when 0.
	Omitted int `json:"omitted,omitempty"`
}

// Options tune a validation run.
type Options struct {
	// LookupEnv reads environment variables for env: secrets; os.LookupEnv when nil.
	LookupEnv func(string) (string, bool)
	// Stat checks file: secrets; os.Stat when nil.
	Stat func(string) (os.FileInfo, error)
	// DisplayPath is the file name findings carry; the File's Path when empty.
	DisplayPath string
	// MaxPerCode caps the findings of one code: after that many (in position order) the rest are
	// replaced by one summary finding saying how many were left out. 0 means DefaultMaxPerCode;
	// a negative value keeps every finding.
	MaxPerCode int

	// errorsOnly drops every finding but errors as it is made: Guard needs no more, and a large file
	// can have a warning per provider.
	errorsOnly bool
}

// DefaultMaxPerCode is how many findings of one code a report lists before it summarizes the rest.
// A generated file with 40,000 providers that all lack the same field gave 40,000 findings (162 MB
// of SARIF); the first 20 show the pattern, and the count says how far it goes.
const DefaultMaxPerCode = 20

// Report is the result of Check.
type Report struct {
	// File is the file name findings carry.
	File string
	// Findings are the findings that were not ignored, sorted by line, column and code.
	Findings []Finding
	// Ignored are the findings an ignore comment or entry silenced.
	Ignored []Finding
	// Assumed is the app and version the checks modelled when app.version is unset ("AList 3.63"),
	// for the summary to say; "" when the file names a version or an app without versions.
	Assumed string
}

// Run checks f and returns its findings, sorted by position; see Check for the ignored ones too.
func Run(f *config.File, opts Options) []Finding {
	return Check(f, opts).Findings
}

// Check checks f and returns the findings, with those silenced by ignores set apart.
func Check(f *config.File, opts Options) *Report {
	return check(f, opts, nil)
}

// check runs the offline checks, then more (the online ones) when given, then the ignores over all.
func check(f *config.File, opts Options, more func(*checker)) *Report {
	if opts.LookupEnv == nil {
		opts.LookupEnv = os.LookupEnv
	}
	if opts.Stat == nil {
		opts.Stat = os.Stat
	}
	if opts.DisplayPath == "" {
		opts.DisplayPath = f.Path
	}
	c := newChecker(f, opts)
	c.run()
	if more != nil && c.root != nil {
		c.online = true
		more(c)
	}
	kept, ignored := c.applyIgnores()
	sortFindings(kept)
	sortFindings(ignored)
	kept = capFindings(kept, opts.MaxPerCode)
	if kept == nil {
		kept = []Finding{}
	}
	return &Report{File: opts.DisplayPath, Findings: kept, Ignored: ignored, Assumed: assumedApp(c.cfg)}
}

// assumedApp names the app version the checks assumed for an unset app.version.
func assumedApp(cfg *config.Config) string {
	if cfg == nil || cfg.App == nil {
		return ""
	}
	t, err := appmodel.Resolve(cfg.App)
	if err != nil || !t.Assumed {
		return ""
	}
	return t.String()
}

// ParseErrorFinding turns the error of config.Load into an SSO000 finding for the machine-readable
// formats, so CI annotations point at the broken line too. It returns false for errors that carry no
// parse position (a missing file, say), which have nothing to annotate.
func ParseErrorFinding(err error, displayPath string) (Finding, bool) {
	pe, ok := err.(*config.ParseError)
	if !ok {
		return Finding{}, false
	}
	return Finding{Code: CodeSyntax, Severity: SeverityError, File: displayPath, Line: pe.Line, Column: pe.Column,
		Message: pe.Error(), Hint: pe.Hint()}, true
}

// capFindings keeps the first max findings of each code (fs is sorted by position, so which ones is
// deterministic) and replaces the rest of that code by one summary finding at the position of the
// first one left out, with the code's severity, so that exit codes, --strict and every output format
// treat the summary like the findings it stands for.
func capFindings(fs []Finding, max int) []Finding {
	if max == 0 {
		max = DefaultMaxPerCode
	}
	if max < 0 || len(fs) <= max {
		return fs
	}
	count := map[string]int{}
	summary := map[string]int{} // code -> index of its summary finding in out
	out := fs[:0:0]
	for _, f := range fs {
		count[f.Code]++
		switch n := count[f.Code]; {
		case n <= max:
			out = append(out, f)
		case n == max+1:
			summary[f.Code] = len(out)
			out = append(out, Finding{Code: f.Code, Severity: f.Severity, File: f.File, Line: f.Line, Column: f.Column, Omitted: 1})
		default:
			out[summary[f.Code]].Omitted++
		}
	}
	for code, i := range summary {
		s := &out[i]
		title := ""
		if c, ok := LookupCode(code); ok {
			title = " (" + c.Title + ")"
		}
		s.Message = fmt.Sprintf("%d more %s findings%s are left out after the first %d, from this line on", s.Omitted, code, title, max)
		s.Hint = fmt.Sprintf("fix the %d listed (they likely share one cause) and run validate again to see the rest", max)
	}
	return out
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Code, b.Code))
	})
}

// Summary counts findings by severity.
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notes    int `json:"notes"`
}

// Summarize counts fs by severity.
func Summarize(fs []Finding) Summary {
	var s Summary
	for _, f := range fs {
		// A summary of left-out findings counts as the findings it stands for.
		n := max(f.Omitted, 1)
		switch f.Severity {
		case SeverityError:
			s.Errors += n
		case SeverityWarning:
			s.Warnings += n
		default:
			s.Notes += n
		}
	}
	return s
}

// Failed reports whether the findings fail validation: any error, or any warning when strict.
func (s Summary) Failed(strict bool) bool {
	return s.Errors > 0 || (strict && s.Warnings > 0)
}

// String returns e.g. "2 errors, 1 warning" or "no problems".
func (s Summary) String() string {
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{s.Errors, "error"}, {s.Warnings, "warning"}, {s.Notes, "note"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.word))
		}
	}
	if len(parts) == 0 {
		return "no problems"
	}
	return joinComma(parts)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func joinComma(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	return out
}
