package discovery_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
)

// statuses maps code to status, for the checks a report made.
func statuses(r *discovery.Report) map[string]discovery.Status {
	m := map[string]discovery.Status{}
	for _, c := range r.Checks {
		m[c.Code] = c.Status
	}
	return m
}

func inspect(t *testing.T, input string, client *http.Client) *discovery.Report {
	t.Helper()
	r, err := discovery.Inspect(context.Background(), input, discovery.Options{Client: client})
	require.NoError(t, err)
	return r
}

func check(t *testing.T, r *discovery.Report, code string) discovery.Check {
	t.Helper()
	c, ok := r.Find(code)
	require.Truef(t, ok, "no check %s among %+v", code, r.Checks)
	return c
}

func TestInspectHealthyProvider(t *testing.T) {
	srv := discoverytest.New(discoverytest.OK)
	defer srv.Close()
	r := inspect(t, srv.Issuer(), srv.Client())

	assert.True(t, r.OK(), "%+v", r.Checks)
	for _, c := range r.Checks {
		assert.Equalf(t, discovery.StatusPass, c.Status, "%s: %s", c.Code, c.Message)
	}
	got := statuses(r)
	for _, code := range []string{discovery.CodeFetch, discovery.CodeIssuer, discovery.CodeRequiredFields, discovery.CodeResponseTypeCode,
		discovery.CodePKCE, discovery.CodeEndpointURL, discovery.CodeSigningAlgs, discovery.CodeClock, discovery.CodeJWKSFetch, discovery.CodeNoSigningKey} {
		assert.Containsf(t, got, code, "check %s missing", code)
	}
	assert.Equal(t, srv.Issuer(), r.Issuer)
	assert.Equal(t, srv.Issuer()+"/.well-known/openid-configuration", r.DiscoveryURL)
	require.NotNil(t, r.JWKS)
	assert.Equal(t, []discovery.Key{{Kid: discoverytest.KeyID, Kty: "RSA", Alg: "RS256", Use: "sig", Bits: 2048, Usable: true}}, r.JWKS.Keys)
	assert.Len(t, r.SigningKeys(), 1)
	require.Len(t, r.Fetches, 2)
	assert.Equal(t, "200 OK", r.Fetches[0].Status)
	assert.Equal(t, "application/json", r.Fetches[1].ContentType)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(r.Document, &doc))
	assert.Equal(t, srv.Issuer()+"/token", doc["token_endpoint"])
}

