package testlogin

import (
	"context"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// userMapper maps the verified identity to the app user with the provider's mapping, the way
// `ssoctl map eval` does: as the config's app.kind computes it, with its permission schemes. The
// result is a *mapping.User in the report.
type userMapper struct {
	app, version string
	schemes      []config.PermissionScheme
}

var _ login.Mapper = userMapper{}

func newUserMapper(cfg *config.Config) userMapper {
	m := userMapper{schemes: cfg.PermissionSchemes}
	if cfg.App != nil {
		m.app, m.version = cfg.App.Kind, cfg.App.Version
	}
	return m
}

// Map implements login.Mapper.
func (m userMapper) Map(_ context.Context, id login.Identity) (any, error) {
	return mapping.Map(mapping.Input{
		Options:  mapping.Options{Provider: id.Provider, App: m.app, AppVersion: m.version, PermissionSchemes: m.schemes},
		Document: mapping.Document{Claims: id.Claims, Userinfo: id.Userinfo},
	})
}
