package decode

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/token"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestNewCmdDecode(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		stdinTTY bool
		want     DecodeOptions
		wantErr  string
	}{
		{name: "token argument", args: []string{"a.b.c"}, stdinTTY: true, want: DecodeOptions{Token: "a.b.c"}},
		{name: "dash reads stdin", args: []string{"-"}, stdinTTY: true, want: DecodeOptions{Stdin: true}},
		{name: "no argument reads a piped stdin", args: nil, want: DecodeOptions{Stdin: true}},
		{name: "no argument on a terminal", args: nil, stdinTTY: true, wantErr: "cannot decode: token argument required, or pipe the token on stdin"},
		{name: "verify flags", args: []string{"--verify", "--issuer", "https://a.example", "--audience", "app", "--nonce", "n", "--client-secret-env", "S", "--clock-skew", "30s"},
			want: DecodeOptions{Stdin: true, Verify: true, Issuer: "https://a.example", Audience: "app", Nonce: "n", ClientSecretEnv: "S", ClockSkew: 30 * time.Second}},
		{name: "issuer without verify", args: []string{"--issuer", "https://a.example", "--audience", "app"}, wantErr: "--issuer, --audience only apply with --verify"},
		{name: "two tokens are not echoed", args: []string{"secret1.x.y", "secret2.x.y"}, wantErr: "token decode takes one token (or - for stdin), got 2 arguments"},
		{name: "negative skew", args: []string{"--verify", "--clock-skew", "-1s"}, wantErr: "--clock-skew must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			ios.SetStdinTTY(tt.stdinTTY)
			var got *DecodeOptions
			cmd := NewCmdDecode(&cmdutil.Factory{IOStreams: ios}, func(o *DecodeOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tt.wantErr, err.Error())
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			if tt.want.ClockSkew == 0 {
				tt.want.ClockSkew = token.DefaultClockSkew
			}
			assert.Equal(t, tt.want.Token, got.Token)
			assert.Equal(t, tt.want.Stdin, got.Stdin)
			assert.Equal(t, tt.want.Verify, got.Verify)
			assert.Equal(t, tt.want.Issuer, got.Issuer)
			assert.Equal(t, tt.want.Audience, got.Audience)
			assert.Equal(t, tt.want.Nonce, got.Nonce)
			assert.Equal(t, tt.want.ClientSecretEnv, got.ClientSecretEnv)
			assert.Equal(t, tt.want.ClockSkew, got.ClockSkew)
			assert.Equal(t, "text", got.Output)
		})
	}
}

type run struct {
	stdout, stderr string
	err            error
}

func decode(t *testing.T, opts DecodeOptions, stdin string) run {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	opts.IO = ios
	if opts.Now == nil {
		opts.Now = func() time.Time { return now }
	}
	if opts.LookupEnv == nil {
		opts.LookupEnv = func(string) (string, bool) { return "", false }
	}
	if opts.HttpClient == nil {
		opts.HttpClient = func() (*http.Client, error) { return &http.Client{}, nil }
	}
	if opts.Output == "" {
		opts.Output = "text"
	}
	if opts.ClockSkew == 0 {
		opts.ClockSkew = token.DefaultClockSkew
	}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	err := decodeRun(context.Background(), &opts)
	return run{out.String(), errOut.String(), err}
}

var key = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

