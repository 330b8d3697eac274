package provider

import (
	"slices"
	"strings"
)

// FixKey names a change at the provider that a doctor or validate finding asks for. Each flavour
// says how that change is made in its own terms (Flavor.Fixes); the findings ask by key, so that the
// provider's screen paths and commands live in the flavour files and nowhere else.
type FixKey string

// Provider-side changes the findings ask for.
const (
	// FixSigningKey: sign this client's ID tokens with an asymmetric key (RS256) the app can
	// verify with the published JWKS (DOC057, DOC058).
	FixSigningKey FixKey = "signing-key"
	// FixPKCEOptional: let this client log in without PKCE (DOC013).
	FixPKCEOptional FixKey = "pkce-optional"
	// FixClaimsInIDToken: put the profile and email claims (preferred_username, email, groups)
	// into the ID token, for apps that read only the ID token (DOC052, DOC059).
	FixClaimsInIDToken FixKey = "claims-in-id-token"
	// FixClaimsInUserinfo: return the claims from userinfo, for apps that read only userinfo (DOC052).
	FixClaimsInUserinfo FixKey = "claims-in-userinfo"
	// FixGroupsClaim: send a groups claim at all (DOC051, DOC062).
	FixGroupsClaim FixKey = "groups-claim"
	// FixGroupsList: send the groups claim as a list of names (DOC056).
	FixGroupsList FixKey = "groups-list"
	// FixClientAuth: register the client for the token endpoint authentication method the app
	// sends (DOC021, DOC023).
	FixClientAuth FixKey = "client-auth"
	// FixRedirectURI: register the app's exact redirect URI for the client (DOC010, SSO's
	// redirect findings).
	FixRedirectURI FixKey = "redirect-uri"
	// FixScopeAllowed: allow the client to request a scope (DOC050).
	FixScopeAllowed FixKey = "scope-allowed"
	// FixShortUsername: send preferred_username without a domain part.
	FixShortUsername FixKey = "short-username"
	// FixClientSecret: where the client's ID and secret are read or made anew (DOC011, DOC020).
	FixClientSecret FixKey = "client-credentials"
)

// FixKeys lists every fix key, in the order the reference shows them.
func FixKeys() []FixKey {
	return []FixKey{FixSigningKey, FixPKCEOptional, FixClaimsInIDToken, FixClaimsInUserinfo, FixGroupsClaim,
		FixGroupsList, FixClientAuth, FixRedirectURI, FixScopeAllowed, FixShortUsername, FixClientSecret}
}

// ProviderFix is how one flavour makes one change: Text is the admin screen path or the command, in
// the product's words, with {client} where the client ID goes; Source and Version cite where the
// setting was read ("unconfirmed" when no public source was checked).
type ProviderFix struct {
	Text    string `json:"text"`
	Source  string `json:"source"`
	Version string `json:"version"`
}

// Placeholders in a fix's text: the client ID, and the token endpoint authentication method the
// app sends (FixClientAuth).
const (
	clientPlaceholder = "{client}"
	methodPlaceholder = "{method}"
)

// Fix is the flavour's way of making the change key names, for the client clientID ("<client>"
// when empty), in the product's terms (without its name); ok is false when the flavour has none
// (the change does not apply to it, or ssoctl does not know its setting).
func (f Flavor) Fix(key FixKey, clientID string) (string, bool) {
	return f.FixWith(key, clientID, "")
}

// FixWith is Fix with the authentication method the app sends filled in ("the method the app
// sends" when empty).
func (f Flavor) FixWith(key FixKey, clientID, method string) (string, bool) {
	fx, ok := f.Fixes[key]
	if !ok || fx.Text == "" {
		return "", false
	}
	if clientID == "" {
		clientID = "<client>"
	}
	if method == "" {
		method = "<the method the app sends>"
	}
	return strings.NewReplacer(clientPlaceholder, clientID, methodPlaceholder, method).Replace(fx.Text), true
}

// FixKeysOf returns the keys the flavour has a fix for, in FixKeys order.
func (f Flavor) FixKeysOf() []FixKey {
	var out []FixKey
	for _, k := range FixKeys() {
		if _, ok := f.Fixes[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

// FlavorOf is the flavour of a provider: the configured one, else the one detected from its
// discovery document (d may be nil); detected says it was detected. ok is false when neither
// names one.
func FlavorOf(configured string, d *Discovery) (f Flavor, detected, ok bool) {
	if configured != "" {
		f, ok = LookupFlavor(configured)
		return f, false, ok
	}
	if got, found := DetectFlavor(d); found {
		f, ok = LookupFlavor(got.Name)
		return f, true, ok
	}
	return Flavor{}, false, false
}

// AcceptsOnly is the one token endpoint authentication method a client registered with the
// flavour's defaults accepts, "" when it accepts several.
func (f Flavor) AcceptsOnly() string {
	if len(f.AuthMethods) == 1 {
		return f.AuthMethods[0]
	}
	return ""
}

// SendsGroupsByDefault reports whether a fresh client gets the groups claim without an admin's
// mapper or switch (with the flavour's groups scope requested).
func (f Flavor) SendsGroupsByDefault() bool {
	return f.GroupsClaim != "" && f.GroupsSetup == ""
}

// ValidFixKey reports whether k is a known key.
func ValidFixKey(k FixKey) bool { return slices.Contains(FixKeys(), k) }

// NamedFix is the flavour's way of making the change key names, prefixed with the product's name
// ("Kanidm: kanidm system oauth2 …"), for a provider configured with that flavour; "" when the
// flavour is unknown or has no setting for key. validate's offline hints append it.
func NamedFix(flavor string, key FixKey, clientID string) string {
	f, ok := LookupFlavor(flavor)
	if !ok {
		return ""
	}
	text, ok := f.Fix(key, clientID)
	if !ok {
		return ""
	}
	return f.Title + ": " + text
}

// DefaultIDTokenAlg is the algorithm a client made with the flavour's defaults gets its ID tokens
// signed with: SigningAlg's leading algorithm name when the discovery document lists it
// (IDTokenAlgs), "" when the flavour states none. The discovery list is global and cannot tell it
// (LemonLDAP::NG lists RS256 and signs a new relying party's tokens with HS512).
func (f Flavor) DefaultIDTokenAlg() string {
	alg, _, _ := strings.Cut(strings.TrimSpace(f.SigningAlg), " ")
	if alg == "" || !slices.Contains(f.IDTokenAlgs, alg) {
		return ""
	}
	return alg
}
