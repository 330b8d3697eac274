package export

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// caMountPath is where the notes suggest mounting the identity provider's CA certificate inside the
// app's container: a path of its own, so that mounting it hides none of the image's CA files.
const caMountPath = "/certs/idp-ca.pem"

// trustSetting is how an app's server trusts an extra CA: the variable its runtime reads, and what
// to know about it.
type trustSetting struct {
	runtime, variable, about string
}

// trustSettings are the apps' runtimes' CA variables. AList and PhotoPrism are Go programs; Go on
// Linux reads the file SSL_CERT_FILE names instead of the system bundle file, and still reads every
// file in /etc/ssl/certs (unless SSL_CERT_DIR says otherwise), so the public CAs stay trusted in
// Debian, Ubuntu and Alpine based images. LobeChat runs on Node.js, which adds NODE_EXTRA_CA_CERTS
// to its built-in CAs when it starts. InvenTree's django-allauth fetches discovery, tokens and
// userinfo through a requests session, and requests takes REQUESTS_CA_BUNDLE instead of certifi's
// bundle (allauth's source: get_requests_session). The variables are confirmed from the runtimes'
// documentation. AList's SSO login fetches through Go's default client (server/handles/ssologin.go:
// a plain resty client, and go-oidc and x/oauth2 with no client of their own), so its
// tls_insecure_skip_verify, which only its storage drivers' clients honour, does not apply and
// SSL_CERT_FILE does. That PhotoPrism, LobeChat and InvenTree have no CA setting of their own for
// their SSO client is unconfirmed.
var trustSettings = map[string]trustSetting{
	TargetAList: {"Go", "SSL_CERT_FILE",
		"Go also reads every file in /etc/ssl/certs, so mounting the certificate there works without the variable"},
	TargetOpenList: {"Go", "SSL_CERT_FILE",
		"Go also reads every file in /etc/ssl/certs, so mounting the certificate there works without the variable"},
	TargetPhotoPrism: {"Go", "SSL_CERT_FILE",
		"Go also reads every file in /etc/ssl/certs, so mounting the certificate there works without the variable"},
	TargetLobeChat: {"Node.js", "NODE_EXTRA_CA_CERTS",
		"Node.js adds it to its built-in CAs and reads it only at start: restart the container after changing it"},
	TargetInvenTree: {"Python requests", "REQUESTS_CA_BUNDLE",
		"it replaces the public CAs requests trusts: if InvenTree must reach public https services too, point it at a copy of certifi's cacert.pem with the certificate appended"},
}

// trustNote tells how the target app's server trusts the identity provider's CA, when that CA is
// private: --ca-file was given (opts.CAFile), or an https endpoint the app's server calls (issuer,
// token, userinfo) is on a host no public CA issues certificates for. "" otherwise.
func trustNote(in *input) string {
	host, private := "", false
	for _, raw := range []string{in.ep.Issuer, in.ep.TokenURL, in.ep.UserinfoURL} {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			continue
		}
		if host == "" {
			host = u.Hostname()
		}
		if privateHost(u.Hostname()) {
			host, private = u.Hostname(), true
			break
		}
	}
	if host == "" || !private && in.opts.CAFile == "" {
		return ""
	}
	why := "the identity provider's certificate at " + host + " is issued by a private CA"
	if !private {
		why = "--ca-file says the identity provider's certificate at " + host + " is issued by a CA this machine does not trust by default"
	}
	file := "the CA certificate (PEM)"
	if in.opts.CAFile != "" {
		file = in.opts.CAFile
	}
	s, ok := trustSettings[in.opts.Target]
	if !ok {
		return fmt.Sprintf("%s, so the app's server must trust %s too: set the app's CA setting, or its runtime's (Go: SSL_CERT_FILE, Node.js: NODE_EXTRA_CA_CERTS, Python requests: REQUESTS_CA_BUNDLE)",
			why, file)
	}
	return fmt.Sprintf("%s, so %s's server must trust it too: mount %s into the container at %s and set %s=%s in %s's environment (%s); %s",
		why, title(in.opts.Target), file, caMountPath, s.variable, caMountPath, title(in.opts.Target), s.runtime, s.about)
}

// privateSuffixes are name suffixes of networks no public CA issues certificates for: RFC 6762's
// .local, RFC 8375's .home.arpa, ICANN's reserved .internal, RFC 2606's .test, and the names home
// routers and companies use.
var privateSuffixes = []string{".local", ".lan", ".internal", ".home.arpa", ".home", ".localdomain", ".corp", ".intranet", ".private", ".test", ".localhost"}

// cgnat is RFC 6598's shared address space, where Tailscale and carrier NATs put hosts.
var cgnat = &net.IPNet{IP: net.IPv4(100, 64, 0, 0), Mask: net.CIDRMask(10, 32)}

// privateHost says whether host (without port) is an address or name only a private network
// knows: a private, loopback or link-local IP, a single-label name, or a private suffix.
func privateHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || cgnat.Contains(ip)
	}
	if !strings.Contains(h, ".") {
		return true // "sso", "localhost"
	}
	for _, s := range privateSuffixes {
		if strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}
