package mapping

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ohler55/ojg/jp"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/perm"
)

// Where a mapped value came from (Source.From).
const (
	// FromUserinfo is the userinfo document (or the platform's profile API, such as GitHub's /user).
	FromUserinfo = "userinfo"
	// FromIDToken is the verified ID token's claims.
	FromIDToken = "idToken"
	// FromConfig is the config file (roles, default permission, default dir).
	FromConfig = "config"
)

// Source says where one mapped value came from: the document and the JSONPath in it, or the config
// key.
type Source struct {
	From string `json:"from"`
	Path string `json:"path"`
}

// Warning is something fragile about a mapped user that does not stop the login: an ambiguous rule,
// an unverified email, a display name used as an id. Code is stable (see the Warn* constants); Field
// names the mapped field concerned, or is empty.
type Warning struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Warning and error codes. They are part of the JSON output and stable.
const (
	// WarnAmbiguous: a rule selected several nodes; the first is used.
	WarnAmbiguous = "ambiguous-rule"
	// WarnUnverifiedEmail: the provider says email_verified is false.
	WarnUnverifiedEmail = "unverified-email"
	// WarnFragileID: the stable id comes from a display name or an email, which change and collide.
	WarnFragileID = "fragile-id"
	// WarnFragileUsername: the username comes from a display name, which collides.
	WarnFragileUsername = "fragile-username"
	// WarnStandIn: one document stands in for another the app reads (userinfo for the ID token).
	WarnStandIn = "stand-in-document"
	// WarnNotUsed: a setting the app ignores (a rule, username settings, allowed_domains, groups).
	WarnNotUsed = "setting-not-used"
	// WarnConflict: the username was taken and has been renamed.
	WarnConflict = "username-conflict"
	// WarnGroups: the groups claim is missing or has a shape the app reads differently.
	WarnGroups = "groups"
	// WarnDomainCase: the email domain is allowed only when case is ignored, and the app does not
	// ignore it.
	WarnDomainCase = "domain-case"

	// ErrMissingRequired: a required field is empty; the rule that should fill it is named.
	ErrMissingRequired = "missing-required"
	// ErrInvalidID: the app refuses the stable id (AList: "" or "0").
	ErrInvalidID = "invalid-id"
	// ErrUsernameTaken: the username is taken and the conflict policy cannot resolve it.
	ErrUsernameTaken = "username-taken"
	// ErrNotBound: no account is bound to the SSO id and the app does not register (AList).
	ErrNotBound = "not-bound"
	// ErrAccountDisabled: the account bound to the SSO id is disabled (AList).
	ErrAccountDisabled = "account-disabled"
	// ErrInvalidUTF8: a mapped value holds bytes that are not UTF-8, which JSON does not allow: an
	// error for the id and the username (decoders turn every such byte into U+FFFD, so distinct
	// users can become one), a warning (WarnInvalidUTF8, the same code) for the other fields.
	ErrInvalidUTF8 = "invalid-utf8"
	// WarnInvalidUTF8: see ErrInvalidUTF8.
	WarnInvalidUTF8 = ErrInvalidUTF8
)

// Problem is a reason the app would refuse the login or the registration.
type Problem = Warning

// Groups is what the identity provider's groups become in the app.
type Groups struct {
	// Claim is the claim (or JSONPath) groups are read from; "" when none is configured.
	Claim string `json:"claim"`
	// Source is where the claim was found; nil when it was not.
	Source *Source `json:"source"`
	// IdP are the groups the provider sent, in its order.
	IdP []string `json:"idp"`
	// App are the app groups the user gets: the groups.map values of the IdP groups.
	App []string `json:"app"`
	// Unmapped are IdP groups groups.map does not name; the app ignores them.
	Unmapped []string `json:"unmapped"`
	// Removed are, with remove_unmapped, the app groups of groups.map the user does not get and so
	// loses (the app also removes groups added by hand); nil without remove_unmapped.
	Removed []string `json:"removed"`
}

// Permission is the permission a new user gets: the sum and the names of its bits.
type Permission struct {
	Scheme string   `json:"scheme"`
	Sum    int64    `json:"sum"`
	Names  []string `json:"names"`
}

// Registration codes (Registration.Code).
const (
	RegAllowed          = "allowed"
	RegDisabled         = "disabled"
	RegNoUsername       = "no-username"
	RegNoID             = "no-id"
	RegNoEmail          = "no-email"
	RegDomainNotAllowed = "domain-not-allowed"
	RegUsernameTaken    = "username-taken"
)

// Registration is whether the app would create an account for a user it does not know yet, and why.
type Registration struct {
	Allowed bool   `json:"allowed"`
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	// Domain is the email's domain, lower-cased; "" without an email.
	Domain string `json:"domain"`
	// DefaultDir is the base directory of a new user (AList's sso_default_dir).
	DefaultDir string `json:"defaultDir"`
}

// Login outcomes (Login.Outcome), the app's order: a bound account, else a registration, else a
// refusal.
const (
	LoginExisting   = app.LoginExisting
	LoginRegistered = app.LoginRegistered
	LoginRefused    = app.LoginRefused
)

// Login is what the app does when the user signs in.
type Login struct {
	// Outcome is existing (an account bound to the SSO id signs in), registered or refused.
	Outcome string `json:"outcome"`
	// Username is the account signed in to or created; "" when refused.
	Username string `json:"username"`
	// Message is the app's answer when it refuses, word for word.
	Message string `json:"message"`
	// Reason says why, in ssoctl's words.
	Reason string `json:"reason"`
}

// Rights models (Rights.Model).
const (
	// RightsUserBits: the user's own permission sum is checked.
	RightsUserBits = app.RightsUserBits
	// RightsRoles: the permissions of the user's roles are, per path.
	RightsRoles = app.RightsRoles
)

