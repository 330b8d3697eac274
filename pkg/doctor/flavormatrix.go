package doctor

import (
	"slices"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// MatrixClientID is the client ID the flavour matrix names in its fixes.
const MatrixClientID = "<client>"

// MatrixCell is what ssoctl finds for one flavour and one app when the provider runs with the
// flavour's defaults and the provider was added with `provider add --flavor` under that app: the
// findings `validate --online` gives (discovery, the redirect pre-flight, the client probe) and those
// test-login's doctor gives after a login of a user in a group.
type MatrixCell struct {
	Flavor string `json:"flavor"`
	App    string `json:"app"`
	// Online are validate --online's findings; Login test-login's doctor's (DOC053, DOC070 and the
	// other notes left out).
	Online []Finding `json:"online"`
	Login  []Finding `json:"login"`
}

// Codes lists the cell's finding codes, validate --online's first, without repeats.
func (c MatrixCell) Codes() []string {
	var out []string
	for _, f := range append(slices.Clone(c.Online), c.Login...) {
		if !slices.Contains(out, f.Code) {
			out = append(out, f.Code)
		}
	}
	return out
}

// matrixLoginCodes are the login findings the matrix shows: those a provider default causes.
var matrixLoginCodes = []string{CodeClaimMissingForApp, CodeGroupsNotList, CodeHMACToken, CodeSigningAlgForApp,
	CodeAppClaimAbsent, CodeDefaultRoleOnly, CodeLockoutRemove, CodeLockoutAdmin}

// FlavorMatrixProvider is the provider `provider add --flavor` writes for the flavour under the
// app kind (its AppPreset), as the matrix checks it: a confidential client MatrixClientID, with a
// group map where the app syncs groups.
func FlavorMatrixProvider(fl provider.Flavor, appKind, issuer string) config.Provider {
	pr, _ := provider.Lookup(config.TypeOIDC)
	ap := fl.AppPreset(appKind, pr.DefaultScopes)
	p := config.Provider{Name: "idp", Type: config.TypeOIDC, Flavor: fl.Name, ClientID: MatrixClientID,
		ClientSecret: "env:IDP_SECRET", Issuer: issuer, Scopes: ap.Scopes}
	if ap.Groups {
		key, _ := fl.GroupKey("staff")
		p.Groups = &config.Groups{Map: map[string]string{key: "staff"}}
		if ap.GroupsClaim != "groups" {
			p.Groups.Claim = ap.GroupsClaim
		}
	}
	return p
}

// MatrixApp is the app block the flavour matrix describes for an app kind at url: the newest
// modelled version, which for LobeChat must be named (an unversioned lobechat is LobeChat 1.x,
// pkg/app lobechat.go; the matrix shows LobeHub 2.x).
func MatrixApp(appKind, url string) *config.App {
	a := &config.App{Kind: appKind, URL: url}
	if appKind == config.AppLobeChat {
		a.Version = app.LobeHubModelled
	}
	return a
}

// FlavorMatrix predicts, from the flavour's defaults (pkg/provider flavor_*.go) and the app's OAuth
// client (pkg/app), what ssoctl reports for the pair, by running the doctor's own checks on what
// such a provider publishes and sends: its ID token algorithms against the app's verifier, a PKCE
// refusal of an app that sends none, a client held to one authentication method the app does not
// send, and a login whose ID token and userinfo carry the claims the flavour puts there by default.
// Every fix is named in the flavour's terms (ProviderFixes).
func FlavorMatrix(fl provider.Flavor, appKind string) MatrixCell {
	cell := MatrixCell{Flavor: fl.Name, App: appKind}
	issuer := "https://idp.example.com"
	p := FlavorMatrixProvider(fl, appKind, issuer)
	a := MatrixApp(appKind, "")
	md := &provider.Discovery{Issuer: issuer, IDTokenSigningAlgValuesSupported: fl.IDTokenAlgs,
		CodeChallengeMethodsSupported: fl.ChallengeMethods, TokenEndpointAuthMethodsSupported: fl.TokenAuthMethodsSupported}

	if f := SigningAlgsForApp(appKind, p.Type, fl.IDTokenAlgs); f != nil {
		cell.Online = append(cell.Online, *f)
	}
	c, hasClient := appClientOf(a, p.Type)
	if hasClient && fl.PKCERequired && !c.SendsPKCE(p.PKCE, fl.ChallengeMethods) {
		cell.Online = append(cell.Online, PKCERequired(c, p.ClientID, fl.PKCERefusal, "at the authorize endpoint, before anyone logs in"))
	}
	if only := fl.AcceptsOnly(); hasClient && only != "" {
		if f := ClientAuthForApp(c, p.ClientID, only, p.TokenEndpointAuthMethod, true, fl.TokenAuthMethodsSupported); f != nil {
			cell.Online = append(cell.Online, *f)
		}
	}
	cell.Online = ProviderFixes(cell.Online, p, md)

	rep := defaultLogin(fl, p, c, hasClient)
	for _, f := range Analyze(Login{App: a, Provider: p, Report: rep, Metadata: md}) {
		if slices.Contains(matrixLoginCodes, f.Code) {
			cell.Login = append(cell.Login, f)
		}
	}
	return cell
}

// defaultLogin is the login of a user in one group ("staff") at a provider with the flavour's
// defaults: userinfo carries the profile and email claims and, when the flavour sends groups
// without an admin's setup and the scope is requested, the groups claim; the ID token carries them
// too unless the flavour keeps them to userinfo. It is signed with the algorithm the flavour gives a
// new client (Flavor.DefaultIDTokenAlg: LemonLDAP::NG's manager HS512, although its discovery
// document lists RS256 too), else RS256 when discovery lists it, else the first one listed.
func defaultLogin(fl provider.Flavor, p config.Provider, c interface{ ScopesFor([]string) []string }, hasClient bool) *login.Report {
	pr, _ := provider.Lookup(config.TypeOIDC)
	scopes := p.Scopes
	if len(scopes) == 0 {
		scopes = pr.DefaultScopes
	}
	if hasClient {
		scopes = c.ScopesFor(scopes)
	}
	profile := map[string]any{"sub": "8f2c1e4a", "preferred_username": "alice", "name": "Alice Example",
		"email": "alice@example.com", "email_verified": true}
	ui := map[string]any{}
	for k, v := range profile {
		ui[k] = v
	}
	if fl.SendsGroupsByDefault() && (fl.GroupsScope == "" || slices.Contains(scopes, fl.GroupsScope)) {
		key, _ := fl.GroupKey("staff")
		ui[fl.GroupsClaim] = []any{key}
	}
	idc := map[string]any{"iss": p.Issuer, "aud": p.ClientID, "sub": "8f2c1e4a", "iat": 1700000000, "exp": 1700000300}
	if !fl.ClaimsInUserinfoOnly {
		for k, v := range ui {
			idc[k] = v
		}
	}
	alg := fl.DefaultIDTokenAlg()
	if alg == "" {
		alg = "RS256"
		if len(fl.IDTokenAlgs) > 0 && !slices.Contains(fl.IDTokenAlgs, "RS256") {
			alg = fl.IDTokenAlgs[0]
		}
	}
	return &login.Report{Provider: p.Name, Type: p.Type, ClientID: p.ClientID, RequestedScopes: scopes, GrantedScopes: scopes,
		IDToken: &login.IDTokenReport{Header: login.Header{Alg: alg}, Claims: idc}, Userinfo: ui,
		Steps: []login.Step{{Name: "discovery"}, {Name: "code exchange"}, {Name: "id token"}, {Name: "userinfo"}}}
}