func sample() string {
	return discoverytest.SignRS256(key, "k1", map[string]any{
		"iss": "https://sso.example.com", "aud": "app", "sub": "user-1", "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"auth_time": now.Add(-2 * time.Hour).Unix(), "email": "alice@example.com", "groups": []string{"admins", "staff"},
	})
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestDecodeRunText(t *testing.T) {
	raw := sample()
	r := decode(t, DecodeOptions{Stdin: true}, raw+"\n")
	require.NoError(t, r.err)
	assert.Equal(t, `Header
  alg  RS256
  kid  k1
  typ  JWT

Claims
  aud        app
  auth_time  1772359200  2026-03-01T10:00:00Z (2h ago)
  email      alice@example.com
  exp        1772366700  2026-03-01T12:05:00Z (in 5m)
  groups     ["admins","staff"]
  iat        1772366400  2026-03-01T12:00:00Z (now)
  iss        https://sso.example.com
  sub        user-1
`, r.stdout)
	assert.Equal(t, "! decoded only: the signature and claims were not verified (add --verify --issuer URL --audience CLIENT_ID)\n", r.stderr)
	sig := raw[strings.LastIndex(raw, ".")+1:]
	assert.NotContains(t, r.stdout+r.stderr, sig, "the token is never echoed")
}

func TestDecodeRunJSON(t *testing.T) {
	r := decode(t, DecodeOptions{Token: sample(), Output: "json"}, "")
	require.NoError(t, r.err)
	assert.Empty(t, r.stderr, "JSON mode keeps stderr quiet on success")
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	assert.Equal(t, []string{"claims", "encrypted", "header", "times", "verified"}, keys, "the field list is part of the contract")
	assert.Equal(t, map[string]any{"alg": "RS256", "kid": "k1", "typ": "JWT"}, doc["header"])
	assert.Equal(t, map[string]any{"unix": float64(1772366700), "time": "2026-03-01T12:05:00Z", "relative": "in 5m"}, doc["times"].(map[string]any)["exp"])
	assert.Equal(t, false, doc["verified"])
	assert.Contains(t, r.stdout, `"iat": 1772366400`, "numbers are printed exactly")
}

func TestDecodeRunBadInput(t *testing.T) {
	enc, err := jose.NewEncrypter(jose.A128GCM, jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: &key.PublicKey}, nil)
	require.NoError(t, err)
	obj, err := enc.Encrypt([]byte(`{"sub":"x"}`))
	require.NoError(t, err)
	jwe, err := obj.CompactSerialize()
	require.NoError(t, err)

	t.Run("JWE", func(t *testing.T) {
		r := decode(t, DecodeOptions{Token: jwe}, "")
		require.Error(t, r.err)
		assert.Equal(t, "this is an encrypted ID token (JWE, alg RSA-OAEP-256, enc A128GCM); remove the encryption key in the provider's settings to get a signed one", r.err.Error())
		assert.Equal(t, cmdutil.ExitCheckFailed, cmdutil.ExitCodeOf(r.err))
		assert.Equal(t, "Header (JWE, encrypted)\n  alg  RSA-OAEP-256\n  enc  A128GCM\n", r.stdout)
	})
	t.Run("JWE as JSON", func(t *testing.T) {
		r := decode(t, DecodeOptions{Token: jwe, Output: "json"}, "")
		require.Error(t, r.err)
		assert.Contains(t, r.stdout, `"encrypted": true`)
		assert.Contains(t, r.stdout, `"claims": null`)
	})
	t.Run("junk", func(t *testing.T) {
		r := decode(t, DecodeOptions{Stdin: true}, "hello world")
		require.Error(t, r.err)
		assert.Equal(t, "the input is not a JWT: it contains blanks or line breaks; a JWT is one word", r.err.Error())
		assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(r.err))
		assert.Empty(t, r.stdout)
	})
	t.Run("control characters in claims are quoted", func(t *testing.T) {
		// A pasted token is untrusted: its claims must not restyle the terminal or forge lines.
		tok := b64(`{"alg":"RS256"}`) + "." + b64(`{"sub":"x","name":"\u001b[31mred\u001b[0m\nexp: forged","a\tb":1}`) + ".c2ln"
		r := decode(t, DecodeOptions{Token: tok}, "")
		require.NoError(t, r.err)
		assert.Equal(t, "Header\n  alg  RS256\n\nClaims\n"+
			"  \"a\\tb\"  1\n"+
			"  name    \"\\u001b[31mred\\u001b[0m\\nexp: forged\"\n"+
			"  sub     x\n", r.stdout)
	})
	t.Run("stdin far larger than a token", func(t *testing.T) {
		// Reading stops after MaxBytes+1, so the message must not claim that as the input's length.
		r := decode(t, DecodeOptions{Stdin: true}, strings.Repeat("a", 4*token.MaxBytes))
		require.Error(t, r.err)
		assert.Equal(t, "the input is not a JWT: it is longer than 256 KiB; real tokens have a few KiB", r.err.Error())
		assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(r.err))
		assert.Empty(t, r.stdout)
	})
	t.Run("alg none decodes with the warning", func(t *testing.T) {
		r := decode(t, DecodeOptions{Token: b64(`{"alg":"none"}`) + "." + b64(`{"sub":"x"}`) + "."}, "")
		require.NoError(t, r.err)
		assert.Contains(t, r.stdout, "  alg  none\n")
	})
}

