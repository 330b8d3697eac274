// Package redact masks secrets in text that came from somewhere else: a provider that echoes the
// client secret in its error_description, a response body. It masks where that text enters ssoctl
// (a response body, through Transport), not in the messages ssoctl composes from it: masking a
// finished message also masks ssoctl's own words when the secret is short ("e" turns "the client
// secret is wrong" into "th*** cli***nt ..."; "secret" turns client_secret_basic into
// client_***_basic).
package redact

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Mask is what a secret is replaced with; config.Redacted is the same.
const Mask = "***"

// forms returns the ways a secret can appear in a body: as it is, form- or path-encoded, and
// escaped inside a JSON string (json.Marshal's escapes, and "\/" for "/", which PHP and others
// write). Longer forms come first, so that no form is masked half.
func forms(secret string) []string {
	if secret == "" {
		return nil
	}
	fs := []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
	if b, err := json.Marshal(secret); err == nil {
		inner := string(b[1 : len(b)-1])
		fs = append(fs, inner, strings.ReplaceAll(inner, "/", `\/`))
	}
	// ASCII-only \uXXXX escapes, as some encoders write every non-ASCII rune.
	if q := strconv.QuoteToASCII(secret); len(q) > 2 {
		fs = append(fs, q[1:len(q)-1])
	}
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	// Longest first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// String replaces every occurrence of each secret (in any of the forms above) in s, which must be
// text from outside ssoctl.
func String(s string, secrets ...string) string {
	for _, sec := range secrets {
		for _, f := range forms(sec) {
			s = strings.ReplaceAll(s, f, Mask)
		}
	}
	return s
}

// Body masks a response body. A JSON body is masked value by value and written again, so that it
// stays JSON a caller can parse: member names are left alone, and so is the value of "error",
// which is a code from RFC 6749's registry that ssoctl reads to classify the answer (masked only
// when it is the secret itself). Any other body is masked as text (Bytes).
func Body(b []byte, secrets ...string) []byte {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err == nil && !dec.More() {
			if out, err := json.Marshal(maskJSON(v, "", secrets)); err == nil {
				return out
			}
		}
	}
	return Bytes(b, secrets...)
}

func maskJSON(v any, key string, secrets []string) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = maskJSON(e, k, secrets)
		}
	case []any:
		for i, e := range v {
			v[i] = maskJSON(e, "", secrets)
		}
	case string:
		if key == "error" {
			for _, s := range secrets {
				if v == s {
					return Mask
				}
			}
			return v
		}
		return String(v, secrets...)
	}
	return v
}

// Bytes is String for a body.
func Bytes(b []byte, secrets ...string) []byte {
	for _, sec := range secrets {
		for _, f := range forms(sec) {
			b = bytes.ReplaceAll(b, []byte(f), []byte(Mask))
		}
	}
	return b
}

// MaxBody is how much of a response Transport reads to mask: more than any consumer in ssoctl
// reads of a body. Beyond it the body is passed on unmasked and unread.
const MaxBody = 4 << 20

// Transport returns a RoundTripper that masks the secrets in the response to every request that
// carried one (base is http.DefaultTransport when nil), before the caller reads it. Hand it to code
// that quotes what a provider answered, such as the client probe at the token endpoint, and the
// secret cannot reach a message, a finding or a log, whatever the caller does with the body.
//
// Only those responses are masked: a server can echo only what it was sent, and masking the others
// would corrupt them for no gain (with a secret "e", every URL in a discovery document).
// A request carries a secret in an Authorization header (HTTP Basic) or in its body.
func Transport(base http.RoundTripper, secrets ...string) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	var keep []string
	for _, s := range secrets {
		if s != "" {
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 {
		return base
	}
	return &transport{base: base, secrets: keep}
}

type transport struct {
	base    http.RoundTripper
	secrets []string
	// onlyErrors leaves answers that are not errors exact (ErrorTransport).
	onlyErrors bool
}

// ErrorTransport is Transport for a client whose successful answers must stay exact: a login's,
// whose token response carries tokens that a short secret ("e") occurs in by chance. It masks only
// the answers that are errors, where a provider quotes what it was sent: an HTTP status of 400 or
// more, or a JSON object that says it failed (an RFC 6749 "error" member, which GitHub sends with
// 200, or a non-zero "code" or "errcode", as Lark and DingTalk do).
func ErrorTransport(base http.RoundTripper, secrets ...string) http.RoundTripper {
	t := Transport(base, secrets...)
	if tt, ok := t.(*transport); ok {
		tt.onlyErrors = true
	}
	return t
}

// isError reports whether an answer is an error in ErrorTransport's sense.
func isError(status int, body []byte) bool {
	if status >= 400 {
		return true
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(body, &obj) != nil {
		return false
	}
	if _, ok := obj["error"]; ok {
		return true
	}
	for _, k := range []string{"code", "errcode"} {
		if v, ok := obj[k]; ok && string(v) != "0" && string(v) != `"0"` && string(v) != "null" {
			return true
		}
	}
	return false
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	carries := t.carriesSecret(req)
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.Body == nil || !carries {
		return resp, err
	}
	head, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if t.onlyErrors && !isError(resp.StatusCode, head) {
		var rest io.Reader = resp.Body
		if rerr != nil {
			rest = errReader{rerr}
		}
		resp.Body = readCloser{Reader: io.MultiReader(bytes.NewReader(head), rest), Closer: resp.Body}
		return resp, nil
	}
	masked := Body(head, t.secrets...)
	var body io.Reader = bytes.NewReader(masked)
	if rerr != nil {
		body = io.MultiReader(body, errReader{rerr})
	} else if int64(len(head)) == MaxBody {
		// Too long to be an answer ssoctl quotes; masked as text, in case its start is quoted.
		masked = Bytes(head, t.secrets...)
		body = io.MultiReader(bytes.NewReader(masked), resp.Body)
	}
	resp.Body = readCloser{Reader: body, Closer: resp.Body}
	if resp.ContentLength >= 0 && len(masked) != len(head) {
		resp.ContentLength = -1
		resp.Header.Del("Content-Length")
	}
	return resp, nil
}

// carriesSecret reports whether req sends a secret: an Authorization header (whose Basic
// credentials hold it), or a body that holds it in one of its forms.
func (t *transport) carriesSecret(req *http.Request) bool {
	if req.Header.Get("Authorization") != "" {
		return true
	}
	if req.GetBody == nil {
		return req.Body != nil && req.Body != http.NoBody // a body ssoctl cannot re-read: assume so
	}
	body, err := req.GetBody()
	if err != nil {
		return true
	}
	defer body.Close()
	b, err := io.ReadAll(io.LimitReader(body, MaxBody))
	if err != nil {
		return true
	}
	if strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		// A form sends a secret as a whole value; looking for it as a substring would find a short
		// secret ("e") in every form ("code=...").
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return true
		}
		for _, vs := range form {
			for _, v := range vs {
				for _, sec := range t.secrets {
					if v == sec {
						return true
					}
				}
			}
		}
		return false
	}
	return !bytes.Equal(Bytes(b, t.secrets...), b)
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
