package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func mustAList(t *testing.T, kind, version string) AList {
	t.Helper()
	a, ok := AListKind(kind, version)
	require.True(t, ok, "%s %s", kind, version)
	return a
}

// TestUsernameKey pins difference 1 of issue 12: a claim is written as given, so "$.name" reaches
// AList as a literal key; a field's one-claim rule gives that claim.
func TestUsernameKey(t *testing.T) {
	a := mustAList(t, config.AppAList, "")
	tests := []struct {
		name, from, rule string
		field            bool
		want             UsernameKey
	}{
		{name: "default field name with the oidc preset", from: "", field: true, rule: "$.preferred_username",
			want: UsernameKey{Key: "preferred_username", From: "name", Rule: "$.preferred_username"}},
		{name: "field name with rule $.name", from: "name", field: true, rule: "$.name",
			want: UsernameKey{Key: "name", From: "name", Rule: "$.name"}},
		{name: "field with a bracket rule", from: "email", field: true, rule: "$['email']",
			want: UsernameKey{Key: "email", From: "email", Rule: "$['email']"}},
		{name: "a claim", from: "sub",
			want: UsernameKey{Key: "sub", From: "sub"}},
		{name: "a claim written as a path stays literal", from: "$.name",
			want: UsernameKey{Key: "$.name", From: "$.name", PathLike: true, Meant: "name"}},
		{name: "a field without a rule falls back", from: "phone", field: true,
			want: UsernameKey{Key: "preferred_username", From: "phone", Fallback: true}},
		{name: "a rule of two claims falls back", from: "name", field: true, rule: "$.a.b",
			want: UsernameKey{Key: "preferred_username", From: "name", Rule: "$.a.b", Fallback: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, a.UsernameKey(tt.from, tt.field, tt.rule))
		})
	}
}

// TestLogin follows the app's order for each of issue 12's differences 2 and 3 and the refusals,
// with the exact messages of server/handles/ssologin.go.
func TestLogin(t *testing.T) {
	bound := map[string]string{"alice": "alice", "42": "bob"}
	boundFn := func(id string) (string, bool) { n, ok := bound[id]; return n, ok }
	taken := map[string]bool{"alice": true, "bob": true, "carol": true, "carol_carol": true}
	takenFn := func(n string) bool { return taken[n] }
	tests := []struct {
		name string
		in   LoginInput
		want LoginResult
	}{
		{name: "OIDC key finds nothing", in: LoginInput{Type: config.TypeOIDC, AutoRegister: true},
			want: LoginResult{Outcome: LoginRefused, Message: "cannot get username from OIDC provider", Step: "sso-id"}},
		{name: "difference 2: a returning user signs in as the bound account",
			in:   LoginInput{Type: config.TypeOIDC, SSOID: "alice", Username: "alice", Bound: boundFn, Taken: takenFn, AutoRegister: true},
			want: LoginResult{Outcome: LoginExisting, Username: "alice", Step: "bound"}},
		{name: "difference 3: bound and auto-register off is accepted",
			in:   LoginInput{Type: config.TypeGitHub, SSOID: "42", Username: "bobby", Bound: boundFn, AutoRegister: false},
			want: LoginResult{Outcome: LoginExisting, Username: "bob", Step: "bound"}},
		{name: "a disabled bound account signs in and is then refused",
			in:   LoginInput{Type: config.TypeGitHub, SSOID: "42", Bound: boundFn, Disabled: func(n string) bool { return n == "bob" }},
			want: LoginResult{Outcome: LoginExisting, Username: "bob", Step: "bound", Disabled: true, Message: "Current user is disabled, replace please"}},
		{name: "unbound and auto-register off is refused",
			in:   LoginInput{Type: config.TypeOIDC, SSOID: "dave", Username: "dave", Bound: boundFn},
			want: LoginResult{Outcome: LoginRefused, Message: "The single sign on platform is not bound to any users: record not found", Step: "auto-register"}},
		{name: "conflict with a local user gets the sso id appended",
			in:   LoginInput{Type: config.TypeOIDC, SSOID: "bob", Username: "bob", Bound: boundFn, Taken: takenFn, AutoRegister: true},
			want: LoginResult{Outcome: LoginRegistered, Username: "bob_bob", Renamed: true, Step: "conflict"}},
		{name: "the renamed username taken too",
			in:   LoginInput{Type: config.TypeOIDC, SSOID: "carol", Username: "carol", Taken: takenFn, AutoRegister: true},
			want: LoginResult{Outcome: LoginRefused, Message: "UNIQUE constraint failed: x_users.username", Step: "conflict"}},
		{name: "GitHub id 0", in: LoginInput{Type: config.TypeGitHub, SSOID: "0", Username: "x", AutoRegister: true},
			want: LoginResult{Outcome: LoginRefused, Message: "error occurred", Step: "sso-id"}},
		{name: "OIDC accepts the id 0", in: LoginInput{Type: config.TypeOIDC, SSOID: "0", Username: "0", AutoRegister: true},
			want: LoginResult{Outcome: LoginRegistered, Username: "0", Step: "auto-register"}},
		{name: "GitHub without a login name", in: LoginInput{Type: config.TypeGitHub, SSOID: "7", AutoRegister: true},
			want: LoginResult{Outcome: LoginRefused, Message: "cannot get username from SSO provider", Step: "username"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mustAList(t, config.AppAList, "").Login(tt.in))
		})
	}
	// OpenList's SQLite driver words the conflict otherwise: refused, not renamed.
	got := mustAList(t, config.AppOpenList, "").Login(LoginInput{Type: config.TypeOIDC, SSOID: "bob", Username: "bob", Taken: takenFn, AutoRegister: true})
	assert.Equal(t, LoginResult{Outcome: LoginRefused, Message: "constraint failed: UNIQUE constraint failed: x_users.username (2067)", Step: "conflict"}, got)
}

