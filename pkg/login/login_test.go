package login_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// One real provider per configuration for the whole test binary: starting node costs ~0.5 s.
var providers struct {
	mu    sync.Mutex
	byEnv map[string]*logintest.NodeProvider
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, p := range providers.byEnv {
		p.Stop()
	}
	os.Exit(code)
}

// nodeProvider returns the real OpenID provider started with env, starting it on first use.
func nodeProvider(t testing.TB, env ...string) *logintest.NodeProvider {
	t.Helper()
	providers.mu.Lock()
	defer providers.mu.Unlock()
	key := strings.Join(env, " ")
	if p, ok := providers.byEnv[key]; ok {
		return p
	}
	p, err := logintest.StartNode(env...)
	logintest.Require(t, err)
	if providers.byEnv == nil {
		providers.byEnv = map[string]*logintest.NodeProvider{}
	}
	providers.byEnv[key] = p
	return p
}

// recorder is a login.Reporter that keeps what it hears.
type recorder struct {
	mu       sync.Mutex
	steps    []string
	warnings []string
	waiting  []string
}

func (r *recorder) Step(name string, d time.Duration, detail string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, name)
}

func (r *recorder) Warn(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.warnings = append(r.warnings, msg)
}

func (r *recorder) Waiting(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waiting = append(r.waiting, msg)
}

func input(issuer, clientID, secret string, opts logintest.FollowOptions) (login.Input, *recorder) {
	rec := &recorder{}
	return login.Input{
		Provider: config.Provider{
			Name: "test", Type: config.TypeOIDC, Issuer: issuer, ClientID: clientID,
			RedirectURL: "http://127.0.0.1/callback",
			Scopes:      []string{"openid", "profile", "email", "groups"},
		},
		ClientSecret: secret,
		Browser:      logintest.NewBrowser(opts),
		Reporter:     rec,
		Timeout:      20 * time.Second,
	}, rec
}

func TestRealProvider(t *testing.T) {
	op := nodeProvider(t)
	tests := []struct {
		name     string
		clientID string
		secret   string
		scopes   []string
		prompt   string
		auth     string
		refresh  bool
	}{
		{name: "public client", clientID: logintest.PublicClientID, auth: "none"},
		{name: "confidential client", clientID: logintest.ConfidentialClientID, secret: logintest.ConfidentialSecret, auth: "client_secret_basic"},
		{name: "HS256 ID token keyed with the client secret", clientID: logintest.HS256ClientID, secret: logintest.HS256Secret, auth: "client_secret_basic"},
		{name: "offline_access without consent prompt gives no refresh token", clientID: logintest.PublicClientID, auth: "none",
			scopes: []string{"openid", "groups", "offline_access"}},
		{name: "offline_access with prompt=consent gives a refresh token", clientID: logintest.ConfidentialClientID, secret: logintest.ConfidentialSecret,
			auth: "client_secret_basic", scopes: []string{"openid", "groups", "offline_access"}, prompt: "consent", refresh: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, rec := input(op.Issuer, tt.clientID, tt.secret, logintest.FollowOptions{LoginHint: "alice"})
			if tt.scopes != nil {
				in.Provider.Scopes = tt.scopes
			}
			in.Prompt = tt.prompt
			rep, err := login.Run(context.Background(), in)
			require.NoError(t, err, "provider stderr: %s", op.Stderr())

			assert.Equal(t, []string{"discovery", "jwks", "authorize URL", "browser", "callback", "state", "iss parameter", "code exchange", "id token", "userinfo"}, rec.steps)
			assert.Equal(t, op.Issuer, rep.Issuer)
			assert.Equal(t, tt.auth, rep.ClientAuth)
			assert.Equal(t, tt.refresh, rep.RefreshToken, "a refresh token is never assumed")
			assert.True(t, strings.HasPrefix(rep.RedirectURL, "http://127.0.0.1:"), rep.RedirectURL)
			require.NotNil(t, rep.IDToken)
			assert.Equal(t, "alice", rep.IDToken.Claims["sub"])
			assert.Contains(t, rep.IDToken.Checks, "nonce")
			assert.Contains(t, rep.IDToken.Checks, "iat")
			assert.Equal(t, "alice", rep.Userinfo["sub"])
			assert.Equal(t, []any{"/inventree/admins", "staff"}, rep.Userinfo["groups"], "groups claim")
			assert.Equal(t, "Engineering", rep.Userinfo["department"], "custom claim")
			assert.True(t, rep.GrantedScopesListed)
			assert.Contains(t, rep.GrantedScopes, "groups")
			assert.Nil(t, rep.Tokens, "tokens only with Reveal")
			assert.Nil(t, rep.User, "no mapper, no user")

			// Nothing secret in the JSON form of the report.
			b, err := json.Marshal(rep)
			require.NoError(t, err)
			if tt.secret != "" {
				assert.NotContains(t, string(b), tt.secret)
			}
		})
	}
}

