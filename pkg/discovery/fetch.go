package discovery

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// get fetches one document. A nil *Check means a 200 answer whose body is returned; otherwise the
// check classifies what went wrong (DNS, TCP, TLS, timeout, status, size).
func get(ctx context.Context, client *http.Client, what, rawURL string) (Fetch, []byte, *Check) {
	f := Fetch{What: what, URL: rawURL}
	label := documentLabel(what)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return f, nil, &Check{Code: CodeFetch, Status: StatusFail, Message: fmt.Sprintf("cannot request the %s at %s: %v", label, rawURL, err)}
	}
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	f.Duration = time.Since(start)
	f.DurationMs = f.Duration.Milliseconds()
	if err != nil {
		c := classify(err, label, rawURL)
		return f, nil, &c
	}
	defer resp.Body.Close()
	f.Status, f.StatusCode = resp.Status, resp.StatusCode
	f.ContentType, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		f.Date = d
	}
	if final := resp.Request.URL.String(); final != rawURL {
		f.FinalURL = final
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxDocumentBytes+1))
	f.Duration = time.Since(start)
	f.DurationMs = f.Duration.Milliseconds()
	if err != nil {
		c := classify(err, label, rawURL)
		return f, nil, &c
	}
	if len(body) > MaxDocumentBytes {
		return f, nil, &Check{Code: CodeTooLarge, Status: StatusFail,
			Message: fmt.Sprintf("the %s at %s is larger than 1 MiB; ssoctl stopped reading there", label, rawURL),
			Hint:    "real ones are a few KiB: the URL serves something else (a file download, a stream), or the provider is broken"}
	}
	if resp.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("GET %s%s answered %s", rawURL, redirected(f), resp.Status)
		if t := htmlTitle(body); t != "" {
			msg += fmt.Sprintf(" with an HTML page titled %q", t)
		} else if s := snippet(body); s != "" && !looksHTML(f.ContentType, body) {
			msg += ": " + s
		}
		return f, nil, &Check{Code: CodeHTTPStatus, Status: StatusFail, Message: msg, Hint: statusHint(what, resp.StatusCode)}
	}
	return f, body, nil
}

func documentLabel(what string) string {
	if what == "jwks" {
		return "JWKS"
	}
	return "discovery document"
}

func statusHint(what string, code int) string {
	switch {
	case code == http.StatusNotFound && what == "discovery":
		return "the issuer URL is wrong: Keycloak issuers end in /realms/REALM (before Keycloak 17: /auth/realms/REALM), authentik's in /application/o/SLUG/, Zitadel's and Casdoor's are the server's origin, Entra ID's are https://login.microsoftonline.com/TENANT/v2.0"
	case code == http.StatusNotFound:
		return "the provider announces a jwks_uri it does not serve; check the provider's signing key settings and its external URL"
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return "the document must be public; a reverse proxy, VPN gateway or access policy in front of the provider guards it"
	case code >= 500:
		return "the provider (or the proxy in front of it) has a problem; check its logs and health"
	case code >= 300 && code < 400:
		return "the redirect was not followed to a document; check the issuer URL and the proxy's redirects"
	}
	return "check the issuer URL and anything between this machine and the provider"
}

// jsonObject decodes a 200 answer that should be a JSON object, telling HTML and other text apart.
func jsonObject(f Fetch, body []byte) (map[string]json.RawMessage, *Check) {
	label := documentLabel(f.What)
	if looksHTML(f.ContentType, body) {
		msg := fmt.Sprintf("%s answered with an HTML page instead of the %s's JSON", f.URL, label)
		if t := htmlTitle(body); t != "" {
			msg = fmt.Sprintf("%s answered with an HTML page titled %q instead of the %s's JSON", f.URL, t, label)
		}
		msg += redirected(f)
		return nil, &Check{Code: CodeHTML, Status: StatusFail, Message: msg,
			Hint: "the URL leads to a web page (a login page, a single-page app's index, a proxy's error page); check the issuer URL and that the proxy forwards /.well-known/ to the provider"}
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&v); err != nil || dec.More() {
		if err == nil {
			err = errors.New("more than one JSON value")
		}
		ct := f.ContentType
		if ct == "" {
			ct = "none"
		}
		return nil, &Check{Code: CodeNotJSON, Status: StatusFail,
			Message: fmt.Sprintf("the %s at %s is not JSON (content type %s): %v", label, f.URL, ct, err),
			Hint:    "the URL serves something else, or the provider is broken; open it in a browser to see what it serves"}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, &Check{Code: CodeNotMetadata, Status: StatusFail,
			Message: fmt.Sprintf("the %s at %s is a JSON %s, not an object", label, f.URL, jsonTypeName(v)),
			Hint:    "the URL serves another API's JSON; check the issuer URL"}
	}
	return obj, nil
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}

func keyList(obj map[string]json.RawMessage) string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return "none"
	}
	if len(keys) > 8 {
		keys = append(keys[:8], "…")
	}
	return strings.Join(keys, ", ")
}

