package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// plainStyler colours nothing.
type plainStyler struct{}

func (plainStyler) Red(s string) string    { return s }
func (plainStyler) Yellow(s string) string { return s }
func (plainStyler) Cyan(s string) string   { return s }
func (plainStyler) Gray(s string) string   { return s }
func (plainStyler) Bold(s string) string   { return s }

// TestCheckOnlineHostileProvider runs the online checks against a provider that echoes the client
// secret in its token endpoint's error_description (DOC022 quotes it) and puts terminal escape
// sequences in everything it says: no format shows the secret, the text formats show no control
// character raw, and the secret is masked only where the provider said it, so that a short secret
// ("e", "secret") leaves ssoctl's own words whole.
func TestCheckOnlineHostileProvider(t *testing.T) {
	for _, secret := range []string{"s3cr3t-echoed-by-the-idp", "secret", "e"} {
		t.Run(secret, func(t *testing.T) {
			idp := logintest.NewInjector(secret)
			defer idp.Close()
			f, err := config.Parse("c.yaml", []byte("version: 1\nproviders:\n  - name: evil\n    type: oidc\n    issuer: "+idp.URL+"\n    client_id: files\n    client_secret: env:IDP_SECRET\n"))
			require.NoError(t, err)
			opts := validate.Options{DisplayPath: "c.yaml", LookupEnv: func(k string) (string, bool) { return secret, k == "IDP_SECRET" }}
			r := validate.CheckOnline(context.Background(), f, opts, validate.OnlineOptions{Concurrency: 1})

			var doc022 *validate.Finding
			for i := range r.Findings {
				if r.Findings[i].Code == "DOC022" {
					doc022 = &r.Findings[i]
				}
			}
			require.NotNil(t, doc022, "the client probe's answer says nothing about the client: %+v", r.Findings)
			echo := "client_secret " + secret + " is not expected"
			var text, gh, js, sarif bytes.Buffer
			require.NoError(t, validate.WriteText(&text, r.Findings, plainStyler{}))
			require.NoError(t, validate.WriteGitHub(&gh, r.Findings))
			require.NoError(t, validate.WriteJSON(&js, r))
			require.NoError(t, validate.WriteSARIF(&sarif, r.Findings, validate.SARIFOptions{}))
			for name, out := range map[string]string{"text": text.String(), "github": gh.String(), "json": js.String(), "sarif": sarif.String()} {
				assert.NotContains(t, out, echo, "%s shows the secret the provider echoed", name)
				if len(secret) > 1 {
					assert.NotContains(t, out, secret+" is not expected", name)
				}
			}
			assert.Contains(t, text.String(), "*** is not ", "the echo is masked where the provider said it")
			for name, out := range map[string]string{"text": text.String(), "github": gh.String()} {
				for _, c := range []string{"\x1b", "\x07", "\r", "\u202e", "\u009b"} {
					assert.NotContains(t, out, c, "%s shows %q raw", name, c)
				}
			}
			assert.Contains(t, text.String(), `\x1b]0;pwned\x07`, "the escape sequence is shown, escaped")
			// JSON stays exact JSON: the provider's control characters are JSON escapes, never raw.
			var v any
			require.NoError(t, json.Unmarshal(js.Bytes(), &v))
			require.NoError(t, json.Unmarshal(sarif.Bytes(), &v))
			// ssoctl's own words around the masked text are whole, however short the secret.
			assert.Equal(t, "providers[0].client_secret", doc022.Path)
			assert.True(t, strings.HasPrefix(doc022.Message, "the token endpoint"), doc022.Message)
			assert.NotContains(t, doc022.Hint, "***", "the hint is ssoctl's own: nothing in it is masked")
		})
	}
}
