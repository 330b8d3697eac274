package discoverytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"sync"
	"time"
)

// Certificate chains NewTLSChain serves, each a way a private provider's TLS goes wrong (or right).
// The certificates come from a private root CA through an intermediate CA, as public CAs and most
// private ones (step-ca, Caddy's local CA) issue them.
const (
	// ChainSelfSigned is one self-signed certificate, as httptest's (and NewTLS's).
	ChainSelfSigned = "self-signed"
	// ChainNoIntermediate sends the server certificate without the intermediate that issued it.
	ChainNoIntermediate = "no-intermediate"
	// ChainFull sends the server certificate and the intermediate; only the root is missing, which
	// clients must trust (CAPEM).
	ChainFull = "full-chain"
	// ChainWithRoot sends the server certificate, the intermediate and the root itself.
	ChainWithRoot = "with-root"
)

// Chains lists the chains NewTLSChain serves.
var Chains = []string{ChainSelfSigned, ChainNoIntermediate, ChainFull, ChainWithRoot}

// AIAURL is where the server certificate says its issuer's certificate can be downloaded (Authority
// Information Access), as public CAs' certificates do.
const AIAURL = "http://ca.example.test/intermediate.crt"

// PKI is a private root CA, an intermediate CA it signed, and a server certificate for 127.0.0.1
// and ::1 the intermediate signed.
type PKI struct {
	Root, Intermediate, Leaf *x509.Certificate
	LeafKey                  *ecdsa.PrivateKey
}

// RootPEM is the root CA certificate as PEM, for --ca-file.
func (p *PKI) RootPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.Root.Raw})
}

// TLSCertificate is the server certificate with the chain to send: chain is one of Chains but
// ChainSelfSigned.
func (p *PKI) TLSCertificate(chain string) tls.Certificate {
	ders := [][]byte{p.Leaf.Raw}
	switch chain {
	case ChainFull:
		ders = append(ders, p.Intermediate.Raw)
	case ChainWithRoot:
		ders = append(ders, p.Intermediate.Raw, p.Root.Raw)
	}
	return tls.Certificate{Certificate: ders, PrivateKey: p.LeafKey, Leaf: p.Leaf}
}

// TestPKI returns the PKI, made once per process (ECDSA P-256: fast even under -race).
var TestPKI = sync.OnceValue(func() *PKI {
	gen := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	}
	create := func(tmpl, parent *x509.Certificate, pub, signer *ecdsa.PrivateKey) *x509.Certificate {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &pub.PublicKey, signer)
		if err != nil {
			panic(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			panic(err)
		}
		return c
	}
	now := time.Now()
	ca := func(serial int64, cn string) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"Home Lab"}},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(10 * 365 * 24 * time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	}
	rootKey, intKey, leafKey := gen(), gen(), gen()
	rootTmpl := ca(1, "Home Lab Root CA")
	root := create(rootTmpl, rootTmpl, rootKey, rootKey)
	inter := create(ca(2, "Home Lab Intermediate CA"), root, intKey, rootKey)
	leaf := create(&x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "sso.home.lan"},
		DNSNames: []string{"sso.home.lan"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(90 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IssuingCertificateURL: []string{AIAURL}}, inter, leafKey, intKey)
	return &PKI{Root: root, Intermediate: inter, Leaf: leaf, LeafKey: leafKey}
})

// NewTLSChain starts an HTTPS provider with the fault whose certificate chain is chain (Chains).
// CAPEM is the certificate clients must trust: the root CA, or for ChainSelfSigned the certificate
// itself.
func NewTLSChain(fault, chain string) *Server {
	if chain == ChainSelfSigned {
		return NewTLS(fault)
	}
	p := TestPKI()
	s := newServer(fault)
	s.caPEM = p.RootPEM()
	s.Server = httptest.NewUnstartedServer(s.mux())
	s.TLS = &tls.Config{Certificates: []tls.Certificate{p.TLSCertificate(chain)}}
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	return s
}
