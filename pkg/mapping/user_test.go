package mapping

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// loadClaims reads an ID token claim set from testdata/claims.
func loadClaims(t testing.TB, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "claims", name))
	require.NoError(t, err)
	doc, err := ParseJSON(b)
	require.NoError(t, err)
	return doc.(map[string]any)
}

func mapOne(t *testing.T, in Input) *User {
	t.Helper()
	u, err := Map(in)
	require.NoError(t, err)
	return u
}

func codes(ws []Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.Code)
	}
	return out
}

// values is the part of a user the preset tests compare.
type values struct {
	ID, Username, Email, Nickname, Phone, Description string
}

func valuesOf(u *User) values {
	return values{u.ID, u.Username, u.Email, u.Nickname, u.Phone, u.Description}
}

func TestMapPresets(t *testing.T) {
	tests := []struct {
		typ, sample string
		want        values
		sources     map[string]string // field -> path, all from userinfo
	}{
		{"github", "github.json", values{"58121947", "mona-ops", "", "Mona Ops", "", "Keeps the lights on."},
			map[string]string{"id": "$.id", "username": "$.login", "nickname": "$.name", "description": "$.bio"}},
		{"lark", "lark.json", values{"on_7e6d5c4b3a291807f6e5d4c3b2a19080", "李娜", "lina@example.cn", "Li Na", "+8613900000000", ""},
			map[string]string{"id": "$.data.union_id", "username": "$.data.name", "email": "$.data.email", "nickname": "$.data.en_name", "phone": "$.data.mobile"}},
		{"google", "google.json", values{"110248495921238986420", "Rui Costa", "rui.costa@example.com", "Rui", "", ""},
			map[string]string{"id": "$.sub", "username": "$.name", "email": "$.email", "emailVerified": "$.email_verified", "nickname": "$.given_name"}},
		{"microsoft", "microsoft.json", values{"Kq3vBxZpT1e8YbXw0kR2mN5sL7uC9dF4gH6jA0zQwEr", "Ana Pereira", "ana.pereira@contoso.example", "Ana", "", ""},
			map[string]string{"id": "$.sub", "username": "$.name", "email": "$.email", "nickname": "$.given_name"}},
		{"dingtalk", "dingtalk.json", values{"p3ZiPexampleUnionId5678iEiE", "张伟", "zhangwei@example.cn", "", "13800000000", ""},
			map[string]string{"id": "$.unionId", "username": "$.nick", "email": "$.email", "phone": "$.mobile"}},
		{"casdoor", "casdoor.json", values{"0e5f1d7a-3c2b-4e8f-9a61-7b2d4c8e9f10", "alice", "alice@example.com", "Alice Martins", "912345678", ""},
			map[string]string{"id": "$.sub", "username": "$.preferred_username", "email": "$.email", "emailVerified": "$.email_verified", "nickname": "$.name", "phone": "$.phone"}},
		{"oidc", "authentik.json", values{"9d1e5c0b7a4f3e2d8c6b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", "jorge", "jorge@example.com", "Jorge Silva", "", ""},
			map[string]string{"id": "$.sub", "username": "$.preferred_username", "email": "$.email", "emailVerified": "$.email_verified", "nickname": "$.name"}},
		{"oidc", "keycloak.json", values{"3b241101-e2bb-4255-8caf-4136c566a962", "marta", "marta@example.com", "Marta Sousa", "", ""},
			map[string]string{"id": "$.sub", "username": "$.preferred_username", "email": "$.email", "emailVerified": "$.email_verified", "nickname": "$.name"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.sample, func(t *testing.T) {
			u := mapOne(t, Input{Options: Options{Provider: config.Provider{Name: "p", Type: tt.typ}}, Document: Document{Userinfo: load(t, tt.sample)}})
			assert.Equal(t, tt.want, valuesOf(u))
			assert.Equal(t, config.AppGeneric, u.App)
			assert.Equal(t, tt.typ, u.MappingType)
			got := map[string]string{}
			for _, s := range u.Sources {
				assert.Equal(t, FromUserinfo, s.From, s.Field)
				got[s.Field] = s.Path
			}
			assert.Equal(t, tt.sources, got)
			assert.True(t, u.OK, "errors: %v", u.Errors)
			// Every rule of the preset is reported with the document it ran against.
			preset, _ := Preset(tt.typ)
			assert.Len(t, u.Rules, len(preset))
			for _, r := range u.Rules {
				assert.Equal(t, FromUserinfo, r.Document)
				assert.Equal(t, preset[r.Field], r.Expr)
			}
		})
	}
}

func TestMapGenericReadsIDTokenWithoutUserinfo(t *testing.T) {
	u := mapOne(t, Input{Options: Options{Provider: config.Provider{Name: "g", Type: "google"}}, Document: Document{Claims: loadClaims(t, "google.json")}})
	assert.Equal(t, "Rui Costa", u.Username)
	assert.Equal(t, Source{From: FromIDToken, Path: "$.name"}, sourceOf(u, "username"))
	for _, r := range u.Rules {
		assert.Equal(t, FromIDToken, r.Document)
	}
}

func TestMapAList(t *testing.T) {
	casdoorAnyi := map[string]any{"sub": "dc188911", "preferred_username": "anyi", "name": "An Yi"}
	tests := []struct {
		name      string
		typ       string
		from      string // username.from
		doc       Document
		existing  NameSet
		wantID    string
		wantUser  string
		wantSrc   Source
		wantErr   []string
		wantWarns []string // codes that must be among the warnings
	}{
		{name: "casdoor anyi is renamed anyi_<id> on conflict", typ: "casdoor", doc: Document{Userinfo: casdoorAnyi},
			existing: NameSet{"anyi": {}}, wantID: "dc188911", wantUser: "anyi_dc188911",
			wantSrc: Source{FromUserinfo, "$.preferred_username"}, wantWarns: []string{WarnConflict}},
		{name: "github id and login", typ: "github", doc: Document{Userinfo: load(t, "github.json")},
			wantID: "58121947", wantUser: "mona-ops", wantSrc: Source{FromUserinfo, "$.login"}},
		{name: "github login taken", typ: "github", doc: Document{Userinfo: load(t, "github.json")}, existing: NameSet{"mona-ops": {}},
			wantID: "58121947", wantUser: "mona-ops_58121947", wantSrc: Source{FromUserinfo, "$.login"}, wantWarns: []string{WarnConflict}},
		{name: "github id 0 fails", typ: "github", doc: Document{Userinfo: map[string]any{"id": int64(0), "login": "zero"}},
			wantID: "0", wantUser: "zero", wantSrc: Source{FromUserinfo, "$.login"}, wantErr: []string{ErrInvalidID}},
		{name: "github without id fails", typ: "github", doc: Document{Userinfo: map[string]any{"login": "noid"}},
			wantUser: "noid", wantSrc: Source{FromUserinfo, "$.login"}, wantErr: []string{ErrInvalidID}},
		{name: "microsoft takes displayName from Graph /me", typ: "microsoft", doc: Document{Userinfo: load(t, "microsoft-graph-me.json")},
			wantID: "6f1c2e3a-94b7-4d0e-8a35-2c7d9e1f0b48", wantUser: "Ana Pereira", wantSrc: Source{FromUserinfo, "$.displayName"}, wantWarns: []string{WarnFragileUsername}},
		// AList stops at the first check: no id answers "error occurred" before the username is read.
		{name: "microsoft OpenID userinfo has no Graph id", typ: "microsoft", doc: Document{Userinfo: load(t, "microsoft.json")},
			wantErr: []string{ErrInvalidID}},
		{name: "google legacy v1 id and name", typ: "google", doc: Document{Userinfo: load(t, "google-oauth2-v1.json")},
			wantID: "110248495921238986420", wantUser: "Rui Costa", wantSrc: Source{FromUserinfo, "$.name"}},
		{name: "google OpenID userinfo: sub stands in for id", typ: "google", doc: Document{Userinfo: load(t, "google.json")},
			wantID: "110248495921238986420", wantUser: "Rui Costa", wantSrc: Source{FromUserinfo, "$.name"}, wantWarns: []string{WarnStandIn}},
		{name: "dingtalk unionId and nick", typ: "dingtalk", doc: Document{Userinfo: load(t, "dingtalk.json")},
			wantID: "p3ZiPexampleUnionId5678iEiE", wantUser: "张伟", wantSrc: Source{FromUserinfo, "$.nick"}},
		{name: "oidc reads the ID token, never userinfo", typ: "oidc",
			doc:    Document{Claims: loadClaims(t, "authentik.json"), Userinfo: map[string]any{"preferred_username": "from-userinfo"}},
			wantID: "jorge", wantUser: "jorge", wantSrc: Source{FromIDToken, "$.preferred_username"}},
		{name: "oidc same claim as id on conflict: jorge_jorge", typ: "oidc", doc: Document{Claims: loadClaims(t, "authentik.json")}, existing: NameSet{"jorge": {}},
			wantID: "jorge", wantUser: "jorge_jorge", wantSrc: Source{FromIDToken, "$.preferred_username"}, wantWarns: []string{WarnConflict}},
		{name: "oidc name claim is fragile", typ: "oidc", from: "name_claim", doc: Document{Claims: loadClaims(t, "authentik.json")},
			wantID: "Jorge Silva", wantUser: "Jorge Silva", wantSrc: Source{FromIDToken, "$.name"}, wantWarns: []string{WarnFragileID}},
		{name: "oidc userinfo stands in for missing claims", typ: "oidc", doc: Document{Userinfo: load(t, "keycloak.json")},
			wantID: "marta", wantUser: "marta", wantSrc: Source{FromIDToken, "$.preferred_username"}, wantWarns: []string{WarnStandIn}},
		{name: "oidc claim missing from the ID token", typ: "oidc", doc: Document{Claims: map[string]any{"sub": "x"}},
			wantErr: []string{ErrMissingRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: "a", Type: tt.typ, Registration: &config.Registration{Enabled: true}}
			if tt.from == "name_claim" {
				p.Mapping = &config.Mapping{Username: &config.Username{From: "name"}, Rules: map[string]string{"name": "$.name"}}
			}
			var existing Names
			if tt.existing != nil {
				existing = tt.existing
			}
			u := mapOne(t, Input{Options: Options{Provider: p, App: "alist"}, Document: tt.doc, Existing: existing})
			assert.Equal(t, tt.wantID, u.ID)
			assert.Equal(t, tt.wantUser, u.Username)
			if tt.wantUser != "" {
				assert.Equal(t, tt.wantSrc, sourceOf(u, "username"))
			}
			if tt.wantErr == nil {
				tt.wantErr = []string{}
			}
			assert.Equal(t, tt.wantErr, codes(u.Errors))
			assert.Equal(t, len(tt.wantErr) == 0, u.OK)
			for _, w := range tt.wantWarns {
				assert.Contains(t, codes(u.Warnings), w)
			}
			assert.Equal(t, "alist", u.App)
		})
	}
}

