package discover

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// colourCode is an SGR sequence ssoctl's colour scheme writes.
var colourCode = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// TestDiscoverRunHostileProvider reads a discovery document and JWKS whose fields carry terminal
// escape sequences: the text output shows them escaped, on a terminal with colour too, and the JSON
// output keeps them exact.
func TestDiscoverRunHostileProvider(t *testing.T) {
	idp := logintest.NewInjector("unused")
	defer idp.Close()
	for _, tty := range []bool{false, true} {
		ios, _, stdout, stderr := iostreams.Test()
		ios.SetStdoutTTY(tty)
		ios.SetStderrTTY(tty)
		ios.SetColorEnabled(tty)
		opts := &DiscoverOptions{IO: ios, HttpClient: func() (*http.Client, error) { return idp.Client(), nil }, Now: time.Now,
			Issuer: idp.URL, Timeout: time.Minute, Output: "text"}
		_ = discoverRun(context.Background(), opts)
		out := stdout.String() + stderr.String()
		// ssoctl's own colour codes are "\x1b[" + digits + "m"; take them out, then nothing may be left.
		plain := colourCode.ReplaceAllString(out, "")
		for _, c := range []string{"\x1b", "\x07", "\r", "\u202e", "\u009b"} {
			assert.NotContains(t, plain, c, "tty=%v: %q shown raw", tty, c)
		}
		assert.Contains(t, out, `groups\x1b]0;pwned\x07\r\x1b[2K✓ verified\u202e\u009b31m`)
		assert.Contains(t, out, `key\x1b]0;pwned`)
	}

	ios, _, stdout, _ := iostreams.Test()
	opts := &DiscoverOptions{IO: ios, HttpClient: func() (*http.Client, error) { return idp.Client(), nil }, Now: time.Now,
		Issuer: idp.URL, Timeout: time.Minute, Output: "json"}
	_ = discoverRun(context.Background(), opts)
	var doc struct {
		Document struct {
			Scopes []string `json:"scopes_supported"`
		} `json:"document"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	assert.Contains(t, strings.Join(doc.Document.Scopes, " "), "groups"+logintest.InjectEverything, "JSON keeps the provider's value exact")
}
