package doctor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// pkceWords are what providers say when they refuse a request for want of PKCE: node oidc-provider
// "Authorization Server policy requires PKCE to be used for this request" (at the authorize
// endpoint, tested against the real provider), ORY Hydra v2.3.0 "Clients must include a
// code_challenge when performing the authorize code flow, but it is missing" (fosite v0.49.0
// handler/pkce/handler.go, in the authorize endpoint's error redirect after login and consent;
// e2e/hydra runs the real Hydra), Keycloak "Missing parameter: code_challenge_method",
// authentik "PKCE is required". Kanidm names no cause: it shows its own page "Error Code:
// InvalidState" (provider.Flavor.ErrorPage, read by Preflight).
var pkceWords = []string{"pkce", "code_challenge", "code challenge", "code_verifier", "code verifier"}

// IsPKCERefusal says whether a provider's error text (an OAuth error code and description, or a
// page's text) refuses a request for want of PKCE.
func IsPKCERefusal(text string) bool {
	return containsAny(strings.ToLower(text), pkceWords)
}

// PKCERequired is DOC013: the provider requires PKCE and the app's client sends none. said is the
// provider's own words; where is "at the authorize endpoint" or "at the token endpoint".
func PKCERequired(c app.Client, clientID, said, where string) Finding {
	general := "make PKCE optional for client " + clientID + " at the provider (Keycloak: the client's advanced setting \"Proof Key for Code Exchange Code Challenge Method\" empty; Kanidm: warning-insecure-client-disable-pkce; ORY Hydra: oauth2.pkce.enforced false; oidc-provider: pkce.required)"
	hint := general + "; " + c.App + " has no PKCE setting"
	field := ""
	if slices.Contains(c.PKCEChoices, app.PKCES256) {
		hint = "turn PKCE on in the app (config pkce: S256"
		if strings.HasPrefix(c.App, "InvenTree") {
			hint += "; InvenTree: \"oauth_pkce_enabled\": true in the SocialApp's settings"
		}
		general = "make PKCE optional for client " + clientID + " at the provider"
		hint += "), or " + general
		field = "pkce"
	}
	f := newFinding(CodePKCERequired, field,
		fmt.Sprintf("the provider requires PKCE, and %s sends no code_challenge: every login of the app is refused %s (it says %q)", clientName(c), where, said), hint)
	f.Expected, f.Actual = "PKCE optional", "PKCE required"
	f.ExpectedLabel, f.ActualLabel = clientName(c)+" needs", "provider requires"
	return f.providerSide(provider.FixPKCEOptional, general)
}

// ClientAuthForApp is DOC023 when the token endpoint accepted the client only with a method the
// app's client never sends; nil when the app would send it. accepted is the method the client
// probe found, configured the config's token_endpoint_auth_method.
func ClientAuthForApp(c app.Client, clientID, accepted, configured string, secret bool, supported []string) *Finding {
	tried := c.MethodsTried(configured, secret, supported)
	if accepted == "" || slices.Contains(tried, accepted) {
		return nil
	}
	general := fmt.Sprintf("set client %s's token endpoint authentication method at the provider to %s, which %s sends", clientID, tried[0], clientName(c))
	hint := general
	field := ""
	if slices.Contains(c.AuthChoices, accepted) {
		hint = fmt.Sprintf("set token_endpoint_auth_method: %s in the config and in the app", accepted)
		if strings.HasPrefix(c.App, "InvenTree") {
			hint += fmt.Sprintf(" (InvenTree: \"token_auth_method\": %q in the SocialApp's settings)", accepted)
		}
		general = fmt.Sprintf("set client %s's method at the provider to %s", clientID, tried[0])
		hint += ", or " + general
		field = "token_endpoint_auth_method"
	}
	f := newFinding(CodeClientAuthForApp, field,
		fmt.Sprintf("the token endpoint accepts client %s only with %s, which %s never sends (it uses %s)", clientID, accepted, clientName(c), strings.Join(tried, ", then ")),
		hint)
	f.Expected, f.Actual = strings.Join(tried, " "), accepted
	f.ExpectedLabel, f.ActualLabel = "app sends", "provider accepts"
	// The value to paste: the config line where the app can be set to the accepted method, else
	// the method to register at the provider (which a known flavour turns into its setting).
	f.Fix = tried[0]
	if field != "" {
		f.Fix = field + ": " + accepted
	}
	f = f.providerSide(provider.FixClientAuth, general)
	return &f
}

// ScopesForApp is DOC024 for each configured scope the app never sends.
func ScopesForApp(c app.Client, p config.Provider) []Finding {
	if c.Strict {
		return nil
	}
	sent := c.ScopesFor(p.Scopes)
	var fs []Finding
	for _, s := range p.Scopes {
		if slices.Contains(sent, s) {
			continue
		}
		f := newFinding(CodeScopeNotRequested, "scopes",
			fmt.Sprintf("scope %s is in the config, but %s never requests it: it always sends %s", s, clientName(c), strings.Join(sent, " ")),
			fmt.Sprintf("remove %s from scopes; to get its claims to the app, have the provider release them with a scope the app sends (%s), for example a mapper on profile", s, strings.Join(sent, " ")))
		f.Expected, f.Actual = strings.Join(sent, " "), s
		f.ExpectedLabel, f.ActualLabel = "app sends", "configured"
		fs = append(fs, f)
	}
	return fs
}

func clientName(c app.Client) string {
	if c.Platform != "" {
		return c.App + " (" + c.Platform + ")"
	}
	return c.App
}
