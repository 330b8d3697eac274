package validate_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// repeated is a file whose n providers each give the same two findings: SSO010 (no client secret,
// an error) and SSO013 (a plain http redirect URL, an error); provider 0 silences its SSO013.
func repeated(n int) *config.File {
	var b strings.Builder
	b.WriteString("version: 1\nproviders:\n")
	for i := range n {
		ignore := ""
		if i == 0 {
			ignore = "  # ssoctl:ignore SSO013 lab network"
		}
		fmt.Fprintf(&b, "  - name: p%d\n    type: github\n    client_id: c%d\n    redirect_url: http://x%d.example.com/cb%s\n", i, i, i, ignore)
	}
	f, err := config.Parse("c.yaml", []byte(b.String()))
	if err != nil {
		panic(err)
	}
	return f
}

// Issue 14 item 13: 40,000 findings of one code made 162 MB of SARIF. A report lists the first 20 of
// each code and one summary finding for the rest, in every format, counting them all.
func TestCapPerCode(t *testing.T) {
	opts := validate.Options{LookupEnv: func(string) (string, bool) { return "", false }}
	r := validate.Check(repeated(50), opts)
	require.Len(t, r.Findings, 2*(validate.DefaultMaxPerCode+1), "20 of each code and one summary each")
	require.Len(t, r.Ignored, 1, "ignores apply before the cap")

	var summaries []validate.Finding
	perCode := map[string]int{}
	for _, f := range r.Findings {
		if f.Omitted > 0 {
			summaries = append(summaries, f)
			continue
		}
		perCode[f.Code]++
	}
	assert.Equal(t, map[string]int{"SSO010": 20, "SSO013": 20}, perCode)
	require.Len(t, summaries, 2)
	byCode := map[string]validate.Finding{}
	for _, s := range summaries {
		byCode[s.Code] = s
		assert.Equal(t, validate.SeverityError, s.Severity, "a summary has its code's severity, so the exit code stays")
		assert.Equal(t, "c.yaml", s.File)
		assert.Positive(t, s.Line, "SARIF and GitHub annotations need a line")
	}
	assert.Equal(t, 30, byCode["SSO010"].Omitted)
	assert.Equal(t, 29, byCode["SSO013"].Omitted, "provider 0's SSO013 is ignored, so providers 1-20 are listed")
	assert.Equal(t, "30 more SSO010 findings (field required by the provider type is missing) are left out after the first 20, from this line on",
		byCode["SSO010"].Message)
	// The first one left out is provider 20's (p20 starts at line 3 + 20*4).
	assert.Equal(t, 3+20*4, byCode["SSO010"].Line)

	sum := validate.Summarize(r.Findings)
	assert.Equal(t, validate.Summary{Errors: 50 + 49}, sum, "totals count every finding, listed or not")

	// Deterministic: the same file gives the same report.
	again := validate.Check(repeated(50), opts)
	assert.Equal(t, r.Findings, again.Findings)

	// Every format carries the summaries.
	var text, js, gh, sar bytes.Buffer
	require.NoError(t, validate.WriteText(&text, r.Findings, plain{}))
	require.NoError(t, validate.WriteJSON(&js, r))
	require.NoError(t, validate.WriteGitHub(&gh, r.Findings))
	require.NoError(t, validate.WriteSARIF(&sar, r.Findings, validate.SARIFOptions{}))
	for name, out := range map[string]string{"text": text.String(), "json": js.String(), "github": gh.String(), "sarif": sar.String()} {
		assert.Contains(t, out, "30 more SSO010 findings", name)
		assert.Contains(t, out, "29 more SSO013 findings", name)
		assert.NotContains(t, out, "p45", name+": a left-out finding is not printed")
	}
	var doc struct {
		Findings []validate.Finding `json:"findings"`
		Summary  validate.Summary   `json:"summary"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	assert.Equal(t, 99, doc.Summary.Errors)
	omitted := 0
	for _, f := range doc.Findings {
		omitted += f.Omitted
	}
	assert.Equal(t, 59, omitted, "json says how many each summary stands for")
}

func TestCapOptions(t *testing.T) {
	env := func(string) (string, bool) { return "", false }
	all := validate.Check(repeated(50), validate.Options{LookupEnv: env, MaxPerCode: -1})
	assert.Len(t, all.Findings, 99, "a negative cap keeps every finding")
	five := validate.Check(repeated(50), validate.Options{LookupEnv: env, MaxPerCode: 5})
	assert.Len(t, five.Findings, 12)
	small := validate.Check(repeated(3), validate.Options{LookupEnv: env})
	for _, f := range small.Findings {
		assert.Zero(t, f.Omitted, "below the cap nothing is summarized")
	}
}

// Edits keep CR-only line ends, so validate reads them too: an ignore comment silences its own line,
// and a mapping rule's column is found, in LF, CRLF and CR files alike. The lines are split once, not
// once per mapping rule (which made validate quadratic in the number of rules).
func TestLineEnds(t *testing.T) {
	const text = "version: 1\napp: {kind: generic, url: https://apps.example.com}\nproviders:\n  - name: gh\n    type: github\n    client_id: c\n    client_secret: env:S\n    redirect_url: http://lab.example.com/cb  # ssoctl:ignore SSO013 lab network\n    mapping:\n      rules:\n        name: $.[\n"
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		f, err := config.Parse("c.yaml", []byte(strings.ReplaceAll(text, "\n", nl)))
		require.NoError(t, err)
		r := validate.Check(f, validate.Options{LookupEnv: func(string) (string, bool) { return "s", true }})
		require.Len(t, r.Ignored, 1, "%q", nl)
		assert.Equal(t, "SSO013", r.Ignored[0].Code)
		codes := codesOf(r.Findings)
		assert.Contains(t, codes, "SSO030", "%q", nl)
		assert.NotContains(t, codes, "SSO092", "%q", nl)
		for _, fd := range r.Findings {
			if fd.Code == "SSO030" {
				assert.Equal(t, 11, fd.Line, "%q", nl)
			}
		}
	}
}
