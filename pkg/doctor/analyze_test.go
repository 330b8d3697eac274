package doctor_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func okReport() *login.Report {
	return &login.Report{
		Provider: "kc", Type: "oidc", ClientID: "app",
		Steps:           []login.Step{{Name: "discovery"}, {Name: "jwks"}, {Name: "authorize URL"}, {Name: "browser"}, {Name: "callback"}, {Name: "state"}, {Name: "code exchange"}, {Name: "id token"}, {Name: "userinfo"}},
		RequestedScopes: []string{"openid", "profile", "email"},
		GrantedScopes:   []string{"openid", "profile", "email"},
		IDToken: &login.IDTokenReport{Header: login.Header{Alg: "RS256"}, Claims: map[string]any{
			"iss": "https://kc", "aud": "app", "sub": "alice", "exp": json.Number("1"), "iat": json.Number("1"), "nonce": "n",
		}},
		Userinfo: map[string]any{"sub": "alice", "email": "alice@example.com", "email_verified": true, "preferred_username": "alice"},
	}
}

func codes(fs []doctor.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func find(t *testing.T, fs []doctor.Finding, code string) doctor.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Code == code {
			return f
		}
	}
	t.Fatalf("no %s among %v", code, codes(fs))
	return doctor.Finding{}
}

func TestAnalyze(t *testing.T) {
	alist := &config.App{Kind: "alist", URL: "https://files.example.com"}
	inventree := &config.App{Kind: "inventree", URL: "https://inv.example.com"}
	photoprism := &config.App{Kind: "photoprism", URL: "https://photos.example.com"}
	lobechat := &config.App{Kind: "lobechat", URL: "https://chat.example.com"}
	groups := func(claim string, m map[string]string, remove bool) *config.Groups {
		return &config.Groups{Claim: claim, Map: m, RemoveUnmapped: remove}
	}
	tests := []struct {
		name   string
		app    *config.App
		prov   config.Provider
		edit   func(*login.Report)
		md     *provider.Discovery
		offset time.Duration
		want   []string // codes, in order
		check  func(t *testing.T, fs []doctor.Finding)
	}{
		// Issue 12: the key AList reads (export's sso_oidc_username_key, preferred_username with the
		// oidc preset) is only in userinfo, which AList never reads: an error, and DOC070 points at it.
		{name: "profile claims in userinfo only", app: alist, prov: config.Provider{Type: "oidc"},
			want: []string{doctor.CodeAppClaimAbsent, doctor.CodeClaimsDiffer, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeAppClaimAbsent)
				assert.Equal(t, doctor.SeverityError, f.Severity)
				assert.Equal(t, `AList reads the ID token's key "preferred_username" (sso_oidc_username_key) as both the SSO id and the username, and this login's ID token has none: AList refuses every login and bind with "cannot get username from OIDC provider"; only userinfo carries it, which AList never reads`, f.Message)
				assert.Contains(t, f.Hint, "Add to ID token")
				ok := find(t, fs, doctor.CodeProviderOK)
				assert.Contains(t, ok.Message, "the provider's protocol steps passed (discovery, jwks, authorize URL, callback, state, code exchange, id token, userinfo), but what it sends is the cause if AList fails to log in: see DOC059 above")
				assert.NotContains(t, ok.Message, "the cause is on AList's side")
				assert.Contains(t, ok.Hint, "fix DOC059 at the provider (or in this file) first")
				d := find(t, fs, doctor.CodeClaimsDiffer)
				assert.Contains(t, d.Message, "(only in userinfo: email, email_verified, preferred_username); AList reads the ID token")
			}},
		{name: "AList's key in the ID token: the app side is suspect", app: alist, prov: config.Provider{Type: "oidc"},
			edit: func(r *login.Report) { r.IDToken.Claims["preferred_username"] = "alice"; r.Userinfo = nil },
			want: []string{doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				ok := find(t, fs, doctor.CodeProviderOK)
				assert.Contains(t, ok.Message, "if AList still fails to log in, the cause is on AList's side")
				assert.Contains(t, ok.Hint, "site_url must be the public https URL")
			}},
		{name: "AList's key written as a JSONPath is read literally", app: alist,
			prov: config.Provider{Type: "oidc", Mapping: &config.Mapping{Username: &config.Username{From: "$.sub"}}},
			edit: func(r *login.Report) { r.Userinfo = nil },
			want: []string{doctor.CodeAppClaimAbsent, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeAppClaimAbsent)
				assert.Contains(t, f.Message, `key "$.sub"`)
				assert.Equal(t, "write the claim's name: username.from: sub", f.Hint)
			}},
		{name: "OpenList reads the ID token too", app: &config.App{Kind: "openlist", URL: "https://files.example.com"},
			prov: config.Provider{Type: "oidc", Mapping: &config.Mapping{Username: &config.Username{From: "email"}}},
			edit: func(r *login.Report) { r.Userinfo = nil },
			want: []string{doctor.CodeAppClaimAbsent, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeAppClaimAbsent)
				assert.Contains(t, f.Message, `OpenList reads the ID token's key "email"`)
				assert.Contains(t, f.Hint, "request the scope that carries it")
			}},
		{name: "AList GitHub without an id", app: alist, prov: config.Provider{Type: "github"},
			edit: func(r *login.Report) { r.IDToken = nil; r.Userinfo = map[string]any{"login": "mona", "id": 0} },
			want: []string{doctor.CodeAppClaimAbsent, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Contains(t, find(t, fs, doctor.CodeAppClaimAbsent).Message, `has 0: AList refuses every login with "error occurred"`)
			}},
		{name: "generic app suspects", prov: config.Provider{Type: "oidc"}, edit: func(r *login.Report) { r.Userinfo = nil },
			want: []string{doctor.CodeProviderOK}, check: func(t *testing.T, fs []doctor.Finding) {
				assert.Contains(t, fs[0].Hint, "X-Forwarded-Proto")
			}},
		{name: "scope not granted", edit: func(r *login.Report) {
			r.RequestedScopes = []string{"openid", "email", "groups"}
			r.GrantedScopes, r.GrantedScopesListed = []string{"openid", "email"}, true
		}, md: &provider.Discovery{ScopesSupported: []string{"openid", "email", "profile"}},
			want: []string{doctor.CodeScopeNotGranted, doctor.CodeGroupsScope, doctor.CodeClaimsDiffer, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeScopeNotGranted)
				assert.Equal(t, "the provider granted openid email but not groups", f.Message)
				assert.Equal(t, "openid email groups", f.Expected)
				assert.Equal(t, "openid email", f.Actual)
				assert.Contains(t, find(t, fs, doctor.CodeGroupsScope).Message, "scopes_supported (openid email profile) does not list it")
			}},
		{name: "email only in userinfo while AList reads the ID token", app: alist,
			prov: config.Provider{Type: "oidc", Mapping: &config.Mapping{Username: &config.Username{From: "email"}}},
			want: []string{doctor.CodeAppClaimAbsent, doctor.CodeClaimsDiffer, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeAppClaimAbsent)
				assert.Contains(t, f.Message, `AList reads the ID token's key "email"`)
				assert.Contains(t, f.Message, "only userinfo carries it")
				assert.Contains(t, f.Hint, "Add to ID token")
			}},
		{name: "groups in the ID token only while InvenTree reads userinfo", app: inventree,
			prov: config.Provider{Type: "oidc", Groups: groups("", map[string]string{"/inv/admins": "admin"}, false)},
			edit: func(r *login.Report) { r.IDToken.Claims["groups"] = []any{"/inv/admins"} },
			want: []string{doctor.CodeClaimMissingForApp, doctor.CodeClaimsDiffer, doctor.CodeDefaultRoleOnly, doctor.CodeLockoutAdmin, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Contains(t, find(t, fs, doctor.CodeClaimMissingForApp).Message, "InvenTree reads the userinfo document, which lacks groups")
				assert.Contains(t, find(t, fs, doctor.CodeDefaultRoleOnly).Message, "the claim groups is not in this login's userinfo (which InvenTree reads)")
				assert.Contains(t, find(t, fs, doctor.CodeLockoutAdmin).Message, "/inv/admins → admin")
			}},
		{name: "email only in the ID token while PhotoPrism reads userinfo", app: photoprism,
			prov: config.Provider{Type: "oidc", Mapping: &config.Mapping{Username: &config.Username{From: "preferred_username"}}},
			edit: func(r *login.Report) {
				r.IDToken.Claims["email"], r.IDToken.Claims["preferred_username"] = "alice@example.com", "alice"
				delete(r.Userinfo, "email")
			},
			want: []string{doctor.CodeClaimMissingForApp, doctor.CodeClaimsDiffer, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Equal(t, "PhotoPrism reads the userinfo document, which lacks email; only the ID token carries it", find(t, fs, doctor.CodeClaimMissingForApp).Message)
			}},
		{name: "groups in the ID token only: PhotoPrism merges both documents", app: photoprism,
			prov: config.Provider{Type: "oidc", Groups: groups("", map[string]string{"/pp/admins": "admin"}, false)},
			edit: func(r *login.Report) { r.IDToken.Claims["groups"] = []any{"/pp/admins"} },
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeProviderOK}},
		{name: "email only in userinfo while LobeChat 1.x reads the ID token", app: lobechat, prov: config.Provider{Type: "oidc"},
			want: []string{doctor.CodeClaimMissingForApp, doctor.CodeClaimsDiffer, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Equal(t, "LobeChat reads the ID token, which lacks email; only the userinfo document carries it (LobeChat 1.x, on Auth.js; LobeHub 2.x reads userinfo when the ID token has no email)",
					find(t, fs, doctor.CodeClaimMissingForApp).Message)
			}},
		{name: "a claim LobeChat needs only in userinfo while the ID token has email", app: lobechat,
			prov: config.Provider{Type: "oidc", Mapping: &config.Mapping{Username: &config.Username{From: "preferred_username"}}},
			edit: func(r *login.Report) { r.IDToken.Claims["email"] = "alice@example.com" },
			want: []string{doctor.CodeClaimMissingForApp, doctor.CodeClaimsDiffer, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Equal(t, "LobeChat reads the ID token, which lacks preferred_username; only the userinfo document carries it",
					find(t, fs, doctor.CodeClaimMissingForApp).Message)
			}},
		{name: "GitHub through LobeChat: its user API, no ID token to compare", app: lobechat, prov: config.Provider{Type: "github"},
			edit: func(r *login.Report) { r.Type = "github" },
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeProviderOK}},
		{name: "email not verified", edit: func(r *login.Report) { r.Userinfo["email_verified"] = false },
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeEmailUnverified, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Contains(t, find(t, fs, doctor.CodeEmailUnverified).Message, "alice@example.com is not verified")
			}},
		{name: "several audiences and azp", edit: func(r *login.Report) {
			r.IDToken.Claims["aud"] = []any{"app", "api"}
			r.IDToken.Claims["azp"] = "app"
			r.Userinfo = nil
		}, want: []string{doctor.CodeAudience, doctor.CodeProviderOK}, check: func(t *testing.T, fs []doctor.Finding) {
			assert.Equal(t, "the ID token is meant for 2 audiences (app, api) and its azp (authorized party) is app, the client it was issued to; ssoctl checked that aud holds client_id  and that azp equals it",
				find(t, fs, doctor.CodeAudience).Message)
		}},
		{name: "groups as a string", prov: config.Provider{Type: "oidc", Groups: groups("", map[string]string{"admins": "admin"}, false)},
			edit: func(r *login.Report) { r.Userinfo["groups"] = "admins" },
			want: []string{doctor.CodeGroupsNotList, doctor.CodeClaimsDiffer, doctor.CodeLockoutAdmin, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeGroupsNotList)
				assert.Equal(t, `the groups claim in the userinfo is the string "admins", not a list of groups`, f.Message)
				assert.Equal(t, doctor.SeverityError, f.Severity)
				// The app sees no list, so admin-by-group matches nothing even though the string names the group.
				assert.Contains(t, find(t, fs, doctor.CodeLockoutAdmin).Message, "carries no list of groups, only a string")
			}},
		{name: "groups as a string with remove_unmapped", prov: config.Provider{Type: "oidc", Groups: groups("", map[string]string{"admins": "editors"}, true)},
			edit: func(r *login.Report) { r.Userinfo["groups"] = "admins" },
			want: []string{doctor.CodeGroupsNotList, doctor.CodeClaimsDiffer, doctor.CodeLockoutRemove, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Contains(t, find(t, fs, doctor.CodeLockoutRemove).Message, "the claim groups is a string, not a list, in this login's ID token or userinfo, and remove_unmapped is on")
			}},
		{name: "HS256 for AList", app: alist, prov: config.Provider{Type: "oidc"}, edit: func(r *login.Report) {
			r.IDToken.Header.Alg = "HS256"
			r.IDToken.Claims["preferred_username"] = "alice"
			r.Userinfo = nil
		},
			want: []string{doctor.CodeHMACToken, doctor.CodeProviderOK}},
		{name: "remove_unmapped with empty groups", prov: config.Provider{Type: "oidc", Groups: groups("groups", map[string]string{"g": "editors"}, true)},
			edit: func(r *login.Report) { r.Userinfo["groups"] = []any{} },
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeLockoutRemove, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Contains(t, find(t, fs, doctor.CodeLockoutRemove).Message, "the claim groups is empty in this login's ID token or userinfo, and remove_unmapped is on")
			}},
		{name: "groups claim absent for everyone", prov: config.Provider{Type: "oidc", Roles: []string{"user"}, Groups: groups("roles", map[string]string{"a": "b"}, true)},
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeDefaultRoleOnly, doctor.CodeLockoutRemove, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeDefaultRoleOnly)
				assert.Contains(t, f.Message, "every user gets only the default role (user)")
				assert.Empty(t, f.Fix, "a custom claim is not fixed by the groups scope")
			}},
		{name: "groups scope granted, claim absent: this user may be in no group", prov: config.Provider{Type: "oidc", Groups: groups("", map[string]string{"a": "b"}, false)},
			edit: func(r *login.Report) {
				r.RequestedScopes = append(r.RequestedScopes, "groups")
				r.GrantedScopes = append(r.GrantedScopes, "groups")
			},
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeDefaultRoleOnly, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				f := find(t, fs, doctor.CodeDefaultRoleOnly)
				assert.Contains(t, f.Message, "although the scope groups was granted: this user is in no group, or the provider sends the claim to nobody")
				assert.Contains(t, f.Hint, "run test-login as a user who is in a group")
				assert.Empty(t, f.Fix, "the scope is requested already")
			}},
		{name: "groups scope missing", prov: config.Provider{Type: "oidc", Groups: groups("", map[string]string{"a": "b"}, false)},
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeDefaultRoleOnly, doctor.CodeProviderOK},
			check: func(t *testing.T, fs []doctor.Finding) {
				assert.Equal(t, "scopes: [openid, profile, email, groups]", find(t, fs, doctor.CodeDefaultRoleOnly).Fix)
			}},
		{name: "nested groups claim", prov: config.Provider{Type: "oidc", Groups: groups("realm_access.roles", map[string]string{"admin": "admin"}, true)},
			edit: func(r *login.Report) { r.Userinfo["realm_access"] = map[string]any{"roles": []any{"admin"}} },
			want: []string{doctor.CodeClaimsDiffer, doctor.CodeProviderOK}},
		{name: "clock off but within skew", offset: 45 * time.Second, edit: func(r *login.Report) { r.Userinfo = nil },
			want: []string{doctor.CodeClockSkew, doctor.CodeProviderOK}, check: func(t *testing.T, fs []doctor.Finding) {
				assert.Contains(t, fs[0].Message, "the clocks differ by 45 s (the provider's clock is ahead of this machine's, by the provider's Date header)")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := okReport()
			if tt.edit != nil {
				tt.edit(rep)
			}
			in := doctor.Login{App: tt.app, Provider: tt.prov, Report: rep, Metadata: tt.md, Now: now}
			if tt.offset != 0 {
				in.ClockOffset = &tt.offset
			}
			fs := doctor.Analyze(in)
			assert.Equal(t, tt.want, codes(fs))
			if tt.check != nil {
				tt.check(t, fs)
			}
			for _, f := range fs {
				c, ok := doctor.LookupCode(f.Code)
				require.True(t, ok)
				assert.Equal(t, c.Severity, f.Severity)
			}
		})
	}
}