// Rights are what a new user may do in the app: the effective permission and where it comes from.
type Rights struct {
	// Model is user-bits (the user's own permission is checked) or roles (the roles' permissions
	// per path are).
	Model string `json:"model"`
	// Sum is the effective permission at Path; -1 when the role's permissions are defined in the
	// app and unknown to ssoctl.
	Sum   int64    `json:"sum"`
	Names []string `json:"names"`
	// Path is the user's base path, where Sum applies.
	Path string `json:"path"`
	// Role is the role the user gets; null for none.
	Role *RoleRef `json:"role"`
	// Stored is the permission sum stored on the user (sso_default_permission).
	Stored int64 `json:"stored"`
	// CanRead is false when the user cannot even list the base path.
	CanRead bool `json:"canRead"`
	// Source says where Sum comes from.
	Source string `json:"source"`
}

// RoleRef names a role of the app.
type RoleRef struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Conflict records a username that was taken.
type Conflict struct {
	// Taken is the username that was already in use.
	Taken string `json:"taken"`
	// With is "existing" (an account from --existing) or "input" (an earlier user of the same input).
	With string `json:"with"`
	// Policy is how it was resolved: suffix-id, random-digits or fail.
	Policy string `json:"policy"`
	// Resolved is false when the policy could not produce a free name (fail, or a second conflict).
	Resolved bool `json:"resolved"`
}

// UsernameInfo says how the username was derived.
type UsernameInfo struct {
	// From is the mapped field or claim the username comes from.
	From string `json:"from"`
	// Raw is the value before normalization.
	Raw string `json:"raw"`
	// Normalize is the normalization applied: none, handle, or the app's own (photoprism-handle).
	Normalize string `json:"normalize"`
	// Base is the username before conflicts were resolved.
	Base string `json:"base"`
	// OnConflict is the conflict policy in effect.
	OnConflict string `json:"onConflict"`
	// Conflict is set when Base was taken.
	Conflict *Conflict `json:"conflict"`
}

// RuleReport is one rule evaluated against one document: what it selected and which value was used.
type RuleReport struct {
	Result
	// Document is the document the rule ran against (userinfo or idToken); "" when there was none.
	Document string `json:"document"`
}

// User is the app user a login maps to: every value with its source, the username derivation, the
// groups, the permission and the registration decision, with warnings and errors.
type User struct {
	Provider     string `json:"provider"`
	ProviderType string `json:"providerType"`
	// App is the app kind whose behaviour was reproduced, or generic.
	App         string `json:"app"`
	MappingType string `json:"mappingType"`
	// OK is false when the app would refuse the login (see Errors).
	OK bool `json:"ok"`

	ID            string `json:"id"`
	Username      string `json:"username"`
	Email         string `json:"email"`
	EmailVerified *bool  `json:"emailVerified"`
	Nickname      string `json:"nickname"`
	Phone         string `json:"phone"`
	Description   string `json:"description"`

	Roles        []string     `json:"roles"`
	Groups       Groups       `json:"groups"`
	Permission   Permission   `json:"permission"`
	Registration Registration `json:"registration"`
	// Rights are what a new user may do and where that comes from (AList, OpenList); nil for apps
	// ssoctl has no rights model of.
	Rights *Rights `json:"rights"`
	// Login is what the app does with this login (AList, OpenList): the account it signs in to,
	// or its refusal in its own words; nil for apps without a model of it.
	Login        *Login       `json:"login"`
	UsernameInfo UsernameInfo `json:"usernameDerivation"`
	// Sources says where each value (id, username, email, ...) came from; a value that was not
	// found has no entry.
	Sources Sources `json:"sources"`
	// Rules are the rules evaluated, in field order, with the nodes they selected; nil in bulk output.
	Rules    []RuleReport `json:"rules"`
	Warnings []Warning    `json:"warnings"`
	Errors   []Problem    `json:"errors"`
	// Notes describe how the app was modelled (fixed fields, documents read, caveats).
	Notes []string `json:"notes"`

	// noSources skips Sources in bulk evaluation, whose lines leave them out.
	noSources bool
}

// FieldSource is where one field's value came from.
type FieldSource struct {
	Field string
	Source
}

// Sources lists where each value came from, one entry per field; JSON writes it as an object keyed
// by field, in field order.
type Sources []FieldSource

// Get returns the source of field.
func (s Sources) Get(field string) (Source, bool) {
	for _, fs := range s {
		if fs.Field == field {
			return fs.Source, true
		}
	}
	return Source{}, false
}

// Map returns the sources as a map, for callers that prefer one.
func (s Sources) Map() map[string]Source {
	out := make(map[string]Source, len(s))
	for _, fs := range s {
		out[fs.Field] = fs.Source
	}
	return out
}

// MarshalJSON writes the sources as an object keyed by field.
func (s Sources) MarshalJSON() ([]byte, error) { return appendSources(nil, s), nil }

// setSource records field's source, replacing an earlier one and keeping Sources in field order.
func (u *User) setSource(field string, src Source) {
	u.putSource(FieldSource{Field: field, Source: src})
}

func (u *User) putSource(fs FieldSource) {
	if u.noSources {
		return
	}
	for i := range u.Sources {
		if u.Sources[i].Field == fs.Field {
			u.Sources[i] = fs
			return
		}
	}
	rank := sourceRank(fs.Field)
	i := len(u.Sources)
	for i > 0 {
		prev := u.Sources[i-1].Field
		if r := sourceRank(prev); r < rank || r == rank && prev < fs.Field {
			break
		}
		i--
	}
	u.Sources = slices.Insert(u.Sources, i, fs)
}

