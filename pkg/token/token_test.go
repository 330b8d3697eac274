package token_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
	"github.com/ssoctl/ssoctl/pkg/token"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const issuer = "https://sso.example.com/realms/main"

func claims(mod func(map[string]any)) map[string]any {
	c := map[string]any{
		"iss": issuer, "aud": "app", "sub": "user-1", "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"auth_time": now.Add(-2 * time.Hour).Unix(), "email": "alice@example.com", "groups": []string{"admins"},
	}
	if mod != nil {
		mod(c)
	}
	return c
}

var rsaKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// jwe encrypts claims to a key, as a provider with an encryption key configured does.
func jwe(t *testing.T) string {
	t.Helper()
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.RSA_OAEP, Key: &rsaKey.PublicKey, KeyID: "enc-1"}, nil)
	require.NoError(t, err)
	obj, err := enc.Encrypt([]byte(`{"sub":"user-1"}`))
	require.NoError(t, err)
	s, err := obj.CompactSerialize()
	require.NoError(t, err)
	return s
}

func TestParse(t *testing.T) {
	signed := discoverytest.SignRS256(rsaKey, "k1", claims(nil))
	t.Run("signed", func(t *testing.T) {
		tok, err := token.Parse(signed)
		require.NoError(t, err)
		assert.Equal(t, "RS256", tok.Alg)
		assert.Equal(t, "k1", tok.Kid)
		assert.Equal(t, "JWT", tok.Typ)
		assert.True(t, tok.Signed())
		assert.False(t, tok.Encrypted)
		assert.Equal(t, "user-1", tok.Claims["sub"])
		assert.Equal(t, json.Number("1772366400"), tok.Claims["iat"], "numbers stay exact")
	})
	t.Run("pasted with Bearer, quotes and a newline", func(t *testing.T) {
		tok, err := token.Parse("Bearer \"" + signed + "\"\n")
		require.NoError(t, err)
		assert.Equal(t, "user-1", tok.Claims["sub"])
	})
	t.Run("alg none", func(t *testing.T) {
		tok, err := token.Parse(b64(`{"alg":"none"}`) + "." + b64(`{"sub":"x"}`) + ".")
		require.NoError(t, err)
		assert.Equal(t, "none", tok.Alg)
		assert.False(t, tok.Signed())
	})
	t.Run("JWE", func(t *testing.T) {
		raw := jwe(t)
		require.Equal(t, 4, strings.Count(raw, "."))
		tok, err := token.Parse(raw)
		var ee *token.EncryptedError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, "this is an encrypted ID token (JWE, alg RSA-OAEP, enc A256GCM); remove the encryption key in the provider's settings to get a signed one", err.Error())
		assert.Equal(t, 1, ee.ExitCode())
		require.NotNil(t, tok, "the header is still shown")
		assert.True(t, tok.Encrypted)
		assert.Equal(t, "enc-1", tok.Kid)
		assert.Nil(t, tok.Claims)
	})
	junk := []struct{ name, in, reason string }{
		{"empty", "  \n", "it is empty"},
		{"one part", "not-a-token", "it has 1 dot-separated part(s); a signed JWT has 3, an encrypted one 5"},
		{"four parts", "a.b.c.d", "it has 4 dot-separated part(s)"},
		{"header not base64url", "!!!.e30.x", "its header is not base64url"},
		{"header not JSON", b64("hello") + ".e30.x", "its header is not a JSON object"},
		{"header without alg", b64(`{"typ":"JWT"}`) + ".e30.x", `its header has no "alg"`},
		{"payload not JSON", b64(`{"alg":"RS256"}`) + "." + b64("[1]") + ".x", "its payload is not a JSON object"},
		{"two words", signed + " " + signed, "it contains blanks"},
		{"huge", strings.Repeat("a", token.MaxBytes+1), "it is longer than 256 KiB; real tokens have a few KiB"},
	}
	for _, tt := range junk {
		t.Run(tt.name, func(t *testing.T) {
			_, err := token.Parse(tt.in)
			var fe *token.FormatError
			require.ErrorAs(t, err, &fe)
			assert.True(t, strings.HasPrefix(err.Error(), "the input is not a JWT: "), err.Error())
			assert.Contains(t, err.Error(), tt.reason)
			assert.Equal(t, 2, fe.ExitCode())
			if len(tt.in) > 8 {
				assert.NotContains(t, err.Error()+fe.Hint(), tt.in, "the input is never echoed")
			}
		})
	}
}

