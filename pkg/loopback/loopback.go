// Package loopback is the callback side of a native-app login (RFC 8252): an HTTP server on a loopback
// address that receives exactly one authorization response, checks its state, answers the browser
// with a small page and shuts down.
//
// Only a response that carries this login's state ends the login: a code, an error redirect
// (access_denied, ...) or a malformed response with the right state is the login's one answer. A
// request to the callback with a wrong or missing state (an old browser tab, a second test-login, a
// page on the machine probing the port, a forgery) is answered 400 and ignored: its code is never
// redeemed, it is counted (Server.Ignored), the first one is reported to Server.OnIgnored, and the
// listener keeps waiting for the real callback. A flood of them costs a counter, not memory or output.
//
// It also parses a callback URL pasted by the user (--paste), with the same checks, for a browser that
// runs on another machine.
package loopback

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// DefaultPath is the callback path used when the redirect URL does not dictate one.
const DefaultPath = "/callback"

// Config says where to listen and what to expect.
type Config struct {
	// RedirectURL is the redirect URI the login uses when it is fixed (the provider's redirect_url or
	// --redirect-url). A loopback URL is listened on exactly (host, port and path); a URL without a
	// port gets a free port, since RFC 8252 §7.3 has providers accept any port for a registered
	// loopback URL without one. Any other URL (the app's own callback) is ignored unless Listen is set:
	// the listener then uses 127.0.0.1:<free port>/callback.
	RedirectURL string
	// Listen is --listen HOST:PORT: it overrides the host and port; the host must be a loopback
	// address. With a non-loopback RedirectURL, Listen keeps that URL as the redirect URI (a proxy or
	// tunnel forwards it here) and listens on its path.
	Listen string
	// State is the state parameter sent in the authorize request; a callback must carry it.
	State string
}

// Callback is a received authorization response whose state matched.
type Callback struct {
	// Code is the authorization code: the code parameter, or DingTalk's authCode.
	Code string
	// Iss is the RFC 9207 iss parameter, "" when the provider did not send it.
	Iss string
	// Query holds every parameter of the response.
	Query url.Values
}

// Server is a started callback listener. Wait returns its one result; Close stops it.
type Server struct {
	// OnIgnored, when set before Wait, hears about the first request to the callback that Wait
	// ignored because its state was wrong or missing; later ones are only counted, so a flood
	// prints one line. It runs on Wait's goroutine, before Wait returns.
	OnIgnored func(*StateError)

	redirectURL string
	path        string
	state       string
	ln          net.Listener
	srv         *http.Server

	once   sync.Once
	result chan result
	done   chan struct{}

	// wrongState and missingState count the ignored requests; firstIgnored carries the first one
	// to Wait (capacity 1, sent once under ignoredOnce).
	wrongState   atomic.Int64
	missingState atomic.Int64
	ignoredOnce  sync.Once
	firstIgnored chan *StateError
}

type result struct {
	cb  *Callback
	err error
}

// Start binds the listener described by cfg and serves in the background.
func Start(cfg Config) (*Server, error) {
	l, err := Bind(cfg)
	if err != nil {
		return nil, err
	}
	return l.Serve(cfg.State), nil
}

// Listener is a callback listener bound but not serving yet: its redirect URI, port included, is
// known before the login begins, so that test-login's pre-flight checks the very URI the login
// sends.
type Listener struct {
	ln          net.Listener
	path        string
	redirectURL string
	freePort    bool
}

// Bind binds the listener described by cfg (cfg.State is not used until Serve).
func Bind(cfg Config) (*Listener, error) {
	addr, path, redirect, err := plan(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			_, port, _ := net.SplitHostPort(addr)
			return nil, &PortInUseError{Port: port, Err: err}
		}
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if u, _ := url.Parse(redirect); isLoopbackURL(u) && (u.Port() == "" || u.Port() == "0") {
		// The redirect names no port: tell the provider the one we got, under the host name the user
		// wrote, since providers compare "localhost" and "127.0.0.1" as different hosts.
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		u.Host = net.JoinHostPort(u.Hostname(), port)
		redirect = u.String()
	}
	_, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.ParseUint(port, 10, 16)
	return &Listener{ln: ln, path: path, redirectURL: redirect, freePort: n == 0}, nil
}

