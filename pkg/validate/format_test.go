package validate_test

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/MakeNowJust/heredoc"
	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/validate"
)

// tags marks colours visibly, so tests can see what is coloured.
type tags struct{}

func (tags) Red(s string) string    { return "<red>" + s + "</>" }
func (tags) Yellow(s string) string { return "<yellow>" + s + "</>" }
func (tags) Cyan(s string) string   { return "<cyan>" + s + "</>" }
func (tags) Gray(s string) string   { return "<gray>" + s + "</>" }
func (tags) Bold(s string) string   { return "<b>" + s + "</>" }

type plain struct{}

func (plain) Red(s string) string    { return s }
func (plain) Yellow(s string) string { return s }
func (plain) Cyan(s string) string   { return s }
func (plain) Gray(s string) string   { return s }
func (plain) Bold(s string) string   { return s }

var sample = []validate.Finding{
	{Code: "SSO007", Severity: validate.SeverityWarning, File: "c.yaml", Line: 1, Column: 1, Message: "the file defines no providers", Hint: "add one"},
	{Code: "SSO012", Severity: validate.SeverityError, Provider: "github", Path: "providers[0].redirect_url", File: "c.yaml", Line: 9, Column: 19, Message: `redirect_url "x" is not an absolute http(s) URL`, Hint: "write https://x"},
	{Code: "SSO060", Severity: validate.SeverityWarning, Provider: "google", Path: "providers[1].client_secret", File: "c.yaml", Line: 14, Column: 20, Message: "the client secret is written in the file"},
	{Code: "SSO033", Severity: validate.SeverityNote, Provider: "github", Path: "providers[0].scopes", File: "c.yaml", Line: 10, Column: 13, Message: "100% sure, a note: with, commas\nand lines", Hint: "a:b"},
}

func TestWriteText(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, validate.WriteText(&out, sample, plain{}))
	assert.Equal(t, heredoc.Doc(`
		file
		c.yaml:1:1: warning SSO007 the file defines no providers
		    hint: add one

		provider "github"
		c.yaml:9:19: error SSO012 redirect_url "x" is not an absolute http(s) URL
		    hint: write https://x
		c.yaml:10:13: note SSO033 100% sure, a note: with, commas
		and lines
		    hint: a:b

		provider "google"
		c.yaml:14:20: warning SSO060 the client secret is written in the file
	`), out.String())

	out.Reset()
	require.NoError(t, validate.WriteText(&out, sample[1:2], tags{}))
	assert.Equal(t, "<b>provider \"github\"</>\nc.yaml:9:19: <red>error</> <gray>SSO012</> redirect_url \"x\" is not an absolute http(s) URL\n    <cyan>hint:</> write https://x\n", out.String())
}

func TestWriteTextFileWideFirst(t *testing.T) {
	fs := []validate.Finding{
		{Code: "SSO012", Severity: validate.SeverityError, Provider: "a", File: "c.yaml", Line: 3, Message: "m"},
		{Code: "SSO018", Severity: validate.SeverityError, File: "c.yaml", Line: 5, Message: "n"},
		{Code: "SSO006", Severity: validate.SeverityError, File: "c.yaml", Message: "empty"},
	}
	var out bytes.Buffer
	require.NoError(t, validate.WriteText(&out, fs, plain{}))
	assert.Equal(t, "file\nc.yaml:5: error SSO018 n\nc.yaml: error SSO006 empty\n\nprovider \"a\"\nc.yaml:3: error SSO012 m\n", out.String())
}

func TestWriteJSON(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, validate.WriteJSON(&out, &validate.Report{File: "c.yaml", Findings: sample, Ignored: sample[:1]}))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	assert.Equal(t, map[string]any{"errors": 1.0, "warnings": 2.0, "notes": 1.0, "ignored": 1.0}, doc["summary"])
	assert.Equal(t, "c.yaml", doc["file"])
	first := doc["findings"].([]any)[1].(map[string]any)
	var keys []string
	for k := range first {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"code", "column", "file", "hint", "line", "message", "path", "provider", "severity"}, keys, "the -o json field names are stable")
	assert.Equal(t, "providers[0].redirect_url", first["path"])

	out.Reset()
	require.NoError(t, validate.WriteJSON(&out, &validate.Report{File: "c.yaml"}))
	assert.Contains(t, out.String(), `"findings": []`)
}

func TestWriteGitHub(t *testing.T) {
	fs := append([]validate.Finding{}, sample[1], sample[3])
	fs = append(fs, validate.Finding{Code: "SSO006", Severity: validate.SeverityError, File: "dir,1/a:b.yaml", Message: "empty"})
	var out bytes.Buffer
	require.NoError(t, validate.WriteGitHub(&out, fs))
	assert.Equal(t, heredoc.Doc(`
		::error file=c.yaml,line=9,col=19,title=SSO012 URL is not an absolute http(s) URL::redirect_url "x" is not an absolute http(s) URL. Hint: write https://x
		::notice file=c.yaml,line=10,col=13,title=SSO033 scopes lack what the mapping needs::100%25 sure, a note: with, commas%0Aand lines. Hint: a:b
		::error file=dir%2C1/a%3Ab.yaml,title=SSO006 the file is empty::empty
	`), out.String())
}