func TestMapAListUnsupported(t *testing.T) {
	for _, typ := range []string{"lark", "oauth2"} {
		t.Run(typ, func(t *testing.T) {
			rules := map[string]string{"name": "$.n", "email": "$.e"}
			_, err := NewMapper(Options{Provider: config.Provider{Name: "x", Type: typ, Mapping: &config.Mapping{Rules: rules}}, App: "alist"})
			var ae *AppError
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, err.Error(), "AList has no "+typ+" platform")
			assert.NotEmpty(t, ae.Hint())
		})
	}
}

func TestMapAListIgnoresDomainsAndWarns(t *testing.T) {
	p := config.Provider{Name: "gh", Type: "github", Registration: &config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}, DefaultDir: "/home"}}
	u := mapOne(t, Input{Options: Options{Provider: p, App: "alist"}, Document: Document{Userinfo: map[string]any{"id": int64(7), "login": "eve", "email": "eve@evil-example.com"}}})
	assert.True(t, u.Registration.Allowed, "AList registers every domain")
	assert.Equal(t, "/home", u.Registration.DefaultDir)
	assert.Contains(t, codes(u.Warnings), WarnNotUsed)
}

func TestMapPhotoPrism(t *testing.T) {
	tests := []struct {
		name     string
		from     string
		userinfo map[string]any
		existing NameSet
		want     *regexp.Regexp
		wantFrom string
		wantErr  []string
	}{
		{name: "Jens Mander becomes jens.mander", from: "name",
			userinfo: map[string]any{"sub": "s1", "name": "Jens Mander"}, want: regexp.MustCompile(`^jens\.mander$`), wantFrom: "name"},
		{name: "taken: six random digits appended", from: "name",
			userinfo: map[string]any{"sub": "s1", "name": "Jens Mander"}, existing: NameSet{"jens.mander": {}},
			want: regexp.MustCompile(`^jens\.mander[0-9]{6}$`), wantFrom: "name"},
		{name: "preferred_username by default", userinfo: map[string]any{"sub": "s1", "preferred_username": "Jens", "name": "Jens Mander"},
			want: regexp.MustCompile(`^jens$`), wantFrom: "preferred_username"},
		{name: "falls back to name when preferred_username is missing", userinfo: map[string]any{"sub": "s1", "name": "Jens Mander"},
			want: regexp.MustCompile(`^jens\.mander$`), wantFrom: "name"},
		{name: "email claim: the verified address itself", from: "email",
			userinfo: map[string]any{"sub": "s1", "email": "Jens@Example.com", "email_verified": true, "preferred_username": "jm"},
			want:     regexp.MustCompile(`^jens@example\.com$`), wantFrom: "email"},
		{name: "email claim unverified: falls back", from: "email",
			userinfo: map[string]any{"sub": "s1", "email": "jens@example.com", "email_verified": false, "preferred_username": "jm"},
			want:     regexp.MustCompile(`^jm$`), wantFrom: "preferred_username"},
		{name: "DOMAIN\\user keeps the user", userinfo: map[string]any{"sub": "s1", "preferred_username": `CORP\jens`},
			want: regexp.MustCompile(`^jens$`), wantFrom: "preferred_username"},
		{name: "no usable claim refuses", userinfo: map[string]any{"sub": "s1", "email": "x@example.com"},
			want: regexp.MustCompile(`^$`), wantFrom: "preferred_username", wantErr: []string{ErrMissingRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: "pp", Type: "oidc", Registration: &config.Registration{Enabled: true}}
			if tt.from != "" {
				p.Mapping = &config.Mapping{Username: &config.Username{From: tt.from}}
			}
			var existing Names
			if tt.existing != nil {
				existing = tt.existing
			}
			in := Input{Options: Options{Provider: p, App: "photoprism"}, Document: Document{Userinfo: tt.userinfo}, Existing: existing, Seed: 42}
			u := mapOne(t, in)
			assert.Regexp(t, tt.want, u.Username)
			assert.Equal(t, tt.wantFrom, u.UsernameInfo.From)
			if tt.wantErr == nil {
				tt.wantErr = []string{}
			}
			assert.Equal(t, tt.wantErr, codes(u.Errors))
			again := mapOne(t, in)
			assert.Equal(t, u.Username, again.Username, "the same seed gives the same digits")
		})
	}
}