// TestInspectFaults runs one provider per fault and checks the code, status and key words of the
// check that names it.
func TestInspectFaults(t *testing.T) {
	tests := []struct {
		fault  string
		code   string
		status discovery.Status
		msg    []string
		hint   string
		// also are other checks the fault trips, besides code.
		also []string
	}{
		{fault: discoverytest.WrongIssuer, code: discovery.CodeIssuer, status: discovery.StatusFail,
			msg: []string{`differs from the discovered issuer "https://sso.example.com/realms/main"`}, hint: "the provider calls itself https://sso.example.com/realms/main"},
		{fault: discoverytest.TrailingSlash, code: discovery.CodeIssuer, status: discovery.StatusFail,
			msg: []string{"lacks the trailing slash of the discovered issuer"}, hint: "trailing slash as shown"},
		{fault: discoverytest.MissingFields, code: discovery.CodeRequiredFields, status: discovery.StatusFail,
			msg: []string{"lacks required fields: subject_types_supported, id_token_signing_alg_values_supported"}, hint: "OpenID Connect Discovery §3"},
		{fault: discoverytest.HTML, code: discovery.CodeHTML, status: discovery.StatusFail,
			msg: []string{`HTML page titled "Sign in – Example SSO" instead of the discovery document's JSON`}, hint: "login page"},
		{fault: discoverytest.Status500, code: discovery.CodeHTTPStatus, status: discovery.StatusFail,
			msg: []string{"answered 500 Internal Server Error: upstream connect error"}, hint: "check its logs"},
		{fault: discoverytest.InvalidJSON, code: discovery.CodeNotJSON, status: discovery.StatusFail,
			msg: []string{"is not JSON (content type application/json): unexpected EOF"}},
		{fault: discoverytest.NotMetadata, code: discovery.CodeNotMetadata, status: discovery.StatusFail,
			msg: []string{"JSON that is not OpenID provider metadata", "(its keys: error, message)"}},
		{fault: discoverytest.NoS256, code: discovery.CodePKCE, status: discovery.StatusFail,
			msg: []string{"code_challenge_methods_supported (plain) lacks S256"}},
		{fault: discoverytest.NoPKCEField, code: discovery.CodePKCE, status: discovery.StatusWarn,
			msg: []string{"does not announce code_challenge_methods_supported"}},
		{fault: discoverytest.SymmetricKey, code: discovery.CodeSymmetricKey, status: discovery.StatusFail,
			msg: []string{`symmetric (kty oct) keys: kid "hmac-1"`}, hint: "anyone can sign tokens"},
		{fault: discoverytest.PrivateKey, code: discovery.CodePrivateKey, status: discovery.StatusFail,
			msg: []string{`private key material: kid "dt-key-1"`}},
		{fault: discoverytest.HTTPEndpoint, code: discovery.CodeEndpointURL, status: discovery.StatusFail,
			msg: []string{"plain http:// on a non-loopback host: token_endpoint http://sso.example.com/token"}},
		{fault: discoverytest.OtherHost, code: discovery.CodeEndpointHost, status: discovery.StatusNote,
			msg: []string{"token_endpoint is on sso-internal.example.com"}, hint: "split-horizon"},
		{fault: discoverytest.HMACOnly, code: discovery.CodeNoSigningKey, status: discovery.StatusWarn,
			msg: []string{"no public signing key; the provider signs ID tokens with client secrets (HS256)"}, hint: "authentik: select a signing key",
			also: []string{discovery.CodeSigningAlgs}},
		{fault: discoverytest.JWKS404, code: discovery.CodeHTTPStatus, status: discovery.StatusFail,
			msg: []string{"/jwks answered 404 Not Found"}, hint: "jwks_uri it does not serve"},
		{fault: discoverytest.ClockAhead, code: discovery.CodeClock, status: discovery.StatusWarn,
			msg: []string{"(the provider's clock is ahead)"}, hint: "beyond 2m0s of skew"},
		{fault: discoverytest.KeycloakLegacy, code: discovery.CodeHTTPStatus, status: discovery.StatusFail,
			msg: []string{"/.well-known/openid-configuration answered 404 Not Found"}, hint: "before Keycloak 17: /auth/realms/REALM"},
	}
	require.Len(t, tests, len(discoverytest.Faults), "every fault has a test")
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			srv := discoverytest.New(tt.fault)
			defer srv.Close()
			r := inspect(t, srv.Issuer(), srv.Client())
			c := check(t, r, tt.code)
			assert.Equal(t, tt.status, c.Status, c.Message)
			for _, m := range tt.msg {
				assert.Contains(t, c.Message, m)
			}
			assert.Contains(t, c.Hint, tt.hint)
			assert.Equal(t, tt.status != discovery.StatusFail, r.OK(), "OK() follows the fail status")
			if tt.status != discovery.StatusFail {
				// One fault, one finding: everything else passes.
				for _, o := range r.Checks {
					if o.Code != tt.code && !slices.Contains(tt.also, o.Code) {
						assert.Equalf(t, discovery.StatusPass, o.Status, "%s: %s", o.Code, o.Message)
					}
				}
			}
		})
	}
}

func TestInspectIssuerEvidence(t *testing.T) {
	srv := discoverytest.New(discoverytest.TrailingSlash)
	defer srv.Close()
	r := inspect(t, srv.Issuer(), srv.Client())
	c := check(t, r, discovery.CodeIssuer)
	assert.Equal(t, srv.Issuer()+"/", c.Expected)
	assert.Equal(t, srv.Issuer(), c.Actual)
	assert.Equal(t, len(srv.Issuer()), discovery.FirstDiff(c.Expected, c.Actual))

	// With the slash it passes.
	r = inspect(t, srv.Issuer()+"/", srv.Client())
	assert.Equal(t, discovery.StatusPass, check(t, r, discovery.CodeIssuer).Status)
}

