package login

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// clockSkewHint is the hint of an iat or exp failure: how far apart the two clocks are by the
// token's iat (the provider's clock when it issued the token, a moment ago), in whole seconds, and
// which side is ahead. Without an iat it is the general clock hint.
func clockSkewHint(iat, now time.Time) string {
	if iat.IsZero() {
		return clockHint
	}
	offset := iat.Sub(now)
	side := "the identity provider's clock is ahead of this machine's"
	if offset < 0 {
		side = "this machine's clock is ahead of the identity provider's"
	}
	return fmt.Sprintf("by the token's iat the clocks differ by %d s, and %s; check both against real time (timedatectl, NTP) and fix the one that is off",
		int64(math.Round(math.Abs(offset.Seconds()))), side)
}

// issuedAt reads the iat claim of a compact JWT without verifying it, for the hint of a token that
// failed verification; zero when it has none.
func issuedAt(raw string) time.Time {
	claims, err := decodeClaims(raw)
	if err != nil {
		return time.Time{}
	}
	n, ok := claims["iat"].(json.Number)
	if !ok {
		return time.Time{}
	}
	f, err := n.Float64()
	if err != nil {
		return time.Time{}
	}
	return time.Unix(int64(f), 0)
}