// TestMapPhotoPrismUnverifiedEmail: PhotoPrism keeps an unverified email (entity.OidcUser copies it) but
// never makes it the username; e2e/clientlibs proves the stored email with zitadel rp.
func TestMapPhotoPrismUnverifiedEmail(t *testing.T) {
	p := config.Provider{Name: "pp", Type: "oidc"}
	u := mapOne(t, Input{Options: Options{Provider: p, App: "photoprism"}, Document: Document{Userinfo: load(t, "authentik.json")}})
	require.NotNil(t, u.EmailVerified)
	assert.False(t, *u.EmailVerified)
	assert.NotEmpty(t, u.Email, "stored although email_verified is false")
	assert.Contains(t, codes(u.Warnings), WarnUnverifiedEmail)
	u = mapOne(t, Input{Options: Options{Provider: p, App: "photoprism"}, Document: Document{Userinfo: map[string]any{"sub": "1", "email": "bob@example.org", "email_verified": false}}})
	assert.Equal(t, "bob@example.org", u.Email)
	assert.Equal(t, "", u.Username, "an unverified email is never the username")
	u = mapOne(t, Input{Options: Options{Provider: p, App: "photoprism"}, Document: Document{Userinfo: load(t, "keycloak.json")}})
	assert.Equal(t, "marta@example.com", u.Email)
}

