package doctor

import (
	"errors"
	"net/url"
	"slices"

	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/login"
)

// tlsCodes are discover's TLS classifications.
var tlsCodes = []string{discovery.CodeTLSUnknownCA, discovery.CodeTLSHostname, discovery.CodeTLSExpired, discovery.CodeTLSHandshake}

// loginRequests name what a login step requests and the config key of its URL.
var loginRequests = map[string]struct{ what, field string }{
	"discovery":     {"discovery document", "issuer"},
	"jwks":          {"JWKS", "issuer"},
	"code exchange": {"token endpoint", "token_url"},
	"userinfo":      {"userinfo endpoint", "userinfo_url"},
}

// TLSFailure is DOC001 for a login step whose request failed in the TLS handshake, classified as
// discover does (self-signed, no intermediate sent, private root CA, host name, validity) with the
// certificate's fingerprint: the login's own error says only that TLS failed. nil for any other
// error, and for a step that made no request of its own.
func TLSFailure(le *login.Error) *Finding {
	var ue *url.Error
	req, ok := loginRequests[le.Step]
	if !ok || le.Check != "" || le.Err == nil || !errors.As(le.Err, &ue) {
		return nil
	}
	if c := discovery.ClassifyError(ue, req.what, ue.URL); !slices.Contains(tlsCodes, c.Code) {
		return nil
	}
	f := transportFinding(ue, req.what, ue.URL, req.field)
	return &f
}