func TestInspectPastedWellKnownURL(t *testing.T) {
	for _, tt := range []struct {
		fault, input string
		issuer       func(*discoverytest.Server) string
	}{
		{fault: discoverytest.OK, input: "/.well-known/openid-configuration", issuer: func(s *discoverytest.Server) string { return s.URL }},
		// The stripped URL has no trailing slash; the document decides, and the issuer check passes.
		{fault: discoverytest.TrailingSlash, input: "/.well-known/openid-configuration/", issuer: func(s *discoverytest.Server) string { return s.URL + "/" }},
	} {
		t.Run(tt.fault, func(t *testing.T) {
			srv := discoverytest.New(tt.fault)
			defer srv.Close()
			r := inspect(t, srv.URL+tt.input, srv.Client())
			assert.True(t, r.OK(), "%+v", r.Checks)
			c := r.Checks[0]
			assert.Equal(t, discovery.CodeWellKnownURL, c.Code)
			assert.Equal(t, discovery.StatusNote, c.Status)
			assert.Contains(t, c.Message, "is the discovery document's URL; the issuer is "+tt.issuer(srv))
			assert.Equal(t, tt.issuer(srv), r.Issuer)
		})
	}
}

func TestNormalizeIssuer(t *testing.T) {
	tests := []struct {
		in, want string
		stripped bool
		err      string
	}{
		{in: "https://auth.example.com/application/o/app/", want: "https://auth.example.com/application/o/app/"},
		{in: "  https://kc.example.com/realms/main\n", want: "https://kc.example.com/realms/main"},
		{in: "https://kc.example.com/realms/main/.well-known/openid-configuration", want: "https://kc.example.com/realms/main", stripped: true},
		{in: "https://example.com/.well-known/openid-configuration/", want: "https://example.com", stripped: true},
		{in: "", err: "it is empty"},
		{in: "auth.example.com", err: "it must start with https://"},
		{in: "ftp://auth.example.com", err: "it must start with https://"},
		{in: "https://", err: "it has no host"},
		{in: "https://auth.example.com/?realm=x", err: "no query or fragment"},
		{in: "https://auth example.com", err: "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, stripped, err := discovery.NormalizeIssuer(tt.in)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				var ie *discovery.InputError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, 2, ie.ExitCode())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.stripped, stripped)
		})
	}
}

func TestInspectTLS(t *testing.T) {
	srv := discoverytest.NewTLS(discoverytest.OK)
	defer srv.Close()

	t.Run("unknown authority", func(t *testing.T) {
		r := inspect(t, srv.Issuer(), &http.Client{})
		c := check(t, r, discovery.CodeTLSUnknownCA)
		assert.Equal(t, discovery.StatusFail, c.Status)
		assert.Contains(t, c.Message, `TLS: the certificate of `+strings.TrimPrefix(srv.URL, "https://")+` is self-signed (subject "O=Acme Co", SHA-256 `)
		assert.Regexp(t, `SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}`, c.Message)
		assert.Contains(t, c.Hint, "--ca-file")
	})
	t.Run("trusted with the CA", func(t *testing.T) {
		r := inspect(t, srv.Issuer(), clientTrusting(t, srv.CAPEM()))
		assert.True(t, r.OK(), "%+v", r.Checks)
	})
	t.Run("hostname mismatch", func(t *testing.T) {
		// The test certificate names 127.0.0.1 and example.com, not localhost.
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))
		r := inspect(t, "https://localhost:"+port, clientTrusting(t, srv.CAPEM()))
		c := check(t, r, discovery.CodeTLSHostname)
		assert.Contains(t, c.Message, "TLS: the certificate is for example.com, *.example.com, 127.0.0.1, ::1, not localhost")
	})
	t.Run("expired", func(t *testing.T) {
		ca, leaf := expiredCert(t)
		exp := httptest.NewUnstartedServer(http.NotFoundHandler())
		exp.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
		exp.Config.ErrorLog = log.New(io.Discard, "", 0)
		exp.StartTLS()
		defer exp.Close()
		pool := x509.NewCertPool()
		pool.AddCert(ca)
		r := inspect(t, exp.URL, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}})
		c := check(t, r, discovery.CodeTLSExpired)
		assert.Contains(t, c.Message, "is valid from 2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z, not now")
		assert.Contains(t, c.Hint, "clock")
	})
	t.Run("plain HTTP server spoken to with TLS", func(t *testing.T) {
		plain := discoverytest.New(discoverytest.OK)
		defer plain.Close()
		r := inspect(t, strings.Replace(plain.URL, "http://", "https://", 1), &http.Client{})
		c := check(t, r, discovery.CodeTLSHandshake)
		assert.Contains(t, c.Message, "the server speaks plain HTTP on this port")
	})
}

