package token_test

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/token"
)

// signHS512 signs claims with HS512 under any key, as LemonLDAP::NG does with a short client
// secret (go-jose would refuse to sign with it).
func signHS512(t *testing.T, key []byte, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	input := b64(`{"alg":"HS512","typ":"JWT"}`) + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha512.New, key)
	mac.Write([]byte(input))
	return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// An HS512 token keyed with a 17-byte secret: verified with that secret, it fails the secret
// length check with both lengths (it said "does not verify with the client secret"); verified with
// another short secret, it is still a signature that does not verify.
func TestVerifyShortHMACSecret(t *testing.T) {
	short := []byte("llng-short-secret")
	tok, err := token.Parse(signHS512(t, short, claims(nil)))
	require.NoError(t, err)
	opts := token.VerifyOptions{Issuer: issuer, Audience: "app", Secret: short, Now: func() time.Time { return now }}

	_, err = token.Verify(tok, opts)
	var ce *token.CheckError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "secret length", ce.Check)
	assert.Equal(t, "at least 64 bytes (HS512)", ce.Expected)
	assert.Equal(t, "17 bytes", ce.Actual)
	assert.Contains(t, ce.Message, "signed with HS512 keyed with the client secret, and the secret is 17 bytes, shorter than the 64 bytes HS512 needs (RFC 7518 §3.2)")
	assert.Contains(t, ce.HintText, "at least 64 bytes")
	assert.NotContains(t, ce.Message+ce.HintText, string(short))

	opts.Secret = []byte("another-short-one")
	_, err = token.Verify(tok, opts)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "signature", ce.Check)
	assert.Contains(t, ce.Message, "the HS512 signature does not verify with the client secret")
}
