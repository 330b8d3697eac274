package login

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// DefaultMaxBodyBytes bounds every response body read from the provider (discovery, JWKS, token,
// userinfo): real ones are a few KiB, and a hostile or broken provider must not exhaust memory.
const DefaultMaxBodyBytes = 1 << 20

// BodyTooLargeError is a response body larger than the bound.
type BodyTooLargeError struct {
	URL   string
	Limit int64
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("the response from %s is larger than %s; ssoctl stopped reading there", e.URL, formatBytes(e.Limit))
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// limitTransport makes every response body fail with *BodyTooLargeError past max bytes, so libraries
// that read whole bodies (go-oidc's discovery, x/oauth2's token exchange) are bounded too.
type limitTransport struct {
	base http.RoundTripper
	max  int64
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.max, err: &BodyTooLargeError{URL: req.URL.Redacted(), Limit: t.max}}
	return resp, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
	err  error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// At the bound: one more byte means the body is too large; EOF means it fit exactly.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 {
			return 0, b.err
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// boundedClient returns a copy of c whose response bodies are bounded.
func boundedClient(c *http.Client, max int64) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	cp := *c
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = &limitTransport{base: base, max: max}
	return &cp
}

// readBody reads a bounded body; the error is *BodyTooLargeError when it is too large.
func readBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(r)
	var tl *BodyTooLargeError
	if errors.As(err, &tl) {
		return nil, tl
	}
	return b, err
}

// apiResponse is a provider API's answer, read within the body bound.
type apiResponse struct {
	status     int
	statusText string // "400 Bad Request"
	header     http.Header
	body       []byte
}

// call sends one request to a provider API, with a JSON body when body is not nil. Transport errors
// and bodies past the bound come back as errors; any HTTP status is an answer.
func (r *run) call(ctx context.Context, method, rawURL string, header http.Header, body any) (*apiResponse, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	return r.send(req)
}

// send sends req and reads its answer within the body bound: transport errors and bodies past the
// bound come back as errors; any HTTP status is an answer.
func (r *run) send(req *http.Request) (*apiResponse, error) {
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := readBody(resp.Body)
	if err != nil {
		return nil, err
	}
	return &apiResponse{status: resp.StatusCode, statusText: resp.Status, header: resp.Header, body: b}, nil
}

// callError explains a request that got no answer (or one too large to read) in step.
func callError(step, what string, err error) *Error {
	var tl *BodyTooLargeError
	if errors.As(err, &tl) {
		return &Error{Step: step, Message: step + " check failed: " + tl.Error(), HintText: netHint(err), Err: err}
	}
	return &Error{Step: step, Message: fmt.Sprintf("%s failed: %v", what, err), HintText: netHint(err), Err: err}
}

// excerpt is the start of a body for a message.
func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "an empty body"
	}
	return truncate(s, 200)
}

// bearer is a request header carrying a bearer token.
func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}