func TestRealProviderClaimsInIDToken(t *testing.T) {
	// Some providers put profile claims into the ID token too (conformIdTokenClaims off).
	op := nodeProvider(t, "CONFORM_ID_TOKEN_CLAIMS=false")
	in, _ := input(op.Issuer, logintest.PublicClientID, "", logintest.FollowOptions{LoginHint: "bob"})
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err, op.Stderr())
	assert.Equal(t, []any{"users"}, rep.IDToken.Claims["groups"])
	assert.Equal(t, "Construction", rep.IDToken.Claims["department"])
	assert.Equal(t, "bob@example.org", rep.IDToken.Claims["email"])
}

func TestRealProviderReveal(t *testing.T) {
	op := nodeProvider(t)
	in, _ := input(op.Issuer, logintest.PublicClientID, "", logintest.FollowOptions{LoginHint: "alice"})
	in.Reveal = true
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	require.NotNil(t, rep.Tokens)
	assert.NotEmpty(t, rep.Tokens.AccessToken)
	assert.Equal(t, 2, strings.Count(rep.Tokens.IDToken, "."))
}

func TestRealProviderFailures(t *testing.T) {
	op := nodeProvider(t)
	tests := []struct {
		name      string
		clientID  string
		secret    string
		opts      logintest.FollowOptions
		timeout   time.Duration
		check     string
		message   string
		hint      string
		wantType  any
		noSecrets string
	}{
		{name: "wrong secret", clientID: logintest.ConfidentialClientID, secret: "wrong-secret-value",
			opts: logintest.FollowOptions{LoginHint: "alice"}, check: "invalid_client", message: "invalid_client", hint: "client secret is wrong", noSecrets: "wrong-secret-value"},
		{name: "confidential client without secret", clientID: logintest.ConfidentialClientID,
			opts: logintest.FollowOptions{LoginHint: "alice"}, check: "invalid_client", hint: "set client_secret"},
		{name: "refused consent", clientID: logintest.PublicClientID,
			opts: logintest.FollowOptions{LoginHint: "deny"}, check: "error response", message: "access_denied", hint: "declined"},
		{name: "PKCE required: no challenge", clientID: logintest.PublicClientID,
			opts: logintest.FollowOptions{LoginHint: "alice", Modify: func(u *url.URL) {
				logintest.ParamModifier("code_challenge", "")(u)
				logintest.ParamModifier("code_challenge_method", "")(u)
			}},
			check: "error response", message: "invalid_request"},
		{name: "PKCE enforced: verifier does not match the challenge", clientID: logintest.PublicClientID,
			opts:  logintest.FollowOptions{LoginHint: "alice", Modify: logintest.ParamModifier("code_challenge", strings.Repeat("A", 43))},
			check: "invalid_grant", message: "invalid_grant", hint: "PKCE"},
		{name: "unknown client never calls back", clientID: "no-such-client", timeout: 1500 * time.Millisecond,
			opts: logintest.FollowOptions{LoginHint: "alice"}, message: "no callback arrived within the timeout of 1.5s", hint: "unknown client_id", wantType: &login.TimeoutError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, _ := input(op.Issuer, tt.clientID, tt.secret, tt.opts)
			if tt.timeout != 0 {
				in.Timeout = tt.timeout
			}
			_, err := login.Run(context.Background(), in)
			require.Error(t, err)
			assert.Equal(t, 1, exitCode(err), "exit code")
			if tt.check != "" {
				var le *login.Error
				require.ErrorAs(t, err, &le)
				assert.Equal(t, tt.check, le.Check)
			}
			if tt.wantType != nil {
				assert.IsType(t, tt.wantType, err)
			}
			assert.Contains(t, err.Error(), tt.message)
			assert.Contains(t, hint(err), tt.hint)
			if tt.noSecrets != "" {
				assert.NotContains(t, err.Error()+hint(err), tt.noSecrets)
			}
		})
	}
}

func TestRealProviderPaste(t *testing.T) {
	op := nodeProvider(t)
	pr, pw := io.Pipe()
	in, rec := input(op.Issuer, logintest.PublicClientID, "", logintest.FollowOptions{})
	// The browser runs "elsewhere": it stops at the callback URL, which the user pastes.
	in.Browser = browserFunc(func(u string) error {
		go func() {
			res, err := logintest.Follow(context.Background(), u, logintest.FollowOptions{
				LoginHint: "alice",
				StopAt:    func(u *url.URL) bool { return u.Path == loopback.DefaultPath },
			})
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			_, _ = io.WriteString(pw, "\n"+res.URL+"\n")
		}()
		return nil
	})
	in.Paste = pr
	in.Provider.RedirectURL = "https://app.example.com/sso/callback"
	rep, err := login.Run(context.Background(), in)
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1/callback", rep.RedirectURL)
	assert.Equal(t, "alice", rep.Userinfo["sub"])
	require.Len(t, rec.waiting, 1)
	assert.Contains(t, rec.waiting[0], "paste")
	assert.Contains(t, strings.Join(rec.warnings, "\n"), "must have this redirect URL registered")
}

