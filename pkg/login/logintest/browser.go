// Package logintest holds what login tests need besides ssoctl itself: a scripted browser, a launcher
// for the real OpenID provider under testdata/oidcprovider, and a hostile provider that misbehaves
// one way at a time.
package logintest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// MaxHops bounds the redirects a scripted login follows.
const MaxHops = 10

// FollowOptions change what the scripted browser does with the authorize URL.
type FollowOptions struct {
	// LoginHint is added as login_hint; the test provider logs that user in without a page
	// ("deny" makes it refuse).
	LoginHint string
	// Modify, when set, changes the authorize URL before the first request.
	Modify func(*url.URL)
	// Timeout bounds the whole walk; 0 means 30 s.
	Timeout time.Duration
	// StopAt, when set, ends the walk before a URL it matches is requested (a browser on another
	// machine: the user copies that URL for --paste).
	StopAt func(*url.URL) bool
}

// Result is where a scripted login ended.
type Result struct {
	// URL is the last URL requested.
	URL string
	// Status is its HTTP status.
	Status int
	// Body is the start of its body.
	Body string
	// Hops counts the requests made.
	Hops int
}

// Follow opens rawURL like a browser would: it GETs it and follows redirects itself, with a cookie
// jar, to loopback hosts only and for MaxHops requests at most. It stops at the first answer that
// is not a redirect and returns it.
func Follow(ctx context.Context, rawURL string, opts FollowOptions) (*Result, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if opts.LoginHint != "" {
		q := u.Query()
		q.Set("login_hint", opts.LoginHint)
		u.RawQuery = q.Encode()
	}
	if opts.Modify != nil {
		opts.Modify(u)
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	for hop := 1; hop <= MaxHops; hop++ {
		if opts.StopAt != nil && opts.StopAt(u) {
			return &Result{URL: u.String(), Hops: hop - 1}, nil
		}
		if !isLoopback(u) {
			return nil, fmt.Errorf("test browser: refusing to visit %s: not a loopback host", u.Redacted())
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("test browser: %w", err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode > 399 || loc == "" {
			return &Result{URL: u.String(), Status: resp.StatusCode, Body: string(body), Hops: hop}, nil
		}
		next, err := u.Parse(loc)
		if err != nil {
			return nil, fmt.Errorf("test browser: bad Location %q: %w", loc, err)
		}
		u = next
	}
	return nil, errors.New("test browser: too many redirects")
}

func isLoopback(u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Browser is a login.Browser that runs Follow in the background, as a real browser runs beside
// ssoctl. Done receives the outcome of each Browse.
type Browser struct {
	Options FollowOptions
	Done    chan Outcome
}

// Outcome is the end of one scripted login.
type Outcome struct {
	Result *Result
	Err    error
}

// NewBrowser returns a Browser with the given options.
func NewBrowser(opts FollowOptions) *Browser {
	return &Browser{Options: opts, Done: make(chan Outcome, 4)}
}

// Browse starts the scripted login and returns at once.
func (b *Browser) Browse(rawURL string) error {
	go func() {
		res, err := Follow(context.Background(), rawURL, b.Options)
		b.Done <- Outcome{Result: res, Err: err}
	}()
	return nil
}

// ParamModifier returns a Modify func that sets (or, with value "", deletes) one query parameter.
func ParamModifier(name, value string) func(*url.URL) {
	return func(u *url.URL) {
		q := u.Query()
		if value == "" {
			q.Del(name)
		} else {
			q.Set(name, value)
		}
		u.RawQuery = q.Encode()
	}
}

// ParseParams parses "name=value,name2=" into Modify funcs, for the $BROWSER helper's environment.
func ParseParams(spec string) []func(*url.URL) {
	var out []func(*url.URL)
	for _, kv := range strings.Split(spec, ",") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, ParamModifier(k, v))
	}
	return out
}
