package doctor

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	appmodel "github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// Login is what Analyze reads: one test-login's report and error, the config, and what the
// pre-flight learned about the provider.
type Login struct {
	// App is the config's app (kind and URL); nil when the file names none.
	App *config.App
	// Provider is the configured provider.
	Provider config.Provider
	// Report is the login's report; nil when the login never started.
	Report *login.Report
	// Err is the login's error, nil when it succeeded.
	Err error
	// Metadata is the provider's discovery document, nil for plain OAuth 2.0 kinds or when unknown.
	Metadata *provider.Discovery
	// ClockOffset is the provider's clock minus this machine's, from its Date header; nil when unknown.
	ClockOffset *time.Duration
	// Now is when the login ended.
	Now time.Time
	// Silenced says whether the config's ignore list silences a code, so that DOC070 does not point
	// at a finding the user will not see; nil silences nothing.
	Silenced func(code string) bool
}

// protocolClaims are the ID token claims about the token itself, which userinfo never repeats.
var protocolClaims = []string{"iss", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash", "auth_time", "azp",
	"sid", "acr", "amr", "jti", "typ", "s_hash", "tid", "ver", "uti", "rh", "aio", "idp", "ipaddr"}

// ClockNoteThreshold is the clock offset from which Analyze warns even when the login passed: within
// ssoctl's allowed skew, but apps that allow less (or none) reject fresh tokens.
const ClockNoteThreshold = 30 * time.Second

// Analyze diagnoses one test-login: after a failure, the clock (iat or exp) and issuer (iss) checks
// with their evidence, or the TLS failure of a request classified (TLSFailure); after a success, scopes, claims, the lockout guard and whose fault it is when
// the app still fails. It makes no requests. Where the provider's flavour is known, each
// provider-side fix is named in its terms (ProviderFixes).
func Analyze(in Login) []Finding {
	return ProviderFixes(analyze(in), in.Provider, in.Metadata)
}

func analyze(in Login) []Finding {
	var out []Finding
	var le *login.Error
	if in.Err != nil {
		if errors.As(in.Err, &le) {
			switch {
			case le.Step == "id token" && le.Check == "iss":
				out = append(out, TokenIssuerFinding(in.Provider.Issuer, metadataIssuer(in.Metadata), le.Actual, appKind(in.App)))
			case le.Step == "discovery" && le.Check == "issuer":
				out = append(out, DiscoveryIssuerFinding(le.Expected, le.Actual, appKind(in.App)))
			case le.Step == "id token" && le.Check == login.CheckSecretLength:
				out = append(out, shortHMACSecret(le, in))
			case le.Step == "id token" && le.Check == "app signing algorithm":
				// The rehearsed app refuses the token's algorithm (login's appSigningCheck; Actual
				// is the token's alg): the finding names the fix in the provider's terms.
				var discovered []string
				if in.Metadata != nil {
					discovered = in.Metadata.IDTokenSigningAlgValuesSupported
				}
				if f := tokenAlgForApp(appKind(in.App), in.Provider.Type, le.Actual, discovered); f != nil {
					out = append(out, *f)
				}
			case le.Check == "iat" || le.Check == "exp":
				if f := clockFromError(le, in.ClockOffset, in.Now); f != nil {
					out = append(out, *f)
				}
			default:
				if f := TLSFailure(le); f != nil {
					out = append(out, *f)
				}
			}
		}
		return out
	}
	if in.ClockOffset != nil && abs(*in.ClockOffset) > ClockNoteThreshold {
		out = append(out, clockFinding(*in.ClockOffset, "the provider's Date header",
			fmt.Sprintf("the login passed, as the offset is within ssoctl's allowed skew of %s, but apps that allow less reject fresh tokens", login.DefaultClockSkew)))
	}
	rep := in.Report
	if rep == nil {
		return out
	}
	out = append(out, scopeFindings(in)...)
	out = append(out, claimFindings(in)...)
	out = append(out, lockoutFindings(in)...)
	out = append(out, providerOK(in, out))
	return out
}

func metadataIssuer(md *provider.Discovery) string {
	if md == nil {
		return ""
	}
	return md.Issuer
}

func appKind(app *config.App) string {
	if app == nil {
		return ""
	}
	return app.Kind
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// seconds renders a duration in whole seconds, as the clock findings state offsets.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%d s", int64(math.Round(abs(d).Seconds())))
}