// TestRealProviderStrayCallback: a request to the callback with a wrong or missing state, fired
// before the real browser comes back, is answered 400 and ignored; the login goes on, takes the real
// callback, and its report says what it ignored. Before, the stray request ended the login (exit 1)
// and the real callback got 410.
func TestRealProviderStrayCallback(t *testing.T) {
	op := nodeProvider(t)
	tests := []struct {
		name     string
		stray    string
		wantNote string
		wantWarn string
	}{
		{name: "wrong state", stray: "code=stolen&state=forged",
			wantNote: "ignored 1 request to the callback with a wrong state", wantWarn: `got "forged"`},
		{name: "missing state", stray: "code=stolen",
			wantNote: "ignored 1 request to the callback with no state", wantWarn: "no state parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, rec := input(op.Issuer, logintest.PublicClientID, "", logintest.FollowOptions{})
			real := logintest.NewBrowser(logintest.FollowOptions{LoginHint: "alice"})
			strayStatus := 0
			in.Browser = browserFunc(func(authorize string) error {
				// The stray request is answered before the real browser starts: events, not sleeps,
				// order the two.
				u, err := url.Parse(authorize)
				if err != nil {
					return err
				}
				res, err := logintest.Follow(context.Background(), u.Query().Get("redirect_uri")+"?"+tt.stray, logintest.FollowOptions{})
				if err != nil {
					return err
				}
				strayStatus = res.Status
				assert.Contains(t, res.Body, "Not this login")
				return real.Browse(authorize)
			})
			rep, err := login.Run(context.Background(), in)
			require.NoError(t, err, "the stray request must not end the login")
			assert.Equal(t, 400, strayStatus)
			assert.Equal(t, "alice", rep.Userinfo["sub"])
			out := <-real.Done
			require.NoError(t, out.Err)
			assert.Equal(t, 200, out.Result.Status, "the real callback is served, not answered 410: %s", out.Result.Body)
			assert.Contains(t, strings.Join(rep.Notes, "\n"), tt.wantNote)
			warnings := strings.Join(rec.warnings, "\n")
			assert.Contains(t, warnings, "ignored a request to the callback that is not this login's")
			assert.Contains(t, warnings, tt.wantWarn)
			assert.Equal(t, 1, strings.Count(warnings, "ignored a request"), "said once")
			assert.Len(t, rec.waiting, 2, "waiting again after the warning: %q", rec.waiting)
		})
	}

	t.Run("a forged state alone never ends the login", func(t *testing.T) {
		// The provider itself redirects back with a forged state: that callback is ignored, and the
		// login ends only when its context does, saying what it ignored.
		in, _ := input(op.Issuer, logintest.PublicClientID, "", logintest.FollowOptions{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		in.Browser = walkThenGiveUp(ctx, cancel, logintest.FollowOptions{LoginHint: "alice", Modify: logintest.ParamModifier("state", "forged")})
		rep, err := login.Run(ctx, in)
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, strings.Join(rep.Notes, "\n"), "ignored 1 request to the callback with a wrong state")
		assert.NotContains(t, stepNames(rep), "code exchange", "the forged callback's code is never redeemed")
	})
}

type browserFunc func(string) error

// walkThenGiveUp is a browser whose walk ends on the callback listener's 400 page for a request it
// ignored (a wrong or missing state); the user then gives up (Ctrl-C), which the test plays by
// calling giveUp. Waiting on the walk's end, not on a timer, keeps the test independent of speed.
func walkThenGiveUp(ctx context.Context, giveUp context.CancelFunc, opts logintest.FollowOptions) login.Browser {
	return browserFunc(func(authorize string) error {
		defer giveUp()
		res, err := logintest.Follow(ctx, authorize, opts)
		if err != nil {
			return err
		}
		if res.Status != 400 || !strings.Contains(res.Body, "Not this login") {
			return fmt.Errorf("the walk ended on %s with %d, not the listener's page for an ignored callback: %s", res.URL, res.Status, res.Body)
		}
		return nil
	})
}

func (f browserFunc) Browse(u string) error { return f(u) }

func TestUnknownKind(t *testing.T) {
	_, err := login.Run(context.Background(), login.Input{Provider: config.Provider{Name: "x", Type: "saml", ClientID: "c"}})
	require.Error(t, err)
	assert.Equal(t, `unknown provider kind "saml"`, err.Error())
	assert.Contains(t, hint(err), "type must be one of github, google")
	assert.Equal(t, 1, exitCode(err))
}

func TestCancelled(t *testing.T) {
	h := logintest.NewHostile(logintest.ModeOK)
	defer h.Close()
	in, _ := input(h.Issuer(), logintest.HostileClientID, logintest.HostileSecret, logintest.FollowOptions{})
	in.Browser = nil // nobody comes back
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	_, err := login.Run(ctx, in)
	assert.ErrorIs(t, err, context.Canceled)
}

func exitCode(err error) int {
	var c interface{ ExitCode() int }
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	return -1
}

func hint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}
