package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestParseJSONNumberRange(t *testing.T) {
	tests := []struct {
		in   string
		want *NumberRangeError
	}{
		{`{"id":1e400}`, &NumberRangeError{Text: "1e400", Line: 1, Column: 7}},
		{"{\n \"a\": \"1e400\",\n \"é\": -2E+999}", &NumberRangeError{Text: "-2E+999", Line: 3, Column: 7}},
		{`[1e308, 1.7976931348623157e308, 1e-400, 123456789012345678901234567890]`, nil}, // in range, or underflow to 0
		{`{"big":19,"e":"1e999"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseJSON([]byte(tt.in))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			var nr *NumberRangeError
			require.ErrorAs(t, err, &nr)
			assert.Equal(t, tt.want, nr)
		})
	}
	// The extractor refuses it the same way, through the parser.
	m, err := NewMapper(Options{Provider: config.Provider{Name: "gh", Type: "github"}})
	require.NoError(t, err)
	_, err = m.MapJSON([]byte(`{"login":"a","id":1e400}`), &Scratch{Borrow: true})
	var nr *NumberRangeError
	require.ErrorAs(t, err, &nr)
	assert.Equal(t, "1e400", nr.Text)
}

func TestInvalidUTF8Flagged(t *testing.T) {
	m, err := NewMapper(Options{Provider: config.Provider{Name: "gh", Type: "github"}})
	require.NoError(t, err)
	u, err := m.MapJSON([]byte("{\"login\":\"mon\xe9\",\"id\":1,\"name\":\"Mon\xe9\",\"email\":\"m@example.com\"}"), nil)
	require.NoError(t, err)
	assert.False(t, u.OK)
	require.Len(t, u.Errors, 1)
	assert.Equal(t, Problem{Code: ErrInvalidUTF8, Field: "username", Message: "the username holds bytes that are not UTF-8, which JSON does not allow: the app reads each as U+FFFD, so users whose username differs only there become one"}, u.Errors[0])
	var codes []string
	for _, w := range u.Warnings {
		codes = append(codes, w.Code+" "+w.Field)
	}
	assert.Contains(t, codes, "invalid-utf8 nickname")
}

func TestDecideApplyIsResolve(t *testing.T) {
	for _, app := range []string{"", config.AppAList, config.AppPhotoPrism, config.AppOpenList} {
		t.Run(app, func(t *testing.T) {
			m, err := NewMapper(Options{App: app, Provider: config.Provider{Name: "o", Type: "oidc", Registration: &config.Registration{Enabled: true}}})
			require.NoError(t, err)
			docs := []string{
				`{"sub":"1","preferred_username":"ann","email":"a@example.com"}`,
				`{"sub":"2","preferred_username":"ann","email":"a@example.com"}`,
				`{"sub":"1","preferred_username":"ann_1","email":"a@example.com"}`,
				`{"sub":"3","preferred_username":"ann","email":"a@example.com"}`,
				`{"sub":"ann","preferred_username":"taken","email":"a@example.com"}`,
			}
			existing := NameSet{"taken": {}}
			resolved := NewConflicts(existing, NameSet{}, 9)
			decided := NewConflicts(existing, NameSet{}, 9)
			for _, d := range docs {
				a, err := m.MapJSON([]byte(d), nil)
				require.NoError(t, err)
				b, err := m.MapJSON([]byte(d), nil)
				require.NoError(t, err)
				m.Resolve(a, resolved)
				dec := m.Decide(b, decided)
				m.Apply(b, dec)
				assert.Equal(t, string(a.AppendLine(nil, 0)), string(b.AppendLine(nil, 0)))
			}
		})
	}
}

func TestOptionsDialect(t *testing.T) {
	rules := Rules{"name": "$.login", "email": "$.emails[::2].email"}
	_, err := NewMapper(Options{Provider: config.Provider{Name: "c", Type: "oauth2"}, MappingType: Custom, Rules: rules})
	require.Error(t, err, "Jayway refuses [::2]")
	m, err := NewMapper(Options{Provider: config.Provider{Name: "c", Type: "oauth2"}, MappingType: Custom, Rules: rules, Dialect: RFC9535})
	require.NoError(t, err)
	u, err := m.MapJSON([]byte(`{"login":"a","emails":[{"email":"x@example.com"},{"email":"y@example.com"},{"email":"z@example.com"}]}`), nil)
	require.NoError(t, err)
	assert.Equal(t, "x@example.com", u.Email)
}