// RedirectURL is the redirect URI the login sends with this listener.
func (l *Listener) RedirectURL() string { return l.redirectURL }

// FreePort says whether the system chose the port (none was given, or 0), so that a provider must
// accept any port on this loopback redirect (RFC 8252 §7.3).
func (l *Listener) FreePort() bool { return l.freePort }

// Close releases a listener that will not serve. Closing it after Serve closes the server's
// listener, which Server.Close does anyway.
func (l *Listener) Close() error { return l.ln.Close() }

// Serve serves the callback on l in the background; a callback must carry state.
func (l *Listener) Serve(state string) *Server {
	s := &Server{
		redirectURL:  l.redirectURL,
		path:         l.path,
		state:        state,
		ln:           l.ln,
		result:       make(chan result, 1),
		done:         make(chan struct{}),
		firstIgnored: make(chan *StateError, 1),
	}
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(l.ln)
	}()
	return s
}

// plan decides the listen address, the callback path and the redirect URI, whose port is "" or "0"
// when it is the one the listener gets.
func plan(cfg Config) (addr, path, redirect string, err error) {
	var fixed *url.URL
	if cfg.RedirectURL != "" {
		fixed, err = url.Parse(cfg.RedirectURL)
		if err != nil || fixed.Host == "" {
			return "", "", "", fmt.Errorf("redirect URL %q is not an absolute URL", cfg.RedirectURL)
		}
		if port := fixed.Port(); port != "" {
			// url.Parse takes any digits; a port over 65535 would fail later as a listen error.
			if _, perr := strconv.ParseUint(port, 10, 16); perr != nil {
				return "", "", "", &NotLoopbackError{Value: cfg.RedirectURL, What: "redirect URL", Port: true,
					Reason: fmt.Sprintf("port %q is not a number from 0 to 65535", port)}
			}
		}
	}
	path = DefaultPath
	if cfg.Listen != "" {
		addr, err = checkListen(cfg.Listen)
		if err != nil {
			return "", "", "", err
		}
		if fixed != nil {
			path = pathOf(fixed)
			if !isLoopbackURL(fixed) {
				return addr, path, fixed.String(), nil
			}
		}
		// The redirect's host is the registered one when that is the address --listen binds
		// (localhost binds 127.0.0.1), else the host as --listen wrote it: --listen localhost:8000
		// sends localhost. Its port is the number, which Bind replaces when it is 0.
		host, port, _ := net.SplitHostPort(cfg.Listen)
		bound, _, _ := net.SplitHostPort(addr)
		if fixed != nil && (fixed.Hostname() == bound || fixed.Hostname() == "localhost" && bound == "127.0.0.1") {
			host = fixed.Hostname()
		}
		n, _ := strconv.ParseUint(port, 10, 16) // checkListen parsed it
		redirect := &url.URL{Scheme: "http", Host: net.JoinHostPort(host, strconv.FormatUint(n, 10)), Path: path}
		if fixed != nil {
			// The registered query is part of the URI the provider compares (AList's ?method=).
			redirect.RawQuery = fixed.RawQuery
		}
		return addr, path, redirect.String(), nil
	}
	if fixed != nil && isLoopbackURL(fixed) {
		if fixed.Scheme != "http" {
			return "", "", "", &NotLoopbackError{Value: cfg.RedirectURL, What: "redirect URL", Reason: "a loopback callback must use http (ssoctl serves no TLS)"}
		}
		port := fixed.Port()
		if port == "" {
			port = "0"
		}
		host := fixed.Hostname()
		if host == "localhost" {
			host = "127.0.0.1"
		}
		return net.JoinHostPort(host, port), pathOf(fixed), fixed.String(), nil
	}
	return "127.0.0.1:0", path, "http://127.0.0.1:0" + path, nil
}