func TestTimes(t *testing.T) {
	raw := discoverytest.SignRS256(rsaKey, "k1", claims(func(c map[string]any) {
		c["nbf"] = json.Number("1772366400.5")
		c["updated_at"] = "yesterday" // not a number: left out
	}))
	tok, err := token.Parse(raw)
	require.NoError(t, err)
	got := tok.Times(now)
	assert.Equal(t, map[string]token.Time{
		"exp":       {Unix: "1772366700", Time: "2026-03-01T12:05:00Z", Relative: "in 5m"},
		"iat":       {Unix: "1772366400", Time: "2026-03-01T12:00:00Z", Relative: "now"},
		"auth_time": {Unix: "1772359200", Time: "2026-03-01T10:00:00Z", Relative: "2h ago"},
		"nbf":       {Unix: "1772366400.5", Time: "2026-03-01T12:00:00Z", Relative: "in 1s"},
	}, got)
}

func TestRelative(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "now"},
		{400 * time.Millisecond, "now"},
		{45 * time.Second, "in 45s"},
		{-5 * time.Minute, "5m ago"},
		{5*time.Minute + 30*time.Second, "in 5m30s"},
		{-(2*time.Hour + 5*time.Minute), "2h5m ago"},
		{2*time.Hour + 59*time.Minute + 59*time.Second + 600*time.Millisecond, "in 3h"},
		{-(3*24*time.Hour + 4*time.Hour), "3d4h ago"},
		{400 * 24 * time.Hour, "in 400d"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, token.Relative(now.Add(tt.d), now))
		})
	}
}