func looksHTML(contentType string, body []byte) bool {
	if contentType == "text/html" || contentType == "application/xhtml+xml" {
		return true
	}
	b := bytes.ToLower(bytes.TrimSpace(body[:min(len(body), 512)]))
	return bytes.HasPrefix(b, []byte("<!doctype html")) || bytes.HasPrefix(b, []byte("<html"))
}

var titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

// htmlTitle returns the page's title, to tell a login page from a proxy's error page.
func htmlTitle(body []byte) string {
	m := titleRE().FindSubmatch(body[:min(len(body), 64<<10)])
	if m == nil {
		return ""
	}
	t := strings.Join(strings.Fields(html.UnescapeString(string(m[1]))), " ")
	return truncate(t, 80)
}

// snippet is the start of a short text answer, on one line.
func snippet(body []byte) string {
	return truncate(strings.Join(strings.Fields(string(body[:min(len(body), 400)])), " "), 160)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// classify turns a transport error into a check: DNS, TCP, TLS (unknown authority, host name,
// validity), timeout, or unclassified.
func classify(err error, label, rawURL string) Check {
	host := rawURL
	if u, perr := url.Parse(rawURL); perr == nil {
		host = u.Host
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the message names the URL already
	}
	fail := func(code, msg, hint string) Check {
		return Check{Code: code, Status: StatusFail, Message: fmt.Sprintf("cannot fetch the %s at %s: %s", label, rawURL, msg), Hint: hint}
	}
	var (
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		rh  tls.RecordHeaderError
		dns *net.DNSError
		ne  net.Error
		op  *net.OpError
	)
	switch {
	case errors.As(err, &ua):
		msg, hint := unknownAuthority(err, ua, host)
		return fail(CodeTLSUnknownCA, msg, hint)
	case errors.As(err, &hn):
		names := hn.Certificate.DNSNames
		for _, ip := range hn.Certificate.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) == 0 && hn.Certificate.Subject.CommonName != "" {
			names = []string{hn.Certificate.Subject.CommonName}
		}
		return fail(CodeTLSHostname,
			fmt.Sprintf("TLS: the certificate is for %s, not %s (%s)", strings.Join(names, ", "), hn.Host, certSummary(hn.Certificate)),
			"use the host name the certificate names in the issuer URL, or have the provider's certificate issued for this name")
	case errors.As(err, &ci):
		if ci.Reason == x509.Expired {
			c := ci.Cert
			return fail(CodeTLSExpired,
				fmt.Sprintf("TLS: the certificate of %s is valid from %s to %s, not now (%s)", host, c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339), certSummary(c)),
				"renew the provider's certificate; if it looks valid, check this machine's clock (timedatectl)")
		}
		return fail(CodeTLSHandshake, "TLS: "+ci.Error(), "the provider's certificate cannot be used for a TLS server; have it reissued")
	case errors.As(err, &rh):
		return fail(CodeTLSHandshake, "TLS: the server does not speak TLS on this port",
			"use http:// for a plain HTTP port, or the provider's HTTPS port")
	case errors.As(err, &dns):
		msg := fmt.Sprintf("DNS: the host name %s does not resolve", dns.Name)
		if !dns.IsNotFound {
			msg = fmt.Sprintf("DNS: cannot resolve %s: %s", dns.Name, dns.Err)
		}
		return fail(CodeDNS, msg, "check the host name for typos and this machine's DNS (split-horizon DNS: the provider's name may resolve only inside its network)")
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return fail(CodeTimeout, "no answer in time",
			"the host accepts connections slowly or not at all; check the provider's health, firewalls and proxies, or raise --timeout")
	case errors.As(err, &op) && op.Op == "dial":
		return fail(CodeConnect, "TCP: "+op.Err.Error(),
			"nothing accepts connections there: check the port, that the provider runs, and firewalls between this machine and it")
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http's own error, untyped.
		return fail(CodeTLSHandshake, "TLS: the server speaks plain HTTP on this port",
			"use http:// in the issuer URL, or the provider's HTTPS port")
	case isTLSError(err):
		return fail(CodeTLSHandshake, "TLS: "+err.Error(), "the TLS handshake failed; check the provider's TLS settings (protocol versions, ciphers) and any proxy")
	}
	return fail(CodeFetch, err.Error(), "check the URL and the network between this machine and the provider")
}

func isTLSError(err error) bool {
	var ae tls.AlertError
	var ve *tls.CertificateVerificationError
	return errors.As(err, &ae) || errors.As(err, &ve) || strings.HasPrefix(err.Error(), "tls: ")
}

// certSummary names a certificate by subject and SHA-256 fingerprint, so an admin can compare it
// with the one the provider should serve.
func certSummary(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02X", b)
	}
	subject := c.Subject.CommonName
	if subject == "" {
		subject = c.Subject.String()
	}
	if subject == "" {
		return "SHA-256 " + strings.Join(hexes, ":")
	}
	return fmt.Sprintf("subject %q, SHA-256 %s", subject, strings.Join(hexes, ":"))
}

// FormatDuration prints a fetch's duration the way the report shows timings: µs, ms or seconds.
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return d.Round(10 * time.Millisecond).String()
}
