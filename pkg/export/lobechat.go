package export

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// LobeChat knows each SSO provider by an id; its variables are AUTH_<ID>_ID, _SECRET and, for OpenID
// providers, _ISSUER, with the id upper-cased and - turned into _. Sources: lobehub/lobe-chat
// src/libs/next-auth/sso-providers (1.x, Auth.js: ids below, Auth.js reading AUTH_<ID>_* for
// github and google) and lobehub/lobehub src/envs/auth.ts and src/libs/better-auth/sso/providers
// (2.x, Better Auth).

// lobeOIDCIDs are the ids of LobeChat's OpenID Connect providers, which take an issuer; casdoor and
// oidc providers can use any of them.
var lobeOIDCIDs = map[string][]string{
	GenerationNextAuth:   {"auth0", "authelia", "authentik", "casdoor", "cloudflare-zero-trust", "generic-oidc", "keycloak", "logto", "okta", "zitadel"},
	GenerationBetterAuth: {"auth0", "authelia", "authentik", "casdoor", "cloudflare-zero-trust", "cognito", "generic-oidc", "keycloak", "logto", "okta", "zitadel"},
}

// lobeFixedIDs are the ids of the other provider types; a type missing here has no LobeChat provider.
var lobeFixedIDs = map[string]map[string]string{
	GenerationNextAuth: {
		config.TypeGitHub: "github", config.TypeGoogle: "google", config.TypeMicrosoft: "microsoft-entra-id",
	},
	GenerationBetterAuth: {
		config.TypeGitHub: "github", config.TypeGoogle: "google", config.TypeMicrosoft: "microsoft", config.TypeLark: "feishu",
	},
}

// lobeIssuerHints recognise an OpenID provider by its issuer, so that a provider named, say, "sso"
// still gets LobeChat's own id for it.
var lobeIssuerHints = []struct {
	id    string
	match func(u *url.URL) bool
}{
	{"authentik", func(u *url.URL) bool { return strings.Contains(u.Path, "/application/o/") }},
	{"keycloak", func(u *url.URL) bool { return strings.Contains(u.Path, "/realms/") }},
	{"zitadel", func(u *url.URL) bool { return strings.HasSuffix(u.Hostname(), ".zitadel.cloud") }},
	{"auth0", func(u *url.URL) bool { return strings.HasSuffix(u.Hostname(), ".auth0.com") }},
	{"okta", func(u *url.URL) bool {
		return strings.HasSuffix(u.Hostname(), ".okta.com") || strings.HasSuffix(u.Hostname(), ".oktapreview.com")
	}},
	{"logto", func(u *url.URL) bool { return strings.HasSuffix(u.Hostname(), ".logto.app") }},
	{"cognito", func(u *url.URL) bool { return strings.HasPrefix(u.Hostname(), "cognito-idp.") }},
}

// ProviderIDError is a --provider-id the target does not know for the provider's type (exit 2).
type ProviderIDError struct {
	Target, ID, Type string
	Known            []string
}

// Error is one sentence with the cause.
func (e *ProviderIDError) Error() string {
	return fmt.Sprintf("%s has no provider id %q for a provider of type %s", title(e.Target), e.ID, e.Type)
}

// ExitCode makes it a usage error.
func (e *ProviderIDError) ExitCode() int { return 2 }

// Hint lists the ids that fit.
func (e *ProviderIDError) Hint() string {
	return "use --provider-id with one of " + strings.Join(e.Known, ", ")
}

// lobeID is the LobeChat provider id for in's provider, and how it was chosen when that is not
// obvious ("" otherwise).
func lobeID(in *input) (id, why string, err error) {
	p, gen := in.p, in.opts.Generation
	if fixed, ok := lobeFixedIDs[gen][p.Type]; ok {
		if in.opts.ProviderID != "" && in.opts.ProviderID != fixed {
			return "", "", &ProviderIDError{Target: TargetLobeChat, ID: in.opts.ProviderID, Type: p.Type, Known: []string{fixed}}
		}
		return fixed, "", nil
	}
	if p.Type != config.TypeOIDC && p.Type != config.TypeCasdoor {
		return "", "", nil
	}
	known := lobeOIDCIDs[gen]
	if id := in.opts.ProviderID; id != "" {
		if !slices.Contains(known, id) {
			return "", "", &ProviderIDError{Target: TargetLobeChat, ID: id, Type: p.Type, Known: known}
		}
		return id, "", nil
	}
	if p.Type == config.TypeCasdoor {
		return "casdoor", "", nil
	}
	if slices.Contains(known, p.Name) {
		return p.Name, "", nil
	}
	if u, err := url.Parse(p.Issuer); err == nil {
		for _, h := range lobeIssuerHints {
			if slices.Contains(known, h.id) && h.match(u) {
				return h.id, fmt.Sprintf("LobeChat provider id %s was chosen from the issuer; --provider-id picks another", h.id), nil
			}
		}
	}
	return "generic-oidc", "LobeChat provider id generic-oidc was chosen for this OpenID provider; --provider-id picks a dedicated one (authentik, keycloak, zitadel, ...)", nil
}