func pathOf(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// checkListen accepts HOST:PORT with a loopback host (localhost means 127.0.0.1).
func checkListen(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", &NotLoopbackError{Value: listen, What: "--listen", Reason: "it must be HOST:PORT, such as 127.0.0.1:8000 or [::1]:0"}
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", &NotLoopbackError{Value: listen, What: "--listen", Reason: fmt.Sprintf("port %q is not a number from 0 to 65535", port)}
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return "", &NotLoopbackError{Value: listen, What: "--listen", Reason: "the callback listener binds loopback addresses only (127.0.0.1 or [::1]), so no other machine can send it a code"}
	}
	return net.JoinHostPort(host, port), nil
}

// isLoopbackURL reports whether u points at this machine's loopback interface.
func isLoopbackURL(u *url.URL) bool {
	if u == nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackURL reports whether raw is an http URL on a loopback host, which the callback listener can
// serve directly.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "http" && isLoopbackURL(u)
}

// RedirectURL is the redirect URI to send in the authorize request.
func (s *Server) RedirectURL() string { return s.redirectURL }

// Addr is the bound address.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Wait blocks until the one callback with this login's state arrives, ctx ends, or the server is
// closed, and always shuts the server down before it returns. Requests with a wrong or missing state
// do not end it (see the package doc); OnIgnored hears about the first.
func (s *Server) Wait(ctx context.Context) (*Callback, error) {
	defer func() {
		// Stop accepting now; the answer to the browser is already flushed, so the graceful part of
		// the shutdown (idle keep-alive connections) finishes in the background instead of delaying
		// the code exchange.
		_ = s.ln.Close()
		go s.Close()
		// A stray request answered before the real callback is reported even when the select
		// below picked the callback first.
		select {
		case e := <-s.firstIgnored:
			s.reportIgnored(e)
		default:
		}
	}()
	for {
		select {
		case e := <-s.firstIgnored:
			s.reportIgnored(e)
		case r := <-s.result:
			return r.cb, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.done:
			return nil, errors.New("callback listener stopped before a callback arrived")
		}
	}
}

func (s *Server) reportIgnored(e *StateError) {
	if s.OnIgnored != nil {
		s.OnIgnored(e)
	}
}

// Ignored counts the requests to the callback that were ignored because their state was wrong
// (wrong) or absent (missing).
func (s *Server) Ignored() (wrong, missing int64) {
	return s.wrongState.Load(), s.missingState.Load()
}

// IgnoredSummary says in words what Ignored counts ("ignored 1 request to the callback with a wrong
// state"), or "" when nothing was ignored.
func (s *Server) IgnoredSummary() string {
	return IgnoredSummary(s.Ignored())
}

// IgnoredSummary words the counts of Server.Ignored.
func IgnoredSummary(wrong, missing int64) string {
	n := wrong + missing
	if n == 0 {
		return ""
	}
	what := "a wrong or missing state"
	switch {
	case missing == 0:
		what = "a wrong state"
	case wrong == 0:
		what = "no state"
	}
	noun := "requests"
	if n == 1 {
		noun = "request"
	}
	return fmt.Sprintf("ignored %d %s to the callback with %s", n, noun, what)
}