// clockFinding is DOC040 for an offset (provider minus this machine) measured from source.
func clockFinding(offset time.Duration, source, why string) Finding {
	side := "the provider's clock is ahead of this machine's"
	if offset < 0 {
		side = "this machine's clock is ahead of the provider's"
	}
	f := newFinding(CodeClockSkew, "",
		fmt.Sprintf("the clocks differ by %s (%s, by %s): %s", seconds(offset), side, source, why),
		"check both clocks against real time (timedatectl status; chronyc tracking) and fix the one that is off; the app's server needs a right clock too")
	return f
}

// clockFromError states the offset behind an iat or exp failure. The provider's Date header
// measures it when the pre-flight saw one; when that header agrees with this machine, the clocks are
// fine and the provider stamps its tokens wrongly; without it, the token's own time bounds it.
func clockFromError(le *login.Error, dateOffset *time.Duration, now time.Time) *Finding {
	t, err := time.Parse(time.RFC3339, le.Actual)
	if err != nil {
		return nil
	}
	// tokenOffset is how far the token's time is from this machine's: for iat the provider's clock
	// at issue minus this machine's; for exp a bound (a fresh token expired that long ago).
	tokenOffset := t.Sub(now)
	var f Finding
	switch {
	case dateOffset != nil && abs(*dateOffset) > dateAgreement:
		f = clockFinding(*dateOffset, "the provider's Date header", fmt.Sprintf("the ID token's %s check failed", le.Check))
	case dateOffset != nil:
		f = newFinding(CodeClockSkew, "",
			fmt.Sprintf("the ID token's %s is %s off this machine's clock, but the provider's Date header agrees with this machine (offset %s): the clocks are fine and the provider stamps its tokens with a wrong time",
				le.Check, seconds(tokenOffset), seconds(*dateOffset)),
			"check the clock of the service that signs the provider's tokens (a separate container or node) and the token lifetime settings at the provider")
	case le.Check == "iat":
		f = clockFinding(tokenOffset, "the ID token's iat",
			fmt.Sprintf("the token was issued at %s, which is in this machine's future beyond the allowed skew of %s", t.UTC().Format(time.RFC3339), login.DefaultClockSkew))
	default:
		f = clockFinding(tokenOffset, "the ID token's exp",
			fmt.Sprintf("the fresh token expired at %s by this machine's clock, so this machine is at least that far ahead (or the provider issues tokens that are expired already)", t.UTC().Format(time.RFC3339)))
		f.Message = strings.Replace(f.Message, "the clocks differ by", "the clocks differ by at least", 1)
	}
	f.Expected, f.Actual = now.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339)
	f.ExpectedLabel, f.ActualLabel = "this machine", "token "+le.Check
	return &f
}

// dateAgreement is how close a Date header (whole seconds) must be to this machine's clock to count
// as agreeing.
const dateAgreement = 2 * time.Second