func clientTrusting(t *testing.T, caPEM []byte) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(caPEM))
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

// expiredCert makes a CA and a leaf for 127.0.0.1 that expired in 2021.
func expiredCert(t *testing.T) (*x509.Certificate, tls.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &key.PublicKey, key)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	leafTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "sso.test"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, key)
	require.NoError(t, err)
	return ca, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key}
}

func TestInspectNetworkFailures(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		r := inspect(t, "http://"+addr, &http.Client{})
		c := check(t, r, discovery.CodeConnect)
		assert.Contains(t, c.Message, "TCP: ")
		assert.Contains(t, c.Message, "connection refused")
		assert.False(t, r.OK())
		assert.Nil(t, r.JWKS)
	})
	t.Run("DNS", func(t *testing.T) {
		client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			// What net.Dialer returns for a name that does not exist.
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "sso.invalid", IsNotFound: true}}
		}}}
		r := inspect(t, "https://sso.invalid", client)
		c := check(t, r, discovery.CodeDNS)
		assert.Contains(t, c.Message, "DNS: the host name sso.invalid does not resolve")
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
		defer slow.Close()
		defer close(release)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		r, err := discovery.Inspect(ctx, slow.URL, discovery.Options{Client: slow.Client()})
		require.NoError(t, err)
		c := check(t, r, discovery.CodeTimeout)
		assert.Contains(t, c.Message, "no answer in time")
	})
	t.Run("too large", func(t *testing.T) {
		big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"issuer":"` + strings.Repeat("x", discovery.MaxDocumentBytes) + `"}`))
		}))
		defer big.Close()
		r := inspect(t, big.URL, big.Client())
		assert.Contains(t, check(t, r, discovery.CodeTooLarge).Message, "larger than 1 MiB")
	})
	t.Run("redirect to a login page", func(t *testing.T) {
		mux := http.NewServeMux()
		mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/login?next=x", http.StatusFound)
		})
		mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("<html><title>Portal</title></html>"))
		})
		s := httptest.NewServer(mux)
		defer s.Close()
		r := inspect(t, s.URL, s.Client())
		c := check(t, r, discovery.CodeHTML)
		assert.Contains(t, c.Message, `HTML page titled "Portal"`)
		assert.Contains(t, c.Message, "(after a redirect to "+s.URL+"/login?next=x)")
	})
}

func TestInspectJWKSKeys(t *testing.T) {
	tests := []struct {
		name   string
		algs   string
		jwks   string
		code   string
		status discovery.Status
		msg    string
	}{
		{name: "no keys array", jwks: `{"keys_": []}`, code: discovery.CodeNotKeySet, status: discovery.StatusFail, msg: `no "keys" array (its keys: keys_)`},
		{name: "empty key set", jwks: `{"keys": []}`, code: discovery.CodeNoSigningKey, status: discovery.StatusFail, msg: "no public signing key"},
		{name: "encryption key only", jwks: `{"keys": [{"kty":"RSA","kid":"e1","use":"enc","n":"` + modulus + `","e":"AQAB"}]}`,
			code: discovery.CodeKeyUnusable, status: discovery.StatusNote, msg: `kid "e1" has use "enc", not sig`},
		{name: "two keys without kid", jwks: `{"keys": [{"kty":"RSA","n":"` + modulus + `","e":"AQAB"},{"kty":"RSA","n":"` + modulus + `","e":"AQAB"}]}`,
			code: discovery.CodeKeyID, status: discovery.StatusWarn, msg: "2 of 2 signing keys have no kid"},
		{name: "unknown key type", jwks: `{"keys": [{"kty":"RSA","kid":"a","n":"` + modulus + `","e":"AQAB"},{"kty":"XYZ","kid":"b"}]}`,
			code: discovery.CodeKeyUnusable, status: discovery.StatusNote, msg: `kid "b" (kty XYZ)`},
		{name: "ES256 announced, RSA key only", algs: `["RS256","ES256"]`, jwks: `{"keys": [{"kty":"RSA","kid":"a","n":"` + modulus + `","e":"AQAB"}]}`,
			code: discovery.CodeAlgWithoutKey, status: discovery.StatusWarn, msg: "announces ES256, but the JWKS has no key for it"},
		{name: "alg none announced", algs: `["RS256","none"]`, jwks: `{"keys": [{"kty":"RSA","kid":"a","n":"` + modulus + `","e":"AQAB"}]}`,
			code: discovery.CodeSigningAlgs, status: discovery.StatusWarn, msg: "includes none"},
		{name: "JWKS is an array", jwks: `[]`, code: discovery.CodeNotMetadata, status: discovery.StatusFail, msg: "is a JSON array, not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			algs := tt.algs
			if algs == "" {
				algs = `["RS256"]`
			}
			mux := http.NewServeMux()
			var base string
			mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
				_, _ = w.Write([]byte(`{"issuer":"` + base + `","authorization_endpoint":"` + base + `/a","token_endpoint":"` + base + `/t","jwks_uri":"` + base + `/k",` +
					`"response_types_supported":["code"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":` + algs + `,"code_challenge_methods_supported":["S256"]}`))
			})
			mux.HandleFunc("/k", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(tt.jwks)) })
			s := httptest.NewServer(mux)
			defer s.Close()
			base = s.URL
			r := inspect(t, s.URL, s.Client())
			c := check(t, r, tt.code)
			assert.Equal(t, tt.status, c.Status)
			assert.Contains(t, c.Message, tt.msg)
		})
	}
}