// Close stops the server. Responses already being written get a moment to finish, so the browser
// shows the page saying the login is done.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	return err
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != s.path {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	if _, err := Check(q, s.state); err != nil {
		if se, ok := errors.AsType[*StateError](err); ok {
			// Not this login's answer: ignore it, so that a stray or forged request neither ends
			// the login nor uses up the one callback the real browser comes back to.
			s.ignore(se)
			writePage(w, http.StatusBadRequest, "Not this login's callback",
				"This request does not carry the state of the login ssoctl is waiting for ("+se.Reason()+"), so it was ignored and any code in it was not used. "+
					"ssoctl keeps waiting; finish the login in the newest browser tab.")
			return
		}
	}
	// Only the first callback with the right state counts: a login is served once.
	first := false
	s.once.Do(func() { first = true })
	if !first {
		writePage(w, http.StatusGone, "Login already handled", "This callback was already used; return to the terminal.")
		return
	}
	cb, err := Check(q, s.state)
	if err != nil {
		writePage(w, http.StatusBadRequest, "Login failed", err.Error())
	} else {
		writePage(w, http.StatusOK, "Login received", "You can close this tab and return to the terminal.")
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	s.result <- result{cb: cb, err: err}
}

// ignore counts a request with a wrong or missing state and hands the first one to Wait.
func (s *Server) ignore(e *StateError) {
	counter := &s.wrongState
	if e.Missing {
		counter = &s.missingState
	}
	counter.Add(1)
	s.ignoredOnce.Do(func() { s.firstIgnored <- e })
}

// page is parsed on first use: a template parsed at package level costs every command's start.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>ssoctl: {{.Title}}</title></head>
<body style="font-family: sans-serif; margin: 3em"><h1>{{.Title}}</h1><p>{{.Message}}</p></body></html>
`))
})

func writePage(w http.ResponseWriter, status int, title, message string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The URL holds a code: keep it out of caches and Referer headers.
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	// One page per login: the browser need not keep the connection, and with it closed the
	// listener's shutdown (http.Server.Shutdown polls idle connections on a timer growing from 1 ms)
	// has nothing to wait for.
	h.Set("Connection", "close")
	w.WriteHeader(status)
	_ = page().Execute(w, struct{ Title, Message string }{title, message})
}

// Check validates the parameters of an authorization response against the expected state. A wrong or
// missing state is a *StateError and the code is not returned, so it is never redeemed; an error
// response with the right state is an *AuthError.
func Check(q url.Values, wantState string) (*Callback, error) {
	got := q.Get("state")
	if wantState == "" || subtle.ConstantTimeCompare([]byte(got), []byte(wantState)) != 1 {
		return nil, &StateError{Got: got, Missing: !q.Has("state")}
	}
	if e := q.Get("error"); e != "" {
		return nil, &AuthError{Code: e, Description: q.Get("error_description"), URI: q.Get("error_uri"), Iss: q.Get("iss")}
	}
	code := q.Get("code")
	if code == "" {
		// DingTalk sends the authorization code as authCode (alist.md, providers.md). The state
		// check above still binds it to this login, so accepting the other name costs nothing.
		code = q.Get("authCode")
	}
	if code == "" {
		return nil, &MalformedError{Reason: "it has neither a code nor an error parameter"}
	}
	return &Callback{Code: code, Iss: q.Get("iss"), Query: q}, nil
}

// ParseCallback parses a pasted callback: a full URL (http://127.0.0.1:8000/callback?code=...), or
// only its query (code=...&state=...), and checks it like the listener does. When redirectURL is
// given, a full URL must point at the same path, so a URL copied from the wrong tab is caught.
func ParseCallback(input, wantState, redirectURL string) (*Callback, error) {
	input = strings.TrimSpace(input)
	if input == "" {
		return nil, &MalformedError{Reason: "nothing was pasted"}
	}
	var q url.Values
	if strings.Contains(input, "://") {
		u, err := url.Parse(input)
		if err != nil {
			return nil, &MalformedError{Reason: fmt.Sprintf("it is not a URL: %v", err)}
		}
		if want, err := url.Parse(redirectURL); redirectURL != "" && err == nil && strings.TrimSuffix(u.Path, "/") != strings.TrimSuffix(want.Path, "/") {
			return nil, &MalformedError{Reason: fmt.Sprintf("its path %q is not the redirect URL's %q", u.Path, want.Path)}
		}
		q = u.Query()
		if len(q) == 0 && u.Fragment != "" {
			// response_mode=fragment puts the parameters after #.
			q, _ = url.ParseQuery(u.Fragment)
		}
	} else {
		var err error
		q, err = url.ParseQuery(strings.TrimPrefix(input, "?"))
		if err != nil {
			return nil, &MalformedError{Reason: fmt.Sprintf("it is not a query string: %v", err)}
		}
	}
	return Check(q, wantState)
}
