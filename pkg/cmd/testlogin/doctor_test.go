package testlogin

import (
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/login"
)

// TestLoginRedirect checks that the pre-flight uses the redirect URI the login will send.
func TestLoginRedirect(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	require.NoError(t, ln.Close())
	app := config.Provider{RedirectURL: "https://files.example.com/api/auth/sso_callback"}
	loop := config.Provider{RedirectURL: "http://127.0.0.1:" + port + "/sso"}
	tests := []struct {
		name string
		in   login.Input
		want string // regexp-free: a prefix, or the whole URL
		full bool
	}{
		{name: "app callback: a free loopback port", in: login.Input{Provider: app}, want: "http://127.0.0.1:"},
		{name: "loopback redirect_url exactly", in: login.Input{Provider: loop}, want: loop.RedirectURL, full: true},
		{name: "--listen with the app's URL keeps it (tunnel)", in: login.Input{Provider: app, Listen: "127.0.0.1:0", RedirectURL: app.RedirectURL}, want: app.RedirectURL, full: true},
		{name: "paste", in: login.Input{Provider: app, Paste: strings.NewReader("")}, want: "http://127.0.0.1/callback", full: true},
		{name: "paste with --redirect-url", in: login.Input{Provider: app, Paste: strings.NewReader(""), RedirectURL: "http://localhost/cb"}, want: "http://localhost/cb", full: true},
		{name: "--listen port 0", in: login.Input{Provider: app, Listen: "127.0.0.1:0"}, want: "http://127.0.0.1:"},
		{name: "--listen and a loopback path", in: login.Input{Provider: loop, Listen: "localhost:8123"}, want: "http://localhost:8123/sso", full: true},
		{name: "portless loopback registration", in: login.Input{Provider: config.Provider{RedirectURL: "http://localhost/callback"}}, want: "http://localhost:"},
		{name: "bad --listen: the login says why", in: login.Input{Provider: app, Listen: "no port"}, want: "", full: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := loginRedirect(tt.in)
			if tt.full {
				assert.Equal(t, tt.want, got)
			} else {
				assert.True(t, strings.HasPrefix(got, tt.want), got)
				assert.True(t, strings.HasSuffix(got, "/callback"), got)
			}
		})
	}
	// The port is free again for the login.
	ln, err = net.Listen("tcp", "127.0.0.1:"+port)
	require.NoError(t, err)
	require.NoError(t, ln.Close())
}

func TestPreflightError(t *testing.T) {
	f := doctor.Finding{Code: doctor.CodeRedirectUnregistered, Message: "the provider does not accept redirect URI x for client c", Fix: "x", Hint: "copy it exactly"}
	err := &preflightError{f: f}
	assert.Equal(t, "redirect pre-flight failed: the provider does not accept redirect URI x for client c", err.Error())
	assert.Equal(t, "register x at the provider: copy it exactly; --skip-preflight opens the browser anyway", err.Hint())
	assert.Equal(t, 1, err.ExitCode())
}