func TestMapPhotoPrismNeedsOIDC(t *testing.T) {
	_, err := NewMapper(Options{Provider: config.Provider{Name: "gh", Type: "github"}, App: "photoprism"})
	var ae *AppError
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, err.Error(), "OpenID Connect only")
}

func TestMapInvenTreeGroups(t *testing.T) {
	groups := &config.Groups{Claim: "groups", Map: map[string]string{"/inventree/admins": "admin", "/inventree/readers": "reader", "/inventree/ops": "ops"}, RemoveUnmapped: true}
	p := config.Provider{Name: "kc", Type: "oidc", Groups: groups}
	tests := []struct {
		name     string
		doc      Document
		want     Groups
		warnings []string
	}{
		{name: "userinfo groups are mapped",
			doc: Document{Userinfo: load(t, "keycloak.json"), Claims: loadClaims(t, "keycloak.json")},
			want: Groups{Claim: "groups", Source: &Source{FromUserinfo, "$.groups"}, IdP: []string{"/inventree/admins", "/inventree/readers"},
				App: []string{"admin", "reader"}, Unmapped: []string{}, Removed: []string{"ops"}}},
		{name: "groups only in the ID token are not read",
			doc:      Document{Userinfo: map[string]any{"sub": "3b24", "preferred_username": "marta", "email": "marta@example.com"}, Claims: loadClaims(t, "keycloak.json")},
			want:     Groups{Claim: "groups", IdP: []string{}, App: []string{}, Unmapped: []string{}, Removed: []string{"admin", "ops", "reader"}},
			warnings: []string{WarnGroups}},
		{name: "a string is read character by character",
			doc:      Document{Userinfo: map[string]any{"sub": "1", "preferred_username": "m", "email": "m@example.com", "groups": "ab"}},
			want:     Groups{Claim: "groups", Source: &Source{FromUserinfo, "$.groups"}, IdP: []string{"a", "b"}, App: []string{}, Unmapped: []string{"a", "b"}, Removed: []string{"admin", "ops", "reader"}},
			warnings: []string{WarnGroups}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := mapOne(t, Input{Options: Options{Provider: p, App: "inventree"}, Document: tt.doc})
			if diff := cmp.Diff(tt.want, u.Groups); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
			for _, w := range tt.warnings {
				assert.Contains(t, codes(u.Warnings), w)
			}
		})
	}
}

func TestMapGroupsGeneric(t *testing.T) {
	tests := []struct {
		name   string
		groups *config.Groups
		doc    Document
		want   Groups
	}{
		{name: "array mapped, unmapped reported, others removed",
			groups: &config.Groups{Claim: "groups", Map: map[string]string{"alist-users": "users", "ops": "operators"}, RemoveUnmapped: true},
			doc:    Document{Userinfo: load(t, "authentik.json")},
			want: Groups{Claim: "groups", Source: &Source{FromUserinfo, "$.groups"}, IdP: []string{"authentik Admins", "alist-users"},
				App: []string{"users"}, Unmapped: []string{"authentik Admins"}, Removed: []string{"operators"}}},
		{name: "space and comma separated string",
			groups: &config.Groups{Claim: "roles", Map: map[string]string{"a": "A", "b": "B"}},
			doc:    Document{Userinfo: map[string]any{"roles": "a, b  c"}},
			want: Groups{Claim: "roles", Source: &Source{FromUserinfo, "$.roles"}, IdP: []string{"a", "b", "c"},
				App: []string{"A", "B"}, Unmapped: []string{"c"}}},
		{name: "without a map the groups pass through",
			groups: &config.Groups{Claim: "groups"},
			doc:    Document{Userinfo: map[string]any{"groups": []any{"x", "y", "x"}}},
			want:   Groups{Claim: "groups", Source: &Source{FromUserinfo, "$.groups"}, IdP: []string{"x", "y", "x"}, App: []string{"x", "y"}, Unmapped: []string{}}},
		{name: "from the ID token when userinfo lacks them",
			groups: &config.Groups{Claim: "groups", Map: map[string]string{"alist-users": "users"}},
			doc:    Document{Userinfo: map[string]any{"sub": "1"}, Claims: loadClaims(t, "authentik.json")},
			want: Groups{Claim: "groups", Source: &Source{FromIDToken, "$.groups"}, IdP: []string{"authentik Admins", "alist-users"},
				App: []string{"users"}, Unmapped: []string{"authentik Admins"}}},
		{name: "a claim name that needs brackets",
			groups: &config.Groups{Claim: "https://example.com/groups"},
			doc:    Document{Userinfo: map[string]any{"https://example.com/groups": []any{"g"}}},
			want:   Groups{Claim: "https://example.com/groups", Source: &Source{FromUserinfo, "$['https://example.com/groups']"}, IdP: []string{"g"}, App: []string{"g"}, Unmapped: []string{}}},
		{name: "a JSONPath claim",
			groups: &config.Groups{Claim: "$.realm_access.roles"},
			doc:    Document{Userinfo: map[string]any{"realm_access": map[string]any{"roles": []any{"admin"}}}},
			want:   Groups{Claim: "$.realm_access.roles", Source: &Source{FromUserinfo, "$.realm_access.roles"}, IdP: []string{"admin"}, App: []string{"admin"}, Unmapped: []string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: "o", Type: "oidc", Groups: tt.groups}
			u := mapOne(t, Input{Options: Options{Provider: p}, Document: tt.doc})
			if diff := cmp.Diff(tt.want, u.Groups); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHandle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jens Mander", "jens.mander"},
		{"jens@example.com", "jens"},
		{"  Mona_Ops-2 ", "mona_ops-2"},
		{"Ana María", "ana.mara"},
		{"张伟", ""},
		{"a\tb", "a.b"},
		{"first.last", "first.last"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, Handle(tt.in))
		})
	}
}

