package discovery_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
)

const fingerprintRE = `SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}`

// TestInspectTLSChains fetches from servers whose chains fail (or pass) one way each, with and
// without the private root CA as --ca-file.
func TestInspectTLSChains(t *testing.T) {
	tests := []struct {
		name  string
		chain string
		// withCA passes the server's CAPEM as --ca-file does.
		withCA  bool
		problem string // "" for a passing fetch
		message []string
		hint    []string
	}{
		{name: "self-signed", chain: discoverytest.ChainSelfSigned, problem: discovery.TrustSelfSigned,
			message: []string{"is self-signed"}, hint: []string{"--ca-file, here the certificate itself", "ssoctl export names the app's setting"}},
		{name: "self-signed trusted", chain: discoverytest.ChainSelfSigned, withCA: true},
		{name: "intermediate missing", chain: discoverytest.ChainNoIntermediate, problem: discovery.TrustMissingIntermediate,
			message: []string{"TLS: the server sends no intermediate certificate: the certificate of 127.0.0.1:", `(subject "sso.home.lan", SHA-256 `, `is issued by "Home Lab Intermediate CA"`},
			hint:    []string{"configure the full chain on the server or its reverse proxy", "fullchain.pem", "AIA URL (" + discoverytest.AIAURL + ")", `if "Home Lab Intermediate CA" is a private root CA`}},
		// Trusting the root does not help: the link to it is missing.
		{name: "intermediate missing, root trusted", chain: discoverytest.ChainNoIntermediate, withCA: true, problem: discovery.TrustMissingIntermediate,
			message: []string{"the server sends no intermediate certificate"}},
		{name: "untrusted root", chain: discoverytest.ChainFull, problem: discovery.TrustUnknownRoot,
			message: []string{`(subject "sso.home.lan", SHA-256 `, `then "Home Lab Intermediate CA") is signed by "Home Lab Root CA", a CA this machine does not trust`},
			hint:    []string{`pass the CA certificate of the provider (PEM) with --ca-file: the certificate of "Home Lab Root CA"`, "ca-certificates"}},
		{name: "full chain trusted", chain: discoverytest.ChainFull, withCA: true},
		{name: "root sent along", chain: discoverytest.ChainWithRoot, problem: discovery.TrustUnknownRoot,
			message: []string{`ends at the root CA "Home Lab Root CA" (SHA-256 `, "which this machine does not trust"},
			hint:    []string{"that is a private CA: pass its certificate (PEM) with --ca-file"}},
		{name: "root sent along, trusted", chain: discoverytest.ChainWithRoot, withCA: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := discoverytest.NewTLSChain(discoverytest.OK, tt.chain)
			defer srv.Close()
			client := &http.Client{}
			if tt.withCA {
				client = clientTrusting(t, srv.CAPEM())
			}
			r := inspect(t, srv.Issuer(), client)
			if tt.problem == "" {
				assert.True(t, r.OK(), "%+v", r.Checks)
				return
			}
			c := check(t, r, discovery.CodeTLSUnknownCA)
			assert.Equal(t, discovery.StatusFail, c.Status)
			assert.Regexp(t, fingerprintRE, c.Message)
			for _, m := range tt.message {
				assert.Contains(t, c.Message, m)
			}
			for _, h := range tt.hint {
				assert.Contains(t, c.Hint, h)
			}

			// The classification is there for other callers too.
			_, err := client.Get(srv.Issuer() + discovery.WellKnownPath)
			require.Error(t, err)
			problem, leaf, ok := discovery.TrustProblem(err)
			require.True(t, ok)
			assert.Equal(t, tt.problem, problem)
			assert.Equal(t, srv.Certificate().Raw, leaf.Raw)
		})
	}
}

// TestClassifyUnknownAuthority covers chains no test server sends: the wrong intermediate, and an
// error that does not carry the chain.
func TestClassifyUnknownAuthority(t *testing.T) {
	pki := discoverytest.TestPKI()
	other := discoverytest.NewTLSChain(discoverytest.OK, discoverytest.ChainSelfSigned)
	defer other.Close()
	wrap := func(chain []*x509.Certificate, named *x509.Certificate) error {
		return &url.Error{Op: "Get", URL: "https://sso.home.lan/", Err: &tls.CertificateVerificationError{
			UnverifiedCertificates: chain, Err: x509.UnknownAuthorityError{Cert: named}}}
	}
	tests := []struct {
		name    string
		err     error
		problem string
		message string
	}{
		{name: "wrong intermediate", err: wrap([]*x509.Certificate{pki.Leaf, other.Certificate()}, pki.Leaf),
			problem: discovery.TrustMissingIntermediate, message: "TLS: the server sends the wrong intermediate certificates: none of the 1 it sent issued the certificate of sso.home.lan"},
		{name: "chain in reverse order", err: wrap([]*x509.Certificate{pki.Leaf, pki.Root, pki.Intermediate}, pki.Root),
			problem: discovery.TrustUnknownRoot, message: `ends at the root CA "Home Lab Root CA"`},
		{name: "no chain in the error", err: &url.Error{Op: "Get", URL: "https://sso.home.lan/", Err: x509.UnknownAuthorityError{Cert: pki.Leaf}},
			problem: discovery.TrustUnknownRoot, message: `TLS: the certificate of sso.home.lan (subject "sso.home.lan", SHA-256 `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := discovery.ClassifyError(tt.err, "token endpoint", "https://sso.home.lan/token")
			assert.Equal(t, discovery.CodeTLSUnknownCA, c.Code)
			assert.Contains(t, c.Message, tt.message)
			assert.Regexp(t, fingerprintRE, c.Message)
			assert.True(t, strings.HasPrefix(c.Message, "cannot fetch the token endpoint at https://sso.home.lan/token: TLS: "), c.Message)
			problem, _, ok := discovery.TrustProblem(tt.err)
			assert.True(t, ok)
			assert.Equal(t, tt.problem, problem)
		})
	}
	_, _, ok := discovery.TrustProblem(&url.Error{Op: "Get", URL: "x", Err: x509.HostnameError{Certificate: pki.Leaf, Host: "x"}})
	assert.False(t, ok, "a host name mismatch is not a trust problem")
}
