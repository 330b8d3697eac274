package doctor_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// TestAnalyzeRealLogin runs whole logins (login.Run) against servers that exhibit one fault each:
// the real OpenID provider's accounts (testdata/oidcprovider/server.mjs) and the hostile provider's
// quirk modes. Then it runs what test-login runs around a login, the pre-flight (for the discovery
// document) and Analyze, and checks that the fault's finding is there with its key words, and that
// the findings of the neighbouring faults are not.
func TestAnalyzeRealLogin(t *testing.T) {
	inventree := &config.App{Kind: config.AppInvenTree, URL: "https://inv.example.com"}
	syncGroups := &config.Groups{Map: map[string]string{"/inventree/admins": "admin", "staff": "editors"}, RemoveUnmapped: true}
	lockout := []string{doctor.CodeLockoutRemove, doctor.CodeLockoutAdmin, doctor.CodeDefaultRoleOnly}
	tests := []struct {
		name    string
		hostile string // a hostile provider's mode; "" for the real provider
		user    string // the real provider's account
		app     *config.App
		groups  *config.Groups
		// words are the key words of each code that must be found.
		words  map[string][]string
		absent []string
	}{
		{name: "groups is requested but not announced", hostile: logintest.ModeGroupsScopeUnannounced,
			words: map[string][]string{
				doctor.CodeScopeNotGranted: {"the provider granted openid profile email but not groups"},
				doctor.CodeGroupsScope:     {"the scope groups is requested, but the provider's scopes_supported (openid profile email) does not list it"},
			}},
		{name: "several audiences and azp", hostile: logintest.ModeMultiAud,
			words: map[string][]string{
				doctor.CodeAudience: {"the ID token is meant for 2 audiences (hostile-client, hostile-api) and its azp (authorized party) is hostile-client",
					"ssoctl checked that aud holds client_id hostile-client and that azp equals it"},
			},
			absent: []string{doctor.CodeGroupsScope}},
		{name: "groups as a string", user: "carol", app: inventree, groups: syncGroups,
			words: map[string][]string{
				doctor.CodeGroupsNotList: {`the groups claim in the userinfo is the string "/inventree/admins", not a list of groups`},
				doctor.CodeLockoutRemove: {"the claim groups is a string, not a list, in this login's userinfo (which InvenTree reads), and remove_unmapped is on"},
				doctor.CodeLockoutAdmin:  {"/inventree/admins → admin", "carries no list of groups, only a string"},
				// The cause is the provider's string: DOC070 points at it rather than at InvenTree.
				doctor.CodeProviderOK:   {"the provider's protocol steps passed", "see DOC056"},
				doctor.CodeClaimsDiffer: {"only in userinfo: email, email_verified, groups, name, preferred_username"},
			},
			absent: []string{doctor.CodeDefaultRoleOnly, doctor.CodeEmailUnverified}},
		{name: "in no group", user: "dave", app: inventree, groups: syncGroups,
			words: map[string][]string{
				doctor.CodeLockoutRemove: {"the claim groups is empty in this login's userinfo (which InvenTree reads), and remove_unmapped is on"},
				doctor.CodeLockoutAdmin:  {"the group map grants admin (/inventree/admins → admin), but this login's userinfo (which InvenTree reads) carries no groups"},
			},
			absent: []string{doctor.CodeDefaultRoleOnly, doctor.CodeGroupsNotList}},
		{name: "without a groups claim", user: "erin", app: inventree, groups: syncGroups,
			words: map[string][]string{
				doctor.CodeDefaultRoleOnly: {"the claim groups is not in this login's userinfo (which InvenTree reads) although the scope groups was granted"},
				doctor.CodeLockoutRemove:   {"the claim groups is absent"},
				doctor.CodeLockoutAdmin:    {"carries no groups"},
			}},
		{name: "an admin whose groups arrive", user: "alice", app: inventree, groups: syncGroups,
			words:  map[string][]string{doctor.CodeProviderOK: {"if InvenTree still fails to log in, the cause is on InvenTree's side"}},
			absent: append([]string{doctor.CodeGroupsNotList, doctor.CodeEmailUnverified}, lockout...)},
		// Issue 12: the real provider puts profile claims into userinfo only, and AList reads the ID
		// token's key preferred_username (what export writes for the oidc preset): AList refuses.
		{name: "AList's key missing from the ID token", user: "alice", app: &config.App{Kind: config.AppAList, URL: "https://files.example.com"},
			words: map[string][]string{
				doctor.CodeAppClaimAbsent: {`AList reads the ID token's key "preferred_username"`, `"cannot get username from OIDC provider"`, "only userinfo carries it"},
				doctor.CodeProviderOK:     {"see DOC059 above"},
			},
			absent: []string{doctor.CodeClaimMissingForApp}},
		{name: "email not verified", user: "bob",
			words: map[string][]string{doctor.CodeEmailUnverified: {"the provider says the email address bob@example.org is not verified (email_verified is false)"}}},
	}
	var quirks []string
	for _, tt := range tests {
		if tt.hostile != "" {
			quirks = append(quirks, tt.hostile)
		}
	}
	assert.ElementsMatch(t, logintest.QuirkModes, quirks, "every quirk mode is tested")

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: "t", Type: config.TypeOIDC, RedirectURL: "http://127.0.0.1/callback",
				Scopes: []string{"openid", "profile", "email", "groups"}, Groups: tt.groups}
			var secret string
			if tt.hostile != "" {
				h := logintest.NewHostile(tt.hostile)
				t.Cleanup(h.Close)
				p.Issuer, p.ClientID, secret = h.Issuer(), logintest.HostileClientID, logintest.HostileSecret
			} else {
				p.Issuer, p.ClientID = requireNode(t).Issuer, logintest.PublicClientID
			}
			ep, err := provider.Resolve(p)
			require.NoError(t, err)
			pre := doctor.CheckLogin(ctx(t), nil, doctor.LoginCheck{Provider: p, Endpoints: ep, RedirectURI: "http://127.0.0.1:1/callback"})
			require.True(t, pre.Preflight.OK(), "pre-flight: %+v", pre.Preflight)
			require.NotNil(t, pre.Metadata)

			rep, err := login.Run(context.Background(), login.Input{Provider: p, ClientSecret: secret, Timeout: 10 * time.Second,
				Browser: logintest.NewBrowser(logintest.FollowOptions{LoginHint: tt.user})})
			require.NoError(t, err, "the login itself passes")
			fs := doctor.Analyze(doctor.Login{App: tt.app, Provider: p, Report: rep, Metadata: pre.Metadata, ClockOffset: pre.ClockOffset, Now: time.Now()})

			got := codes(fs)
			for code, words := range tt.words {
				f := find(t, fs, code)
				for _, w := range words {
					assert.Contains(t, f.Message, w, code)
				}
				assert.NotEmpty(t, f.Hint, code)
			}
			for _, code := range tt.absent {
				assert.False(t, slices.Contains(got, code), "%s among %v", code, got)
			}
		})
	}
}