func TestAnalyzeFailures(t *testing.T) {
	iatErr := &login.Error{Step: "id token", Check: "iat", Expected: "before 2026-03-01T12:02:00Z", Actual: "2026-03-01T13:00:00Z"}
	expErr := &login.Error{Step: "id token", Check: "exp", Expected: "after 2026-03-01T12:00:00Z", Actual: "2026-03-01T11:55:00Z"}
	issErr := &login.Error{Step: "id token", Check: "iss", Expected: "https://auth/app", Actual: "https://auth/app/"}
	behind := -90 * time.Minute
	agrees := time.Duration(0)
	tests := []struct {
		name   string
		err    error
		md     *provider.Discovery
		offset *time.Duration
		words  []string
		fix    string
	}{
		{name: "iat in the future", err: iatErr, words: []string{"the clocks differ by 3600 s (the provider's clock is ahead of this machine's, by the ID token's iat)"}},
		{name: "expired", err: fmtWrap(expErr), words: []string{"the clocks differ by at least 300 s (this machine's clock is ahead of the provider's, by the ID token's exp)"}},
		{name: "offset from the Date header", err: expErr, offset: &behind, words: []string{"the clocks differ by 5400 s (this machine's clock is ahead of the provider's, by the provider's Date header): the ID token's exp check failed"}},
		{name: "the provider stamps tokens wrongly", err: iatErr, offset: &agrees,
			words: []string{"the ID token's iat is 3600 s off this machine's clock, but the provider's Date header agrees with this machine (offset 0 s)"}},
		{name: "token iss", err: issErr, md: &provider.Discovery{Issuer: "https://auth/app/"}, fix: "issuer: https://auth/app/",
			words: []string{`the configured issuer "https://auth/app", the discovery document's "https://auth/app/" and the ID token's iss "https://auth/app/" are not all equal`}},
		{name: "provider inconsistent", err: issErr, md: &provider.Discovery{Issuer: "https://auth/app"},
			words: []string{`the ID token's iss "https://auth/app/" differs from the issuer "https://auth/app" that the config and the discovery document agree on`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := doctor.Analyze(doctor.Login{Provider: config.Provider{Type: "oidc", Issuer: "https://auth/app"}, Report: okReport(), Err: tt.err, Metadata: tt.md, ClockOffset: tt.offset, Now: now})
			require.Len(t, fs, 1)
			for _, w := range tt.words {
				assert.Contains(t, fs[0].Message, w)
			}
			assert.Equal(t, tt.fix, fs[0].Fix)
			assert.NotEmpty(t, fs[0].Actual)
		})
	}
	assert.Empty(t, doctor.Analyze(doctor.Login{Err: errors.New("network down"), Report: okReport(), Now: now}), "no provider-ok after a failure")
}

