package doctor

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/ssoctl/ssoctl/pkg/discovery"
)

// maxBody bounds every answer a probe reads: error pages and token errors are a few KiB, and only
// their start says anything.
const maxBody = 256 << 10

// noRedirects returns a copy of client that stops at the first answer: a probe wants to see where
// the provider sends the browser, not go there.
func noRedirects(client *http.Client) *http.Client {
	if client == nil {
		client = http.DefaultClient
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// answer is what a probe read of a response.
type answer struct {
	status      int
	statusText  string
	location    *url.URL
	contentType string
	body        []byte
	date        string
}

func readAnswer(resp *http.Response) answer {
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, statusText: resp.Status, date: resp.Header.Get("Date")}
	a.contentType, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if loc := resp.Header.Get("Location"); loc != "" {
		if u, err := resp.Request.URL.Parse(loc); err == nil {
			a.location = u
		}
	}
	a.body, _ = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return a
}

// transportFinding explains a request that got no answer, with discover's classification (DNS, TCP,
// TLS, timeout) in the message.
func transportFinding(err error, what, rawURL, field string) Finding {
	c := discovery.ClassifyError(err, what, rawURL)
	msg := strings.Replace(c.Message, "cannot fetch the", "cannot reach the", 1)
	return newFinding(CodeUnreachable, field, msg, c.Hint)
}

// oauthError is an RFC 6749 error object, in JSON or form encoding.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func parseOAuthError(a answer) (oauthError, bool) {
	var e oauthError
	if json.Unmarshal(a.body, &e) == nil && e.Error != "" {
		return e, true
	}
	if q, err := url.ParseQuery(string(a.body)); err == nil && q.Get("error") != "" && !bytes.ContainsAny(a.body, "<{") {
		return oauthError{Error: q.Get("error"), Description: q.Get("error_description")}, true
	}
	return oauthError{}, false
}

var (
	scriptRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)>`)
	})
	titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })
	tagRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<[^>]*>`) })
	// headingEndRE matches the end of a heading: a heading followed by its explanation reads as
	// "heading: explanation".
	headingEndRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)</h[1-6]>`) })
)

// pageText is the visible text of an answer, on one line and cut for display: an error page's
// words, a JSON error's code and description, or plain text. Search fullPageText, not this: a
// product's words may come after a long header (Kanidm's domain display name).
func pageText(a answer) string { return truncate(fullPageText(a), pageTextDisplay) }

// pageTextDisplay is how many characters of a page's text a finding quotes.
const pageTextDisplay = 240

// fullPageText is the visible text of an answer on one line, uncut (the body is read up to
// maxBody): what the pre-flight searches for a product's words.
func fullPageText(a answer) string {
	if e, ok := parseOAuthError(a); ok {
		return strings.TrimSpace(e.Error + ": " + e.Description)
	}
	body := string(a.body)
	title := ""
	if m := titleRE().FindStringSubmatch(body); m != nil {
		title = oneLine(html.UnescapeString(tagRE().ReplaceAllString(m[1], " ")))
	}
	text := titleRE().ReplaceAllString(scriptRE().ReplaceAllString(body, " "), " ")
	text = headingEndRE().ReplaceAllString(text, ": ")
	text = strings.TrimSuffix(oneLine(html.UnescapeString(tagRE().ReplaceAllString(text, " "))), ":")
	if title != "" && !strings.HasPrefix(text, title) && !strings.EqualFold(title, "error") {
		text = title + ": " + text
	}
	return text
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// randomString is 32 random bytes in base64url: state, nonce and PKCE verifiers of probes.
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// s256 is the PKCE S256 challenge of verifier (RFC 7636 §4.2).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
