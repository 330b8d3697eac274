// Package demo is ssoctl's embedded OpenID provider for `ssoctl demo`: a real OpenID Connect provider
// (zitadel/oidc's pkg/op) on a loopback address, with storage in memory, one public client and one
// demo user, so that a newcomer can watch a complete, verified login without an account anywhere.
//
// The provider speaks the authorization-code flow with PKCE S256 only, signs ID tokens with RS256
// under a key generated when it starts, and serves discovery, JWKS, token and userinfo. There is no
// login page: an authorize request that passes the library's checks (client, redirect URI,
// response type, scopes, PKCE) is approved for the demo user at once and the browser is redirected
// straight back to the client with a code. Browser is a headless browser that follows those
// redirects, so no real browser is needed either.
//
// Nothing here runs at package initialisation: keys, listeners and the provider exist only between
// Start and Close, so importing the package costs other commands nothing but binary size.
package demo

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// ClientID is the client_id of the demo provider's one client: a public client (no secret, like a
// native app, RFC 8252) that must use PKCE S256.
const ClientID = "ssoctl-demo"

// RedirectURL is the redirect URI registered for the client. It names no port, so any port on
// 127.0.0.1 is accepted (RFC 8252 §7.3) and the callback listener can take a free one.
const RedirectURL = "http://127.0.0.1/callback"

// Scopes are the scopes the provider supports and the demo config requests.
var scopes = []string{"openid", "profile", "email", "groups"}

// Scopes returns the scopes the provider supports: openid, profile, email and groups.
func Scopes() []string { return append([]string(nil), scopes...) }

// User is an account of the demo provider.
type User struct {
	// Subject is the stable user id, the sub claim.
	Subject           string
	PreferredUsername string
	Name              string
	GivenName         string
	FamilyName        string
	Email             string
	EmailVerified     bool
	// Groups are sent in the groups claim when the groups scope is requested.
	Groups []string
}

// DefaultUser returns the demo account: Dana Demo, dana@example.com, in two groups.
func DefaultUser() User {
	return User{
		Subject:           "b6a1e3c2-5d4f-4e8a-9c1b-0d2e3f4a5b6c",
		PreferredUsername: "dana",
		Name:              "Dana Demo",
		GivenName:         "Dana",
		FamilyName:        "Demo",
		Email:             "dana@example.com",
		EmailVerified:     true,
		Groups:            []string{"alist-users", "webdav"},
	}
}

// Options configure Start.
type Options struct {
	// Port is the port to listen on at 127.0.0.1; 0 picks a free one.
	Port int
	// User is the account every login is approved for; nil means DefaultUser.
	User *User
	// KeyBits is the size of the RSA signing key; 0 means 2048.
	KeyBits int
}

// Provider is a running demo provider. Close stops it.
type Provider struct {
	issuer string
	user   User
	ln     net.Listener
	srv    *http.Server
	done   chan struct{}
}

// Start generates a signing key, binds 127.0.0.1:Port and serves the provider in the background.
func Start(opts Options) (*Provider, error) {
	user := DefaultUser()
	if opts.User != nil {
		user = *opts.User
	}
	bits := opts.KeyBits
	if bits == 0 {
		bits = 2048
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, &PortError{Port: opts.Port, Err: errors.New("not a TCP port")}
	}
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return nil, fmt.Errorf("generate the demo provider's signing key: %w", err)
	}
	var cryptoKey [32]byte
	_, _ = rand.Read(cryptoKey[:]) // crypto/rand.Read never fails (Go 1.24+)

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, &PortError{Port: opts.Port, Err: err}
	}
	issuer := "http://" + ln.Addr().String()
	st := newStorage(key, user)
	handler, err := op.NewProvider(&op.Config{
		CryptoKey:       cryptoKey,
		CodeMethodS256:  true,
		SupportedScopes: Scopes(),
		SupportedClaims: append(append([]string(nil), op.DefaultSupportedClaims...), "groups"),
	}, st, op.StaticIssuer(issuer), op.WithAllowInsecure())
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("start the demo provider: %w", err)
	}
	// The library's path for "login finished, issue the code" (op.AuthCallbackURL without a request).
	st.client.callbackURL = handler.AuthorizationEndpoint().Absolute(issuer) + "/callback"
	p := &Provider{
		issuer: issuer,
		user:   user,
		ln:     ln,
		done:   make(chan struct{}),
		srv: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
			// The library logs refused requests through slog.Default; the login reports them to
			// the user already, so the server's own error log stays quiet.
			ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelError),
		},
	}
	go func() {
		defer close(p.done)
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

// Issuer is the provider's issuer URL, http://127.0.0.1:PORT.
func (p *Provider) Issuer() string { return p.issuer }

// User is the account logins are approved for.
func (p *Provider) User() User { return p.user }

// Close stops the provider, giving requests in flight a moment to finish.
func (p *Provider) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := p.srv.Shutdown(ctx)
	if err != nil {
		err = p.srv.Close()
	}
	<-p.done
	return err
}

// PortError is a port the demo provider cannot listen on.
type PortError struct {
	Port int
	Err  error
}

func (e *PortError) Error() string {
	if errors.Is(e.Err, syscall.EADDRINUSE) {
		return fmt.Sprintf("cannot start the demo provider on 127.0.0.1:%d: the port is in use", e.Port)
	}
	return fmt.Sprintf("cannot start the demo provider on 127.0.0.1:%d: %v", e.Port, e.Err)
}

// Unwrap returns the listen error.
func (e *PortError) Unwrap() error { return e.Err }

// Hint says how to get a port that works.
func (e *PortError) Hint() string {
	return "pick another --port, or leave it out (0) for a free one"
}

// ExitCode is 1: the demo could not run here.
func (e *PortError) ExitCode() int { return 1 }
