// Package app is the one home of what ssoctl knows about each target app at each supported version:
// its callback URLs, the OAuth client it runs, how it derives and de-duplicates users, its rights
// model, its exact refusal messages and its settings keys. export, validate, mapping, the doctor and
// the login rehearsal ask this package and never re-derive an app fact; its tests are the ones that
// run the real app or its real client library (e2e/), and every fact names the app's source at a
// pinned version.
//
// One file per app (alist.go, photoprism.go, ...), as oauth2-proxy keeps one file per provider kind.
package app

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// Info is what every app kind declares about itself.
type Info struct {
	// Kind is the config's app.kind (config.AppAList, ...).
	Kind string
	// Title is the app's name for people ("AList").
	Title string
	// Versions are the versions ssoctl models, oldest first; the last one is assumed when the config
	// names none. Empty for generic.
	Versions []Version
	// AdminForm says the app's SSO settings are typed into its admin page and kept in its database,
	// where nothing expands an environment variable reference such as ${NAME}; export then writes a
	// placeholder that says which variable's value to paste.
	AdminForm bool
}

// Newest is the newest modelled version, the one assumed when app.version is unset.
func (i Info) Newest() Version {
	if len(i.Versions) == 0 {
		return Version{}
	}
	return i.Versions[len(i.Versions)-1]
}

// infos lists every app kind, in config.AppKinds order.
var infos = []Info{
	// AList and OpenList keep the sso_* settings as setting items in their database
	// (internal/bootstrap/data/setting.go, group model.SSO), edited on the admin page (Settings →
	// Single sign-on) or through /api/admin/setting/save, and the login reads them back verbatim
	// (setting.GetStr(conf.SSOClientSecret) in server/handles/ssologin.go; AList v3.63.0, OpenList
	// v4.2.5). The generic target is a "custom OAuth" admin form by definition.
	{Kind: config.AppAList, Title: "AList", Versions: []Version{{3, 45, 0}, {3, 46, 0}, {3, 63, 0}}, AdminForm: true},
	{Kind: config.AppOpenList, Title: "OpenList", Versions: []Version{{4, 2, 5}}, AdminForm: true},
	{Kind: config.AppPhotoPrism, Title: "PhotoPrism"},
	{Kind: config.AppInvenTree, Title: "InvenTree"},
	{Kind: config.AppLobeChat, Title: "LobeChat"},
	{Kind: config.AppGeneric, Title: "Generic app", AdminForm: true},
}

// Lookup returns the app kind of that name.
func Lookup(kind string) (Info, bool) {
	i := slices.IndexFunc(infos, func(i Info) bool { return i.Kind == kind })
	if i < 0 {
		return Info{}, false
	}
	return infos[i], true
}

// Target is an app kind at the version a config describes.
type Target struct {
	Info
	// Version is the version ssoctl models for this target: the config's, or the newest supported.
	Version Version
	// Assumed says the config named no version and Version is the newest supported.
	Assumed bool
}

// String names the target for people: "AList 3.63", "OpenList 4.2.5", "PhotoPrism".
func (t Target) String() string {
	if t.Version.IsZero() {
		return t.Title
	}
	return t.Title + " " + t.Version.String()
}

// Resolve returns the target a config's app block describes; a nil block or an empty kind is the
// generic app. An unknown kind or a version that does not parse is an error naming the field.
func Resolve(a *config.App) (Target, error) {
	if a == nil || a.Kind == "" {
		i, _ := Lookup(config.AppGeneric)
		return Target{Info: i}, nil
	}
	i, ok := Lookup(a.Kind)
	if !ok {
		return Target{}, fmt.Errorf("app.kind %q is not an app kind ssoctl knows (one of %s)", a.Kind, strings.Join(config.AppKinds, ", "))
	}
	if a.Version == "" {
		return Target{Info: i, Version: i.Newest(), Assumed: !i.Newest().IsZero()}, nil
	}
	v, err := ParseVersion(a.Version)
	if err != nil {
		return Target{}, fmt.Errorf("app.version: %w", err)
	}
	return Target{Info: i, Version: v}, nil
}

// AtLeast reports whether the target's version is v or newer; an unversioned target is the newest.
func (t Target) AtLeast(v Version) bool {
	return t.Version.IsZero() || !t.Version.Less(v)
}
