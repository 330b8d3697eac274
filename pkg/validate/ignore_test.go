package validate_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

func TestIgnores(t *testing.T) {
	head := "version: 1\nproviders:\n  - name: g\n    type: github\n    client_id: a\n"
	tests := []struct {
		name    string
		text    string
		codes   []string // codes kept, sorted
		ignored int
		phrase  string
	}{
		{name: "comment on the line", text: head + "    client_secret: literal # ssoctl:ignore SSO060 public test client\n", ignored: 1},
		{name: "no space after #", text: head + "    client_secret: literal #ssoctl:ignore SSO060 public test client\n", ignored: 1},
		{name: "lowercase code", text: head + "    client_secret: literal # ssoctl:ignore sso060 public test client\n", ignored: 1},
		{name: "comment line above", text: head + "    # ssoctl:ignore SSO060 public test client\n    client_secret: literal\n", ignored: 1},
		{name: "stacked above", text: head + "    # ssoctl:ignore SSO060 public test client\n    # another comment\n    client_secret: literal\n", ignored: 1},
		{name: "blank line breaks it", text: head + "    # ssoctl:ignore SSO060 public test client\n\n    client_secret: literal\n", codes: []string{"SSO060", "SSO092"}, ignored: 0, phrase: "directly above"},
		{name: "two codes", text: head + "    client_secret: ${X} # ssoctl:ignore SSO063,SSO060 demo\n", ignored: 1, codes: []string{"SSO092"}, phrase: "ignore comment for SSO060"},
		{name: "wrong code keeps the finding", text: head + "    client_secret: literal # ssoctl:ignore SSO061 wrong code\n", codes: []string{"SSO060", "SSO092"}, phrase: "line 6 has no SSO061 finding"},
		{name: "no reason still silences", text: head + "    client_secret: literal # ssoctl:ignore SSO060\n", codes: []string{"SSO090"}, ignored: 1, phrase: "# ssoctl:ignore SSO060 <reason>"},
		{name: "unknown code", text: head + "    client_secret: literal # ssoctl:ignore SSO600 typo\n", codes: []string{"SSO060", "SSO091"}, phrase: "did you mean SSO060"},
		{name: "no code", text: head + "    client_secret: literal # ssoctl:ignore\n", codes: []string{"SSO060", "SSO091"}, phrase: "names no code"},
		{name: "not our directive", text: head + "    client_secret: literal # ssoctl:ignored SSO060 x\n", codes: []string{"SSO060"}},
		{name: "hash inside quotes is text", text: head + "    display_name: \"G # ssoctl:ignore SSO060 x\"\n    client_secret: literal\n", codes: []string{"SSO060"}},
		{name: "list entry", text: head + "    client_secret: literal\nignore:\n  - {code: SSO060, reason: public test client}\n", ignored: 1},
		{name: "list entry for the provider", text: head + "    client_secret: literal\nignore:\n  - {code: SSO060, provider: g, reason: public test client}\n", ignored: 1},
		{name: "list entry for another provider", text: head + "    client_secret: literal\nignore:\n  - {code: SSO060, provider: h, reason: x}\n", codes: []string{"SSO060", "SSO092"}, phrase: `no provider is named "h"`},
		{name: "list entry without reason", text: head + "    client_secret: literal\nignore:\n  - {code: SSO060}\n", codes: []string{"SSO090"}, ignored: 1},
		{name: "an online check's code is not stale offline", text: head + "    client_secret: env:A\nignore:\n  - {code: DOC010, provider: g, reason: registered later}\n  - {code: DSC005, reason: private CA}\n"},
		{name: "a code only test-login reports is known and never stale", text: head + "    client_secret: env:A\nignore:\n  - {code: DOC056, provider: g, reason: fixed next week}\n"},
		{name: "ignore findings cannot be ignored", text: head + "    client_secret: env:A\nignore:\n  - {code: SSO092, reason: x}\n  - {code: SSO060, reason: y}\n", codes: []string{"SSO092"}, phrase: "ignore of SSO060"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := config.Parse("t.yaml", []byte(tt.text))
			require.NoError(t, err)
			r := validate.Check(f, fixtureOptions("t.yaml"))
			assert.Equal(t, tt.codes, codesOf(r.Findings), "%+v", r.Findings)
			assert.Len(t, r.Ignored, tt.ignored)
			if tt.phrase != "" {
				var text []string
				for _, f := range r.Findings {
					text = append(text, f.Message, f.Hint)
				}
				assert.Contains(t, strings.Join(text, "\n"), tt.phrase)
			}
		})
	}
}

// TestDocTable keeps the code table in the package documentation in step with Codes. The online
// codes (DSC, DOC) are documented in their own packages.
func TestDocTable(t *testing.T) {
	src, err := os.ReadFile("validate.go")
	require.NoError(t, err)
	rows := regexp.MustCompile(`(?m)^//\t(SSO\d{3})\s+(\w+)\s+(.+)$`).FindAllStringSubmatch(string(src), -1)
	var codes []validate.Code
	for _, c := range validate.Codes() {
		if strings.HasPrefix(c.ID, "SSO") {
			codes = append(codes, c)
		}
	}
	require.Len(t, rows, len(codes))
	for i, row := range rows {
		assert.Equal(t, codes[i].ID, row[1])
		assert.Equal(t, string(codes[i].Severity), row[2], row[1])
	}
}
