package mapping

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The fields a mapping fills. Name, email, nickname, phone and description
// are the fields of the apps' custom mapping forms; id is ssoctl's addition.
const (
	// FieldID is the provider's stable user id, which AList stores as sso_id.
	FieldID = "id"
	// FieldName is the user name the app account is created with.
	FieldName = "name"
	// FieldEmail is the user's email address.
	FieldEmail = "email"
	// FieldNickname is a display name.
	FieldNickname = "nickname"
	// FieldPhone is a phone number.
	FieldPhone = "phone"
	// FieldDescription is free text about the user.
	FieldDescription = "description"
)

// Fields returns the known mapping fields in the order they are shown.
func Fields() []string {
	return []string{FieldID, FieldName, FieldEmail, FieldNickname, FieldPhone, FieldDescription}
}

// Rules maps a field to its JSONPath rule, as in the config file's
// mapping.rules.
type Rules map[string]string

// presets are documented on Preset.
var presets = map[string]Rules{
	"github": {
		FieldID: "$.id", FieldName: "$.login", FieldEmail: "$.email",
		FieldNickname: "$.name", FieldDescription: "$.bio",
	},
	"lark": {
		FieldID: "$.data.union_id", FieldName: "$.data.name", FieldEmail: "$.data.email",
		FieldNickname: "$.data.en_name", FieldPhone: "$.data.mobile",
	},
	"google": {
		FieldID: "$.sub", FieldName: "$.name", FieldEmail: "$.email", FieldNickname: "$.given_name",
	},
	"microsoft": {
		FieldID: "$.sub", FieldName: "$.name", FieldEmail: "$.email", FieldNickname: "$.given_name",
	},
	"dingtalk": {
		FieldID: "$.unionId", FieldName: "$.nick", FieldEmail: "$.email", FieldPhone: "$.mobile",
	},
	"casdoor": {
		FieldID: "$.sub", FieldName: "$.preferred_username", FieldEmail: "$.email",
		FieldNickname: "$.name", FieldPhone: "$.phone",
	},
	"oidc": {
		FieldID: "$.sub", FieldName: "$.preferred_username", FieldEmail: "$.email",
		FieldNickname: "$.name", FieldPhone: "$.phone_number",
	},
}

// Custom is the mapping type whose rules the user writes; it has no preset.
const Custom = "custom"

// Preset returns a copy of the rules of a provider kind's preset: github,
// lark, google, microsoft, dingtalk, casdoor or oidc, in any case (the IDMP
// form spells them GITHUB and LARK). Custom and unknown kinds return false.
//
// The presets read what AList reads for its platforms (the sso id and
// username fields of ssologin.go) and what the IDMP-style form's GITHUB and
// LARK types read, with the other fields filled where the provider has them:
//
//   - github (GET /user): id $.id (permanent), name $.login (AList's
//     username), email $.email, nickname $.name, description $.bio. The
//     email is the public profile address and often null; the verified
//     address is in GET /user/emails (scope user:email):
//     $[?(@.primary == true && @.verified == true)].email.
//   - lark (/open-apis/authen/v1/user_info, wrapped in code/msg/data, so
//     every path starts with $.data): id $.data.union_id (stable across the
//     developer's apps), name $.data.name (Lark has no login handle),
//     email $.data.email, nickname $.data.en_name, phone $.data.mobile.
//     Lark's email and mobile are imported by admins and unverified.
//   - google (OpenID Connect userinfo): id $.sub, name $.name, email
//     $.email, nickname $.given_name. AList reads the legacy oauth2/v1
//     userinfo instead, whose id is $.id.
//   - microsoft (the OpenID Connect userinfo of the preset's userinfo URL,
//     https://graph.microsoft.com/oidc/userinfo, whose document has sub,
//     name, family_name, given_name, picture and email: MicrosoftDocs
//     entra-docs docs/identity-platform/userinfo.md): id $.sub, name $.name,
//     email $.email, nickname $.given_name. sub is pairwise (per app). The
//     document has no phone or job title. AList reads Graph GET /v1.0/me
//     instead (id, displayName, mail); pkg/app/alist.go knows that reading.
//   - dingtalk (/v1.0/contact/users/me): id $.unionId (stable across the
//     organisation's apps), name $.nick (AList's username), email $.email,
//     phone $.mobile; the last two need the matching permissions.
//   - casdoor (/api/userinfo): id $.sub, name $.preferred_username (the
//     account name), email $.email, nickname $.name (the display name),
//     phone $.phone.
//   - oidc (standard claims): id $.sub, name $.preferred_username (sent by
//     authentik, Keycloak and Casdoor; AList's default claim, name, is a
//     display name that is neither unique nor stable), email $.email,
//     nickname $.name, phone $.phone_number.
func Preset(kind string) (Rules, bool) {
	r, ok := presets[strings.ToLower(kind)]
	if !ok {
		return nil, false
	}
	return maps.Clone(r), true
}

