package perm

import (
	"fmt"

	"github.com/ssoctl/ssoctl/pkg/app"
)

// alistScheme is AList's User.Permission (an int32 in internal/model/user.go,
// checked as (perm>>bit)&1), as of AList v3.63.0.
//
// Names are the frontend keys of AlistGo/alist-web's UserPermissions in kebab
// case. That list ends at bit 13; for bits 14 to 16 the keys below
// (check_path_limit, mcp_read, mcp_write) follow the backend's names
// (User.CheckPathLimit and the MCP read/write checks) and are ours, not
// AList's.
//
// OpenList, the community fork, agrees on bits 0 to 13 but uses bit 14 for
// "can share" and has neither the path-limit nor the MCP bits, so a sum with
// bit 14 set means different things in the two apps.
func alistScheme() *Scheme {
	s := alistBits()
	// The roles come from pkg/app, the one home of AList facts (internal/bootstrap/data/role.go).
	a, _ := app.AListKind("alist", "")
	for _, r := range a.BuiltinRoles() {
		role := Role{ID: r.ID, Name: r.Name, Since: "v" + app.AListRolesSince.String() + ".0"}
		for _, sc := range r.Scopes {
			role.Scopes = append(role.Scopes, RoleScope{Path: sc.Path, Permission: sc.Permission})
		}
		s.Roles = append(s.Roles, role)
		if len(r.Scopes) > 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("Role %s (id %d) on a fresh install grants %d on %s.", r.Name, r.ID, r.Scopes[0].Permission, r.Scopes[0].Path))
		}
	}
	return s
}

func alistBits() *Scheme {
	return &Scheme{
		Name: "alist",
		Bits: []Bit{
			{Index: 0, Value: 1, Name: "see-hides", Key: "see_hides", Meaning: "see hidden files", Since: "v3"},
			{Index: 1, Value: 2, Name: "access-without-password", Key: "access_without_password", Meaning: "access without password", Since: "v3"},
			{Index: 2, Value: 4, Name: "offline-download", Key: "offline_download", Meaning: `add offline download tasks ("add aria2 tasks" before v3.29.0)`, Since: "v3"},
			{Index: 3, Value: 8, Name: "write", Key: "write", Meaning: "make directories and upload", Since: "v3"},
			{Index: 4, Value: 16, Name: "rename", Key: "rename", Meaning: "rename", Since: "v3"},
			{Index: 5, Value: 32, Name: "move", Key: "move", Meaning: "move", Since: "v3"},
			{Index: 6, Value: 64, Name: "copy", Key: "copy", Meaning: "copy", Since: "v3"},
			{Index: 7, Value: 128, Name: "delete", Key: "delete", Meaning: "delete (remove)", Since: "v3"},
			{Index: 8, Value: 256, Name: "webdav-read", Key: "webdav_read", Meaning: "WebDAV read", Since: "v3"},
			{Index: 9, Value: 512, Name: "webdav-manage", Key: "webdav_manage", Meaning: "WebDAV manage (write)", Since: "v3"},
			{Index: 10, Value: 1024, Name: "ftp-read", Key: "ftp_read", Meaning: "FTP/SFTP login and read", Since: "v3.42.0"},
			{Index: 11, Value: 2048, Name: "ftp-manage", Key: "ftp_manage", Meaning: "FTP/SFTP write (manage)", Since: "v3.42.0"},
			{Index: 12, Value: 4096, Name: "read-archives", Key: "read_archives", Meaning: "read archives", Since: "v3.42.0"},
			{Index: 13, Value: 8192, Name: "decompress", Key: "decompress", Meaning: "decompress archives", Since: "v3.42.0"},
			{Index: 14, Value: 16384, Name: "check-path-limit", Key: "check_path_limit", Meaning: "check path limit: restrict the user to the base paths of their roles", Since: "v3.46.0"},
			{Index: 15, Value: 32768, Name: "mcp-read", Key: "mcp_read", Meaning: "MCP read", Since: "v3.60.0"},
			{Index: 16, Value: 65536, Name: "mcp-write", Key: "mcp_write", Meaning: "MCP write", Since: "v3.60.0"},
		},
		Notes: []string{
			"AList stores the sum in User.Permission (int32) and checks bit i as (permission>>i)&1.",
			"Before v3.42.0 admins passed every check whatever their bits; since #7705 checks use the bits only.",
			`Bit 10 meant "add qBittorrent tasks" from v3.11.0 until v3.29.0, was unused until v3.42.0, and now means FTP read.`,
			"Keys check_path_limit, mcp_read and mcp_write (bits 14-16) are ssoctl's names; the AList frontend list ends at decompress.",
			`OpenList (the community fork) agrees on bits 0-13 but bit 14 means "can share" there; it has no path-limit or MCP bits.`,
			"All of bits 0-13 sum to 16383; bits 0-9 to 1023.",
			"Since v3.46.0 AList decides rights by roles, not by the user's sum: each role grants a sum per path, merged for the path asked (common.MergeRolePermissions), and the user's own sum (sso_default_permission for SSO users) is stored but not read. New SSO users get default_role since v3.53.0 (guest on a fresh install), none from v3.46.0 to v3.52.",
			"OpenList v4 has no roles table: a user's role is 0 general, 1 guest or 2 admin, and its own sum is checked.",
		},
	}
}