// probeSource records that field came from the probe at i.
func (m *Mapper) probeSource(u *User, field string, i int, from string) {
	if !u.noSources {
		u.putSource(FieldSource{Field: field, Source: Source{From: from, Path: m.probes[i].rule.Expr()}})
	}
}

// MarshalJSON writes the user with AppendJSON, so that single and bulk output are the same document.
func (u *User) MarshalJSON() ([]byte, error) { return u.AppendJSON(nil), nil }

// Document is what a login produced for one user: the ID token's claims (nil for plain OAuth 2.0
// platforms) and the userinfo document (nil when there is none). Values are decoded JSON as
// ParseJSON or encoding/json produce it; json.Number is accepted.
type Document struct {
	Claims   map[string]any
	Userinfo any
}

// Options configure a Mapper.
type Options struct {
	// Provider is the configured provider: type, mapping, roles, groups and registration are read.
	Provider config.Provider
	// App is the app kind (config.AppAList, ...); "" and generic apply the provider's mapping as
	// configured, without an app's own rules.
	App string
	// PermissionSchemes are the config file's permission_schemes.
	PermissionSchemes []config.PermissionScheme
	// MappingType, when set, replaces the provider's mapping type (map eval --mapping-type).
	MappingType string
	// Rules replace single rules (map eval --rule FIELD=JSONPATH) on top of the preset and the
	// provider's own rules.
	Rules Rules
	// AppVersion is the config's app.version; "" means the newest version ssoctl models.
	AppVersion string
	// Accounts are the app's existing accounts with their SSO ids (map eval --existing), for apps
	// that sign a login in by its SSO id first (AList, OpenList); nil for none.
	Accounts Accounts
	// Dialect is the JSONPath dialect the mapping rules are written in; the zero value is Jayway,
	// as the apps' forms and the config file take them (map eval --dialect rfc9535 tries RFC 9535).
	// Claim names (username.from, groups.claim) are read the same way in both.
	Dialect Dialect
	// AppRoles are the app's roles with their permissions (map eval --roles, AList's role list), so
	// that a role the admin created has known rights; nil leaves such a role's rights unknown.
	AppRoles []app.Role
}

// Input is everything Map needs for one user.
type Input struct {
	Options
	Document
	// Existing are the usernames already taken in the app.
	Existing Names
	// Seed makes random-digits conflict suffixes reproducible; 0 means random.
	Seed uint64
}

// Map maps one user: NewMapper, Mapper.Map and, with a username conflict, Mapper.Resolve.
func Map(in Input) (*User, error) {
	m, err := NewMapper(in.Options)
	if err != nil {
		return nil, err
	}
	u := m.Map(in.Document)
	m.Resolve(u, NewConflicts(in.Existing, nil, in.Seed))
	return u, nil
}

// docSel says which document a probe reads.
type docSel uint8

const (
	selPrimary         docSel = iota // userinfo, else the ID token
	selUserinfo                      // userinfo only
	selIDToken                       // the ID token only
	selEither                        // userinfo, else the ID token when userinfo lacks it
	selMerge                         // both, for groups that some apps merge (PhotoPrism)
	selIDTokenComplete               // the ID token when it has sub and email, else userinfo (LobeHub 2.x)
)

// probe is one JSONPath the mapper evaluates per user.
type probe struct {
	key  string // field or purpose: id, name, ..., username, groups, verified, pp.name
	rule *Rule
	sel  docSel
	// report lists the probe in User.Rules (the rules the user configured or the app fixes).
	report bool
}

// hit is what a probe found. The extractor stores strings and small integers unboxed (str, num),
// which saves two allocations a value in bulk evaluation; the parser's values are in value.
type hit struct {
	found     bool
	ambiguous bool
	kind      byte // 0: value; 's': str; 'i': num; 'I': num, written out in str; 'L': list of strings
	str       string
	list      []string
	num       int64
	value     any
	from      string // FromUserinfo or FromIDToken
	count     int    // nodes selected
}

// text is the hit's value as the app stores it (see Text).
func (h *hit) text() string {
	switch h.kind {
	case 's':
		return h.str
	case 'i':
		return strconv.FormatInt(h.num, 10)
	case 'I':
		return h.str
	}
	return Text(h.val())
}

// val is the hit's value as decoded JSON.
func (h *hit) val() any {
	switch h.kind {
	case 's':
		return h.str
	case 'i', 'I':
		return h.num
	case 'L':
		list := make([]any, len(h.list))
		for i, s := range h.list {
			list[i] = s
		}
		return list
	}
	return h.value
}

// Mapper maps users with one compiled configuration. It is immutable after NewMapper and safe for
// concurrent use; conflicts between users are resolved separately, in order, by Resolve.
type Mapper struct {
	provider    config.Provider
	app         string
	platform    string // provider type as the app sees it
	mappingType string
	rules       Rules // effective rules, for reports
	probes      []probe
	idx         map[string]int // probe key -> index

	usernameFrom string // field or claim
	normalize    string // none, handle, photoprism-handle
	onConflict   string
	requireEmail bool
	required     []string

	groupsClaim string
	groupsMap   map[string]string
	groupsApp   []string // distinct groups.map values, sorted
	removeGroup bool

	roles      []string
	permission Permission
	reg        config.Registration
	domainCase bool // allowed_domains compare case-sensitively (InvenTree)
	domainsOn  bool // the app enforces allowed_domains
	domainList string

	ix probeIndex // probe positions, so that building a user needs no map lookups

	alist       app.AList       // the AList or OpenList model, when app is one of them
	usernameKey app.UsernameKey // AList OIDC: sso_oidc_username_key
	rights      *Rights         // AList, OpenList: what a new SSO user may do
	accounts    Accounts        // existing accounts with SSO ids
	appRoles    []app.Role      // the app's roles (map eval --roles)
	overrides   Rules           // map eval --rule

	reads    string // the document a bulk line stands for: FromUserinfo or FromIDToken
	notes    []string
	warnings []Warning // configuration-level warnings, the same for every user
	fast     *extractor
}

