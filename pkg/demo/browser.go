package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/ssoctl/ssoctl/pkg/loopback"
)

// maxHops bounds the redirects Browser follows, as browsers do (Chrome stops at 20; 10 is plenty
// for authorize → login → callback).
const maxHops = 10

// Browser is a headless browser for logins against loopback providers: it GETs the authorize URL
// and follows the redirects itself, with a cookie jar, only to loopback hosts and at most 10 hops,
// until a page answers. It satisfies login.Browser and cmdutil.Browser.
//
// Browse returns when the browser has arrived, so by then the callback listener has its result.
type Browser struct {
	// Timeout bounds one Browse; 0 means 30 seconds.
	Timeout time.Duration
}

// Browse visits rawURL and follows its redirects. It fails on a URL or redirect that leaves the
// loopback interface, on too many redirects, and on a final page with an error status.
func (b *Browser) Browse(rawURL string) error {
	if !isLoopback(rawURL) {
		return fmt.Errorf("the headless browser only visits loopback URLs, not %s", redact(rawURL))
	}
	timeout := b.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	jar, _ := cookiejar.New(nil) // never fails without options
	c := &http.Client{
		// No proxy: the traffic stays on this machine whatever HTTP_PROXY says.
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
		Jar:       jar,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxHops {
				return fmt.Errorf("stopped after %d redirects", maxHops)
			}
			if !isLoopback(req.URL.String()) {
				return fmt.Errorf("refused to follow a redirect off the loopback interface to %s", redact(req.URL.String()))
			}
			return nil
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("headless browser: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode >= 400 {
		return fmt.Errorf("headless browser: %s answered %s: %s", redact(resp.Request.URL.String()), resp.Status, snippet(body))
	}
	return nil
}

func isLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		// IsLoopbackURL is about plain-http callbacks; a loopback host is loopback either way.
		u.Scheme = "http"
	}
	return loopback.IsLoopbackURL(u.String())
}

// redact drops the query, which may carry a code or state, from a URL shown in an error.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// snippet is the start of a page, on one line, for an error message.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		s = "(empty page)"
	}
	return s
}
