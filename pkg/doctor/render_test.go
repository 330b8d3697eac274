package doctor

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type plainStyler struct{}

func (plainStyler) Red(s string) string    { return s }
func (plainStyler) Yellow(s string) string { return s }
func (plainStyler) Cyan(s string) string   { return s }
func (plainStyler) Gray(s string) string   { return s }
func (plainStyler) Bold(s string) string   { return s }

// TestWriteTextEscapesProviderText: DOC032, DOC050 and DOC051 quote the provider in their message,
// fix and hint; an OSC title sequence, a CR + erase-line forging "✓ verified" and U+202E in them are
// written escaped, while a hint's own line breaks stay.
func TestWriteTextEscapesProviderText(t *testing.T) {
	const inject = "\x1b]0;pwned\x07\r\x1b[2K✓ verified\u202e"
	var b strings.Builder
	require.NoError(t, WriteText(&b, []Finding{{Code: "DOC050", Severity: SeverityError,
		Message: "the provider said " + inject, Fix: "scope" + inject, Hint: "first line\nsecond " + inject}}, plainStyler{}))
	out := b.String()
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\r")
	assert.NotContains(t, out, "\u202e")
	esc := `\x1b]0;pwned\x07\r\x1b[2K✓ verified\u202e`
	assert.Equal(t, "X DOC050 the provider said "+esc+"\n    fix: scope"+esc+"\n    hint: first line\nsecond "+esc+"\n", out)
}

// TestWriteTextHintRepeatsFix: a provider-side fix that opens the hint too is printed once; the hint
// says only what it adds, and a hint that does not repeat the fix stays whole.
func TestWriteTextHintRepeatsFix(t *testing.T) {
	const fix = "ORY Hydra: oauth2.pkce.enforced: false"
	tests := []struct{ hint, want string }{
		{hint: fix, want: "    fix: " + fix + "\n"},
		{hint: fix + "; AList 3.63 has no PKCE setting", want: "    fix: " + fix + "\n    hint: AList 3.63 has no PKCE setting\n"},
		{hint: "register the client again", want: "    fix: " + fix + "\n    hint: register the client again\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		require.NoError(t, WriteText(&b, []Finding{{Code: "DOC013", Severity: SeverityError, Message: "m", Fix: fix, Hint: tt.hint}}, plainStyler{}))
		assert.Equal(t, "X DOC013 m\n"+tt.want, b.String())
	}
}