// TestNewUserRights pins difference 4 of issue 12 and each modelled version's rights.
func TestNewUserRights(t *testing.T) {
	tests := []struct {
		name, kind, version, role, dir string
		perm                           int64
		model                          string
		sum                            int64
		roleID                         int
		noRole, cannotRead             bool
	}{
		{name: "AList 3.45 reads the user's bits", kind: config.AppAList, version: "3.45", perm: 152, model: RightsUserBits, sum: 152, roleID: 0},
		{name: "AList 3.46 gives SSO users no role", kind: config.AppAList, version: "3.46", perm: 152, model: RightsRoles, sum: 0, noRole: true, cannotRead: true},
		{name: "AList 3.52 still no role", kind: config.AppAList, version: "3.52", perm: 152, model: RightsRoles, sum: 0, noRole: true, cannotRead: true},
		{name: "AList 3.63 fresh: guest, 0 on /", kind: config.AppAList, version: "3.63", perm: 152, model: RightsRoles, sum: 0, roleID: 1},
		{name: "AList 3.63 unset version is the newest", kind: config.AppAList, perm: 152, model: RightsRoles, sum: 0, roleID: 1},
		{name: "AList 3.63 admin role by name", kind: config.AppAList, version: "3.63", role: "admin", model: RightsRoles, sum: 0xFFFF, roleID: 2},
		{name: "AList 3.63 a role made in the app", kind: config.AppAList, version: "3.63", role: "3", model: RightsRoles, sum: -1, roleID: 3},
		{name: "OpenList 4.2.5: role 0, the user's bits", kind: config.AppOpenList, perm: 152, model: RightsUserBits, sum: 152, roleID: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustAList(t, tt.kind, tt.version).NewUserRights(tt.perm, tt.dir, tt.role)
			assert.Equal(t, tt.model, r.Model)
			assert.Equal(t, tt.sum, r.Sum)
			assert.Equal(t, tt.perm, r.Stored)
			assert.Equal(t, !tt.cannotRead, r.CanRead)
			if tt.noRole {
				assert.Nil(t, r.Role)
			} else {
				require.NotNil(t, r.Role)
				assert.Equal(t, tt.roleID, r.Role.ID)
			}
			assert.NotEmpty(t, r.Source)
		})
	}
}