// lobeVar is the variable name of one of a provider id's settings (ID, SECRET, ISSUER, ...).
func lobeVar(id, setting string) string {
	if id == "feishu" && (setting == "ID" || setting == "SECRET") {
		setting = "APP_" + setting // Better Auth's Feishu: AUTH_FEISHU_APP_ID, AUTH_FEISHU_APP_SECRET
	}
	return "AUTH_" + strings.ToUpper(strings.ReplaceAll(id, "-", "_")) + "_" + setting
}

// lobeCallback is the redirect URI LobeChat of generation gen sends for provider id (pkg/app knows
// the paths).
func lobeCallback(base, gen, id string) string {
	t := app.LobeChat1()
	if gen == GenerationBetterAuth {
		t = app.LobeHub2()
	}
	return base + app.LobeChatCallbackPath(t, id)
}

// GenerationFor is the LobeChat generation a config's app block describes: betterauth for app.kind
// lobechat at app.version 2 or newer, else nextauth, the default (an unversioned LobeChat keeps it;
// see app.LobeChatCallbackPath).
func GenerationFor(a *config.App) string {
	if a != nil && a.Kind == config.AppLobeChat {
		if t, err := app.Resolve(a); err == nil && app.IsLobeHub2(t) {
			return GenerationBetterAuth
		}
	}
	return GenerationNextAuth
}

// exportLobeChat writes LobeChat's authentication environment for one SSO provider.
func exportLobeChat(in *input) (*Result, error) {
	p, gen := in.p, in.opts.Generation
	if !slices.Contains(Generations(), gen) {
		return nil, &GenerationError{Generation: gen}
	}
	id, why, err := lobeID(in)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, &UnsupportedError{Target: TargetLobeChat, Provider: p.Name, Type: p.Type,
			Reason: fmt.Sprintf("LobeChat (%s) has no SSO provider for type %s", gen, p.Type),
			hint:   "LobeChat supports " + lobeTypes(gen) + "; --target generic writes a custom OAuth form instead"}
	}
	if p.ClientID == "" {
		return nil, missing(in, "client_id", lobeVar(id, "ID"))
	}
	secret, secretNote, err := in.secret(lobeVar(id, "SECRET"))
	if err != nil {
		return nil, err
	}
	base, err := in.needBase(TargetLobeChat)
	if err != nil {
		return nil, err
	}
	authSecret, authSecretVar := Lit("<generate with: openssl rand -base64 32>"), "NEXT_AUTH_SECRET"
	if gen == GenerationBetterAuth {
		authSecretVar = "AUTH_SECRET"
	}
	if in.opts.AuthSecret != "" {
		authSecret = Lit(in.opts.AuthSecret)
	}
	var env []EnvVar
	if gen == GenerationNextAuth {
		env = []EnvVar{
			{authSecretVar, authSecret},
			{"NEXTAUTH_URL", Lit(base + "/api/auth")},
			{"NEXT_AUTH_SSO_PROVIDERS", Lit(id)},
		}
	} else {
		env = []EnvVar{
			{authSecretVar, authSecret},
			{"APP_URL", Lit(base)},
			{"AUTH_SSO_PROVIDERS", Lit(id)},
		}
	}
	env = append(env, EnvVar{lobeVar(id, "ID"), Lit(p.ClientID)}, EnvVar{lobeVar(id, "SECRET"), secret})
	if slices.Contains(lobeOIDCIDs[gen], id) {
		if in.ep.Issuer == "" {
			return nil, missing(in, "issuer", lobeVar(id, "ISSUER"))
		}
		env = append(env, EnvVar{lobeVar(id, "ISSUER"), Lit(in.ep.Issuer)})
	}
	if id == "microsoft-entra-id" && p.Tenant != "" {
		env = append(env, EnvVar{lobeVar(id, "TENANT_ID"), Lit(p.Tenant)})
	}
	if gen == GenerationBetterAuth {
		if p.DisplayName != "" {
			env = append(env, EnvVar{lobeVar(id, "LABEL"), Lit(p.DisplayName)})
		}
		if r := p.Registration; r != nil && len(r.AllowedDomains) > 0 {
			env = append(env, EnvVar{"AUTH_ALLOWED_EMAILS", Lit(strings.Join(r.AllowedDomains, ","))})
		}
	}
	r := &Result{Generation: gen, env: env}
	r.doc, r.rows = envObject(env), objectRows(envObject(env))
	r.Callbacks = []string{lobeCallback(base, gen, id)}
	if why != "" {
		r.Notes = append(r.Notes, why)
	}
	if secretNote != "" {
		r.Notes = append(r.Notes, secretNote)
	}
	if in.opts.AuthSecret == "" {
		r.Notes = append(r.Notes, authSecretVar+" is a placeholder: generate one with \"openssl rand -base64 32\" (or rerun with --generate-secret) and keep it, since a new one signs everyone out")
	} else {
		r.Notes = append(r.Notes, authSecretVar+" was generated for this export: keep it, since exporting again generates another one and a new secret signs everyone out")
	}
	if gen == GenerationNextAuth {
		r.Notes = append(r.Notes, "to offer several providers, join their ids in NEXT_AUTH_SSO_PROVIDERS with commas; LobeChat 1.x also needs NEXT_PUBLIC_ENABLE_NEXT_AUTH=1 at build time (the lobe-chat-database image has it)")
	} else {
		r.Notes = append(r.Notes, "to offer several providers, join their ids in AUTH_SSO_PROVIDERS with commas; LobeHub 2.x refuses to start while NEXT_AUTH_*, NEXTAUTH_* or AUTH_URL variables are set")
	}
	return r, nil
}