// modulus is a 2048-bit RSA modulus, base64url.
var modulus = func() string {
	k, _ := rsa.GenerateKey(rand.Reader, 2048)
	b, _ := json.Marshal(map[string]any{"n": k.N.Bytes()})
	var m map[string][]byte
	_ = json.Unmarshal(b, &m)
	return strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(string(mustB64(m["n"]))), "=")
}()

func mustB64(b []byte) []byte {
	out, _ := json.Marshal(b) // standard base64 in quotes
	return out[1 : len(out)-1]
}

func TestFirstDiffAndEvidence(t *testing.T) {
	assert.Equal(t, -1, discovery.FirstDiff("a", "a"))
	assert.Equal(t, 3, discovery.FirstDiff("abc", "abc/"))
	assert.Equal(t, 1, discovery.FirstDiff("héllo", "hello"))
	assert.Equal(t, 3, discovery.FirstDiff("héllo", "hélo!"))
	assert.Equal(t,
		"  expected  https://a.example/app/\n"+
			"  actual    https://a.example/app\n"+
			"                                 ^\n",
		discovery.Evidence("  ", "expected", "https://a.example/app/", "actual", "https://a.example/app"))
	// The caret counts display cells: each CJK character before the difference takes two.
	assert.Equal(t,
		"  expected  https://李娜.example/a\n"+
			"  actual    https://李娜.example/b\n"+
			"                                 ^\n",
		discovery.Evidence("  ", "expected", "https://李娜.example/a", "actual", "https://李娜.example/b"))
}

func TestCodesAreUniqueAndDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range discovery.Codes() {
		assert.Regexp(t, `^DSC\d{3}$`, c.ID)
		assert.False(t, seen[c.ID], "duplicate %s", c.ID)
		seen[c.ID] = true
		assert.NotEmpty(t, c.Name)
		assert.NotEmpty(t, c.Title)
	}
	assert.Len(t, seen, 30)
}