func fmtWrap(err error) error { return errors.Join(errors.New("login failed"), err) }

func TestWriteText(t *testing.T) {
	fs := []doctor.Finding{
		doctor.TokenIssuerFinding("https://auth/app", "https://auth/app/", "https://auth/app/", "alist"),
		{Code: doctor.CodeProviderOK, Severity: doctor.SeverityNote, Message: "all good"},
	}
	var b bytes.Buffer
	require.NoError(t, doctor.WriteText(&b, fs, plain{}))
	lines := strings.Split(b.String(), "\n")
	assert.Equal(t, "X DOC032 the configured issuer \"https://auth/app\", the discovery document's \"https://auth/app/\" and the ID token's iss \"https://auth/app/\" are not all equal", lines[0])
	assert.Equal(t, "    discovery  https://auth/app/", lines[1])
	assert.Equal(t, "    token iss  https://auth/app/", lines[2])
	assert.Equal(t, "    fix: issuer: https://auth/app/", lines[3])
	assert.Contains(t, lines[4], "hint: issuers are compared exactly")
	assert.Contains(t, lines[4], "AList's sso_endpoint_name must then be https://auth/app/")
	assert.Equal(t, "i DOC070 all good", lines[5])
}

type plain struct{}

func (plain) Red(s string) string    { return s }
func (plain) Yellow(s string) string { return s }
func (plain) Cyan(s string) string   { return s }
func (plain) Gray(s string) string   { return s }
func (plain) Bold(s string) string   { return s }

func TestCodesAreDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range doctor.Codes() {
		assert.Regexp(t, `^DOC[0-9]{3}$`, c.ID)
		assert.False(t, seen[c.ID], "duplicate %s", c.ID)
		seen[c.ID] = true
		assert.Regexp(t, `^[a-z0-9-]+$`, c.Name)
		assert.NotEmpty(t, c.Title)
		assert.True(t, strings.HasSuffix(c.Description, "."), c.ID)
	}
}

// TestDocTable keeps the code table in the package documentation in step with Codes.
func TestDocTable(t *testing.T) {
	src, err := os.ReadFile("doctor.go")
	require.NoError(t, err)
	rows := regexp.MustCompile(`(?m)^//\t(DOC\d{3})\s+(\w+)\s+(.+)$`).FindAllStringSubmatch(string(src), -1)
	cs := doctor.Codes()
	require.Len(t, rows, len(cs))
	for i, row := range rows {
		assert.Equal(t, cs[i].ID, row[1])
		assert.Equal(t, string(cs[i].Severity), row[2], row[1])
	}
}
