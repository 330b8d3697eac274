package discovery

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/ssoctl/ssoctl/pkg/provider"
)

// checkDocument runs the checks on the decoded document. With stripped (a pasted discovery URL) the
// issuer's trailing slash was not the user's choice, so the document decides it.
func checkDocument(r *Report, stripped bool) {
	d := r.Metadata
	checkIssuer(r, stripped)

	var missing []string
	for _, f := range []struct {
		name    string
		present bool
	}{
		{"issuer", d.Issuer != ""},
		{"authorization_endpoint", d.AuthorizationEndpoint != ""},
		{"token_endpoint", d.TokenEndpoint != ""},
		{"jwks_uri", d.JWKSURI != ""},
		{"response_types_supported", len(d.ResponseTypesSupported) > 0},
		{"subject_types_supported", len(d.SubjectTypesSupported) > 0},
		{"id_token_signing_alg_values_supported", len(d.IDTokenSigningAlgValuesSupported) > 0},
	} {
		if !f.present {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		r.add(Check{Code: CodeRequiredFields, Status: StatusFail,
			Message: fmt.Sprintf("the discovery document lacks required fields: %s", strings.Join(missing, ", ")),
			Hint:    "OpenID Connect Discovery §3 requires them, and apps' OIDC libraries refuse documents without them; the provider is not fully OpenID Connect compliant, or this is a plain OAuth 2.0 server (then configure it as type oauth2 with explicit endpoints)"})
	} else {
		r.add(Check{Code: CodeRequiredFields, Status: StatusPass, Message: "all required fields are present"})
	}

	if len(d.ResponseTypesSupported) > 0 {
		if slices.Contains(d.ResponseTypesSupported, "code") {
			r.add(Check{Code: CodeResponseTypeCode, Status: StatusPass, Message: "response type code (authorization code flow) is supported"})
		} else {
			r.add(Check{Code: CodeResponseTypeCode, Status: StatusFail,
				Message: fmt.Sprintf("response_types_supported (%s) lacks code, the authorization code flow apps use", strings.Join(d.ResponseTypesSupported, ", ")),
				Hint:    "enable the authorization code flow for the provider or the application"})
		}
	}

	switch {
	case d.CodeChallengeMethodsSupported == nil:
		r.add(Check{Code: CodePKCE, Status: StatusWarn,
			Message: "the document does not announce code_challenge_methods_supported, so PKCE support is unknown",
			Hint:    "many providers support PKCE without announcing it; ssoctl test-login sends S256 and shows whether it works"})
	case slices.Contains(d.CodeChallengeMethodsSupported, "S256"):
		r.add(Check{Code: CodePKCE, Status: StatusPass, Message: "PKCE S256 is supported"})
	default:
		r.add(Check{Code: CodePKCE, Status: StatusFail,
			Message: fmt.Sprintf("code_challenge_methods_supported (%s) lacks S256, which ssoctl and the apps send", listOrEmpty(d.CodeChallengeMethodsSupported)),
			Hint:    "enable PKCE with S256 in the provider; plain PKCE protects nothing against an eavesdropper"})
	}

	checkEndpoints(r)
	checkSigningAlgs(r)
}

func listOrEmpty(ss []string) string {
	if len(ss) == 0 {
		return "empty"
	}
	return strings.Join(ss, ", ")
}

// checkIssuer compares the issuer with the document's byte for byte: go-oidc and most libraries do,
// and the ID token's iss must then match it too.
func checkIssuer(r *Report, stripped bool) {
	disc := r.Metadata.Issuer
	if disc == "" {
		return // DSC021 says it is missing
	}
	given := r.Issuer
	if stripped && strings.TrimSuffix(disc, "/") == strings.TrimSuffix(given, "/") {
		r.Issuer = disc
		given = disc
	}
	if err := provider.CheckIssuer("oidc", given, false, r.Metadata); err != nil {
		r.add(Check{Code: CodeIssuer, Status: StatusFail, Message: err.Error(), Hint: IssuerHint(given, disc),
			Expected: disc, Actual: given})
		return
	}
	r.add(Check{Code: CodeIssuer, Status: StatusPass, Message: fmt.Sprintf("issuer %s equals the document's issuer byte for byte", disc)})
}

// IssuerHint explains how an issuer someone configured (given) differs from the one the provider
// uses (disc: its discovery document's, or a token's iss) and what to set.
func IssuerHint(given, disc string) string {
	switch {
	case strings.TrimSuffix(given, "/") == strings.TrimSuffix(disc, "/"):
		return fmt.Sprintf("issuers are compared exactly, and ID tokens carry %s: configure the issuer as %s, trailing slash as shown", disc, disc)
	case strings.EqualFold(given, disc):
		return fmt.Sprintf("issuers are compared exactly, including letter case: configure the issuer as %s", disc)
	case strings.TrimPrefix(given, "http://") == strings.TrimPrefix(disc, "https://") || strings.TrimPrefix(given, "https://") == strings.TrimPrefix(disc, "http://"):
		return fmt.Sprintf("the scheme differs: a reverse proxy may hide TLS from the provider; set the provider's external URL (or X-Forwarded-Proto) so that it says %s, or configure the issuer as %s", given, disc)
	}
	return fmt.Sprintf("the provider calls itself %s: configure that as the issuer, or fix the provider's external URL/hostname setting so it matches the URL you use", disc)
}

// endpoint is a URL-valued field of the document.
type endpoint struct{ name, value string }

func endpoints(d *provider.Discovery) []endpoint {
	var out []endpoint
	for _, e := range []endpoint{
		{"issuer", d.Issuer},
		{"authorization_endpoint", d.AuthorizationEndpoint},
		{"token_endpoint", d.TokenEndpoint},
		{"userinfo_endpoint", d.UserinfoEndpoint},
		{"jwks_uri", d.JWKSURI},
	} {
		if e.value != "" {
			out = append(out, e)
		}
	}
	return out
}

// checkEndpoints requires absolute URLs, https off loopback (codes and tokens travel in them), and
// notes endpoints on other hosts than the issuer: the app's server must reach them too.
func checkEndpoints(r *Report) {
	var bad, plain, elsewhere []string
	issuerHost := ""
	if u, err := url.Parse(r.Metadata.Issuer); err == nil {
		issuerHost = u.Host
	}
	for _, e := range endpoints(r.Metadata) {
		u, err := url.Parse(e.value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad = append(bad, fmt.Sprintf("%s %q", e.name, e.value))
			continue
		}
		if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
			plain = append(plain, e.name+" "+e.value)
		}
		if e.name != "issuer" && issuerHost != "" && u.Host != issuerHost {
			elsewhere = append(elsewhere, fmt.Sprintf("%s is on %s", e.name, u.Host))
		}
	}
	switch {
	case len(bad) > 0:
		r.add(Check{Code: CodeEndpointURL, Status: StatusFail,
			Message: fmt.Sprintf("not absolute http(s) URLs: %s", strings.Join(bad, ", ")),
			Hint:    "the provider's external URL setting is empty or wrong; every endpoint must be a full URL"})
	case len(plain) > 0:
		r.add(Check{Code: CodeEndpointURL, Status: StatusFail,
			Message: fmt.Sprintf("plain http:// on a non-loopback host: %s", strings.Join(plain, ", ")),
			Hint:    "codes and tokens would travel unencrypted, and apps refuse it; serve the provider over https (behind a proxy: set its external URL to https:// or forward X-Forwarded-Proto)"})
	default:
		r.add(Check{Code: CodeEndpointURL, Status: StatusPass, Message: "endpoints are absolute URLs, https or on loopback"})
	}
	if len(elsewhere) > 0 {
		r.add(Check{Code: CodeEndpointHost, Status: StatusNote,
			Message: fmt.Sprintf("endpoints on other hosts than the issuer's %s: %s", issuerHost, strings.Join(elsewhere, ", ")),
			Hint:    "normal for some providers (Google); otherwise make sure the app's server, not only this machine, resolves and reaches those hosts (split-horizon DNS, internal vs public names)"})
	}
}

