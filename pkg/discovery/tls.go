package discovery

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
)

// TLS trust problems: why a certificate chain did not verify against this machine's CAs (and
// --ca-file). They tell apart fixes on different sides: the server's chain, or this machine's and
// the app server's trust.
const (
	// TrustSelfSigned is a certificate that signs itself: trust that certificate.
	TrustSelfSigned = "self-signed"
	// TrustMissingIntermediate is a certificate sent without the intermediate certificate that
	// links it to its CA: the server's chain must be fixed (or the issuer is a private root CA
	// that signs server certificates directly).
	TrustMissingIntermediate = "missing-intermediate"
	// TrustUnknownRoot is a complete chain that ends at a CA this machine does not trust (a private
	// CA): trust that CA.
	TrustUnknownRoot = "unknown-root"
)

// TrustProblem classifies a transport error whose certificate chain did not verify: one of the
// Trust constants, and the certificate whose issuer is not trusted (the one the server sent first).
// ok is false for any other error.
func TrustProblem(err error) (problem string, leaf *x509.Certificate, ok bool) {
	var ua x509.UnknownAuthorityError
	if !errors.As(err, &ua) {
		return "", nil, false
	}
	t := newTrust(err, ua)
	return t.problem, t.leaf, t.leaf != nil
}

// trust is what a failed verification tells about the chain the server sent.
type trust struct {
	problem string
	leaf    *x509.Certificate
	// sent is the chain as the server sent it; nil when the error does not carry it.
	sent []*x509.Certificate
	// top is the last certificate of the chain that links up from the leaf: the leaf itself when no
	// certificate the server sent issued it.
	top *x509.Certificate
}

// newTrust reads the chain from the TLS error: crypto/tls reports every certificate the server sent
// in a CertificateVerificationError. Without it (another TLS stack) only the certificate the
// UnknownAuthorityError names is known, and it counts as sent alone only when it is self-signed.
func newTrust(err error, ua x509.UnknownAuthorityError) trust {
	var t trust
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ve) && len(ve.UnverifiedCertificates) > 0 {
		t.sent = ve.UnverifiedCertificates
		t.leaf = t.sent[0]
	} else {
		t.leaf = ua.Cert
	}
	if t.leaf == nil {
		return t
	}
	if selfSigned(t.leaf) {
		t.problem, t.top = TrustSelfSigned, t.leaf
		return t
	}
	// Follow issuers through what the server sent, as a verifier does, in any order.
	t.top = t.leaf
	used := map[*x509.Certificate]bool{t.leaf: true}
	for linked := true; linked && !selfSigned(t.top); {
		linked = false
		for _, c := range t.sent {
			if !used[c] && t.top.CheckSignatureFrom(c) == nil {
				used[c], t.top, linked = true, c, true
				break
			}
		}
	}
	t.problem = TrustUnknownRoot
	if t.top == t.leaf && t.sent != nil {
		t.problem = TrustMissingIntermediate
	}
	return t
}

// unknownAuthority explains a chain this machine could not verify, in words that tell the three
// usual causes apart: a self-signed certificate; a server that sends its certificate without the
// intermediate (browsers fetch it from the certificate's AIA URL and work, HTTP client libraries in
// Go, Node.js and Python do not, so "it works in the browser" proves nothing); and a complete chain
// ending at a private CA. The leaf's fingerprint is in every message, for comparing with the
// certificate the provider should serve.
func unknownAuthority(err error, ua x509.UnknownAuthorityError, host string) (msg, hint string) {
	const caFile = "pass the CA certificate of the provider (PEM) with --ca-file"
	const appTrust = "the app's server must trust it too (ssoctl export names the app's setting)"
	t := newTrust(err, ua)
	leaf := t.leaf
	if leaf == nil {
		return "TLS: the certificate is signed by an authority this machine does not trust", caFile
	}
	switch t.problem {
	case TrustSelfSigned:
		return fmt.Sprintf("TLS: the certificate of %s is self-signed (%s)", host, certSummary(leaf)),
			caFile + ", here the certificate itself; " + appTrust
	case TrustMissingIntermediate:
		msg = fmt.Sprintf("TLS: the server sends no intermediate certificate: the certificate of %s (%s) is issued by %q, and nothing it sent links that to a CA this machine trusts",
			host, certSummary(leaf), name(leaf.Issuer.String()))
		if len(t.sent) > 1 {
			msg = fmt.Sprintf("TLS: the server sends the wrong intermediate certificates: none of the %d it sent issued the certificate of %s (%s), whose issuer is %q",
				len(t.sent)-1, host, certSummary(leaf), name(leaf.Issuer.String()))
		}
		hint = "configure the full chain on the server or its reverse proxy (the certificate followed by its intermediates: fullchain.pem, not cert.pem)"
		if len(leaf.IssuingCertificateURL) > 0 {
			hint += fmt.Sprintf("; browsers download the missing intermediate from the certificate's AIA URL (%s) and work, apps' HTTP clients (Go, Node.js, Python) do not",
				strings.Join(leaf.IssuingCertificateURL, ", "))
		}
		return msg, hint + fmt.Sprintf("; if %q is a private root CA that signs server certificates directly, %s instead", name(leaf.Issuer.String()), caFile)
	}
	top := t.top
	if top != leaf && selfSigned(top) {
		return fmt.Sprintf("TLS: the certificate chain of %s (%s) ends at the root CA %q (%s), which this machine does not trust",
				host, certSummary(leaf), name(top.Subject.String()), fingerprint(top)),
			"that is a private CA: pass its certificate (PEM) with --ca-file; " + appTrust
	}
	if top == leaf {
		return fmt.Sprintf("TLS: the certificate of %s (%s) is issued by %q, which this machine does not trust", host, certSummary(leaf), name(leaf.Issuer.String())),
			fmt.Sprintf("%s (the certificate of %q); %s; if that CA is a public one, the server does not send its intermediate certificate: configure the full chain on the server or proxy", caFile, name(leaf.Issuer.String()), appTrust)
	}
	return fmt.Sprintf("TLS: the certificate chain of %s (%s, then %q) is signed by %q, a CA this machine does not trust",
			host, certSummary(leaf), name(top.Subject.String()), name(top.Issuer.String())),
		fmt.Sprintf("%s: the certificate of %q; %s; if it is a public CA, this machine's CA store is out of date (update the ca-certificates package)",
			caFile, name(top.Issuer.String()), appTrust)
}

// name is a distinguished name as people read it: its common name when it has one.
func name(dn string) string {
	for _, part := range strings.Split(dn, ",") {
		if cn, ok := strings.CutPrefix(part, "CN="); ok {
			return cn
		}
	}
	return dn
}

// selfSigned says whether c signs itself. The signature is checked without asking whether c may
// act as a CA: self-signed server certificates often lack the CA flag.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// fingerprint is a certificate's SHA-256 fingerprint as browsers and openssl show it.
func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02X", b)
	}
	return "SHA-256 " + strings.Join(hexes, ":")
}