func TestMapUsernameDerivation(t *testing.T) {
	tests := []struct {
		name     string
		username config.Username
		userinfo map[string]any
		existing NameSet
		want     string
		wantErr  []string
		conflict *Conflict
	}{
		{name: "handle of the mapped name", username: config.Username{Normalize: "handle"},
			userinfo: map[string]any{"sub": "1", "preferred_username": "Jens Mander", "email": "j@example.com"}, want: "jens.mander"},
		{name: "from a claim", username: config.Username{From: "email", Normalize: "handle"},
			userinfo: map[string]any{"sub": "1", "preferred_username": "x", "email": "jens@example.com"}, want: "jens"},
		{name: "from a claim that is not a field", username: config.Username{From: "nickname_claim"},
			userinfo: map[string]any{"sub": "1", "preferred_username": "x", "nickname_claim": "nick"}, want: "nick"},
		{name: "suffix-id", username: config.Username{OnConflict: "suffix-id"}, existing: NameSet{"x": {}},
			userinfo: map[string]any{"sub": "42", "preferred_username": "x"}, want: "x_42",
			conflict: &Conflict{Taken: "x", With: "existing", Policy: "suffix-id", Resolved: true}},
		{name: "suffix-id whose result is taken too", username: config.Username{OnConflict: "suffix-id"}, existing: NameSet{"x": {}, "x_42": {}},
			userinfo: map[string]any{"sub": "42", "preferred_username": "x"}, want: "x", wantErr: []string{ErrUsernameTaken},
			conflict: &Conflict{Taken: "x", With: "existing", Policy: "suffix-id"}},
		{name: "suffix-id without an id", username: config.Username{OnConflict: "suffix-id"}, existing: NameSet{"x": {}},
			userinfo: map[string]any{"preferred_username": "x"}, want: "x", wantErr: []string{ErrUsernameTaken},
			conflict: &Conflict{Taken: "x", With: "existing", Policy: "suffix-id"}},
		{name: "fail", username: config.Username{OnConflict: "fail"}, existing: NameSet{"x": {}},
			userinfo: map[string]any{"sub": "1", "preferred_username": "x"}, want: "x", wantErr: []string{ErrUsernameTaken},
			conflict: &Conflict{Taken: "x", With: "existing", Policy: "fail"}},
		{name: "empty handle names the rule", username: config.Username{Normalize: "handle"},
			userinfo: map[string]any{"sub": "1", "preferred_username": "张伟"}, want: "", wantErr: []string{ErrMissingRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			un := tt.username
			p := config.Provider{Name: "o", Type: "oidc", Mapping: &config.Mapping{Username: &un}, Registration: &config.Registration{Enabled: true}}
			var existing Names
			if tt.existing != nil {
				existing = tt.existing
			}
			u := mapOne(t, Input{Options: Options{Provider: p}, Document: Document{Userinfo: tt.userinfo}, Existing: existing})
			assert.Equal(t, tt.want, u.Username)
			if tt.wantErr == nil {
				tt.wantErr = []string{}
			}
			assert.Equal(t, tt.wantErr, codes(u.Errors))
			assert.Equal(t, tt.conflict, u.UsernameInfo.Conflict)
			if slices.Contains(tt.wantErr, ErrUsernameTaken) {
				assert.False(t, u.Registration.Allowed)
				assert.Equal(t, RegUsernameTaken, u.Registration.Code)
			}
		})
	}
}

func TestMapEmptyRequiredNamesTheRule(t *testing.T) {
	p := config.Provider{Name: "c", Type: "oauth2", Mapping: &config.Mapping{Type: "custom", Rules: map[string]string{"name": "$.user.login", "email": "$.mail"}}}
	u := mapOne(t, Input{Options: Options{Provider: p}, Document: Document{Userinfo: map[string]any{"user": map[string]any{"login": "x"}, "mail": nil}}})
	require.Len(t, u.Errors, 1)
	assert.Equal(t, Problem{Code: ErrMissingRequired, Field: "email", Message: "required field email is empty: rule email ($.mail) selected null"}, u.Errors[0])
	u = mapOne(t, Input{Options: Options{Provider: p}, Document: Document{Userinfo: map[string]any{"mail": "a@b.c"}}})
	require.Len(t, u.Errors, 1)
	assert.Equal(t, "required field username is empty: rule name ($.user.login) matched nothing", u.Errors[0].Message)
	assert.False(t, u.OK)
}

func TestMapCustomNeedsNameAndEmail(t *testing.T) {
	_, err := NewMapper(Options{Provider: config.Provider{Name: "c", Type: "oauth2"}, Rules: Rules{"name": "$.n"}})
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "email", fe.Field)
	_, err = NewMapper(Options{Provider: config.Provider{Name: "c", Type: "github"}, Rules: Rules{"email": "$.emails[?(@.primary"}})
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "email", se.Field)
}

