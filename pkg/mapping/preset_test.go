package mapping

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// missing marks a field whose rule selects nothing in the sample.
type missing struct{}

func TestPresets(t *testing.T) {
	tests := []struct {
		kind   string
		sample string
		want   map[string]any // nil value: the sample has null; missing{}: no node
	}{
		{"github", "github.json", map[string]any{
			FieldID: int64(58121947), FieldName: "mona-ops", FieldEmail: nil,
			FieldNickname: "Mona Ops", FieldDescription: "Keeps the lights on.",
		}},
		{"lark", "lark.json", map[string]any{
			FieldID: "on_7e6d5c4b3a291807f6e5d4c3b2a19080", FieldName: "李娜", FieldEmail: "lina@example.cn",
			FieldNickname: "Li Na", FieldPhone: "+8613900000000",
		}},
		{"google", "google.json", map[string]any{
			FieldID: "110248495921238986420", FieldName: "Rui Costa", FieldEmail: "rui.costa@example.com",
			FieldNickname: "Rui",
		}},
		// The preset's userinfo URL is Entra ID's OpenID Connect userinfo; every rule matches it.
		{"microsoft", "microsoft.json", map[string]any{
			FieldID: "Kq3vBxZpT1e8YbXw0kR2mN5sL7uC9dF4gH6jA0zQwEr", FieldName: "Ana Pereira",
			FieldEmail: "ana.pereira@contoso.example", FieldNickname: "Ana",
		}},
		{"dingtalk", "dingtalk.json", map[string]any{
			FieldID: "p3ZiPexampleUnionId5678iEiE", FieldName: "张伟", FieldEmail: "zhangwei@example.cn",
			FieldPhone: "13800000000",
		}},
		{"casdoor", "casdoor.json", map[string]any{
			FieldID: "0e5f1d7a-3c2b-4e8f-9a61-7b2d4c8e9f10", FieldName: "alice", FieldEmail: "alice@example.com",
			FieldNickname: "Alice Martins", FieldPhone: "912345678",
		}},
		{"oidc", "keycloak.json", map[string]any{
			FieldID: "3b241101-e2bb-4255-8caf-4136c566a962", FieldName: "marta", FieldEmail: "marta@example.com",
			FieldNickname: "Marta Sousa", FieldPhone: missing{},
		}},
		{"oidc", "authentik.json", map[string]any{
			FieldID: "9d1e5c0b7a4f3e2d8c6b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", FieldName: "jorge",
			FieldEmail: "jorge@example.com", FieldNickname: "Jorge Silva", FieldPhone: missing{},
		}},
		{"oidc", "casdoor.json", map[string]any{
			FieldID: "0e5f1d7a-3c2b-4e8f-9a61-7b2d4c8e9f10", FieldName: "alice", FieldEmail: "alice@example.com",
			FieldNickname: "Alice Martins", FieldPhone: missing{},
		}},
		// Microsoft's OIDC userinfo has no preferred_username; name falls
		// back to nothing, which is why the microsoft preset reads name.
		{"oidc", "microsoft.json", map[string]any{
			FieldID: "Kq3vBxZpT1e8YbXw0kR2mN5sL7uC9dF4gH6jA0zQwEr", FieldName: missing{},
			FieldEmail: "ana.pereira@contoso.example", FieldNickname: "Ana Pereira", FieldPhone: missing{},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.sample, func(t *testing.T) {
			rules, ok := Preset(tt.kind)
			require.True(t, ok)
			set, err := rules.Compile(Jayway)
			require.NoError(t, err)
			doc := load(t, tt.sample)
			got := map[string]any{}
			for _, res := range set.Eval(doc) {
				assert.False(t, res.Ambiguous, "%s is ambiguous", res.Field)
				if res.Found {
					got[res.Field] = res.Value
				} else {
					got[res.Field] = missing{}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("preset %s on %s (-want +got):\n%s", tt.kind, tt.sample, diff)
			}
		})
	}
}

func TestPresetShape(t *testing.T) {
	assert.Equal(t, []string{"casdoor", "dingtalk", "github", "google", "lark", "microsoft", "oidc"}, Presets())
	for _, kind := range Presets() {
		t.Run(kind, func(t *testing.T) {
			rules, ok := Preset(kind)
			require.True(t, ok)
			for _, f := range []string{FieldID, FieldName, FieldEmail} {
				assert.NotEmpty(t, rules[f], "preset %s has no %s rule", kind, f)
			}
			// Presets must also be valid custom rules, so that users can
			// start from one, and RFC 9535 queries, so that map query
			// accepts them in either dialect.
			assert.NoError(t, ValidateCustom(rules))
			_, err := rules.Compile(RFC9535)
			assert.NoError(t, err)
		})
	}
}

func TestPresetLookup(t *testing.T) {
	r, ok := Preset("LARK")
	require.True(t, ok, "the IDMP form spells kinds in upper case")
	assert.Equal(t, "$.data.email", r[FieldEmail])

	r[FieldEmail] = "$.changed"
	again, _ := Preset("lark")
	assert.Equal(t, "$.data.email", again[FieldEmail], "Preset returns a copy")

	for _, kind := range []string{Custom, "oauth2", ""} {
		_, ok := Preset(kind)
		assert.False(t, ok, "kind %q has no preset", kind)
	}
}

func TestGitHubEmailsRule(t *testing.T) {
	// The github preset's email is often null; the hint in the preset's
	// documentation points at GET /user/emails.
	r := MustCompile(FieldEmail, "$[?(@.primary == true && @.verified == true)].email", Jayway)
	res := r.Eval(load(t, "github-emails.json"))
	assert.Equal(t, Result{
		Field: FieldEmail, Expr: "$[?(@.primary == true && @.verified == true)].email",
		Nodes: []any{"mona@example.com"}, Value: "mona@example.com", Found: true,
	}, res)
}

func TestValidateCustom(t *testing.T) {
	tests := []struct {
		name  string
		rules Rules
		want  []string // error messages, in order
		hints []string
	}{
		{
			name:  "name and email",
			rules: Rules{FieldName: "$.login", FieldEmail: "$.email"},
		},
		{
			name: "all fields",
			rules: Rules{
				FieldID: "$.id", FieldName: "login", FieldEmail: "$.emails[?(@.primary == true)].email",
				FieldNickname: "$.name", FieldPhone: "$.phone", FieldDescription: "$.bio",
			},
		},
		{
			name:  "missing email",
			rules: Rules{FieldName: "$.login"},
			want:  []string{"custom mapping has no email rule, which is required"},
			hints: []string{"add a JSONPath into the userinfo document, such as email: $.email"},
		},
		{
			name:  "nothing",
			rules: Rules{},
			want: []string{
				"custom mapping has no name rule, which is required",
				"custom mapping has no email rule, which is required",
			},
		},
		{
			name:  "misspelt field",
			rules: Rules{FieldName: "$.login", FieldEmail: "$.email", "emial": "$.mail"},
			want:  []string{`custom mapping has a rule for unknown field "emial"`},
			hints: []string{"did you mean email? known fields: id, name, email, nickname, phone, description"},
		},
		{
			name:  "unknown field",
			rules: Rules{FieldName: "$.login", FieldEmail: "$.email", "avatar": "$.avatar_url"},
			want:  []string{`custom mapping has a rule for unknown field "avatar"`},
			hints: []string{"known fields: id, name, email, nickname, phone, description"},
		},
		{
			name:  "bad rule",
			rules: Rules{FieldName: "/login", FieldEmail: "$.email"},
			want:  []string{`rule name "/login" has a syntax error at column 1: expected a JSONPath starting with $`},
			hints: []string{"rules are JSONPath, not JSON Pointer: write $.login"},
		},
		{
			name:  "empty rule",
			rules: Rules{FieldName: "$.login", FieldEmail: ""},
			want:  []string{`rule email "" has a syntax error at column 1: expected a JSONPath such as $.email`},
		},
		{
			name:  "several problems",
			rules: Rules{FieldName: "$.a[", "x": "$.x"},
			want: []string{
				"custom mapping has no email rule, which is required",
				`rule name "$.a[" has a syntax error at column 4: expected ']' to close the '[' at column 4`,
				`custom mapping has a rule for unknown field "x"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateCustom(tt.rules)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			var errs []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				errs = j.Unwrap()
			} else {
				errs = []error{err}
			}
			var msgs, hints []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
				h, ok := e.(interface{ Hint() string })
				require.True(t, ok, "%T has a hint", e)
				hints = append(hints, h.Hint())
			}
			assert.Equal(t, tt.want, msgs)
			for i, h := range tt.hints {
				assert.Equal(t, h, hints[i])
			}
		})
	}
}

func TestFieldErrorSentinels(t *testing.T) {
	err := ValidateCustom(Rules{FieldName: "$.a", FieldEmail: "$.b", "nick": "$.c"})
	assert.ErrorIs(t, err, ErrUnknownField)
	assert.NotErrorIs(t, err, ErrMissingRule)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "nick", fe.Field)

	err = ValidateCustom(Rules{FieldEmail: "$.b"})
	assert.ErrorIs(t, err, ErrMissingRule)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, FieldName, fe.Field)
}

func TestRuleSet(t *testing.T) {
	rules := Rules{"zeta": "$.z", FieldEmail: "$.email", FieldName: "$.login", "alpha": "$.a", FieldID: "$.id"}
	set, err := rules.Compile(Jayway)
	require.NoError(t, err)
	var fields []string
	for _, r := range set {
		fields = append(fields, r.Field())
	}
	assert.Equal(t, []string{FieldID, FieldName, FieldEmail, "alpha", "zeta"}, fields, "known fields first, then the rest sorted")
	assert.Equal(t, "$.login", set.Rule(FieldName).Expr())
	assert.Nil(t, set.Rule(FieldPhone))

	res := set.Eval(load(t, "github.json"))
	require.Len(t, res, 5)
	assert.Equal(t, int64(58121947), res[0].Value)
	assert.Equal(t, "mona-ops", res[1].Value)
	assert.True(t, res[2].Found, "email is null, which is found")
	assert.False(t, res[3].Found)

	_, err = Rules{FieldName: "$.a[", FieldEmail: "$.b[?(@.c = 1)]"}.Compile(Jayway)
	require.Error(t, err)
	var se *SyntaxError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, FieldName, se.Field, "errors come in field order")
	assert.Contains(t, err.Error(), `rule email "$.b[?(@.c = 1)]"`)
}
