package login_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// TestShortSecretMasksOnlyTheEcho: with a short client secret ("e", "secret") that a provider
// echoes in its invalid_client answer, the echo is masked and ssoctl's own words around it
// (client_secret_basic, "the client secret") stay whole: masking a finished message turned them
// into "client_***_basic".
func TestShortSecretMasksOnlyTheEcho(t *testing.T) {
	for _, secret := range []string{"e", "secret"} {
		t.Run(secret, func(t *testing.T) {
			h := logintest.NewHostile(logintest.ModeOK) // refuses any secret but its own, echoing it
			defer h.Close()
			in, _ := input(h.Issuer(), logintest.HostileClientID, secret, logintest.FollowOptions{})
			rep, err := login.Run(context.Background(), in)
			var le *login.Error
			require.ErrorAs(t, err, &le)
			require.Equal(t, "invalid_client", le.Check, err.Error())

			msg, hint := err.Error(), cmdutil.HintOf(err)
			assert.Contains(t, msg, "code exchange failed: the token endpoint answered 401 Unauthorized with invalid_client", "ssoctl's words whole")
			// The provider's own text is masked as a whole ("s***cr***t ***" for "e"): only ssoctl's
			// words are kept whole.
			assert.True(t, strings.HasSuffix(msg, " ***)"), "the echoed secret masked: %s", msg)
			assert.NotContains(t, msg, " "+secret+")")
			assert.Contains(t, hint, "client secret", "the hint's own words whole: %s", hint)
			b, jerr := json.Marshal(rep)
			require.NoError(t, jerr)
			assert.Contains(t, string(b), `"clientAuth":"client_secret_basic"`, "the report's own words whole")
		})
	}
}
