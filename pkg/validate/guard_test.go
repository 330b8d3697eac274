package validate_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

const guardBase = `version: 1
app: {kind: generic, url: https://apps.example.com}
providers:
  - name: x
    type: github
    client_id: a
    client_secret: env:S
    redirect_url: https://apps.example.com/cb
    mapping: {rules: {name: "$.["}}
  - name: y
    type: github
    client_id: b
    client_secret: env:S
    redirect_url: https://apps.example.com/cb
    mapping: {rules: {name: "$.["}}
`

func guardFile(t *testing.T, text string) *config.File {
	t.Helper()
	f, err := config.Parse("c.yaml", []byte(text))
	require.NoError(t, err)
	return f
}

// Issue 14 item 10: what provider add writes is validated; only errors the edit brings stop it.
func TestGuard(t *testing.T) {
	guard := validate.Guard(validate.Options{LookupEnv: func(string) (string, bool) { return "s", true }})
	before := guardFile(t, guardBase)

	t.Run("a good provider next to old errors", func(t *testing.T) {
		after := guardFile(t, guardBase)
		require.NoError(t, after.AddProvider(config.Provider{Name: "z", Type: "github", ClientID: "c", ClientSecret: "env:S", RedirectURL: "https://apps.example.com/cb"}))
		assert.NoError(t, guard(before, after))
	})
	t.Run("removing shifts the others' paths but brings nothing", func(t *testing.T) {
		after := guardFile(t, guardBase)
		require.NoError(t, after.RemoveProvider("x"))
		assert.NoError(t, guard(before, after))
	})
	t.Run("a rule that does not compile", func(t *testing.T) {
		after := guardFile(t, guardBase)
		require.NoError(t, after.AddProvider(config.Provider{Name: "z", Type: "github", ClientID: "c", ClientSecret: "env:S",
			RedirectURL: "https://apps.example.com/cb#frag", Mapping: &config.Mapping{Rules: map[string]string{"email": "$.["}}}))
		err := guard(before, after)
		var ie *validate.IntroducedError
		require.True(t, errors.As(err, &ie), "got %v", err)
		codes := codesOf(ie.Findings)
		assert.ElementsMatch(t, []string{"SSO012", "SSO030"}, codes)
		assert.Equal(t, 1, ie.ExitCode())
		assert.Regexp(t, `^c.yaml was not changed: the change would add error SSO0(12|30) in providers\[2\]\.\S+: .* \(and 1 more error\)$`, err.Error())
		assert.Contains(t, ie.Hint(), "--no-validate")
	})
	t.Run("the same error once more is new", func(t *testing.T) {
		after := guardFile(t, guardBase+`  - name: w
    type: github
    client_id: b
    client_secret: env:S
    redirect_url: https://apps.example.com/cb
    mapping: {rules: {name: "$.["}}
`)
		got := validate.Introduced(before, after, validate.Options{LookupEnv: func(string) (string, bool) { return "s", true }})
		require.Len(t, got, 1)
		assert.Equal(t, "w", got[0].Provider)
	})
	t.Run("a new file", func(t *testing.T) {
		empty := guardFile(t, "")
		after := guardFile(t, "")
		require.NoError(t, after.AddProvider(config.Provider{Name: "z", Type: "github", ClientID: "c", ClientSecret: "env:S"}))
		assert.NoError(t, guard(empty, after))
	})
}
