package provider

import (
	"slices"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// MatrixApps are the app kinds the flavour matrix covers, in the order the reference shows them
// (OpenList runs AList's client: pkg/app client_alist.go).
var MatrixApps = []string{config.AppAList, config.AppPhotoPrism, config.AppInvenTree, config.AppLobeChat}

// AppPreset is what `provider add --flavor F` writes for a provider under one app kind, and where
// that app then finds the username, groups and roles: the flavour's mapping preset for the app.
type AppPreset struct {
	// App is the app kind.
	App string `json:"app"`
	// Scopes are the scopes written, nil when the type's default scopes are kept.
	Scopes []string `json:"scopes"`
	// Groups says a groups block is written: the app syncs groups (InvenTree).
	Groups bool `json:"groups"`
	// GroupsClaim is the groups claim the app is told to read ("" when none is written).
	GroupsClaim string `json:"groupsClaim"`
	// UsernameClaim is the claim the username comes from with the oidc mapping preset.
	UsernameClaim string `json:"usernameClaim"`
	// Roles says where the flavour's roles are and whether the app reads them.
	Roles string `json:"roles"`
	// Notes are what the admin must still do at the provider, in its terms.
	Notes []string `json:"notes"`
}

// syncsGroups reports whether the app kind maps the provider's groups onto its own: only InvenTree
// does (SSO_GROUP_KEY, SSO_GROUP_MAP; pkg/mapping planInvenTree). AList, PhotoPrism and LobeChat
// give new SSO users a default role and read no groups (pkg/export's groups hints).
func syncsGroups(appKind string) bool { return appKind == config.AppInvenTree }

// AppPreset returns the flavour's preset for an app kind; defaultScopes are the provider type's
// default scopes (Preset.DefaultScopes).
func (f Flavor) AppPreset(appKind string, defaultScopes []string) AppPreset {
	p := AppPreset{App: appKind, UsernameClaim: "preferred_username"}
	if syncsGroups(appKind) && f.GroupsClaim != "" {
		p.Groups = true
		p.GroupsClaim = f.GroupsClaim
		if s := f.GroupScopes(defaultScopes); !slices.Equal(s, defaultScopes) {
			p.Scopes = s
		}
	}
	switch {
	case f.RolesClaim == "":
		p.Roles = "none of its own"
	case syncsGroups(appKind) && f.RolesClaim == f.GroupsClaim:
		p.Roles = f.RolesClaim + ", read as the groups claim"
	default:
		p.Roles = f.RolesClaim + ", not read by the app (it gives new users a default role)"
	}
	if syncsGroups(appKind) {
		if f.GroupsClaim != "" {
			p.Notes = append(p.Notes, "groups arrive as "+f.GroupsShape+"; write the group map's keys that way (provider add --group does)")
		}
		if f.GroupsSetup != "" {
			p.Notes = append(p.Notes, f.GroupsSetup)
		}
		if f.GroupsClaim == "" {
			p.Notes = append(p.Notes, "no groups claim by default ("+f.GroupsShape+"): configure one at the provider, then set groups.claim")
		}
	}
	if fx, ok := f.Fix(FixShortUsername, ""); ok {
		p.Notes = append(p.Notes, "preferred_username is name@domain; for the short name: "+fx)
	}
	return p
}
