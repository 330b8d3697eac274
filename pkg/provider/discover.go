package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// maxDiscoverySize bounds the discovery document: real ones are a few KiB, and a provider that
// streams more is misbehaving.
const maxDiscoverySize = 1 << 20

// Discovery is the part of an OpenID Connect discovery document ssoctl reads.
type Discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint,omitempty"`
	JWKSURI                           string   `json:"jwks_uri"`
	ScopesSupported                   []string `json:"scopes_supported,omitempty"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported,omitempty"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	ResponseTypesSupported            []string `json:"response_types_supported,omitempty"`
	SubjectTypesSupported             []string `json:"subject_types_supported,omitempty"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported,omitempty"`
}

// DiscoveryURL is where the issuer's discovery document lives: one trailing slash is dropped before
// the well-known path is appended, as go-oidc does.
func DiscoveryURL(issuer string) string {
	return strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
}

// DiscoveryError is a discovery document that cannot be fetched or read.
type DiscoveryError struct {
	URL string
	Err error
}

func (e *DiscoveryError) Error() string {
	return fmt.Sprintf("cannot fetch the discovery document %s: %v", e.URL, e.Err)
}
func (e *DiscoveryError) Unwrap() error { return e.Err }

// Hint says what to check.
func (e *DiscoveryError) Hint() string {
	return "check the issuer URL (open the discovery URL in a browser) and the network; --ca-file trusts a private CA"
}

// Discover fetches and decodes the issuer's discovery document. It does not check the issuer; see
// CheckIssuer.
func Discover(ctx context.Context, client *http.Client, issuer string) (*Discovery, error) {
	u := DiscoveryURL(issuer)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &DiscoveryError{URL: u, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the message names the URL already; url.Error would repeat it
		}
		return nil, &DiscoveryError{URL: u, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDiscoverySize+1))
	if err != nil {
		return nil, &DiscoveryError{URL: u, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &DiscoveryError{URL: u, Err: fmt.Errorf("the server answered %s", resp.Status)}
	}
	if len(body) > maxDiscoverySize {
		return nil, &DiscoveryError{URL: u, Err: fmt.Errorf("the document is larger than %d bytes", maxDiscoverySize)}
	}
	var d Discovery
	if err := json.Unmarshal(body, &d); err != nil {
		ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		return nil, &DiscoveryError{URL: u, Err: fmt.Errorf("the answer is not a JSON document (content type %q): %v", ct, err)}
	}
	if d.Issuer == "" {
		return nil, &DiscoveryError{URL: u, Err: errors.New("the document has no \"issuer\"")}
	}
	return &d, nil
}

// IssuerMismatchError is a discovery document whose issuer differs from the configured one. go-oidc
// (and so AList, PhotoPrism's and others' verification) rejects this provider.
type IssuerMismatchError struct {
	Configured, Discovered string
}

func (e *IssuerMismatchError) Error() string {
	switch {
	case e.Discovered == e.Configured+"/":
		return fmt.Sprintf("issuer %q lacks the trailing slash of the discovered issuer %q", e.Configured, e.Discovered)
	case e.Configured == e.Discovered+"/":
		return fmt.Sprintf("issuer %q has a trailing slash the discovered issuer %q does not have", e.Configured, e.Discovered)
	}
	return fmt.Sprintf("issuer %q differs from the discovered issuer %q", e.Configured, e.Discovered)
}

// Hint says which value to use.
func (e *IssuerMismatchError) Hint() string {
	return fmt.Sprintf("use --issuer %s: the issuer must equal the discovery document's exactly", e.Discovered)
}

// microsoftTemplateIssuer matches the issuer Entra ID's multi-tenant discovery reports, and a
// concrete tenant's.
var microsoftTemplateIssuer = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^https://login\.microsoftonline\.com/[^/]+/v2\.0$`) })

// CheckIssuer compares the discovered issuer with the configured one. For Microsoft with a derived
// issuer it accepts Entra ID's {tenantid} template and a tenant's ID in place of its domain, since
// tokens are checked against their tid.
func CheckIssuer(typ, configured string, derived bool, d *Discovery) error {
	if d.Issuer == configured {
		return nil
	}
	if typ == config.TypeMicrosoft && derived && microsoftTemplateIssuer().MatchString(d.Issuer) {
		return nil
	}
	return &IssuerMismatchError{Configured: configured, Discovered: d.Issuer}
}