func TestVerify(t *testing.T) {
	pub := jose.JSONWebKey{Key: &rsaKey.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	secret := []byte("hs256-secret-that-is-at-least-32-bytes-long")
	opts := func(mod func(*token.VerifyOptions)) token.VerifyOptions {
		o := token.VerifyOptions{Issuer: issuer, Audience: "app", Keys: []jose.JSONWebKey{pub}, AnnouncedAlgs: []string{"RS256", "HS256"}, Now: func() time.Time { return now }}
		if mod != nil {
			mod(&o)
		}
		return o
	}
	sign := func(mod func(map[string]any)) string { return discoverytest.SignRS256(rsaKey, "k1", claims(mod)) }
	tests := []struct {
		name  string
		raw   string
		opts  token.VerifyOptions
		check string // the failed check; "" for success
		msg   string
		hint  string
	}{
		{name: "valid", raw: sign(nil), opts: opts(nil)},
		{name: "valid within the clock skew after exp", raw: sign(func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() }), opts: opts(nil)},
		{name: "valid HS256 with the client secret", raw: discoverytest.SignHS256(secret, claims(nil)), opts: opts(func(o *token.VerifyOptions) { o.Secret = secret })},
		{name: "valid with nonce", raw: sign(func(c map[string]any) { c["nonce"] = "n-1" }), opts: opts(func(o *token.VerifyOptions) { o.Nonce = "n-1" })},
		{name: "expired", raw: sign(func(c map[string]any) { c["exp"] = now.Add(-time.Hour).Unix() }), opts: opts(nil),
			check: "exp", msg: "token expiry check failed: it expired at 2026-03-01T11:00:00Z, 1h ago (allowed clock skew 2m0s)", hint: "get a fresh one"},
		{name: "wrong aud", raw: sign(func(c map[string]any) { c["aud"] = []string{"other-app"} }), opts: opts(nil),
			check: "aud", msg: `token audience check failed: expected client ID "app" among the audiences, got ["other-app"]`, hint: "issued to another client"},
		{name: "wrong iss: trailing slash", raw: sign(func(c map[string]any) { c["iss"] = issuer + "/" }), opts: opts(nil),
			check: "iss", msg: `token issuer check failed: expected "` + issuer + `", got "` + issuer + `/"`, hint: "trailing slash as shown"},
		{name: "bad signature", raw: discoverytest.SignRS256(other, "k1", claims(nil)), opts: opts(nil),
			check: "signature", msg: "token signature check failed: the RS256 signature does not verify with key k1 from the issuer's JWKS"},
		{name: "unknown kid", raw: discoverytest.SignRS256(other, "k9", claims(nil)), opts: opts(nil),
			check: "signature", msg: `the issuer's JWKS has no RS256 key with kid "k9" (its keys: k1)`, hint: "another issuer or environment"},
		{name: "alg none", raw: b64(`{"alg":"none"}`) + "." + b64(`{"iss":"`+issuer+`","aud":"app"}`) + ".", opts: opts(nil),
			check: "signature", msg: `the token is unsigned (alg "none")`},
		{name: "HS256 keyed with the public key is refused without a secret", raw: discoverytest.SignHS256([]byte("pretend-this-is-the-public-key-pem"), claims(nil)), opts: opts(nil),
			check: "signature", msg: "alg HS256 is an HMAC keyed with the client secret, and no secret was given", hint: "--client-secret-env"},
		{name: "HS256 with the wrong secret", raw: discoverytest.SignHS256([]byte("another-secret-that-is-at-least-32-bytes"), claims(nil)), opts: opts(func(o *token.VerifyOptions) { o.Secret = secret }),
			check: "signature", msg: "the HS256 signature does not verify with the client secret"},
		{name: "alg the issuer does not announce", raw: sign(nil), opts: opts(func(o *token.VerifyOptions) { o.AnnouncedAlgs = []string{"ES256"} }),
			check: "signature", msg: "alg RS256 is not among the algorithms the issuer announces"},
		{name: "iat in the future", raw: sign(func(c map[string]any) { c["iat"] = now.Add(time.Hour).Unix(); c["exp"] = now.Add(2 * time.Hour).Unix() }), opts: opts(nil),
			check: "iat", msg: "it was issued at 2026-03-01T13:00:00Z, 1h in the future of this machine's time", hint: "timedatectl"},
		{name: "nbf in the future", raw: sign(func(c map[string]any) { c["nbf"] = now.Add(10 * time.Minute).Unix() }), opts: opts(nil),
			check: "nbf", msg: "valid only from 2026-03-01T12:10:00Z, 10m from now"},
		{name: "no iat", raw: sign(func(c map[string]any) { delete(c, "iat") }), opts: opts(nil),
			check: "iat", msg: "the token has no iat claim"},
		{name: "exp not a number", raw: sign(func(c map[string]any) { c["exp"] = "tomorrow" }), opts: opts(nil),
			check: "exp", msg: `exp is "tomorrow", not a number of seconds`},
		{name: "several audiences without azp", raw: sign(func(c map[string]any) { c["aud"] = []string{"app", "api"} }), opts: opts(nil),
			check: "azp", msg: "the token has 2 audiences and no azp claim"},
		{name: "nonce mismatch", raw: sign(func(c map[string]any) { c["nonce"] = "other" }), opts: opts(func(o *token.VerifyOptions) { o.Nonce = "n-1" }),
			check: "nonce", msg: `expected "n-1", got "other"`},
		{name: "no sub", raw: sign(func(c map[string]any) { delete(c, "sub") }), opts: opts(nil),
			check: "sub", msg: "the token has no sub claim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := token.Parse(tt.raw)
			require.NoError(t, err)
			passed, err := token.Verify(tok, tt.opts)
			if tt.check == "" {
				require.NoError(t, err)
				var names []string
				for _, p := range passed {
					names = append(names, p.Check)
				}
				assert.Subset(t, names, []string{"signature", "iss", "aud", "exp", "iat", "sub"})
				return
			}
			var ce *token.CheckError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.check, ce.Check)
			assert.Contains(t, ce.Message, tt.msg)
			assert.Contains(t, ce.Hint(), tt.hint)
			assert.Equal(t, 1, ce.ExitCode())
			assert.NotContains(t, ce.Message+ce.Hint(), string(secret), "the secret is never printed")
			for _, p := range passed {
				assert.NotEqual(t, tt.check, p.Check, "a failed check is not also passed")
			}
		})
	}
	t.Run("encrypted", func(t *testing.T) {
		tok, _ := token.Parse(jwe(t))
		_, err := token.Verify(tok, opts(nil))
		var ee *token.EncryptedError
		assert.ErrorAs(t, err, &ee)
	})
}
