package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/readfile"
)

const rolesHint = "give the JSON of AList's GET /api/admin/role/list, or its array of roles"

// rolesKind bounds --roles: a role list of a thousand roles with many paths each is a few MiB.
var rolesKind = readfile.Kind{Name: "--roles file", Limit: 16 << 20, Hint: rolesHint}

// readRoles reads --roles: the app's roles with their permission scopes, as AList's
// GET /api/admin/role/list answers it ({"code":200,"data":{"content":[{"id":...,"name":...,
// "permission_scopes":[{"path":...,"permission":...}]}]}}, server/handles/role.go ListRoles and
// internal/model/role.go, v3.63.0), or just its content array.
func readRoles(ctx context.Context, path string) ([]app.Role, error) {
	data, err := readfile.File(ctx, path, rolesKind)
	if readfile.IsTooLarge(err) || errors.Is(err, context.Canceled) {
		return nil, err
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, cmdutil.InputErrorf(rolesHint, "cannot read --roles %s: %v", path, err)
	}
	data = bytes.TrimSpace(data)
	var roles []app.Role
	switch {
	case len(data) > 0 && data[0] == '[':
		if err := json.Unmarshal(data, &roles); err != nil {
			return nil, cmdutil.InputErrorf(rolesHint, "cannot read --roles %s as a list of roles: %v", path, err)
		}
	default:
		var doc struct {
			Code    *int   `json:"code"`
			Message string `json:"message"`
			Data    *struct {
				Content []app.Role `json:"content"`
			} `json:"data"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, cmdutil.InputErrorf(rolesHint, "cannot read --roles %s as JSON: %v", path, err)
		}
		if doc.Code != nil && *doc.Code != 200 {
			return nil, cmdutil.InputErrorf("save the answer of a request with an admin token", "--roles %s is an error answer (code %d: %s), not a role list", path, *doc.Code, doc.Message)
		}
		if doc.Data == nil {
			return nil, cmdutil.InputErrorf(rolesHint, "--roles %s has no data.content, so it is not AList's role list", path)
		}
		roles = doc.Data.Content
	}
	for i, r := range roles {
		if r.ID == 0 && r.Name == "" {
			return nil, cmdutil.InputErrorf(rolesHint, "role %d of --roles %s has neither an id nor a name", i+1, path)
		}
	}
	if roles == nil {
		roles = []app.Role{}
	}
	return roles, nil
}
