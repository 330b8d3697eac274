package login

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestClockSkewHint(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		iat  time.Time
		want string
	}{
		{"provider ahead", now.Add(time.Hour), "by the token's iat the clocks differ by 3600 s, and the identity provider's clock is ahead of this machine's"},
		{"machine ahead", now.Add(-10*time.Minute - 400*time.Millisecond), "by the token's iat the clocks differ by 600 s, and this machine's clock is ahead of the identity provider's"},
		{"no iat", time.Time{}, clockHint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, clockSkewHint(tt.iat, now), tt.want)
		})
	}
}

func TestIssuedAt(t *testing.T) {
	jwt := func(payload string) string {
		return "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
	}
	assert.Equal(t, time.Unix(1700000000, 0), issuedAt(jwt(`{"iat":1700000000,"exp":1}`)))
	assert.True(t, issuedAt(jwt(`{"exp":1}`)).IsZero())
	assert.True(t, issuedAt("not a jwt").IsZero())
}
