package login

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// netHint explains transport failures: TLS trust, refused connections, DNS.
func netHint(err error) string {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var rh tls.RecordHeaderError
	var dns *net.DNSError
	var op *net.OpError
	var tl *BodyTooLargeError
	switch {
	case errors.As(err, &ua):
		return "the provider's certificate is signed by a CA this machine does not trust; pass the CA with --ca-file"
	case errors.As(err, &hn):
		return "the provider's certificate is for another host name; use the host name the certificate names"
	case errors.As(err, &ci):
		return "the provider's certificate is expired or not valid yet; check the certificate and this machine's clock"
	case errors.As(err, &rh):
		return "the server does not speak TLS there; use http:// or the right port"
	case errors.As(err, &dns):
		return "the host name does not resolve; check the URL for typos and this machine's DNS"
	case errors.As(err, &tl):
		return "a real provider's responses are a few KiB; this one is broken or hostile"
	case errors.As(err, &op):
		return "the provider cannot be reached from this machine; check the URL, the port and any proxy or firewall"
	}
	return ""
}

// discoveryError explains a failed discovery: wrong URL, unreachable, not JSON.
func discoveryError(issuer string, err error) error {
	url := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	e := &Error{Step: "discovery", Message: fmt.Sprintf("discovery failed: GET %s: %s", url, strings.TrimPrefix(err.Error(), "oidc: ")), Err: err}
	if h := netHint(err); h != "" {
		e.HintText = h
		return e
	}
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "404"):
		e.Message = fmt.Sprintf("discovery failed: %s returned 404 Not Found", url)
		e.HintText = "the issuer URL is wrong: Keycloak issuers end in /realms/REALM, authentik's in /application/o/SLUG/, Casdoor's are the server's origin; ssoctl discover ISSUER shows what a URL serves"
	case strings.Contains(msg, "failed to decode provider discovery object"):
		e.HintText = "the URL serves something other than an OpenID discovery document (a login page, a proxy's error page); check the issuer URL"
	case strings.Contains(msg, "larger than"):
		e.HintText = "a discovery document is a few KiB; this URL serves something else"
	}
	return e
}

// exchangeError diagnoses a failed code exchange from the provider's error code.
func exchangeError(err error, secret, authName string, supported []string) *Error {
	e := &Error{Step: "code exchange", Err: err}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		e.Message = "code exchange failed: " + strings.TrimPrefix(err.Error(), "oauth2: ")
		e.HintText = netHint(err)
		return e
	}
	code := re.ErrorCode
	e.Check = code
	e.Message = "code exchange failed: the token endpoint answered " + re.Response.Status
	if code != "" {
		e.Message += " with " + code
		if re.ErrorDescription != "" {
			e.Message += fmt.Sprintf(" (%s)", truncate(re.ErrorDescription, 300))
		}
	} else if len(re.Body) > 0 {
		e.Message += fmt.Sprintf(": %s", truncate(strings.TrimSpace(string(re.Body)), 200))
	}
	e.HintText = oauthErrorHint(code, secret, authName, supported)
	if code == "" && re.Response.StatusCode == http.StatusNotFound {
		e.HintText = "the token URL is wrong; check token_url or the discovery document"
	}
	return e
}

// oauthErrorHint explains an RFC 6749 §5.2 token error code.
func oauthErrorHint(code, secret, authName string, supported []string) string {
	switch code {
	case "invalid_client":
		if secret == "" {
			return "the provider requires client authentication: set client_secret for this provider (the client is confidential)"
		}
		return fmt.Sprintf("the client secret is wrong, or the provider expects another authentication method: ssoctl used %s and the provider lists %s; check client_id and client_secret",
			authName, listOrNothing(supported))
	case "unauthorized_client":
		return "the client may not use the authorization_code grant; enable it in the application's settings at the provider"
	case "invalid_grant":
		return "the provider rejected the code: it was used already or expired, the redirect_uri differs from the one registered or sent, or the PKCE code_verifier did not match the challenge"
	case "invalid_request":
		return "the provider rejected the request's parameters; when the description mentions code_verifier or PKCE, the provider's PKCE settings differ from what ssoctl sends (S256)"
	case "redirect_uri_mismatch":
		return "register the exact redirect URL ssoctl printed at the provider, or pass the registered one with --redirect-url"
	case "invalid_scope":
		return "a requested scope is not allowed for this client; compare scopes with the provider's scopes_supported"
	}
	return ""
}

func listOrNothing(ss []string) string {
	if len(ss) == 0 {
		return "nothing in discovery"
	}
	return strings.Join(ss, ", ")
}

// fetchUserinfo gets the userinfo document: JSON, or a signed JWT (application/jwt) verified with the
// issuer's keys.
func fetchUserinfo(ctx context.Context, client *http.Client, url, accessToken string, keys *keySet) (map[string]any, error) {
	fail := func(msg, hint string, err error) error {
		return &Error{Step: "userinfo", Message: msg, HintText: hint, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fail("userinfo request failed: "+err.Error(), "check userinfo_url", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json, application/jwt")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fail("userinfo request failed: "+err.Error(), netHint(err), err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp.Body)
	if err != nil {
		var tl *BodyTooLargeError
		if errors.As(err, &tl) {
			return nil, fail("userinfo check failed: "+tl.Error(), "a userinfo document is a few KiB; the provider is broken or hostile", err)
		}
		return nil, fail("userinfo response cannot be read: "+err.Error(), netHint(err), err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("userinfo request failed: %s answered %s", url, resp.Status)
		if wa := resp.Header.Get("WWW-Authenticate"); wa != "" {
			msg += " (" + truncate(wa, 200) + ")"
		}
		hint := "the access token was not accepted for userinfo; check the scopes (openid is needed) and that userinfo_url belongs to this provider"
		return nil, fail(msg, hint, nil)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/jwt" {
		payload, kerr := keys.verify(ctx, strings.TrimSpace(string(body)))
		if kerr != nil {
			kerr.Step, kerr.Message = "userinfo", strings.Replace(kerr.Message, "id token", "signed userinfo", 1)
			return nil, kerr
		}
		body = payload
	}
	doc, err := decodeObject(body)
	if err != nil {
		return nil, fail("userinfo check failed: the response is not a JSON object: "+err.Error(),
			"userinfo_url may point at something other than the userinfo endpoint", err)
	}
	return doc, nil
}