func TestMapAmbiguousRuleWarns(t *testing.T) {
	p := config.Provider{Name: "gh", Type: "github"}
	u := mapOne(t, Input{Options: Options{Provider: p, Rules: Rules{"email": "$[*].email", "name": "$[0].email", "id": "$[0].email"}}, Document: Document{Userinfo: load(t, "github-emails.json")}})
	assert.Equal(t, "mona@example.com", u.Email)
	assert.Contains(t, codes(u.Warnings), WarnAmbiguous)
	for _, r := range u.Rules {
		if r.Field == "email" {
			assert.Len(t, r.Nodes, 3)
			assert.True(t, r.Ambiguous)
		}
	}
}

func TestMapUnverifiedEmailWarns(t *testing.T) {
	u := mapOne(t, Input{Options: Options{Provider: config.Provider{Name: "a", Type: "oidc"}}, Document: Document{Userinfo: load(t, "authentik.json")}})
	require.NotNil(t, u.EmailVerified)
	assert.False(t, *u.EmailVerified)
	assert.Contains(t, codes(u.Warnings), WarnUnverifiedEmail)
	// Cognito sends the flag as a string.
	u = mapOne(t, Input{Options: Options{Provider: config.Provider{Name: "a", Type: "oidc"}}, Document: Document{Userinfo: map[string]any{"sub": "1", "preferred_username": "u", "email": "u@x.y", "email_verified": "false"}}})
	assert.Contains(t, codes(u.Warnings), WarnUnverifiedEmail)
}

func TestMapFragileIDWarns(t *testing.T) {
	u := mapOne(t, Input{Options: Options{Provider: config.Provider{Name: "a", Type: "oidc"}, Rules: Rules{"id": "$.name"}}, Document: Document{Userinfo: load(t, "authentik.json")}})
	assert.Contains(t, codes(u.Warnings), WarnFragileID)
}

func TestRegistration(t *testing.T) {
	tests := []struct {
		name    string
		app     string
		reg     config.Registration
		email   string
		want    bool
		code    string
		warning string
	}{
		{"disabled", "", config.Registration{}, "a@example.com", false, RegDisabled, ""},
		{"open", "", config.Registration{Enabled: true}, "a@anything.org", true, RegAllowed, ""},
		{"allowed domain", "", config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}, "a@example.com", true, RegAllowed, ""},
		{"case does not matter", "", config.Registration{Enabled: true, AllowedDomains: []string{"Example.COM"}}, "a@EXAMPLE.com", true, RegAllowed, ""},
		{"look-alike refused", "", config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}, "eve@evil-example.com", false, RegDomainNotAllowed, ""},
		{"subdomain refused", "", config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}, "eve@mail.example.com", false, RegDomainNotAllowed, ""},
		{"suffix trick refused", "", config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}, "eve@example.com.evil.org", false, RegDomainNotAllowed, ""},
		{"last @ counts", "", config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}, "a@example.com@evil.org", false, RegDomainNotAllowed, ""},
		{"inventree @ entries", "inventree", config.Registration{Enabled: true, AllowedDomains: []string{"@example.com"}}, "a@example.com", true, RegAllowed, ""},
		{"inventree compares case", "inventree", config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}, "a@Example.com", false, RegDomainNotAllowed, WarnDomainCase},
		{"no email", "", config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}}, "", false, RegNoEmail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := tt.reg
			p := config.Provider{Name: "o", Type: "oidc", Registration: &reg}
			doc := map[string]any{"sub": "1", "preferred_username": "u"}
			if tt.email != "" {
				doc["email"] = tt.email
			}
			u := mapOne(t, Input{Options: Options{Provider: p, App: tt.app}, Document: Document{Userinfo: doc}})
			assert.Equal(t, tt.want, u.Registration.Allowed, u.Registration.Reason)
			assert.Equal(t, tt.code, u.Registration.Code)
			assert.Equal(t, "/", u.Registration.DefaultDir)
			if tt.warning != "" {
				assert.Contains(t, codes(u.Warnings), tt.warning)
			}
		})
	}
}

func TestMapPermission(t *testing.T) {
	sum := int64(152)
	tests := []struct {
		name      string
		perm      config.Permission
		wantSum   int64
		wantNames []string
	}{
		{"names", config.Permission{Items: []string{"webdav-read", "webdav-manage"}}, 768, []string{"webdav-read", "webdav-manage"}},
		{"sum", config.Permission{Sum: &sum}, 152, []string{"write", "rename", "delete"}},
		{"none", config.Permission{}, 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: "o", Type: "oidc", Registration: &config.Registration{Enabled: true, DefaultPermission: tt.perm}}
			u := mapOne(t, Input{Options: Options{Provider: p}, Document: Document{Userinfo: load(t, "keycloak.json")}})
			assert.Equal(t, Permission{Scheme: "alist", Sum: tt.wantSum, Names: tt.wantNames}, u.Permission)
		})
	}
	_, err := NewMapper(Options{Provider: config.Provider{Name: "o", Type: "oidc", Registration: &config.Registration{DefaultPermission: config.Permission{Items: []string{"webdav-reed"}}}}})
	var ue *perm.UnknownNameError
	require.ErrorAs(t, err, &ue)
}

func TestMapJSONNumberClaims(t *testing.T) {
	claims := map[string]any{"id": json.Number("58121947"), "login": "mona", "score": json.Number("1.5")}
	u := mapOne(t, Input{Options: Options{Provider: config.Provider{Name: "g", Type: "github"}}, Document: Document{Userinfo: claims}})
	assert.Equal(t, "58121947", u.ID)
	assert.IsType(t, json.Number(""), claims["id"], "the caller's document is not changed")
}