// IsLoopback says whether host (without port) is a loopback name or address, where plain http is
// acceptable (RFC 8252 §8.3).
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isHMAC(alg string) bool { return strings.HasPrefix(alg, "HS") }

func checkSigningAlgs(r *Report) {
	algs := r.Metadata.IDTokenSigningAlgValuesSupported
	if len(algs) == 0 {
		return // DSC021
	}
	hmacOnly := !slices.ContainsFunc(algs, func(a string) bool { return !isHMAC(a) && a != "none" })
	switch {
	case slices.Contains(algs, "none"):
		r.add(Check{Code: CodeSigningAlgs, Status: StatusWarn,
			Message: fmt.Sprintf("id_token_signing_alg_values_supported (%s) includes none: the provider may issue unsigned ID tokens", strings.Join(algs, ", ")),
			Hint:    "make sure the application's client is set to sign ID tokens (RS256); apps and ssoctl reject unsigned tokens"})
	case hmacOnly:
		r.add(Check{Code: CodeSigningAlgs, Status: StatusNote,
			Message: fmt.Sprintf("ID tokens are signed only with HMAC (%s), keyed with each client's secret", strings.Join(algs, ", ")),
			Hint:    "valid OpenID Connect, but many apps accept only RS256; authentik: select a signing key in the provider's settings"})
	default:
		r.add(Check{Code: CodeSigningAlgs, Status: StatusPass, Message: "ID tokens are signed with " + strings.Join(algs, ", ")})
	}
}

// checkClock compares this machine's clock with the provider's Date header: ID token checks fail on
// both sides when clocks drift.
func checkClock(r *Report, f Fetch, now time.Time) {
	if f.Date.IsZero() {
		return
	}
	// The Date header has whole seconds, truncated.
	offset := f.Date.Sub(now.Truncate(time.Second))
	abs := offset
	if abs < 0 {
		abs = -abs
	}
	if abs <= ClockTolerance {
		r.add(Check{Code: CodeClock, Status: StatusPass, Message: fmt.Sprintf("this machine's clock agrees with the provider's (offset %s, tolerance %s)", offset, ClockTolerance)})
		return
	}
	ahead := "the provider's clock is ahead"
	if offset < 0 {
		ahead = "this machine's clock is ahead"
	}
	r.add(Check{Code: CodeClock, Status: StatusWarn,
		Message: fmt.Sprintf("clocks differ by %s (%s): this machine says %s, the provider's Date header %s", abs, ahead, now.UTC().Format(time.RFC3339), f.Date.UTC().Format(time.RFC3339)),
		Hint:    fmt.Sprintf("ID tokens fail their iat or exp checks beyond %s of skew; synchronise both clocks (timedatectl, NTP)", ClockTolerance)})
}