func scopeFindings(in Login) []Finding {
	rep := in.Report
	var out []Finding
	if rep.GrantedScopesListed {
		var missing []string
		for _, s := range rep.RequestedScopes {
			if !slices.Contains(rep.GrantedScopes, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) > 0 {
			f := newFinding(CodeScopeNotGranted, "scopes",
				fmt.Sprintf("the provider granted %s but not %s", listOr(rep.GrantedScopes, "no scope"), strings.Join(missing, ", ")),
				"allow the scopes for the client at the provider (Keycloak: client scopes; authentik: scope mappings), or drop them from scopes; offline_access is often granted only with prompt=consent")
			f.Expected, f.Actual = strings.Join(rep.RequestedScopes, " "), strings.Join(rep.GrantedScopes, " ")
			f.ExpectedLabel, f.ActualLabel = "requested", "granted"
			out = append(out, f.providerSide(provider.FixScopeAllowed, "allow the scopes for the client at the provider (Keycloak: client scopes; authentik: scope mappings)"))
		}
	}
	if md := in.Metadata; md != nil && len(md.ScopesSupported) > 0 && slices.Contains(rep.RequestedScopes, "groups") && !slices.Contains(md.ScopesSupported, "groups") {
		if fl, detected, ok := provider.FlavorOf(in.Provider.Flavor, md); ok && fl.UnlistedScopeSetting != "" {
			// A provider that grants scopes it does not announce (ORY Hydra): the list says nothing of
			// this client, DOC050 says whether groups was granted and the claim findings whether it
			// arrived, so only a note.
			title := fl.Title
			if detected {
				title += " (detected from discovery)"
			}
			f := newFinding(CodeGroupsScope, "scopes",
				fmt.Sprintf("the scope groups is requested; %s's scopes_supported (%s) does not list it, but %s grants any scope the client's registration allows", title, strings.Join(md.ScopesSupported, " "), fl.Title),
				fmt.Sprintf("nothing to change for the login; to have the discovery document list groups, add it to %s", fl.UnlistedScopeSetting))
			f.Severity = SeverityNote
			return append(out, f)
		}
		f := newFinding(CodeGroupsScope, "scopes",
			fmt.Sprintf("the scope groups is requested, but the provider's scopes_supported (%s) does not list it", strings.Join(md.ScopesSupported, " ")),
			"Keycloak: create a client scope named groups with a Group Membership mapper and add it to the client; authentik sends groups with profile, so drop groups from scopes")
		out = append(out, f.providerSide(provider.FixGroupsClaim, f.Hint))
	}
	return out
}

// appSource says where the app kind reads user claims for the provider type: "id_token",
// "userinfo", or "" when ssoctl does not know (or the app reads both).
func appSource(kind, typ string) string {
	switch {
	case appmodel.IsAListKind(kind) && typ != config.TypeCasdoor:
		// AList's (and OpenList's) OIDC login reads the verified ID token's payload, the other
		// platforms their user APIs (pkg/app: Platform.Document).
		a, _ := appmodel.AListKind(kind, "")
		if pf, ok := a.Platform(typ); ok {
			if pf.Document == appmodel.DocIDToken {
				return "id_token"
			}
			return "userinfo"
		}
		return ""
	case kind == config.AppInvenTree:
		return "userinfo" // django-allauth with fetch_userinfo (apps.md)
	case kind == config.AppPhotoPrism:
		// zitadel/oidc's rp.UserinfoCallback: username, email and name come from userinfo
		// (internal/auth/oidc/client.go); groups from both documents (groupsSource).
		return "userinfo"
	case kind == config.AppLobeChat && typ != config.TypeGitHub && typ != config.TypeOAuth2:
		// LobeChat 1.x: Auth.js takes an OpenID Connect provider's profile from the ID token
		// (@auth/core, callback/oauth/callback.ts). LobeHub 2.x: Better Auth's generic OAuth plugin
		// does too, unless the ID token lacks sub or email; then it reads userinfo (lobeChatNote).
		return "id_token"
	}
	return ""
}

// lobeChatNote qualifies DOC052 for LobeChat when the ID token lacks email: LobeHub 2.x then reads
// userinfo instead, so only 1.x is affected.
func lobeChatNote(kind string, missing []string) string {
	if kind != config.AppLobeChat || !slices.Contains(missing, "email") {
		return ""
	}
	return " (LobeChat 1.x, on Auth.js; LobeHub 2.x reads userinfo when the ID token has no email)"
}

// groupsSource is the document the app reads groups from, "" for both: as appSource, except that
// PhotoPrism merges the groups of the ID token and of userinfo (internal/api/oidc_redirect.go).
func groupsSource(kind, typ string) string {
	if kind == config.AppPhotoPrism {
		return ""
	}
	return appSource(kind, typ)
}

func sourceName(s string) string {
	if s == "id_token" {
		return "the ID token"
	}
	return "the userinfo document"
}

// groupsClaim is the claim the group map reads.
func groupsClaim(p config.Provider) string {
	if p.Groups != nil && p.Groups.Claim != "" {
		return p.Groups.Claim
	}
	return "groups"
}

func groupsUsed(p config.Provider) bool {
	return p.Groups != nil && (len(p.Groups.Map) > 0 || p.Groups.RemoveUnmapped || p.Groups.Claim != "")
}

// mappingFields are the fields a mapping fills (mapping.Fields); a username "from" that is none of
// them names a claim. Copied rather than imported: the list is part of the config format.
var mappingFields = []string{"id", "name", "email", "nickname", "phone", "description"}

// neededClaims are the claims the app needs from this login: email, the username claim when it is
// a claim rather than a mapping field, and the groups claim when groups are mapped. AList and
// OpenList read neither email nor groups; their one claim is checked by alistClaimFindings.
func neededClaims(kind string, p config.Provider) []string {
	if appmodel.IsAListKind(kind) {
		return nil
	}
	out := []string{"email"}
	if p.Mapping != nil && p.Mapping.Username != nil {
		if from := p.Mapping.Username.From; from != "" && !slices.Contains(mappingFields, from) {
			out = append(out, from)
		}
	}
	if groupsUsed(p) {
		out = append(out, groupsClaim(p))
	}
	return out
}

// lookup finds a claim by name, or by a dotted path into nested objects (realm_access.roles).
func lookup(doc map[string]any, name string) (any, bool) {
	if doc == nil {
		return nil, false
	}
	if v, ok := doc[name]; ok {
		return v, true
	}
	var cur any = doc
	for _, part := range strings.Split(name, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func claimFindings(in Login) []Finding {
	rep, p := in.Report, in.Provider
	var idc map[string]any
	if rep.IDToken != nil {
		idc = rep.IDToken.Claims
	}
	ui := rep.Userinfo
	kind := appKind(in.App)
	var out []Finding

	// The groups claim's shape.
	gc := groupsClaim(p)
	for _, doc := range []struct {
		name string
		m    map[string]any
	}{{"userinfo", ui}, {"ID token", idc}} {
		if v, ok := lookup(doc.m, gc); ok {
			if s, isStr := v.(string); isStr {
				f := newFinding(CodeGroupsNotList, "groups.claim",
					fmt.Sprintf("the %s claim in the %s is the string %q, not a list of groups", gc, doc.name, truncate(s, 80)),
					"make the provider send a list: Keycloak: turn on Multivalued in the mapper; otherwise map the claim the provider fills as a list")
				f.Expected, f.Actual = fmt.Sprintf("[%q]", s), fmt.Sprintf("%q", s)
				f.ExpectedLabel, f.ActualLabel = "a list", "sent"
				out = append(out, f.providerSide(provider.FixGroupsList, "make the provider send a list: Keycloak: turn on Multivalued in the mapper"))
				break
			}
		}
	}

	// Claims the app reads from one document only.
	if src := appSource(kind, p.Type); src != "" && idc != nil && ui != nil {
		have, other := idc, ui
		if src == "userinfo" {
			have, other = ui, idc
		}
		var missing []string
		for _, c := range neededClaims(kind, p) {
			if c == gc && groupsSource(kind, p.Type) != src {
				continue // the app reads groups from both documents
			}
			if _, ok := lookup(have, c); ok {
				continue
			}
			if _, ok := lookup(other, c); ok {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			otherName := sourceName("userinfo")
			if src == "userinfo" {
				otherName = sourceName("id_token")
			}
			f := newFinding(CodeClaimMissingForApp, "",
				fmt.Sprintf("%s reads %s, which lacks %s; only %s carries %s%s", appTitle(kind), sourceName(src), strings.Join(missing, ", "), otherName, pronoun(missing), lobeChatNote(kind, missing)),
				claimFixHint(src))
			out = append(out, f.providerSide(claimFixKey(src), f.Hint))
		}
	}

	out = append(out, alistClaimFindings(in, idc, ui)...)

	// The difference between the two documents.
	if idc != nil && ui != nil {
		var onlyID, onlyUI, differ []string
		for k, v := range idc {
			if slices.Contains(protocolClaims, k) {
				continue
			}
			uv, ok := ui[k]
			switch {
			case !ok:
				onlyID = append(onlyID, k)
			case !sameJSON(v, uv):
				differ = append(differ, k)
			}
		}
		for k := range ui {
			if _, ok := idc[k]; !ok && !slices.Contains(protocolClaims, k) {
				onlyUI = append(onlyUI, k)
			}
		}
		sort.Strings(onlyID)
		sort.Strings(onlyUI)
		sort.Strings(differ)
		var parts []string
		if len(onlyUI) > 0 {
			parts = append(parts, "only in userinfo: "+strings.Join(onlyUI, ", "))
		}
		if len(onlyID) > 0 {
			parts = append(parts, "only in the ID token: "+strings.Join(onlyID, ", "))
		}
		if len(differ) > 0 {
			parts = append(parts, "different values: "+strings.Join(differ, ", "))
		}
		if len(parts) > 0 {
			reads := "apps read one or the other: AList's OpenID Connect login and LobeChat the ID token, InvenTree and PhotoPrism userinfo"
			if src := appSource(kind, p.Type); src != "" {
				reads = fmt.Sprintf("%s reads %s", appTitle(kind), sourceName(src))
			}
			out = append(out, newFinding(CodeClaimsDiffer, "",
				fmt.Sprintf("the ID token and userinfo differ (%s); %s", strings.Join(parts, "; "), reads),
				"providers put profile claims into userinfo only unless told otherwise; mapping rules run against the userinfo shown above"))
		}
	}

	// email_verified false.
	for _, doc := range []map[string]any{ui, idc} {
		if v, ok := doc["email_verified"]; ok && (v == false || v == "false") {
			email, _ := doc["email"].(string)
			f := newFinding(CodeEmailUnverified, "",
				fmt.Sprintf("the provider says the email address %s is not verified (email_verified is false)", orQuoted(email, "of this user")),
				"verify the address at the provider (authentik's default email mapping always says false: override it), or make sure the app does not link accounts or allow domains by an unverified address")
			out = append(out, f)
			break
		}
	}

	// aud and azp.
	if idc != nil {
		aud := audiences(idc["aud"])
		azp, hasAzp := idc["azp"].(string)
		if len(aud) > 1 || hasAzp {
			msg := fmt.Sprintf("the ID token's aud is %s", strings.Join(aud, ", "))
			if len(aud) > 1 {
				msg = fmt.Sprintf("the ID token is meant for %d audiences (%s)", len(aud), strings.Join(aud, ", "))
			}
			if hasAzp {
				msg += fmt.Sprintf(" and its azp (authorized party) is %s, the client it was issued to", azp)
			}
			msg += fmt.Sprintf("; ssoctl checked that aud holds client_id %s%s", p.ClientID, map[bool]string{true: " and that azp equals it", false: ""}[hasAzp])
			out = append(out, newFinding(CodeAudience, "client_id", msg,
				"extra audiences come from the provider's audience mappers or resource settings; apps accept them as long as their client ID is among them (and azp names it)"))
		}
	}

	// ID tokens signed with an algorithm the app does not accept (HMAC for apps that verify with
	// the JWKS only).
	if rep.IDToken != nil {
		var discovered []string
		if in.Metadata != nil {
			discovered = in.Metadata.IDTokenSigningAlgValuesSupported
		}
		if f := tokenAlgForApp(kind, p.Type, rep.IDToken.Header.Alg, discovered); f != nil {
			out = append(out, *f)
		}
	}
	return out
}

func pronoun(ss []string) string {
	if len(ss) == 1 {
		return "it"
	}
	return "them"
}

// claimFixKey is the provider-side change that puts claims where an app reading src finds them.
func claimFixKey(src string) provider.FixKey {
	if src == "id_token" {
		return provider.FixClaimsInIDToken
	}
	return provider.FixClaimsInUserinfo
}

func claimFixHint(src string) string {
	if src == "id_token" {
		return "add the claims to the ID token at the provider (Keycloak: turn on \"Add to ID token\" in the mapper; oidc-provider: conformIdTokenClaims false; authentik: scope mappings apply to both)"
	}
	return "add the claims to userinfo at the provider (Keycloak: turn on \"Add to userinfo\" in the mapper; request the scope that carries them)"
}

func orQuoted(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func listOr(ss []string, def string) string {
	if len(ss) == 0 {
		return def
	}
	return strings.Join(ss, " ")
}

func sameJSON(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

func audiences(v any) []string {
	switch a := v.(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, x := range a {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// adminWords mark an app group or role that grants administration.
var adminWords = []string{"admin", "superuser", "owner", "root"}

func isAdmin(group string) bool {
	g := strings.ToLower(group)
	for _, w := range adminWords {
		if strings.Contains(g, w) {
			return true
		}
	}
	return false
}

// lockoutFindings warn when syncing groups on this login would take roles away because the groups
// claim is empty, missing or a string (DOC060, DOC061), and when it may be missing for everyone
// (DOC062).
func lockoutFindings(in Login) []Finding {
	p := in.Provider
	if !groupsUsed(p) {
		return nil
	}
	rep := in.Report
	var idc map[string]any
	if rep.IDToken != nil {
		idc = rep.IDToken.Claims
	}
	gc := groupsClaim(p)
	docs := []map[string]any{rep.Userinfo, idc}
	where := "this login's ID token or userinfo"
	switch groupsSource(appKind(in.App), p.Type) {
	case "userinfo":
		docs, where = []map[string]any{rep.Userinfo}, "this login's userinfo (which "+appTitle(appKind(in.App))+" reads)"
	case "id_token":
		docs, where = []map[string]any{idc}, "this login's ID token (which "+appTitle(appKind(in.App))+" reads)"
	}
	var value any
	present := false
	for _, d := range docs {
		if v, ok := lookup(d, gc); ok {
			value, present = v, true
			break
		}
	}
	groups := groupList(value)
	_, isString := value.(string)
	var out []Finding
	if !present && len(p.Groups.Map) > 0 {
		fix := ""
		msg := fmt.Sprintf("the claim %s is not in %s, so the group map can never match: every user gets only the default role%s", gc, where, defaultRole(p))
		hint := "the provider does not send the claim: request the scope that carries it and add a group mapper at the provider (Keycloak: Group Membership; authentik: the profile scope sends groups)"
		switch {
		case slices.Contains(in.Report.GrantedScopes, gc):
			// The scope named after the claim was granted, so the provider knows the claim, and
			// some omit it for a user in no group (oidc-provider does): one login cannot tell that
			// user from a provider that sends the claim to nobody.
			msg = fmt.Sprintf("the claim %s is not in %s although the scope %s was granted: this user is in no group, or the provider sends the claim to nobody and every user gets only the default role%s", gc, where, gc, defaultRole(p))
			hint = "run test-login as a user who is in a group: if the claim is missing there too, add a group mapper at the provider (Keycloak: Group Membership on the groups client scope)"
		case gc == "groups" && groupsScopeOf(in) != "" && !slices.Contains(in.Report.RequestedScopes, groupsScopeOf(in)):
			fix = "scopes: [" + strings.Join(append(slices.Clone(in.Report.RequestedScopes), groupsScopeOf(in)), ", ") + "]"
		}
		f := newFinding(CodeDefaultRoleOnly, "groups.claim", msg, hint)
		f.Fix = fix
		out = append(out, f.providerSide(provider.FixGroupsClaim, hint))
	}
	if len(groups) == 0 && p.Groups.RemoveUnmapped {
		state := "empty"
		switch {
		case !present:
			state = "absent"
		case isString:
			state = "a string, not a list,"
		}
		out = append(out, newFinding(CodeLockoutRemove, "groups.remove_unmapped",
			fmt.Sprintf("the claim %s is %s in %s, and remove_unmapped is on: logging in would remove every mapped app group of this user, admin groups included", gc, state, where),
			"fix the groups claim first (scope, mapper), or turn remove_unmapped off until a test-login shows the user's groups; keep a local admin account that does not log in by SSO").providerSide(provider.FixGroupsClaim, "fix the groups claim first (scope, mapper)"))
	}
	if len(groups) == 0 {
		var admins []string
		for idpGroup, appGroup := range p.Groups.Map {
			if isAdmin(appGroup) {
				admins = append(admins, idpGroup+" → "+appGroup)
			}
		}
		sort.Strings(admins)
		carries := "carries no groups"
		if isString {
			carries = "carries no list of groups, only a string"
		}
		if len(admins) > 0 {
			out = append(out, newFinding(CodeLockoutAdmin, "groups.map",
				fmt.Sprintf("the group map grants admin (%s), but %s %s: if this account administers the app, it would not be admin after logging in", strings.Join(admins, "; "), where, carries),
				"make sure the admin's groups arrive (run test-login as the admin) before relying on admin-by-group; keep a local admin account"))
		}
	}
	return out
}

// groupsScopeOf is the scope that releases the groups claim: the flavour's (Keycloak's dedicated
// client scope needs none; authentik's is profile), groups when the flavour is unknown.
func groupsScopeOf(in Login) string {
	if fl, _, ok := provider.FlavorOf(in.Provider.Flavor, in.Metadata); ok && fl.GroupsClaim == "groups" {
		return fl.GroupsScope
	}
	return "groups"
}

func defaultRole(p config.Provider) string {
	if len(p.Roles) > 0 {
		return " (" + strings.Join(p.Roles, ", ") + ")"
	}
	return ""
}

// groupList is the groups a claim value carries. A string carries none: apps that map groups
// iterate over a list and see no groups, or one group per character, in a string (DOC056).
func groupList(v any) []string {
	if m, ok := v.(map[string]any); ok {
		// An object's keys, as InvenTree (the one app that syncs groups) iterates a Python dict:
		// ZITADEL's roles claim (pkg/mapping groupList).
		return slices.Sorted(maps.Keys(m))
	}
	g, ok := v.([]any)
	if !ok {
		return nil
	}
	var out []string
	for _, x := range g {
		if s, ok := x.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// appSuspects are the app-side causes of a failed SSO login when the provider side works.
var appSuspects = map[string][]string{
	config.AppAList: {
		"site_url must be the public https URL users browse to: AList builds its callback from it, else from the request's X-Forwarded-Proto and Host",
		"the reverse proxy must pass X-Forwarded-Proto https and the original Host",
		"sso_compatibility_mode must match the callback registered at the provider",
		"AList's server (inside its container) must resolve and trust the provider itself: DNS and CA certificates there",
		"auto-registered usernames that collide are resolved only on SQLite",
	},
	config.AppOpenList: {
		"site_url must be the public https URL users browse to: OpenList builds its callback from it, else from the request's X-Forwarded-Proto and Host",
		"the reverse proxy must pass X-Forwarded-Proto https and the original Host",
		"sso_compatibility_mode must match the callback registered at the provider",
		"OpenList's server (inside its container) must resolve and trust the provider itself: DNS and CA certificates there",
		"auto-registered usernames that collide are resolved only on SQLite",
	},
	config.AppPhotoPrism: {
		"PHOTOPRISM_SITE_URL must be the public https URL; its host is the callback's",
		"PhotoPrism and the provider must both use https with certificates PhotoPrism's container trusts",
		"PHOTOPRISM_OIDC_REGISTER must be true for users without an account",
		"the reverse proxy must keep cookies and pass X-Forwarded-Proto",
	},
	config.AppInvenTree: {
		"LOGIN_DEFAULT_HTTP_PROTOCOL must be https behind TLS, or allauth builds http:// callbacks",
		"the Social Application must be attached to the Site whose domain users browse",
		"email must be configured in InvenTree, or SSO is not activated",
		"behind a proxy: X-Forwarded-Proto, INVENTREE_SITE_URL and CSRF_TRUSTED_ORIGINS must name the public URL",
		"session cookies must survive the round trip to the provider (SameSite, https)",
	},
	config.AppLobeChat: {
		"NEXTAUTH_URL or AUTH_URL (1.x), NEXT_PUBLIC_AUTH_URL (2.x) must be the public URL",
		"NEXT_AUTH_SECRET or AUTH_SECRET must be set",
		"the provider id in the providers list must match the callback path registered at the provider",
		"the container must resolve and reach the issuer (split-horizon DNS)",
		"secure cookies need https all the way to the browser",
	},
}

var genericSuspects = []string{
	"the app's public URL setting (scheme and host of its callback)",
	"the reverse proxy's X-Forwarded-Proto and Host headers",
	"the app server's own DNS, TLS trust and clock",
	"session cookies lost on the round trip to the provider",
}

// alistClaimFindings is DOC059 for AList and OpenList: the values the app will read (pkg/app) are
// absent from the document it reads, so the app refuses the login whatever the provider did right.
// OIDC reads the ID token's key sso_oidc_username_key literally, as export writes it
// (mapping.AListUsernameKey); the other platforms read their user API's id and username fields.
func alistClaimFindings(in Login, idc, ui map[string]any) []Finding {
	kind := appKind(in.App)
	if !appmodel.IsAListKind(kind) {
		return nil
	}
	version := ""
	if in.App != nil {
		version = in.App.Version
	}
	a, ok := appmodel.AListKind(kind, version)
	if !ok {
		return nil
	}
	p := in.Provider
	pf, ok := a.Platform(p.Type)
	if !ok {
		return nil
	}
	if pf.Document == appmodel.DocIDToken {
		if idc == nil {
			return nil
		}
		k := mapping.AListUsernameKey(a, p)
		if mapping.Text(idc[k.Key]) != "" {
			return nil
		}
		msg := fmt.Sprintf("%s reads the ID token's key %q (sso_oidc_username_key) as both the SSO id and the username, and this login's ID token has none: %s refuses every login and bind with %q", a.Title, k.Key, a.Title, appmodel.MsgOIDCNoUsername)
		hint := claimFixHint("id_token")
		switch {
		case k.PathLike:
			msg += "; the key is read literally, not as a JSONPath"
			hint = fmt.Sprintf("write the claim's name: username.from: %s", k.Meant)
		case ui != nil && mapping.Text(ui[k.Key]) != "":
			msg += "; only userinfo carries it, which " + a.Title + " never reads"
		default:
			hint = fmt.Sprintf("make the provider put %s into the ID token (request the scope that carries it: %s sends openid profile and sso_extra_scopes), or choose a claim the ID token has, such as sub or preferred_username", k.Key, a.Title)
		}
		f := newFinding(CodeAppClaimAbsent, "mapping.username.from", msg, hint)
		if !k.PathLike {
			f = f.providerSide(provider.FixClaimsInIDToken, hint)
		}
		f.Expected, f.Actual = k.Key, strings.Join(sortedKeys(idc), ", ")
		f.ExpectedLabel, f.ActualLabel = "key", "ID token"
		return []Finding{f}
	}
	if ui == nil {
		return nil
	}
	var out []Finding
	if id := mapping.Text(ui[pf.IDField]); id == "" || id == "0" {
		out = append(out, newFinding(CodeAppClaimAbsent, "",
			fmt.Sprintf("%s takes the SSO id from %s of %s, and this login's answer has %s: %s refuses every login with %q", a.Title, pf.IDField, pf.UserAPI, map[bool]string{true: "none", false: "0"}[id == ""], a.Title, appmodel.MsgNoSSOID),
			"check that the provider's user API answers for this account with its id (scopes, API permissions)"))
	}
	if reg := p.Registration; reg != nil && reg.Enabled && mapping.Text(ui[pf.UsernameField]) == "" {
		out = append(out, newFinding(CodeAppClaimAbsent, "",
			fmt.Sprintf("%s takes a new user's username from %s of %s, and this login's answer has none: %s refuses to register the user with %q (an account already bound to the SSO id still logs in)", a.Title, pf.UsernameField, pf.UserAPI, a.Title, appmodel.MsgSSONoUsername),
			"fill in the account's "+pf.UsernameField+" at the provider, or bind the user's existing account in its profile"))
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if !slices.Contains(protocolClaims, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// providerCauses are the findings that put the cause of a failing app login on the provider's
// side: a claim the app reads is missing, or a scope that carries one was not granted.
var providerCauses = []string{CodeAppClaimAbsent, CodeClaimMissingForApp, CodeScopeNotGranted, CodeGroupsNotList, CodeSigningAlgForApp, CodeHMACToken}

// providerOK is DOC070: the login passed every provider-side step, so the app-side suspects for
// the app kind are listed, unless an earlier finding already names a provider-side cause: then
// DOC070 points at it instead of blaming the app.
func providerOK(in Login, prior []Finding) Finding {
	var steps []string
	for _, s := range in.Report.Steps {
		if !slices.Contains(steps, s.Name) && s.Name != "browser" && s.Name != "mapping" {
			steps = append(steps, s.Name)
		}
	}
	kind := appKind(in.App)
	suspects, ok := appSuspects[kind]
	app := "the app"
	if ok {
		app = appTitle(kind)
	} else {
		suspects = genericSuspects
	}
	var causes []string
	for _, f := range prior {
		if slices.Contains(providerCauses, f.Code) && !slices.Contains(causes, f.Code) && (in.Silenced == nil || !in.Silenced(f.Code)) {
			causes = append(causes, f.Code)
		}
	}
	if len(causes) > 0 {
		return newFinding(CodeProviderOK, "",
			fmt.Sprintf("the provider's protocol steps passed (%s), but what it sends is the cause if %s fails to log in: see %s above", strings.Join(steps, ", "), app, strings.Join(causes, ", ")),
			"fix "+strings.Join(causes, ", ")+" at the provider (or in this file) first; if "+app+" still fails after that, check: "+strings.Join(suspects, "; "))
	}
	return newFinding(CodeProviderOK, "",
		fmt.Sprintf("every provider-side step passed (%s): if %s still fails to log in, the cause is on %s's side", strings.Join(steps, ", "), app, app),
		"check: "+strings.Join(suspects, "; "))
}

// DateOffset is the provider's clock minus this machine's, from an HTTP Date header (whole seconds,
// so offsets under a second read as zero) and the local time the answer arrived.
func DateOffset(date string, now time.Time) (time.Duration, bool) {
	t, err := http.ParseTime(date)
	if err != nil {
		return 0, false
	}
	return t.Sub(now.Truncate(time.Second)), true
}