func TestConflictsWithinInput(t *testing.T) {
	m, err := NewMapper(Options{Provider: config.Provider{Name: "o", Type: "oidc"}})
	require.NoError(t, err)
	c := NewConflicts(nil, NameSet{}, 0)
	var got []string
	for _, d := range []map[string]any{
		{"sub": "1", "preferred_username": "anyi"},
		{"sub": "2", "preferred_username": "anyi"},
		{"sub": "3", "preferred_username": "anyi_2"},
	} {
		u := m.Map(Document{Userinfo: d})
		m.Resolve(u, c)
		got = append(got, u.Username)
	}
	assert.Equal(t, []string{"anyi", "anyi_2", "anyi_2_3"}, got)
}

func TestUserJSONFields(t *testing.T) {
	u := mapOne(t, Input{Options: Options{Provider: config.Provider{Name: "gh", Type: "github"}}, Document: Document{Userinfo: load(t, "github.json")}})
	b, err := json.Marshal(u)
	require.NoError(t, err)
	dec := json.NewDecoder(bytesReader(b))
	keys := topLevelKeys(t, dec)
	assert.Equal(t, UserFields, keys)
	// Bulk lines start with the line number and keep what differs between users.
	line := u.AppendLine(nil, 7)
	assert.Equal(t, LineFields, topLevelKeys(t, json.NewDecoder(bytesReader(line))))
	var lineDoc struct {
		Groups       map[string]any `json:"groups"`
		Registration map[string]any `json:"registration"`
		Derivation   map[string]any `json:"usernameDerivation"`
	}
	require.NoError(t, json.Unmarshal(line, &lineDoc))
	assert.ElementsMatch(t, []string{"idp", "app", "unmapped", "removed"}, mapKeys(lineDoc.Groups))
	assert.ElementsMatch(t, []string{"allowed", "code", "domain"}, mapKeys(lineDoc.Registration))
	assert.ElementsMatch(t, []string{"raw", "base", "conflict"}, mapKeys(lineDoc.Derivation))
	// Nested objects have stable names too.
	var nested struct {
		Groups       map[string]any `json:"groups"`
		Permission   map[string]any `json:"permission"`
		Registration map[string]any `json:"registration"`
		Derivation   map[string]any `json:"usernameDerivation"`
	}
	require.NoError(t, json.Unmarshal(b, &nested))
	assert.ElementsMatch(t, []string{"claim", "source", "idp", "app", "unmapped", "removed"}, mapKeys(nested.Groups))
	assert.ElementsMatch(t, []string{"scheme", "sum", "names"}, mapKeys(nested.Permission))
	assert.ElementsMatch(t, []string{"allowed", "code", "reason", "domain", "defaultDir"}, mapKeys(nested.Registration))
	assert.ElementsMatch(t, []string{"from", "raw", "normalize", "base", "onConflict", "conflict"}, mapKeys(nested.Derivation))
}

func mapKeys(m map[string]any) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	return out
}

func topLevelKeys(t *testing.T, dec *json.Decoder) []string {
	t.Helper()
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " back \ slash`, "ctl \x00\x01\x1f \b\f\n\r\t", "<&>", "ü 张伟 😀", "bad \xff\xfe utf8", "\u2028\u2029"} {
		var buf []byte
		buf = appendString(buf, s)
		want := appendAny(nil, s)
		assert.Equal(t, string(want), string(buf), "%q", s)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func sourceOf(u *User, field string) Source {
	s, _ := u.Sources.Get(field)
	return s
}

// TestMapAListDifferences pins the four differences issue 12 found between ssoctl's prediction and
// the real AList v3.63.0, and OpenList's model, against pkg/app's facts.
func TestMapAListDifferences(t *testing.T) {
	claims := map[string]any{"sub": "u-1", "preferred_username": "alice", "name": "Alice Doe"}
	tests := []struct {
		name     string
		kind     string
		version  string
		from     string
		rules    map[string]string
		enabled  bool
		accounts [][2]string // username, sso_id
		want     Login
		wantUser string
		wantErr  []string
	}{
		{name: "1: username.from $.name is read literally and refused", kind: "alist", from: "$.name", enabled: true,
			want:    Login{Outcome: LoginRefused, Message: "cannot get username from OIDC provider"},
			wantErr: []string{ErrMissingRequired}},
		{name: "1: username.from name (a claim written plainly) works", kind: "alist", rules: map[string]string{"name": "$.name"}, enabled: true,
			want: Login{Outcome: LoginRegistered, Username: "Alice Doe"}, wantUser: "Alice Doe"},
		{name: "2: a returning user signs in as the bound account", kind: "alist", enabled: true,
			accounts: [][2]string{{"alice", "alice"}},
			want:     Login{Outcome: LoginExisting, Username: "alice"}, wantUser: "alice"},
		{name: "2: a local user of that name without the SSO id: conflict suffix", kind: "alist", enabled: true,
			accounts: [][2]string{{"alice", ""}},
			want:     Login{Outcome: LoginRegistered, Username: "alice_alice"}, wantUser: "alice_alice"},
		{name: "3: auto-register off but bound: accepted", kind: "alist", enabled: false,
			accounts: [][2]string{{"al", "alice"}},
			want:     Login{Outcome: LoginExisting, Username: "al"}, wantUser: "al"},
		{name: "3: auto-register off and unbound: refused", kind: "alist", enabled: false,
			want:    Login{Outcome: LoginRefused, Message: "The single sign on platform is not bound to any users: record not found"},
			wantErr: []string{ErrNotBound}, wantUser: "alice"},
		{name: "OpenList refuses a taken username: its SQLite driver's wording escapes the rename", kind: "openlist", enabled: true,
			accounts: [][2]string{{"alice", ""}},
			want:     Login{Outcome: LoginRefused, Message: "constraint failed: UNIQUE constraint failed: x_users.username (2067)"},
			wantErr:  []string{ErrUsernameTaken}, wantUser: "alice"},
		{name: "OpenList has the same login order", kind: "openlist", enabled: false,
			accounts: [][2]string{{"al", "alice"}},
			want:     Login{Outcome: LoginExisting, Username: "al"}, wantUser: "al"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: "a", Type: "oidc", Registration: &config.Registration{Enabled: tt.enabled},
				Mapping: &config.Mapping{Rules: tt.rules}}
			if tt.from != "" {
				p.Mapping.Username = &config.Username{From: tt.from}
			}
			acc := NewAccountSet()
			for _, a := range tt.accounts {
				acc.AddAccount(a[0], a[1])
			}
			u := mapOne(t, Input{Options: Options{Provider: p, App: tt.kind, AppVersion: tt.version, Accounts: acc},
				Document: Document{Claims: claims}, Existing: acc})
			require.NotNil(t, u.Login)
			assert.Equal(t, tt.want.Outcome, u.Login.Outcome)
			assert.Equal(t, tt.want.Username, u.Login.Username)
			assert.Equal(t, tt.want.Message, u.Login.Message)
			assert.Equal(t, tt.wantUser, u.Username)
			if tt.wantErr == nil {
				tt.wantErr = []string{}
			}
			assert.Equal(t, tt.wantErr, codes(u.Errors))
			assert.Equal(t, tt.want.Outcome != LoginRefused, u.OK)
		})
	}
}