// NewMapper compiles the mapping of opts once. Errors: *SyntaxError (joined) for rules that do not
// compile, *FieldError for a custom mapping without name or email, *AppError when the app cannot
// use the provider at all, and perm's errors for a default permission the scheme lacks.
func NewMapper(opts Options) (*Mapper, error) {
	p := opts.Provider
	m := &Mapper{provider: p, app: strings.ToLower(opts.App), platform: p.Type, idx: map[string]int{}, reads: FromUserinfo,
		accounts: opts.Accounts, appRoles: opts.AppRoles, overrides: opts.Rules}
	if m.app == "" {
		m.app = config.AppGeneric
	}
	m.mappingType = effectiveType(p, opts.MappingType)
	rules := Rules{}
	if m.mappingType != Custom {
		preset, ok := Preset(m.mappingType)
		if !ok {
			return nil, &FieldError{Field: "type", Err: fmt.Errorf("unknown mapping type %q", m.mappingType)}
		}
		rules = preset
	}
	if p.Mapping != nil {
		for f, r := range p.Mapping.Rules {
			rules[f] = r
		}
	}
	for f, r := range opts.Rules {
		rules[f] = r
	}
	if m.mappingType == Custom {
		if err := validateCustom(rules, opts.Dialect); err != nil {
			return nil, err
		}
	}
	m.rules = rules
	set, err := rules.Compile(opts.Dialect)
	if err != nil {
		return nil, err
	}

	u := config.Username{}
	if p.Mapping != nil && p.Mapping.Username != nil {
		u = *p.Mapping.Username
	}
	m.usernameFrom = orDefault(u.From, FieldName)
	m.normalize = orDefault(u.Normalize, "none")
	m.onConflict = orDefault(u.OnConflict, ConflictSuffixID)
	if !slices.Contains([]string{"none", "handle"}, m.normalize) {
		return nil, &FieldError{Field: "username.normalize", Err: fmt.Errorf("unknown normalization %q: use handle or none", m.normalize)}
	}
	if !slices.Contains(ConflictPolicies(), m.onConflict) {
		return nil, &FieldError{Field: "username.on_conflict", Err: fmt.Errorf("unknown conflict policy %q: use %s", m.onConflict, strings.Join(ConflictPolicies(), ", "))}
	}
	if p.Registration != nil {
		m.reg = *p.Registration
	}
	m.requireEmail = m.mappingType == Custom || len(m.reg.AllowedDomains) > 0
	m.domainList = strings.Join(m.reg.AllowedDomains, ", ")
	m.domainsOn = true
	m.roles = slices.Clone(p.Roles)
	if m.roles == nil {
		m.roles = []string{}
	}
	if err := m.resolvePermission(opts.PermissionSchemes); err != nil {
		return nil, err
	}
	if p.Groups != nil {
		m.groupsClaim = p.Groups.Claim
		m.groupsMap = p.Groups.Map
		m.removeGroup = p.Groups.RemoveUnmapped
		for _, g := range p.Groups.Map {
			if g != "" && !slices.Contains(m.groupsApp, g) {
				m.groupsApp = append(m.groupsApp, g)
			}
		}
		slices.Sort(m.groupsApp)
	}

	switch m.app {
	case config.AppAList, config.AppOpenList:
		a, ok := app.AListKind(m.app, opts.AppVersion)
		if !ok {
			return nil, &AppError{App: opts.App, Reason: fmt.Sprintf("app.version %q is not a version such as 3.63", opts.AppVersion), hint: "write app.version as major.minor, such as \"3.63\", or remove it for the newest supported"}
		}
		m.alist = a
		err = m.planAList(set)
	case config.AppPhotoPrism:
		err = m.planPhotoPrism()
	case config.AppInvenTree:
		err = m.planInvenTree(set)
	case config.AppLobeChat:
		err = m.planLobeChat(set, opts.AppVersion)
	default:
		if !slices.Contains(config.AppKinds, m.app) {
			return nil, &AppError{App: opts.App, Reason: "it is not an app kind ssoctl knows", hint: "app.kind must be one of " + strings.Join(config.AppKinds, ", ")}
		}
		if m.app != config.AppGeneric {
			m.notes = append(m.notes, fmt.Sprintf("ssoctl has no model of how %s maps users: the provider's mapping is applied as configured", m.app))
		}
		err = m.planGeneric(set)
	}
	if err != nil {
		return nil, err
	}
	m.checkConfig()
	m.setRequired()
	m.indexProbes()
	m.fast = newExtractor(m.probes)
	return m, nil
}

// probeIndex holds the position of each probe the build step reads, -1 for none.
type probeIndex struct {
	id, name, email, nickname, phone, description, username, groups, verified, verifiedEmail, sub int
	pp                                                                                            [4]int // PhotoPrism's username claims, in photoprismClaims order
}

func (m *Mapper) indexProbes() {
	at := func(key string) int {
		if i, ok := m.idx[key]; ok {
			return i
		}
		return -1
	}
	m.ix = probeIndex{
		id: at(FieldID), name: at(FieldName), email: at(FieldEmail), nickname: at(FieldNickname), phone: at(FieldPhone),
		description: at(FieldDescription), username: at("username"), groups: at("groups"), verified: at("verified"),
		verifiedEmail: at("verified_email"), sub: at("sub"),
	}
	for i, c := range photoprismClaims {
		m.ix.pp[i] = at("username." + c)
	}
}