// Presets returns the kinds that have a preset, sorted.
func Presets() []string {
	return slices.Sorted(maps.Keys(presets))
}

// ErrMissingRule is wrapped by a FieldError for a required field without a
// rule.
var ErrMissingRule = errors.New("required mapping rule missing")

// ErrUnknownField is wrapped by a FieldError for a rule whose field is not
// one of Fields.
var ErrUnknownField = errors.New("unknown mapping field")

// FieldError is a problem with one field of a mapping, as opposed to the
// syntax of its rule (see SyntaxError).
type FieldError struct {
	// Field is the mapping field concerned.
	Field string
	// Err is ErrMissingRule or ErrUnknownField.
	Err error
}

// Error returns one lowercase sentence.
func (e *FieldError) Error() string {
	switch {
	case errors.Is(e.Err, ErrMissingRule):
		return fmt.Sprintf("custom mapping has no %s rule, which is required", e.Field)
	case errors.Is(e.Err, ErrUnknownField):
		return fmt.Sprintf("custom mapping has a rule for unknown field %q", e.Field)
	}
	return fmt.Sprintf("mapping field %s: %v", e.Field, e.Err)
}

// Unwrap returns ErrMissingRule or ErrUnknownField.
func (e *FieldError) Unwrap() error { return e.Err }

// Hint says how to fix the mapping.
func (e *FieldError) Hint() string {
	switch {
	case errors.Is(e.Err, ErrMissingRule):
		return fmt.Sprintf("add a JSONPath into the userinfo document, such as %s: $.%s", e.Field, e.Field)
	case errors.Is(e.Err, ErrUnknownField):
		if s := closestField(e.Field); s != "" {
			return fmt.Sprintf("did you mean %s? known fields: %s", s, strings.Join(Fields(), ", "))
		}
		return "known fields: " + strings.Join(Fields(), ", ")
	}
	return ""
}

// ValidateCustom checks the rules of a custom mapping: name and email must
// have a rule (the apps' forms require them), every field must be known and
// every rule must compile in the Jayway dialect. All problems are returned,
// joined, in field order; each is a *FieldError or a *SyntaxError.
func ValidateCustom(rules Rules) error { return validateCustom(rules, Jayway) }

// validateCustom is ValidateCustom with rules written in dialect.
func validateCustom(rules Rules, dialect Dialect) error {
	var errs []error
	for _, f := range []string{FieldName, FieldEmail} {
		// An empty rule is present and reported by Compile instead.
		if _, ok := rules[f]; !ok {
			errs = append(errs, &FieldError{Field: f, Err: ErrMissingRule})
		}
	}
	for _, f := range orderedFields(rules) {
		if !slices.Contains(Fields(), f) {
			errs = append(errs, &FieldError{Field: f, Err: ErrUnknownField})
			continue
		}
		if _, err := Compile(f, rules[f], dialect); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RuleSet is a compiled set of rules in field order, evaluated together for
// each document.
type RuleSet []*Rule

// Compile compiles every rule; the errors of all rules that fail are joined,
// each a *SyntaxError.
func (rs Rules) Compile(dialect Dialect) (RuleSet, error) {
	var (
		set  RuleSet
		errs []error
	)
	for _, f := range orderedFields(rs) {
		r, err := Compile(f, rs[f], dialect)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		set = append(set, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// Eval evaluates every rule against doc, in field order.
func (s RuleSet) Eval(doc any) []Result {
	out := make([]Result, len(s))
	for i, r := range s {
		out[i] = r.Eval(doc)
	}
	return out
}

// Rule returns the rule for field, or nil.
func (s RuleSet) Rule(field string) *Rule {
	for _, r := range s {
		if r.field == field {
			return r
		}
	}
	return nil
}

// orderedFields lists the fields of rules: known fields in Fields order,
// then unknown ones sorted, so output and errors come in a stable order.
func orderedFields(rules Rules) []string {
	var out []string
	for _, f := range Fields() {
		if _, ok := rules[f]; ok {
			out = append(out, f)
		}
	}
	var extra []string
	for f := range rules {
		if !slices.Contains(Fields(), f) {
			extra = append(extra, f)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// closestField suggests a known field for a misspelt one.
func closestField(f string) string {
	best, bestDist := "", 3
	for _, k := range Fields() {
		if d := editDistance(strings.ToLower(f), k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