// TestMapAListRights pins difference 4: the rights a new SSO user gets per version.
func TestMapAListRights(t *testing.T) {
	tests := []struct {
		name, kind, version string
		roles               []string
		appRoles            []app.Role // map eval --roles
		model               string
		sum                 int64
		names               []string
		role                *RoleRef
		warn                bool // sso_default_permission is not read
	}{
		{name: "AList 3.45: the user's bits", kind: "alist", version: "3.45", model: "user-bits", sum: 152,
			names: []string{"write", "rename", "delete"}, role: &RoleRef{ID: 0, Name: "general"}},
		{name: "AList 3.46: no role at all", kind: "alist", version: "3.46", model: "roles", sum: 0, names: []string{}, warn: true},
		{name: "AList 3.63: guest, 0 on /", kind: "alist", version: "3.63", model: "roles", sum: 0, names: []string{},
			role: &RoleRef{ID: 1, Name: "guest"}, warn: true},
		// AList's admin API refuses admin (and guest) as default_role: the site's, guest, applies.
		{name: "AList 3.63 with roles [admin]", kind: "alist", roles: []string{"admin"}, model: "roles", sum: 0,
			role: &RoleRef{ID: 1, Name: "guest"}, warn: true},
		{name: "AList 3.63 with a role made in AList", kind: "alist", roles: []string{"editor"}, model: "roles", sum: -1,
			role: &RoleRef{ID: -1, Name: "editor"}, warn: true},
		{name: "AList 3.63 with a role made in AList and the app's role list", kind: "alist", roles: []string{"editor"},
			appRoles: []app.Role{{ID: 3, Name: "editor", Scopes: []app.Scope{{Path: "/", Permission: 8}}}},
			model:    "roles", sum: 8, names: []string{"write"}, role: &RoleRef{ID: 3, Name: "editor"}, warn: true},
		{name: "OpenList: role 0, the user's bits", kind: "openlist", model: "user-bits", sum: 152,
			names: []string{"write", "rename", "delete"}, role: &RoleRef{ID: 0, Name: "general"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := config.Provider{Name: "a", Type: "github", Roles: tt.roles,
				Registration: &config.Registration{Enabled: true, DefaultPermission: config.Permission{Sum: ptr(int64(152))}}}
			u := mapOne(t, Input{Options: Options{Provider: p, App: tt.kind, AppVersion: tt.version, AppRoles: tt.appRoles},
				Document: Document{Userinfo: load(t, "github.json")}})
			require.NotNil(t, u.Rights)
			assert.Equal(t, tt.model, u.Rights.Model)
			assert.Equal(t, tt.sum, u.Rights.Sum)
			if tt.names != nil {
				assert.Equal(t, tt.names, u.Rights.Names)
			}
			assert.Equal(t, tt.role, u.Rights.Role)
			assert.Equal(t, int64(152), u.Rights.Stored)
			found := false
			for _, w := range u.Warnings {
				if w.Field == "registration.default_permission" {
					found = true
				}
			}
			assert.Equal(t, tt.warn, found)
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestMapLobeChatBadVersion: a lobechat app.version that does not parse is refused with a hint
// that says what removing it means, LobeChat 1.x (pkg/app), not the newest supported (LobeHub 2.x).
func TestMapLobeChatBadVersion(t *testing.T) {
	_, err := NewMapper(Options{Provider: config.Provider{Name: "o", Type: "oidc"}, App: "lobechat", AppVersion: "one"})
	var ae *AppError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, `write app.version as major.minor, such as "1.85" or "2.2", or remove it for LobeChat 1.x (Auth.js)`, ae.Hint())
}