func TestDecodeRunVerify(t *testing.T) {
	srv := discoverytest.New(discoverytest.OK)
	defer srv.Close()
	wrongIss := discoverytest.New(discoverytest.WrongIssuer)
	defer wrongIss.Close()
	secret := "hs256-secret-that-is-at-least-32-bytes-long"
	claims := func(mod func(map[string]any)) map[string]any {
		c := srv.Claims("app", now)
		if mod != nil {
			mod(c)
		}
		return c
	}
	verifyOpts := func(raw string, mod func(*DecodeOptions)) DecodeOptions {
		o := DecodeOptions{Token: raw, Verify: true, Issuer: srv.Issuer(), Audience: "app",
			HttpClient: func() (*http.Client, error) { return srv.Client(), nil },
			LookupEnv:  func(k string) (string, bool) { return secret, k == "APP_SECRET" }}
		if mod != nil {
			mod(&o)
		}
		return o
	}
	tests := []struct {
		name       string
		opts       DecodeOptions
		code       int
		err        string
		hint       string
		stderr     []string
		noEvidence bool
	}{
		{name: "valid", opts: verifyOpts(srv.Sign(claims(nil)), nil),
			stderr: []string{"✓ discovery (", "): issuer " + srv.Issuer() + "\n", "✓ jwks (", "): 1 signing key(s)\n", "✓ signature: RS256 with key dt-key-1\n", "✓ iss: " + srv.Issuer() + "\n", "✓ aud: app\n", "✓ exp: in 1h\n", "✓ iat: now\n", "✓ sub: user-1\n"}},
		{name: "HS256 with the client secret", opts: verifyOpts(discoverytest.SignHS256([]byte(secret), claims(nil)), func(o *DecodeOptions) { o.ClientSecretEnv = "APP_SECRET" }),
			stderr: []string{"✓ signature: HS256 with the client secret\n"}},
		{name: "expired", opts: verifyOpts(srv.Sign(claims(func(c map[string]any) { c["exp"] = now.Add(-time.Hour).Unix() })), nil),
			code: 1, err: "token expiry check failed: it expired at 2026-03-01T11:00:00Z, 1h ago (allowed clock skew 2m0s)", hint: "ID tokens live minutes",
			stderr: []string{"X exp check failed\n"}},
		{name: "wrong aud", opts: verifyOpts(srv.Sign(claims(nil)), func(o *DecodeOptions) { o.Audience = "files" }),
			code: 1, err: `token audience check failed: expected client ID "files" among the audiences, got ["app"]`,
			stderr: []string{"X aud check failed\n    expected  files\n    actual    app\n              ^\n"}},
		{name: "wrong iss in the token", opts: verifyOpts(srv.Sign(claims(func(c map[string]any) { c["iss"] = srv.Issuer() + "/" })), nil),
			code: 1, err: `token issuer check failed: expected "` + srv.Issuer() + `", got "` + srv.Issuer() + `/"`, hint: "trailing slash as shown"},
		{name: "issuer whose discovery names another", opts: verifyOpts(srv.Sign(claims(nil)), func(o *DecodeOptions) {
			o.Issuer = wrongIss.Issuer()
			o.HttpClient = func() (*http.Client, error) { return wrongIss.Client(), nil }
		}), code: 1, err: `cannot verify: issuer "` + wrongIss.Issuer() + `" differs from the discovered issuer "https://sso.example.com/realms/main"`,
			stderr: []string{"X discovery check failed\n"}},
		{name: "bad signature", opts: verifyOpts(discoverytest.SignRS256(srv.Other, discoverytest.KeyID, claims(nil)), nil),
			code: 1, err: "token signature check failed: the RS256 signature does not verify with key dt-key-1 from the issuer's JWKS"},
		{name: "alg none", opts: verifyOpts(b64(`{"alg":"none"}`)+"."+b64(`{"iss":"x"}`)+".", nil),
			code: 1, err: `token signature check failed: the token is unsigned (alg "none"), which ssoctl never accepts`},
		{name: "HS256 without a secret", opts: verifyOpts(discoverytest.SignHS256([]byte(secret), claims(nil)), nil),
			code: 1, err: "token signature check failed: alg HS256 is an HMAC keyed with the client secret, and no secret was given", hint: "--client-secret-env"},
		{name: "secret variable unset", opts: verifyOpts(srv.Sign(claims(nil)), func(o *DecodeOptions) { o.ClientSecretEnv = "NOPE" }),
			code: 2, err: "--client-secret-env NOPE: the environment variable is not set"},
		{name: "missing issuer and audience", opts: verifyOpts(srv.Sign(claims(nil)), func(o *DecodeOptions) { o.Issuer, o.Audience = "", "" }),
			code: 2, err: "--verify needs --issuer and --audience", hint: `the token claims iss "` + srv.Issuer() + `" and aud "app"`},
		{name: "unreachable issuer", opts: verifyOpts(srv.Sign(claims(nil)), func(o *DecodeOptions) { o.Issuer = "http://127.0.0.1:1" }),
			code: 1, err: "cannot verify: cannot fetch the discovery document at http://127.0.0.1:1/.well-known/openid-configuration: TCP: ", hint: "nothing accepts connections"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decode(t, tt.opts, "")
			if tt.code == 0 {
				require.NoError(t, r.err, r.stderr)
				assert.Contains(t, r.stdout, "Claims\n")
			} else {
				require.Error(t, r.err)
				assert.Equal(t, tt.code, cmdutil.ExitCodeOf(r.err))
				assert.Contains(t, r.err.Error(), tt.err)
				assert.Contains(t, cmdutil.HintOf(r.err), tt.hint)
			}
			for _, s := range tt.stderr {
				assert.Contains(t, r.stderr, s)
			}
			assert.NotContains(t, r.stdout+r.stderr+r.err_(), secret, "the secret is never printed")
		})
	}

	t.Run("JSON with a failed check", func(t *testing.T) {
		o := verifyOpts(srv.Sign(claims(nil)), func(o *DecodeOptions) { o.Audience = "files"; o.Output = "json" })
		r := decode(t, o, "")
		require.Error(t, r.err)
		var doc struct {
			Verified     bool          `json:"verified"`
			Verification *Verification `json:"verification"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
		assert.False(t, doc.Verified)
		require.NotNil(t, doc.Verification)
		assert.Equal(t, "2m0s", doc.Verification.Skew)
		assert.Equal(t, []token.Passed{{Check: "signature", Detail: "RS256 with key dt-key-1"}, {Check: "iss", Detail: srv.Issuer()}}, doc.Verification.Passed)
		assert.Equal(t, &token.CheckError{Check: "aud", Expected: "files", Actual: "app",
			Message:  `token audience check failed: expected client ID "files" among the audiences, got ["app"]`,
			HintText: "the token was issued to another client: compare --audience with the client ID on the provider's application page (and with client_id in the app)"}, doc.Verification.Error)
	})
	t.Run("JSON verified", func(t *testing.T) {
		r := decode(t, verifyOpts(srv.Sign(claims(nil)), func(o *DecodeOptions) { o.Output = "json" }), "")
		require.NoError(t, r.err)
		assert.Contains(t, r.stdout, `"verified": true`)
	})
}

func (r run) err_() string {
	if r.err == nil {
		return ""
	}
	return r.err.Error() + cmdutil.HintOf(r.err)
}