// field returns the probe position of a mapping field.
func (m *Mapper) field(f string) int {
	switch f {
	case FieldID:
		return m.ix.id
	case FieldName:
		return m.ix.name
	case FieldEmail:
		return m.ix.email
	case FieldNickname:
		return m.ix.nickname
	case FieldPhone:
		return m.ix.phone
	case FieldDescription:
		return m.ix.description
	case "username":
		return m.ix.username
	}
	return -1
}

// effectiveType is the mapping type in effect: the override, the provider's, else its type's
// preset (custom for oauth2), as provider add chooses.
func effectiveType(p config.Provider, override string) string {
	t := override
	if t == "" && p.Mapping != nil {
		t = p.Mapping.Type
	}
	if t == "" {
		t = Custom
		if _, ok := Preset(p.Type); ok {
			t = p.Type
		}
	}
	return strings.ToLower(t)
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return strings.TrimSpace(s)
}

// AppError reports an app that cannot use the provider at all (AList has no Lark platform,
// PhotoPrism speaks OpenID Connect only).
type AppError struct {
	App    string
	Type   string
	Reason string
	hint   string
}

// Error returns one sentence.
func (e *AppError) Error() string {
	if e.Type == "" {
		return fmt.Sprintf("cannot map users for app %q: %s", e.App, e.Reason)
	}
	return fmt.Sprintf("cannot map users for %s with a %s provider: %s", e.App, e.Type, e.Reason)
}

// Hint says what to change.
func (e *AppError) Hint() string { return e.hint }

func (m *Mapper) resolvePermission(defs []config.PermissionScheme) error {
	scheme, err := perm.Resolve(m.reg.PermissionScheme, defs)
	if err != nil {
		return err
	}
	m.permission = Permission{Scheme: scheme.Name, Names: []string{}}
	dp := m.reg.DefaultPermission
	switch {
	case dp.Sum != nil:
		m.permission.Sum = *dp.Sum
	case len(dp.Items) > 0:
		if m.permission.Sum, err = scheme.Sum(dp.Items...); err != nil {
			return err
		}
	}
	bits, err := scheme.Decode(m.permission.Sum)
	if err != nil {
		return err
	}
	for _, b := range bits {
		m.permission.Names = append(m.permission.Names, b.Name)
	}
	return nil
}

// addProbe registers a probe and returns its index; a key registered twice keeps the first.
func (m *Mapper) addProbe(p probe) int {
	if i, ok := m.idx[p.key]; ok {
		return i
	}
	m.probes = append(m.probes, p)
	m.idx[p.key] = len(m.probes) - 1
	return len(m.probes) - 1
}

// claimRule compiles a top-level claim name (or a JSONPath starting with $) as a rule.
func claimRule(field, claim string) (*Rule, error) {
	if strings.HasPrefix(strings.TrimSpace(claim), "$") {
		return Compile(field, claim, Jayway)
	}
	return Compile(field, claimPath(claim), Jayway)
}

