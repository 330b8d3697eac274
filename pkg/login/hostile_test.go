package login_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

func TestHostileProvider(t *testing.T) {
	tests := []struct {
		mode    string
		check   string // login.Error.Check; "" for timeouts
		message string
		// notRedeemed: the code must never reach the token endpoint.
		notRedeemed bool
		// ignored: the callback is ignored (wrong state) and the login keeps waiting; the test gives up
		// once the browser has shown the listener's 400 page.
		ignored   bool
		jwksCalls int
	}{
		{mode: logintest.ModeBadSignature, check: "signature", message: "id token signature check failed: the RS256 signature does not verify with key hostile-key-1"},
		{mode: logintest.ModeAlgNone, check: "signature", message: `the token is unsigned (alg "none")`},
		{mode: logintest.ModeHS256PublicKey, check: "signature", message: "the HS256 signature does not verify with the client secret"},
		{mode: logintest.ModeUnknownKid, check: "kid", message: `key id "rotated-away" is not in the issuer's JWKS (hostile-key-1), even after fetching it again`, jwksCalls: 2},
		{mode: logintest.ModeWrongIss, check: "iss", message: "id token issuer check failed: expected"},
		{mode: logintest.ModeWrongAud, check: "aud", message: `id token audience check failed: expected client ID "hostile-client" among the audiences, got ["someone-else"]`},
		{mode: logintest.ModeMultiAudNoAzp, check: "azp", message: "no azp claim"},
		{mode: logintest.ModeExpired, check: "exp", message: "id token expiry check failed: it expired at"},
		{mode: logintest.ModeIatFuture, check: "iat", message: "id token issued-at check failed"},
		{mode: logintest.ModeNonceMismatch, check: "nonce", message: "id token nonce check failed: expected the nonce ssoctl sent"},
		{mode: logintest.ModeNonceMissing, check: "nonce", message: "the token has no nonce claim"},
		{mode: logintest.ModeAtHashMismatch, check: "at_hash", message: "id token at_hash check failed"},
		{mode: logintest.ModeErrorCallback, check: "error response", message: "the identity provider refused the login: access_denied (the user said no)", notRedeemed: true},
		{mode: logintest.ModeStateMismatch, ignored: true, notRedeemed: true},
		{mode: logintest.ModeIssParamMismatch, check: "iss parameter", message: `callback issuer check (RFC 9207) failed: expected`, notRedeemed: true},
		{mode: logintest.ModeTokenError, check: "invalid_client", message: "code exchange failed: the token endpoint answered 401 Unauthorized with invalid_client"},
		{mode: logintest.ModeTokenHang, message: "code exchange: the identity provider did not answer within the timeout of 1s"},
		{mode: logintest.ModeUserinfoSubMismatch, check: "sub", message: `userinfo subject check failed: expected sub "user-1" (from the ID token), got "user-2"`},
		{mode: logintest.ModeUserinfoHuge, message: "is larger than 1 MiB; ssoctl stopped reading there"},
		{mode: logintest.ModeDiscoveryIssuer, check: "issuer", message: "discovery issuer check failed", notRedeemed: true},
		{mode: logintest.ModeEncryptedIDToken, check: "encrypted", message: `the id_token is encrypted (JWE, 5 parts, alg RSA-OAEP-256, enc A256GCM), not signed`},
	}
	require.Len(t, tests, len(logintest.HostileModes), "every hostile mode is tested")
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			h := logintest.NewHostile(tt.mode)
			defer h.Close()
			in, _ := input(h.Issuer(), logintest.HostileClientID, logintest.HostileSecret, logintest.FollowOptions{})
			in.Timeout = 10 * time.Second
			if tt.mode == logintest.ModeTokenHang {
				in.Timeout = time.Second
			}
			if tt.ignored {
				ctx, giveUp := context.WithCancel(context.Background())
				in.Browser = walkThenGiveUp(ctx, giveUp, logintest.FollowOptions{})
				rep, err := login.Run(ctx, in)
				require.ErrorIs(t, err, context.Canceled, "only the user ends a login whose callbacks carry another state")
				assert.Contains(t, strings.Join(rep.Notes, "\n"), "ignored 1 request to the callback with a wrong state")
				assert.Zero(t, h.TokenCalls(), "the code was sent to the token endpoint")
				return
			}
			start := time.Now()
			rep, err := login.Run(context.Background(), in)
			require.Error(t, err)
			assert.Less(t, time.Since(start), in.Timeout+2*time.Second, "failed in time")
			assert.Equal(t, 1, exitCode(err), "exit code")
			assert.Contains(t, err.Error(), tt.message)
			assert.NotEmpty(t, hint(err), "every failure has a hint")
			if tt.check != "" {
				var le *login.Error
				require.ErrorAs(t, err, &le)
				assert.Equal(t, tt.check, le.Check)
			}
			// Never the client secret, in the error or in the report.
			b, _ := json.Marshal(rep)
			assert.NotContains(t, err.Error()+hint(err)+string(b), logintest.HostileSecret)
			if tt.notRedeemed {
				assert.Zero(t, h.TokenCalls(), "the code was sent to the token endpoint")
			}
			if tt.jwksCalls != 0 {
				assert.Equal(t, tt.jwksCalls, h.JWKSCalls(), "JWKS fetches")
			}
			var le *login.Error
			if errors.As(err, &le) && le.Step == "id token" && rep.IDToken != nil {
				assert.Nil(t, rep.IDToken.Claims, "claims of a rejected token are not reported")
			}
		})
	}
}

