package login

import (
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Microsoft Entra ID is OpenID Connect (oidcFlow) with one quirk, kept here: the discovery document
// of the multi-tenant authorities (common, organizations) does not name one issuer but a template,
// "https://login.microsoftonline.com/{tenantid}/v2.0", and each ID token carries the issuer of the
// user's own tenant with that tenant's ID in the tid claim. go-oidc cannot check that (its comments
// name Azure as the off-spec case), so the issuer check fills the template with the token's tid
// and compares, as MSAL does.

// microsoftTenantPlaceholder is what Entra's discovery for the multi-tenant authorities puts into
// "issuer" where tokens carry the user's tenant ID.
const microsoftTenantPlaceholder = "{tenantid}"

// tenantIDPattern is an Entra tenant ID: a GUID. Personal Microsoft accounts have one too (the
// consumers tenant 9188040d-6c67-4c5b-b112-36a304b66dad).
var tenantIDPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
})

// isMicrosoftTemplate reports whether discovered is the configured issuer with exactly one path
// segment (the tenant: common, organizations) replaced by the {tenantid} placeholder. Anything else
// (another host, another path) is an ordinary issuer mismatch.
func isMicrosoftTemplate(configured, discovered string) bool {
	c, err1 := url.Parse(configured)
	d, err2 := url.Parse(discovered)
	if err1 != nil || err2 != nil || c.Scheme != d.Scheme || c.Host != d.Host {
		return false
	}
	cs, ds := strings.Split(c.Path, "/"), strings.Split(d.Path, "/")
	if len(cs) != len(ds) {
		return false
	}
	replaced := 0
	for i := range cs {
		switch {
		case cs[i] == ds[i]:
		case ds[i] == microsoftTenantPlaceholder:
			replaced++
		default:
			return false
		}
	}
	return replaced == 1
}

// microsoftIssuer returns the issuer a token of tenant tid must carry under an issuer template.
func microsoftIssuer(template, tid string) string {
	return strings.ReplaceAll(template, microsoftTenantPlaceholder, tid)
}