// quoteName quotes a claim name for bracket notation.
func quoteName(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// claimPath is how a claim is shown as a path: $.name when dot notation reads it, else $['a b'].
func claimPath(claim string) string {
	if strings.HasPrefix(strings.TrimSpace(claim), "$") {
		return claim
	}
	if safeName(claim) {
		return "$." + claim
	}
	return "$[" + quoteName(claim) + "]"
}

// planGeneric applies the provider's mapping as configured: every rule on userinfo (the ID token
// when there is no userinfo), the username from username.from, groups from either document.
func (m *Mapper) planGeneric(set RuleSet) error {
	for _, r := range set {
		m.addProbe(probe{key: r.Field(), rule: r, sel: selPrimary, report: true})
	}
	if err := m.planUsernameFrom(selPrimary); err != nil {
		return err
	}
	m.planVerified(selPrimary)
	return m.planGroups(selEither)
}

// planUsernameFrom adds the probe username.from needs when it names a claim rather than a field.
func (m *Mapper) planUsernameFrom(sel docSel) error {
	if slices.Contains(Fields(), m.usernameFrom) {
		if _, ok := m.idx[m.usernameFrom]; !ok {
			return &FieldError{Field: "username.from", Err: fmt.Errorf("username.from is %s, which has no rule", m.usernameFrom)}
		}
		return nil
	}
	r, err := claimRule("username", m.usernameFrom)
	if err != nil {
		return err
	}
	m.addProbe(probe{key: "username", rule: r, sel: sel, report: true})
	return nil
}

// planVerified reads email_verified (OpenID Connect) and verified_email (Google's v1 userinfo).
func (m *Mapper) planVerified(sel docSel) {
	m.addProbe(probe{key: "verified", rule: MustCompile("", "$.email_verified", Jayway), sel: sel})
	m.addProbe(probe{key: "verified_email", rule: MustCompile("", "$.verified_email", Jayway), sel: sel})
}

func (m *Mapper) planGroups(sel docSel) error {
	if m.groupsClaim == "" {
		return nil
	}
	r, err := claimRule("groups", m.groupsClaim)
	if err != nil {
		return err
	}
	m.addProbe(probe{key: "groups", rule: r, sel: sel, report: true})
	return nil
}

// checkConfig adds the warnings that depend on the configuration only.
func (m *Mapper) checkConfig() {
	if i, ok := m.idx[FieldID]; ok && !m.hasWarning(WarnFragileID) {
		if name := leafName(m.probes[i].rule); fragileClaims[name] != "" {
			m.warnings = append(m.warnings, Warning{Code: WarnFragileID, Field: FieldID,
				Message: fmt.Sprintf("the stable id comes from %s (%s), which is %s: users who change it lose their account, and two users can share it; use a permanent id such as sub", m.probes[i].rule.Expr(), name, fragileClaims[name])})
		}
	}
	if len(m.reg.AllowedDomains) > 0 && !m.reg.Enabled {
		m.notes = append(m.notes, "allowed_domains only matters for registration, which is disabled")
	}
}

// fragileClaims are claims that make poor ids: not unique, or changed by users.
var fragileClaims = map[string]string{
	"name": "a display name", "displayName": "a display name", "nick": "a display name", "nickname": "a display name",
	"given_name": "a display name", "family_name": "a display name", "en_name": "a display name",
	"email": "an email address", "mail": "an email address",
}

// leafName returns the last name of a definite rule ($.a.name → name), or "".
func leafName(r *Rule) string {
	if r == nil || r.fn != nil || r.merge != nil || len(r.steps) == 0 {
		return ""
	}
	if c, ok := r.steps[len(r.steps)-1].(jp.Child); ok {
		return string(c)
	}
	return ""
}

func (m *Mapper) hasWarning(code string) bool {
	return slices.ContainsFunc(m.warnings, func(w Warning) bool { return w.Code == code })
}

// Reads says which document an NDJSON line stands for: FromUserinfo, or FromIDToken for apps
// that read the ID token only (AList with an OpenID Connect provider).
func (m *Mapper) Reads() string { return m.reads }

// Notes are remarks on how the app was modelled; the same for every user.
func (m *Mapper) Notes() []string { return slices.Clone(m.notes) }

// Warnings are the configuration's warnings, the same for every user: Map includes them in each
// User, MapJSON leaves them out.
func (m *Mapper) Warnings() []Warning { return slices.Clone(m.warnings) }

// App returns the app kind modelled (generic when none).
func (m *Mapper) App() string { return m.app }

// MappingType returns the mapping type in effect.
func (m *Mapper) MappingType() string { return m.mappingType }

// Rules returns the effective rules: the preset's, the provider's and the overrides.
func (m *Mapper) Rules() Rules { return maps.Clone(m.rules) }

// RequiredFields lists the fields whose emptiness is an error, in field order.
func (m *Mapper) RequiredFields() []string { return slices.Clone(m.required) }

func (m *Mapper) setRequired() {
	m.required = []string{FieldName}
	if app.IsAListKind(m.app) {
		m.required = []string{FieldID, FieldName}
	}
	if m.requireEmail {
		m.required = append(m.required, FieldEmail)
	}
}

// Map maps one user. Username conflicts are not looked at: the username is the base name; call
// Resolve for them. Map is safe for concurrent use.
func (m *Mapper) Map(d Document) *User {
	d, standIn := m.prepare(d)
	hits, nodes := m.eval(d, true)
	u := &User{}
	m.build(hits, u, true)
	u.Warnings = append(m.Warnings(), u.Warnings...)
	// Roles and permission names are the mapper's own in bulk output; a User from Map has copies
	// its caller may change.
	u.Roles, u.Permission.Names = slices.Clone(u.Roles), slices.Clone(u.Permission.Names)
	if standIn != "" {
		u.Warnings = append(u.Warnings, Warning{Code: WarnStandIn, Message: standIn})
	}
	u.Rules = m.reports(hits, nodes, d)
	u.Notes = m.Notes()
	u.finish()
	return u
}

// prepare normalizes the documents and lets one stand in for the other when the app reads the one
// that is missing.
func (m *Mapper) prepare(d Document) (Document, string) {
	d.Claims = normalizeMap(d.Claims)
	d.Userinfo = normalizeValue(d.Userinfo)
	if m.reads == FromIDToken && d.Claims == nil {
		if c, ok := d.Userinfo.(map[string]any); ok {
			return Document{Claims: c}, fmt.Sprintf("no ID token claims were given, so the userinfo document stands in for them: %s reads the ID token only", appTitle(m.app))
		}
	}
	if m.reads == FromUserinfo && d.Userinfo == nil && d.Claims != nil && m.app != config.AppGeneric {
		return Document{Userinfo: d.Claims, Claims: d.Claims}, fmt.Sprintf("no userinfo document was given, so the ID token claims stand in for it: %s reads userinfo", appTitle(m.app))
	}
	return d, ""
}

// eval runs every probe; with detail it also returns each probe's nodes, for the rules report.
func (m *Mapper) eval(d Document, detail bool) ([]hit, [][]any) {
	hits := make([]hit, len(m.probes))
	var nodes [][]any
	if detail {
		nodes = make([][]any, len(m.probes))
	}
	for i, p := range m.probes {
		var n []any
		hits[i], n = evalProbe(p, d)
		if detail {
			nodes[i] = n
		}
	}
	return hits, nodes
}

func evalProbe(p probe, d Document) (hit, []any) {
	try := func(doc any, from string) (hit, []any, bool) {
		if doc == nil {
			return hit{}, nil, false
		}
		nodes := p.rule.Nodes(doc)
		if len(nodes) == 0 {
			return hit{from: from}, nodes, false
		}
		return hit{found: true, value: nodes[0], ambiguous: len(nodes) > 1, count: len(nodes), from: from}, nodes, true
	}
	var claims any
	if d.Claims != nil {
		claims = d.Claims
	}
	switch p.sel {
	case selIDTokenComplete:
		if sub, _ := d.Claims["sub"].(string); sub != "" {
			if email, _ := d.Claims["email"].(string); email != "" {
				h, n, _ := try(claims, FromIDToken)
				return h, n
			}
		}
		h, n, _ := try(d.Userinfo, FromUserinfo)
		return h, n
	case selUserinfo:
		h, n, _ := try(d.Userinfo, FromUserinfo)
		return h, n
	case selIDToken:
		h, n, _ := try(claims, FromIDToken)
		return h, n
	case selEither, selMerge:
		if h, n, ok := try(d.Userinfo, FromUserinfo); ok {
			if p.sel == selMerge {
				if h2, _, ok := try(claims, FromIDToken); ok {
					h.value = mergeLists(h2.value, h.value)
				}
			}
			return h, n
		}
		if h, n, ok := try(claims, FromIDToken); ok {
			return h, n
		}
		if d.Userinfo != nil {
			return hit{from: FromUserinfo}, nil
		}
		return hit{from: FromIDToken}, nil
	default:
		if d.Userinfo != nil {
			h, n, _ := try(d.Userinfo, FromUserinfo)
			return h, n
		}
		h, n, _ := try(claims, FromIDToken)
		return h, n
	}
}

// mergeLists joins two group claims (PhotoPrism merges the ID token's and userinfo's).
func mergeLists(a, b any) any {
	la, lb := groupList(a, true), groupList(b, true)
	out := make([]any, 0, len(la)+len(lb))
	for _, g := range append(la, lb...) {
		out = append(out, g)
	}
	return out
}

// reports builds User.Rules from the probes that are reported.
func (m *Mapper) reports(hits []hit, allNodes [][]any, d Document) []RuleReport {
	out := []RuleReport{}
	for i, p := range m.probes {
		if !p.report {
			continue
		}
		h := hits[i]
		nodes := allNodes[i]
		if nodes == nil {
			nodes = []any{}
		}
		rr := RuleReport{Result: Result{Field: p.key, Expr: p.rule.Expr(), Nodes: nodes, Value: h.val(), Found: h.found, Ambiguous: h.ambiguous}}
		if h.from != "" {
			rr.Document = h.from
		} else if doc := docFor(p.sel, d); doc != "" {
			rr.Document = doc
		}
		out = append(out, rr)
	}
	return out
}

func docFor(sel docSel, d Document) string {
	switch sel {
	case selUserinfo:
		if d.Userinfo != nil {
			return FromUserinfo
		}
	case selIDToken:
		if d.Claims != nil {
			return FromIDToken
		}
	default:
		if d.Userinfo != nil {
			return FromUserinfo
		}
		if d.Claims != nil {
			return FromIDToken
		}
	}
	return ""
}

// at returns the hit of the probe at i, or a miss for -1.
func (m *Mapper) at(hits []hit, i int) (*hit, *probe) {
	if i < 0 {
		return &hit{}, nil
	}
	return &hits[i], &m.probes[i]
}

// build computes the user from the probes' hits into u, which is reset first; u's slices are
// reused. Without sources, Sources stays empty (bulk lines leave them out).
func (m *Mapper) build(hits []hit, u *User, sources bool) {
	prev := u.Groups // its lists' memory is reused (MapJSONTo)
	*u = User{
		Provider: m.provider.Name, ProviderType: m.provider.Type, App: m.app, MappingType: m.mappingType,
		Roles: m.roles, Permission: m.permission, noSources: !sources,
		Warnings: u.Warnings[:0], Errors: u.Errors[:0],
	}
	if len(m.roles) > 0 {
		u.setSource("roles", Source{From: FromConfig, Path: "roles"})
	}
	if !m.reg.DefaultPermission.IsZero() {
		u.setSource("permission", Source{From: FromConfig, Path: "registration.default_permission"})
	}
	for i := range m.probes {
		if h := &hits[i]; h.ambiguous && m.probes[i].report {
			p := &m.probes[i]
			u.Warnings = append(u.Warnings, Warning{Code: WarnAmbiguous, Field: p.key,
				Message: fmt.Sprintf("rule %s (%s) selected %d nodes; the first is used, as Jayway would return a list the app cannot use: narrow it with a filter, an index or .first()", p.key, p.rule.Expr(), h.count)})
		}
	}
	switch m.app {
	case config.AppAList, config.AppOpenList:
		m.buildAList(hits, u)
	case config.AppPhotoPrism:
		m.buildPhotoPrism(hits, u)
	default:
		m.buildGeneric(hits, u)
	}
	m.buildGroups(hits, u, prev)
	u.checkUTF8()
	m.decideRegistration(u)
}

// checkUTF8 flags mapped values that are not UTF-8. RFC 8259 section 8.1 requires UTF-8; a
// provider that sends other bytes is broken, and the apps' JSON decoders (Go's encoding/json,
// Python's json) turn each bad byte into U+FFFD, as ssoctl's output does.
func (u *User) checkUTF8() {
	for _, f := range [...]struct {
		field, value string
		identity     bool
	}{
		{FieldID, u.ID, true}, {"username", u.Username, true}, {FieldEmail, u.Email, false},
		{FieldNickname, u.Nickname, false}, {FieldPhone, u.Phone, false}, {FieldDescription, u.Description, false},
	} {
		if utf8.ValidString(f.value) {
			continue
		}
		if f.identity {
			u.Errors = append(u.Errors, Problem{Code: ErrInvalidUTF8, Field: f.field,
				Message: fmt.Sprintf("the %s holds bytes that are not UTF-8, which JSON does not allow: the app reads each as U+FFFD, so users whose %s differs only there become one", f.field, f.field)})
			continue
		}
		u.Warnings = append(u.Warnings, Warning{Code: WarnInvalidUTF8, Field: f.field,
			Message: fmt.Sprintf("the %s holds bytes that are not UTF-8, which JSON does not allow: the app reads each as U+FFFD", f.field)})
	}
}

// setField sets one of the plain fields from the hit of the probe at i and records its source.
func (m *Mapper) setField(hits []hit, u *User, field string, i int) string {
	h, p := m.at(hits, i)
	if p == nil || !h.found {
		return ""
	}
	v := h.text()
	if v != "" {
		m.probeSource(u, field, i, h.from)
	}
	switch field {
	case FieldID:
		u.ID = v
	case FieldEmail:
		u.Email = v
	case FieldNickname:
		u.Nickname = v
	case FieldPhone:
		u.Phone = v
	case FieldDescription:
		u.Description = v
	}
	return v
}

// buildGeneric maps with the provider's rules, as an app with a custom mapping form does.
func (m *Mapper) buildGeneric(hits []hit, u *User) {
	m.setField(hits, u, FieldID, m.ix.id)
	m.setField(hits, u, FieldEmail, m.ix.email)
	m.setField(hits, u, FieldNickname, m.ix.nickname)
	m.setField(hits, u, FieldPhone, m.ix.phone)
	m.setField(hits, u, FieldDescription, m.ix.description)
	m.setVerified(hits, u)
	h, p := m.at(hits, m.usernameProbe())
	raw := ""
	if p != nil && h.found {
		raw = h.text()
	}
	u.UsernameInfo = UsernameInfo{From: m.usernameFrom, Raw: raw, Normalize: m.normalize, OnConflict: m.onConflict}
	base := raw
	if m.normalize == "handle" {
		base = Handle(raw)
	}
	u.UsernameInfo.Base, u.Username = base, base
	if base != "" {
		m.probeSource(u, "username", m.usernameProbe(), h.from)
	}
	m.requireFields(hits, u)
}

// usernameProbe is the probe the username comes from: the mapped field username.from names, or
// the claim it names.
func (m *Mapper) usernameProbe() int {
	if i := m.field(m.usernameFrom); i >= 0 {
		return i
	}
	return m.ix.username
}

// setVerified reads email_verified (or Google v1's verified_email) and warns when it is false.
func (m *Mapper) setVerified(hits []hit, u *User) {
	for _, i := range [2]int{m.ix.verified, m.ix.verifiedEmail} {
		h, p := m.at(hits, i)
		if p == nil || !h.found {
			continue
		}
		var v bool
		switch t := h.val().(type) {
		case bool:
			v = t
		case string:
			// Some providers (Amazon Cognito) send "true" and "false" as strings.
			b, err := strconv.ParseBool(t)
			if err != nil {
				continue
			}
			v = b
		default:
			continue
		}
		if v {
			u.EmailVerified = &verifiedTrue
		} else {
			u.EmailVerified = &verifiedFalse
		}
		u.setSource("emailVerified", Source{From: h.from, Path: p.rule.Expr()})
		if !v && u.Email != "" && m.app != config.AppPhotoPrism {
			u.Warnings = append(u.Warnings, Warning{Code: WarnUnverifiedEmail, Field: FieldEmail,
				Message: fmt.Sprintf("the provider says %s is not verified (%s is false): anyone could have typed it, so do not trust it for registration or to link accounts", u.Email, strings.TrimPrefix(p.rule.Expr(), "$."))})
		}
		return
	}
}

// verifiedTrue and verifiedFalse back User.EmailVerified without an allocation per user; they are
// never written through.
var verifiedTrue, verifiedFalse = true, false

// requireFields reports required fields that are empty, naming the rule that should fill them.
func (m *Mapper) requireFields(hits []hit, u *User) {
	for _, f := range m.required {
		var v string
		i := m.field(f)
		switch f {
		case FieldID:
			v = u.ID
		case FieldName:
			v = u.Username
			i = m.usernameProbe()
		case FieldEmail:
			v = u.Email
		}
		if v != "" {
			continue
		}
		h, p := m.at(hits, i)
		key, expr := f, ""
		what := "has no rule"
		if p != nil {
			key, expr = p.key, p.rule.Expr()
			switch {
			case !h.found:
				what = "matched nothing"
			case h.val() == nil:
				what = "selected null"
			default:
				what = fmt.Sprintf("selected %s", shortJSON(h.val()))
			}
		}
		label := f
		if f == FieldName {
			label = "username"
		}
		msg := fmt.Sprintf("required field %s is empty: rule %s (%s) %s", label, key, expr, what)
		switch {
		case expr == "":
			msg = fmt.Sprintf("required field %s is empty: there is no rule for it", label)
		case f == FieldName && u.UsernameInfo.Raw != "":
			msg = fmt.Sprintf("required field username is empty: %q from rule %s (%s) has no character a handle keeps", u.UsernameInfo.Raw, key, expr)
		}
		u.Errors = append(u.Errors, Problem{Code: ErrMissingRequired, Field: label, Message: msg})
	}
}

// shortJSON shows a value in a message, cut to a readable length.
func shortJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

// finish sets OK and replaces nil slices so that JSON shows [] rather than null.
func (u *User) finish() {
	u.OK = len(u.Errors) == 0
	if u.Warnings == nil {
		u.Warnings = []Warning{}
	}
	if u.Errors == nil {
		u.Errors = []Problem{}
	}
	if u.Notes == nil {
		u.Notes = []string{}
	}
	if u.Roles == nil {
		u.Roles = []string{}
	}
}

// Text turns a mapped JSON value into the string an app stores: strings as they are, numbers in
// decimal without exponent (GitHub's id 58121947), booleans as true/false, null as "", and lists
// and objects as compact JSON.
func Text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// appTitle is the app's name as its users write it.
func appTitle(kind string) string {
	if i, ok := app.Lookup(kind); ok && kind != config.AppGeneric {
		return i.Title
	}
	return "the app"
}

// newRand returns the generator for random-digits suffixes: seeded when seed is not 0.
func newRand(seed uint64) *rand.Rand {
	if seed == 0 {
		return rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}