// lobeTypes lists the provider types LobeChat of a generation supports.
func lobeTypes(gen string) string {
	var types []string
	for _, t := range config.ProviderTypes {
		if _, ok := lobeFixedIDs[gen][t]; ok || t == config.TypeOIDC || t == config.TypeCasdoor {
			types = append(types, t)
		}
	}
	return strings.Join(types, ", ")
}

// GenerationError is a LobeChat generation export does not know (exit 2).
type GenerationError struct{ Generation string }

// Error is one sentence with the cause.
func (e *GenerationError) Error() string {
	return fmt.Sprintf("unknown LobeChat generation %q", e.Generation)
}

// ExitCode makes it a usage error.
func (e *GenerationError) ExitCode() int { return 2 }

// Hint lists the generations.
func (e *GenerationError) Hint() string {
	return "use --generation nextauth (LobeChat 1.x) or betterauth (LobeHub 2.x)"
}

func checkLobeChat(in *input) []Warning {
	p, gen := in.p, in.opts.Generation
	var w []Warning
	if _, ok := lobeFixedIDs[gen][p.Type]; !ok && p.Type != config.TypeOIDC && p.Type != config.TypeCasdoor {
		w = append(w, Warning{CodeAppUnsupportedType, "type", fmt.Sprintf("LobeChat (%s) has no SSO provider for type %s", gen, p.Type),
			"LobeChat supports " + lobeTypes(gen)})
	}
	better := gen == GenerationBetterAuth
	if better && p.Type == config.TypeLark && strings.Contains(p.AuthorizeURL+p.TokenURL+p.UserinfoURL, "larksuite") {
		w = append(w, Warning{CodeAppUnsupportedType, "authorize_url", "LobeHub's Feishu provider signs in at feishu.cn only; the Lark (larksuite.com) endpoints cannot be expressed",
			"use a Feishu app, or put an OpenID Connect provider in front of Lark"})
	}
	c := caps{title: "LobeChat", allowedDomains: better, displayName: better,
		rolesHint:  "LobeChat has no roles for SSO users; remove roles: from this provider",
		groupsHint: "restrict who can log in at the identity provider instead (an application policy or group)"}
	w = append(w, checkCaps(in, c)...)
	if usernameSet(p) {
		w = append(w, Warning{CodeUsernameUnsupported, "mapping.username", "LobeChat keeps the provider's name and e-mail and has no username settings; mapping.username is not exported",
			"remove mapping.username from this provider"})
	}
	if better && p.Type == config.TypeMicrosoft && p.Tenant != "" && p.Tenant != provider.DefaultTenant {
		w = append(w, Warning{CodeTenantUnsupported, "tenant", fmt.Sprintf("LobeHub 2.x signs in with Microsoft's common tenant; tenant %q cannot be expressed", p.Tenant),
			"let the app registration accept accounts in any organizational directory, or use --generation nextauth"})
	}
	if in.base != "" {
		if id, _, err := lobeID(in); err == nil && id != "" {
			w = append(w, checkRedirect(in, []string{lobeCallback(in.base, gen, id)}, "LobeChat")...)
		}
	}
	return w
}