// TestWriteSARIF checks the fields SARIF 2.1.0 requires and GitHub code scanning reads.
func TestWriteSARIF(t *testing.T) {
	fs := append([]validate.Finding{}, sample...)
	fs = append(fs, validate.Finding{Code: "SSO006", Severity: validate.SeverityError, File: "sub dir/c.yaml", Message: "empty"})
	var out bytes.Buffer
	require.NoError(t, validate.WriteSARIF(&out, fs, validate.SARIFOptions{ToolVersion: "1.2.3"}))

	_, err := sarif.FromBytes(out.Bytes())
	require.NoError(t, err)
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name           string `json:"name"`
					Version        string `json:"version"`
					InformationURI string `json:"informationUri"`
					Rules          []struct {
						ID               string            `json:"id"`
						Name             string            `json:"name"`
						ShortDescription map[string]string `json:"shortDescription"`
						FullDescription  map[string]string `json:"fullDescription"`
						Default          struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string            `json:"ruleId"`
				RuleIndex *int              `json:"ruleIndex"`
				Level     string            `json:"level"`
				Message   map[string]string `json:"message"`
				Locations []struct {
					Physical struct {
						Artifact struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &log))
	assert.Equal(t, "2.1.0", log.Version)
	assert.Contains(t, log.Schema, "sarif-schema-2.1.0.json")
	require.Len(t, log.Runs, 1)
	d := log.Runs[0].Tool.Driver
	assert.Equal(t, "ssoctl", d.Name)
	assert.Equal(t, "1.2.3", d.Version)
	assert.NotEmpty(t, d.InformationURI)
	require.Len(t, d.Rules, len(validate.Codes()), "every code is a rule")
	for i, r := range d.Rules {
		assert.Equal(t, validate.Codes()[i].ID, r.ID)
		assert.NotEmpty(t, r.Name)
		assert.NotContains(t, r.Name, "-")
		assert.NotEmpty(t, r.ShortDescription["text"])
		assert.NotEmpty(t, r.FullDescription["text"])
		assert.Contains(t, []string{"error", "warning", "note"}, r.Default.Level)
	}
	res := log.Runs[0].Results
	require.Len(t, res, len(fs))
	for i, r := range res {
		require.NotNil(t, r.RuleIndex)
		assert.Equal(t, r.RuleID, d.Rules[*r.RuleIndex].ID)
		assert.Equal(t, string(fs[i].Severity), r.Level)
		assert.NotEmpty(t, r.Message["text"])
		require.Len(t, r.Locations, 1)
		assert.GreaterOrEqual(t, r.Locations[0].Physical.Region.StartLine, 1)
		assert.Equal(t, "%SRCROOT%", r.Locations[0].Physical.Artifact.URIBaseID)
	}
	assert.Equal(t, "c.yaml", res[1].Locations[0].Physical.Artifact.URI)
	assert.Equal(t, 9, res[1].Locations[0].Physical.Region.StartLine)
	assert.Equal(t, 19, res[1].Locations[0].Physical.Region.StartColumn)
	assert.Equal(t, "redirect_url \"x\" is not an absolute http(s) URL. Hint: write https://x", res[1].Message["text"])
	assert.Equal(t, "sub%20dir/c.yaml", res[4].Locations[0].Physical.Artifact.URI)
	assert.Equal(t, 1, res[4].Locations[0].Physical.Region.StartLine, "file-wide findings point at line 1")
	assert.Equal(t, 0, res[4].Locations[0].Physical.Region.StartColumn)
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name   string
		fs     []validate.Finding
		want   string
		failed bool
		strict bool
	}{
		{"none", nil, "no problems", false, false},
		{"plural", sample, "1 error, 2 warnings, 1 note", true, true},
		{"warnings only", sample[:1], "1 warning", false, true},
		{"notes never fail", sample[3:], "1 note", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validate.Summarize(tt.fs)
			assert.Equal(t, tt.want, s.String())
			assert.Equal(t, tt.failed, s.Failed(false))
			assert.Equal(t, tt.strict, s.Failed(true))
		})
	}
}

func TestCodesAreDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range validate.Codes() {
		assert.Regexp(t, `^(SSO|DSC|DOC)[0-9]{3}$`, c.ID)
		assert.False(t, seen[c.ID], "duplicate code %s", c.ID)
		seen[c.ID] = true
		assert.Regexp(t, `^[a-z0-9-]+$`, c.Name)
		assert.NotEmpty(t, c.Title)
		assert.True(t, strings.HasSuffix(c.Description, "."), "%s description is a sentence", c.ID)
		assert.Contains(t, []validate.Severity{validate.SeverityError, validate.SeverityWarning, validate.SeverityNote}, c.Severity)
		got, ok := validate.LookupCode(strings.ToLower(c.ID))
		assert.True(t, ok)
		assert.Equal(t, c, got)
	}
}
