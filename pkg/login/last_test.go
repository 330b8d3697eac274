package login

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadLastSaysWhatIsWrong: a saved result that is not what test-login writes is one sentence
// naming the file and what was expected, not encoding/json's "cannot unmarshal array into Go value
// of type login.Report".
func TestLoadLastSaysWhatIsWrong(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"array", `[{"provider":"kc"}]`, " holds a JSON array, not the JSON object test-login saves"},
		{"field of another type", `{"steps":"none"}`, ` is not a result test-login saved: its "steps" is a JSON string, which test-login never writes there`},
		{"not JSON", `provider: kc`, " is not valid JSON (at byte 1: invalid character 'p' looking for beginning of value)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(LastPath(dir), []byte(tt.content), 0o600))
			_, err := LoadLast(dir)
			require.Error(t, err)
			assert.Equal(t, LastPath(dir)+tt.want, err.Error())
			assert.NotContains(t, err.Error(), "Go value")
		})
	}
	dir := t.TempDir()
	require.NoError(t, SaveLast(dir, &Report{Provider: "kc", Steps: []Step{}}))
	rep, err := LoadLast(dir)
	require.NoError(t, err)
	assert.Equal(t, "kc", rep.Provider)
}
