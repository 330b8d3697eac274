package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// InvenTree iterates the groups claim (InvenTree/sso.py ensure_sso_groups at inventree/InvenTree
// 043bc88), so an object such as ZITADEL's roles claim gives its keys; other apps see one value.
func TestGroupListObject(t *testing.T) {
	roles := map[string]any{"staff": map[string]any{"1": "acme.example.com"}, "admin": map[string]any{"1": "acme.example.com"}}
	assert.Equal(t, []string{"admin", "staff"}, groupList(roles, false), "InvenTree: the keys")
	assert.Len(t, groupList(roles, true), 1, "elsewhere: one value, with a warning")
}
