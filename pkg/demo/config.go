package demo

import (
	"fmt"
	"os"
	"path/filepath"
)

// ProviderName is the name of the demo provider in the demo config.
const ProviderName = "demo"

// ConfigFileName is the name of the config file WriteConfig writes.
const ConfigFileName = "ssoctl.yaml"

// Config returns a config file (schema version 1) for the demo provider at issuer: one oidc
// provider with the oidc mapping preset, the groups claim, and registration with the default
// permission [webdav-read, webdav-manage] (768 in AList's scheme, the default scheme). The comments
// make it a worked example for someone who keeps it with `ssoctl demo --keep`, and it passes
// `ssoctl validate`: the public client's missing secret is ignored with a reason.
func Config(issuer string) []byte {
	return fmt.Appendf(nil, `# Written by "ssoctl demo" for its embedded OpenID provider at %[1]s.
# Run a login with it again (while a demo provider runs there) or read it as an example:
#   ssoctl --config THIS_FILE test-login %[2]s
version: 1
providers:
  - name: %[2]s
    type: oidc
    display_name: ssoctl demo provider
    issuer: %[1]s
    client_id: %[3]s
    # No client_secret: a public client that proves itself with PKCE, like a native app (RFC 8252).
    # A loopback redirect URL without a port: the provider accepts any port (RFC 8252 section 7.3).
    redirect_url: %[4]s
    scopes: [openid, profile, email, groups]
    mapping:
      type: oidc             # preset: name from preferred_username, email from email, id from sub
    groups:
      claim: groups
    registration:
      enabled: true
      allowed_domains: [example.com]
      default_permission: [webdav-read, webdav-manage]   # 768 in AList's permission scheme
ignore:
  - code: SSO010
    provider: %[2]s
    reason: a public client that proves itself with PKCE has no secret (RFC 8252)
`, issuer, ProviderName, ClientID, RedirectURL)
}

// WriteConfig writes Config(issuer) to dir/ssoctl.yaml, readable by the user only, and returns its
// path.
func WriteConfig(dir, issuer string) (string, error) {
	path := filepath.Join(dir, ConfigFileName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(Config(issuer)); err != nil {
		_ = f.Close()
		return "", err
	}
	return path, f.Close()
}