// TestNewUserRightsWithRoles: a role the admin created is known from the app's role list (map eval
// --roles), by id or by name, and merged per path; one not in the list stays unknown.
func TestNewUserRightsWithRoles(t *testing.T) {
	a := mustAList(t, config.AppAList, "3.63")
	editor := Role{ID: 3, Name: "editor", Scopes: []Scope{{Path: "/", Permission: 1}, {Path: "/team", Permission: 8}}}
	appRoles := append(a.BuiltinRoles(), editor)
	for _, role := range []string{"3", "editor"} {
		r := a.NewUserRightsWithRoles(0, "/home", role, appRoles)
		assert.Equal(t, RightsRoles, r.Model)
		assert.Equal(t, int64(9), r.Sum, "at the base path every scope of the role counts")
		require.NotNil(t, r.Role)
		assert.Equal(t, editor.ID, r.Role.ID)
		assert.Equal(t, editor.Name, r.Role.Name)
		assert.Contains(t, r.Source, "editor (id 3) (default_role, from the app's role list)")
	}
	r := a.NewUserRightsWithRoles(0, "/", "4", appRoles)
	assert.Equal(t, int64(-1), r.Sum, "a role missing from the list stays unknown")
	guest := Role{ID: 1, Name: "guest", Scopes: []Scope{{Path: "/", Permission: 1}}}
	r = a.NewUserRightsWithRoles(0, "/", "", []Role{guest})
	assert.Equal(t, int64(1), r.Sum, "the app's guest, edited by its admin, wins over the fresh install's")
}

func TestRolePermissionAt(t *testing.T) {
	r := Role{ID: 3, Name: "editor", Scopes: []Scope{{Path: "/", Permission: 1}, {Path: "/team", Permission: 8}}}
	assert.Equal(t, int64(9), r.permissionAt("/", "/"), "at / every scope counts")
	assert.Equal(t, int64(9), r.permissionAt("/home/u", "/home/u/"), "at the base path every scope counts")
	assert.Equal(t, int64(9), r.permissionAt("/team/x", "/home"))
	assert.Equal(t, int64(1), r.permissionAt("/teamwork", "/home"), "a sibling with a common prefix is not below /team")
}

func TestSettingKeysPerVersion(t *testing.T) {
	assert.Len(t, mustAList(t, config.AppAList, "3.45").SettingKeys(), 14)
	assert.Len(t, mustAList(t, config.AppAList, "3.52").SettingKeys(), 14)
	keys := mustAList(t, config.AppAList, "3.63").SettingKeys()
	assert.Len(t, keys, 15)
	assert.Equal(t, KeyDefaultRole, keys[14])
	assert.Len(t, mustAList(t, config.AppOpenList, "").SettingKeys(), 14)
	assert.Equal(t, Version{3, 51, 0}, mustAList(t, config.AppAList, "3.45").SettingSince(KeyDefaultRole))
}

func TestCallbacksAndPlatforms(t *testing.T) {
	a := mustAList(t, config.AppOpenList, "")
	assert.Equal(t, []string{"/api/auth/sso_callback?method=sso_get_token", "/api/auth/sso_callback?method=get_sso_id"}, a.CallbackPaths(false))
	assert.Equal(t, []string{"/api/auth/sso_get_token", "/api/auth/get_sso_id"}, a.CallbackPaths(true))
	p, ok := a.Platform(config.TypeOIDC)
	require.True(t, ok)
	assert.Equal(t, DocIDToken, p.Document)
	p, _ = a.Platform(config.TypeGitHub)
	assert.Equal(t, "login", p.UsernameField)
	_, ok = a.Platform(config.TypeLark)
	assert.False(t, ok)
	assert.Equal(t, "cannot get username from OIDC provider", a.NoUsernameMessage(config.TypeOIDC))
	assert.Equal(t, "cannot get username from SSO provider", a.NoUsernameMessage(config.TypeGoogle))
}

func TestInRange(t *testing.T) {
	assert.True(t, mustAList(t, config.AppAList, "3.50").InRange())
	assert.False(t, mustAList(t, config.AppAList, "3.40").InRange())
	assert.False(t, mustAList(t, config.AppAList, "3.64").InRange())
	assert.True(t, mustAList(t, config.AppOpenList, "4.2").InRange())
	assert.False(t, mustAList(t, config.AppOpenList, "4.1").InRange())
	assert.Equal(t, "3.45 to 3.63", mustAList(t, config.AppAList, "").ModelledRange())
}

func TestDefaultRoleValue(t *testing.T) {
	a := mustAList(t, config.AppAList, "")
	tests := []struct {
		in, want string
		ok       bool
	}{
		{in: "", want: "", ok: false},
		{in: "admin", want: "admin", ok: false},
		{in: "guest", want: "guest", ok: false},
		{in: "1", want: "1", ok: false},
		{in: "2", want: "2", ok: false},
		{in: "3", want: "3", ok: true},
		{in: "editor", want: "editor", ok: true},
	}
	for _, tt := range tests {
		v, ok := a.DefaultRoleValue(tt.in)
		assert.Equal(t, tt.want, v, tt.in)
		assert.Equal(t, tt.ok, ok, tt.in)
	}
}
