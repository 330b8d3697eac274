package login_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// Two HS512 clients at the real provider: one with a 22-byte secret, shorter than the 64 bytes
// HS512 needs (RFC 7518 §3.2), and one with exactly 64. oidc-provider signs with either (node's
// HMAC takes any key length).
const (
	hs512ShortSecret = "hs512-secret-too-short"
	hs512Secret      = "hs512-secret-of-exactly-sixty-four-bytes-0123456789-0123456789ab"
)

func hs512Provider(t *testing.T) *logintest.NodeProvider {
	t.Helper()
	client := func(id, secret string) map[string]any {
		return map[string]any{"client_id": id, "client_secret": secret, "application_type": "native",
			"token_endpoint_auth_method": "client_secret_basic", "id_token_signed_response_alg": "HS512",
			"redirect_uris": []string{"http://127.0.0.1/callback"}, "grant_types": []string{"authorization_code"}, "response_types": []string{"code"}}
	}
	extra, err := json.Marshal([]any{client("hs512-short", hs512ShortSecret), client("hs512-long", hs512Secret)})
	require.NoError(t, err)
	return nodeProvider(t, "EXTRA_CLIENTS="+string(extra))
}

// An HS512 ID token keyed with a client secret shorter than 64 bytes is reported as that, with both
// lengths, not as a signature that does not verify (go-jose refuses the short key, and its error
// said only "failed to verify"); the secret itself is never shown. The same login with a 64-byte
// secret verifies.
func TestShortHMACSecret(t *testing.T) {
	op := hs512Provider(t)
	require.Equal(t, 64, len(hs512Secret))

	in, _ := input(op.Issuer, "hs512-short", hs512ShortSecret, logintest.FollowOptions{LoginHint: "alice"})
	rep, err := login.Run(context.Background(), in)
	var le *login.Error
	require.ErrorAs(t, err, &le, "provider stderr: %s", op.Stderr())
	assert.Equal(t, "id token", le.Step)
	assert.Equal(t, login.CheckSecretLength, le.Check)
	assert.Equal(t, "at least 64 bytes (HS512)", le.Expected)
	assert.Equal(t, "22 bytes", le.Actual)
	assert.Contains(t, le.Message, "signed with HS512 keyed with the client secret, and the client secret is 22 bytes, shorter than the 64 bytes HS512 needs (RFC 7518 §3.2)")
	assert.NotContains(t, le.Message, "does not verify")
	assert.Contains(t, le.Hint(), "a secret of at least 64 bytes")
	assert.Contains(t, le.Hint(), "RS256")
	b, _ := json.Marshal(rep)
	assert.NotContains(t, string(b)+le.Message+le.Hint(), hs512ShortSecret)
	require.NotNil(t, rep.IDToken)
	assert.Equal(t, "HS512", rep.IDToken.Header.Alg)
	assert.Nil(t, rep.IDToken.Claims, "an unverified token's claims are not shown")

	in, _ = input(op.Issuer, "hs512-long", hs512Secret, logintest.FollowOptions{LoginHint: "alice"})
	rep, err = login.Run(context.Background(), in)
	require.NoError(t, err, "provider stderr: %s", op.Stderr())
	assert.Contains(t, rep.IDToken.Checks, "signature HS512")
	b, _ = json.Marshal(rep)
	assert.NotContains(t, string(b), hs512Secret)
}
