package loopback

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlan(t *testing.T) {
	tests := []struct {
		name                      string
		cfg                       Config
		addr, path, redirect, err string
	}{
		{name: "default", cfg: Config{}, addr: "127.0.0.1:0", path: "/callback", redirect: "http://127.0.0.1:0/callback"},
		{name: "app callback is not listened on", cfg: Config{RedirectURL: "https://files.example.com/api/auth/sso_callback"}, addr: "127.0.0.1:0", path: "/callback", redirect: "http://127.0.0.1:0/callback"},
		{name: "loopback redirect exactly", cfg: Config{RedirectURL: "http://127.0.0.1:8123/oauth/cb"}, addr: "127.0.0.1:8123", path: "/oauth/cb", redirect: "http://127.0.0.1:8123/oauth/cb"},
		{name: "loopback redirect without port", cfg: Config{RedirectURL: "http://127.0.0.1/callback"}, addr: "127.0.0.1:0", path: "/callback", redirect: "http://127.0.0.1/callback"},
		{name: "localhost redirect binds 127.0.0.1", cfg: Config{RedirectURL: "http://localhost:9000/cb"}, addr: "127.0.0.1:9000", path: "/cb", redirect: "http://localhost:9000/cb"},
		{name: "ipv6 loopback", cfg: Config{RedirectURL: "http://[::1]:9000/cb"}, addr: "[::1]:9000", path: "/cb", redirect: "http://[::1]:9000/cb"},
		{name: "https loopback refused", cfg: Config{RedirectURL: "https://127.0.0.1:9000/cb"}, err: "must use http"},
		{name: "listen overrides port", cfg: Config{RedirectURL: "http://127.0.0.1:8123/cb", Listen: "127.0.0.1:0"}, addr: "127.0.0.1:0", path: "/cb", redirect: "http://127.0.0.1:0/cb"},
		{name: "listen keeps the host as written", cfg: Config{Listen: "localhost:8123"}, addr: "127.0.0.1:8123", path: "/callback", redirect: "http://localhost:8123/callback"},
		{name: "listen port as a number", cfg: Config{Listen: "127.0.0.1:08123"}, addr: "127.0.0.1:08123", path: "/callback", redirect: "http://127.0.0.1:8123/callback"},
		{name: "listen port 00 is a free port", cfg: Config{Listen: "127.0.0.1:00"}, addr: "127.0.0.1:00", path: "/callback", redirect: "http://127.0.0.1:0/callback"},
		{name: "listen on the registered address keeps its host", cfg: Config{RedirectURL: "http://127.0.0.1/cb", Listen: "localhost:0"}, addr: "127.0.0.1:0", path: "/cb", redirect: "http://127.0.0.1:0/cb"},
		{name: "listen on 127.0.0.1 keeps a registered localhost", cfg: Config{RedirectURL: "http://localhost/cb", Listen: "127.0.0.1:9000"}, addr: "127.0.0.1:9000", path: "/cb", redirect: "http://localhost:9000/cb"},
		{name: "listen on another loopback address names it", cfg: Config{RedirectURL: "http://127.0.0.1/cb", Listen: "[::1]:0"}, addr: "[::1]:0", path: "/cb", redirect: "http://[::1]:0/cb"},
		{name: "listen keeps the registered query", cfg: Config{RedirectURL: "http://127.0.0.1/api/auth/sso_callback?method=sso_get_token", Listen: "127.0.0.1:0"}, addr: "127.0.0.1:0", path: "/api/auth/sso_callback", redirect: "http://127.0.0.1:0/api/auth/sso_callback?method=sso_get_token"},
		{name: "listen with non-loopback redirect keeps it", cfg: Config{RedirectURL: "https://tunnel.example.com/cb", Listen: "[::1]:7000"}, addr: "[::1]:7000", path: "/cb", redirect: "https://tunnel.example.com/cb"},
		{name: "listen on all interfaces refused", cfg: Config{Listen: "0.0.0.0:8000"}, err: "binds loopback addresses only"},
		{name: "listen on LAN address refused", cfg: Config{Listen: "192.168.1.5:8000"}, err: "binds loopback addresses only"},
		{name: "listen without port refused", cfg: Config{Listen: "127.0.0.1"}, err: "HOST:PORT"},
		{name: "listen with bad port refused", cfg: Config{Listen: "127.0.0.1:http"}, err: "not a number"},
		{name: "relative redirect refused", cfg: Config{RedirectURL: "/callback"}, err: "not an absolute URL"},
		{name: "redirect port over 65535 refused", cfg: Config{RedirectURL: "http://127.0.0.1:99999/callback"}, err: `cannot use redirect URL "http://127.0.0.1:99999/callback": port "99999" is not a number from 0 to 65535`},
		{name: "redirect port over 65535 refused with listen", cfg: Config{RedirectURL: "http://127.0.0.1:99999/callback", Listen: "127.0.0.1:0"}, err: `port "99999" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, path, redirect, err := plan(tt.cfg)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.addr, addr)
			assert.Equal(t, tt.path, path)
			assert.Equal(t, tt.redirect, redirect)
		})
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServerOneLogin(t *testing.T) {
	tests := []struct {
		name       string
		query      string
		wantStatus int
		wantPage   string
		wantCode   string
		wantErr    any
	}{
		{name: "code with right state", query: "code=abc&state=s1&iss=http%3A%2F%2Fop", wantStatus: 200, wantPage: "You can close this tab", wantCode: "abc"},
		{name: "DingTalk's authCode with right state", query: "authCode=dt1&state=s1&iss=http%3A%2F%2Fop", wantStatus: 200, wantPage: "You can close this tab", wantCode: "dt1"},
		{name: "error response with the right state ends the login", query: "error=access_denied&error_description=nope&state=s1", wantStatus: 400, wantPage: "access_denied", wantErr: &AuthError{}},
		{name: "neither code nor error with the right state ends the login", query: "state=s1", wantStatus: 400, wantErr: &MalformedError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(Config{State: "s1"})
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(s.RedirectURL(), "http://127.0.0.1:"), s.RedirectURL())

			// Paths other than the callback do not use up the login.
			status, _ := get(t, "http://"+s.Addr()+"/favicon.ico")
			assert.Equal(t, http.StatusNotFound, status)

			status, body := get(t, s.RedirectURL()+"?"+tt.query)
			assert.Equal(t, tt.wantStatus, status)
			assert.Contains(t, body, tt.wantPage)

			cb, err := s.Wait(context.Background())
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.IsType(t, tt.wantErr, err)
				assert.Nil(t, cb, "the code must not be handed out")
			} else {
				require.NoError(t, err)
				assert.Equal(t, tt.wantCode, cb.Code)
				assert.Equal(t, "http://op", cb.Iss)
			}
			// The server has shut down.
			_, err = net.DialTimeout("tcp", s.Addr(), time.Second)
			assert.Error(t, err, "listener still open after Wait")
		})
	}
}

func TestServerServesOnce(t *testing.T) {
	s, err := Start(Config{State: "s1"})
	require.NoError(t, err)
	defer s.Close()
	status, _ := get(t, s.RedirectURL()+"?code=first&state=s1")
	assert.Equal(t, 200, status)
	status, body := get(t, s.RedirectURL()+"?code=second&state=s1")
	assert.Equal(t, http.StatusGone, status)
	assert.Contains(t, body, "already")
	cb, err := s.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "first", cb.Code)
}

// TestServerIgnoresWrongState: a request to the callback whose state is wrong or missing gets a 400
// page and is counted, its code is never handed out, and the real callback that follows still ends
// the login (before, the stray request ended it and the real one got 410).
func TestServerIgnoresWrongState(t *testing.T) {
	tests := []struct {
		name        string
		strays      []string
		wantPage    string
		wantWrong   int64
		wantMissing int64
		wantSummary string
		wantFirst   string
	}{
		{name: "wrong state", strays: []string{"code=stolen&state=evil"}, wantPage: `got &#34;evil&#34;`,
			wantWrong: 1, wantSummary: "ignored 1 request to the callback with a wrong state", wantFirst: `got "evil"`},
		{name: "missing state", strays: []string{"code=stolen"}, wantPage: "has no state parameter",
			wantMissing: 1, wantSummary: "ignored 1 request to the callback with no state", wantFirst: "no state parameter"},
		{name: "DingTalk's authCode with a wrong state", strays: []string{"authCode=stolen&state=evil"}, wantPage: "was ignored",
			wantWrong: 1, wantSummary: "ignored 1 request to the callback with a wrong state", wantFirst: `got "evil"`},
		{name: "an error redirect with a wrong state is ignored too", strays: []string{"error=access_denied&state=x"}, wantPage: "keeps waiting",
			wantWrong: 1, wantSummary: "ignored 1 request to the callback with a wrong state", wantFirst: `got "x"`},
		{name: "html in the state is escaped", strays: []string{"state=%3Cscript%3E"}, wantPage: "&lt;script&gt;",
			wantWrong: 1, wantSummary: "ignored 1 request to the callback with a wrong state", wantFirst: "<script>"},
		{name: "both kinds, first reported", strays: []string{"code=a&state=one", "code=b", "code=c&state=two"}, wantPage: "was ignored",
			wantWrong: 2, wantMissing: 1, wantSummary: "ignored 3 requests to the callback with a wrong or missing state", wantFirst: `got "one"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(Config{State: "s1"})
			require.NoError(t, err)
			defer s.Close()
			var heard []string
			s.OnIgnored = func(e *StateError) { heard = append(heard, e.Error()) }

			for _, q := range tt.strays {
				status, body := get(t, s.RedirectURL()+"?"+q)
				assert.Equal(t, http.StatusBadRequest, status)
				assert.Contains(t, body, "Not this login")
				assert.Contains(t, body, tt.wantPage)
				assert.NotContains(t, body, "already", "a stray request must not use up the callback")
			}
			// The real browser comes back after the stray requests were answered.
			status, body := get(t, s.RedirectURL()+"?code=real&state=s1")
			assert.Equal(t, http.StatusOK, status)
			assert.Contains(t, body, "You can close this tab")

			cb, err := s.Wait(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "real", cb.Code, "only the callback with the right state counts")
			wrong, missing := s.Ignored()
			assert.Equal(t, tt.wantWrong, wrong, "wrong")
			assert.Equal(t, tt.wantMissing, missing, "missing")
			assert.Equal(t, tt.wantSummary, s.IgnoredSummary())
			require.Len(t, heard, 1, "OnIgnored hears the first stray request only, before Wait returns")
			assert.Contains(t, heard[0], tt.wantFirst)
		})
	}
}

// TestServerIgnoresAFlood: many stray requests at once are all answered 400 and counted, reported
// once, and the login still takes its real callback.
func TestServerIgnoresAFlood(t *testing.T) {
	s, err := Start(Config{State: "s1"})
	require.NoError(t, err)
	defer s.Close()
	heard := 0
	s.OnIgnored = func(*StateError) { heard++ }

	const flood = 100
	statuses := make(chan int, flood)
	for i := range flood {
		go func() {
			resp, err := http.Get(s.RedirectURL() + "?code=x&state=flood" + strconv.Itoa(i))
			if err != nil {
				statuses <- -1
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	for range flood {
		assert.Equal(t, http.StatusBadRequest, <-statuses)
	}
	status, _ := get(t, s.RedirectURL()+"?code=real&state=s1")
	assert.Equal(t, http.StatusOK, status)
	cb, err := s.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "real", cb.Code)
	wrong, missing := s.Ignored()
	assert.Equal(t, int64(flood), wrong)
	assert.Zero(t, missing)
	assert.Equal(t, 1, heard, "a flood is reported once")
	assert.Equal(t, "ignored 100 requests to the callback with a wrong state", s.IgnoredSummary())
}

// TestServerCancelAfterStray: a login that only ever saw a stray request ends when ctx does, and
// still says what it ignored.
func TestServerCancelAfterStray(t *testing.T) {
	s, err := Start(Config{State: "s1"})
	require.NoError(t, err)
	status, _ := get(t, s.RedirectURL()+"?code=x&state=old-tab")
	assert.Equal(t, http.StatusBadRequest, status)
	heard := 0
	s.OnIgnored = func(*StateError) { heard++ }
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = s.Wait(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, heard)
	assert.Equal(t, "ignored 1 request to the callback with a wrong state", s.IgnoredSummary())
}

func TestServerCancel(t *testing.T) {
	s, err := Start(Config{State: "s1"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err = s.Wait(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = net.DialTimeout("tcp", s.Addr(), time.Second)
	assert.Error(t, err, "listener still open after cancel")
}

func TestServerExactRedirect(t *testing.T) {
	// Find a free port, then ask for exactly it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())

	redirect := "http://127.0.0.1:" + strconv.Itoa(port) + "/sso/cb"
	s, err := Start(Config{RedirectURL: redirect, State: "s"})
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, redirect, s.RedirectURL())

	// The same port again is busy.
	_, err = Start(Config{RedirectURL: redirect, State: "s"})
	var busy *PortInUseError
	require.ErrorAs(t, err, &busy)
	assert.Equal(t, "port "+strconv.Itoa(port)+" is in use; use --listen 127.0.0.1:0", err.Error())
}

func TestServerPortlessLoopbackRedirectGetsPort(t *testing.T) {
	s, err := Start(Config{RedirectURL: "http://localhost/callback", State: "s"})
	require.NoError(t, err)
	defer s.Close()
	u, err := url.Parse(s.RedirectURL())
	require.NoError(t, err)
	assert.Equal(t, "/callback", u.Path)
	assert.Equal(t, "localhost", u.Hostname(), "the host stays as registered: providers compare it as a string")
	assert.Equal(t, s.Addr(), net.JoinHostPort("127.0.0.1", u.Port()))
}

func TestParseCallback(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		redirect string
		code     string
		wantErr  any
	}{
		{name: "full URL", input: "http://127.0.0.1:8000/callback?code=c1&state=s\n", redirect: "http://127.0.0.1/callback", code: "c1"},
		{name: "query only", input: "code=c2&state=s", code: "c2"},
		{name: "DingTalk authCode", input: "http://127.0.0.1/callback?authCode=c5&state=s", code: "c5"},
		{name: "DingTalk authCode with wrong state", input: "http://127.0.0.1/callback?authCode=c5&state=x", wantErr: &StateError{}},
		{name: "query with question mark", input: "?code=c3&state=s", code: "c3"},
		{name: "fragment", input: "http://127.0.0.1/callback#code=c4&state=s", code: "c4"},
		{name: "wrong path", input: "http://127.0.0.1:8000/other?code=c1&state=s", redirect: "http://127.0.0.1/callback", wantErr: &MalformedError{}},
		{name: "wrong state", input: "http://127.0.0.1/callback?code=c1&state=x", wantErr: &StateError{}},
		{name: "empty", input: "  \n", wantErr: &MalformedError{}},
		{name: "error response", input: "http://127.0.0.1/callback?error=access_denied&state=s", wantErr: &AuthError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := ParseCallback(tt.input, "s", tt.redirect)
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.IsType(t, tt.wantErr, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.code, cb.Code)
		})
	}
}

func TestErrorsCarryHintsAndCodes(t *testing.T) {
	for _, err := range []error{&StateError{Got: "x"}, &AuthError{Code: "access_denied"}, &MalformedError{Reason: "r"}, &PortInUseError{Port: "1"}} {
		var h interface{ Hint() string }
		require.True(t, errors.As(err, &h), "%T has no hint", err)
		assert.NotEmpty(t, h.Hint())
		var c interface{ ExitCode() int }
		require.True(t, errors.As(err, &c))
		assert.Equal(t, 1, c.ExitCode())
	}
}

// TestRedirectPortIsUsageError: a redirect URL whose port is over 65535 is a usage error (exit 2)
// in one sentence with a hint, as --listen's, not a listen error.
func TestRedirectPortIsUsageError(t *testing.T) {
	_, err := Bind(Config{RedirectURL: "http://127.0.0.1:99999/callback"})
	var nl *NotLoopbackError
	require.ErrorAs(t, err, &nl)
	assert.Equal(t, 2, nl.ExitCode())
	assert.Contains(t, nl.Hint(), "port from 1 to 65535")
	assert.NotContains(t, err.Error(), "listen tcp")
}

// TestBindFreePort: the listener knows whether the system chose its port, however the 0 was written.
func TestBindFreePort(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		free bool
	}{
		{Config{}, true},
		{Config{RedirectURL: "http://localhost/callback"}, true},
		{Config{Listen: "127.0.0.1:00"}, true},
		{Config{RedirectURL: "https://files.example.com/cb"}, true},
	} {
		l, err := Bind(tt.cfg)
		require.NoError(t, err)
		assert.Equal(t, tt.free, l.FreePort(), "%+v", tt.cfg)
		_, port, _ := net.SplitHostPort(l.ln.Addr().String())
		require.NoError(t, l.Close())
		// The same port given explicitly is not a free one.
		l, err = Bind(Config{Listen: "127.0.0.1:" + port})
		require.NoError(t, err)
		assert.False(t, l.FreePort())
		require.NoError(t, l.Close())
	}
}