// TestEncryptedIDToken: a JWE says what it is, shows its header and says what to change.
func TestEncryptedIDToken(t *testing.T) {
	h := logintest.NewHostile(logintest.ModeEncryptedIDToken)
	defer h.Close()
	in, _ := input(h.Issuer(), logintest.HostileClientID, logintest.HostileSecret, logintest.FollowOptions{})
	rep, err := login.Run(context.Background(), in)
	var le *login.Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "id token", le.Step)
	assert.Equal(t, "an encrypted JWT (JWE, 5 parts, alg RSA-OAEP-256, enc A256GCM)", le.Actual)
	assert.Contains(t, le.Hint(), "remove the encryption key in the provider's settings")
	require.NotNil(t, rep.IDToken, "the header is reported")
	assert.Equal(t, login.Header{Alg: "RSA-OAEP-256", Typ: "JWT", Enc: "A256GCM"}, rep.IDToken.Header)
	assert.Nil(t, rep.IDToken.Claims)
}

func TestHostileProviderBehaves(t *testing.T) {
	h := logintest.NewHostile(logintest.ModeOK)
	defer h.Close()
	in, _ := input(h.Issuer(), logintest.HostileClientID, logintest.HostileSecret, logintest.FollowOptions{})
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, []string{"signature RS256", "exp", "iss", "aud", "iat", "nonce", "at_hash"}, rep.IDToken.Checks)
	assert.Equal(t, 1, h.JWKSCalls())
}

func TestInjectedClock(t *testing.T) {
	// The clock decides exp and iat: a machine an hour ahead sees an expired token, one an hour
	// behind sees a token from the future.
	tests := []struct {
		name   string
		offset time.Duration
		check  string
	}{
		{name: "clock ahead", offset: time.Hour, check: "exp"},
		{name: "clock behind", offset: -time.Hour, check: "iat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := logintest.NewHostile(logintest.ModeOK)
			defer h.Close()
			in, _ := input(h.Issuer(), logintest.HostileClientID, logintest.HostileSecret, logintest.FollowOptions{})
			in.Now = func() time.Time { return time.Now().Add(tt.offset) }
			_, err := login.Run(context.Background(), in)
			var le *login.Error
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tt.check, le.Check)
			assert.Contains(t, le.Hint(), "clocks")
		})
	}
}
