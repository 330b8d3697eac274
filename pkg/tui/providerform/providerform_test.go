package providerform

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

func preset(t *testing.T, typ string) provider.Preset {
	t.Helper()
	p, ok := provider.Lookup(typ)
	require.True(t, ok)
	return p
}

// TestRunAccessible answers line by line, as a screen reader user would. The one-byte reader keeps
// huh's per-question scanner from swallowing the following answers.
func TestRunAccessible(t *testing.T) {
	tests := []struct {
		name    string
		typ     string
		start   Values
		ask     []string
		input   string
		want    Values
		wantOut []string
	}{
		{
			name:    "oidc with the suggested secret variable",
			typ:     config.TypeOIDC,
			ask:     []string{provider.KeyClientID, provider.KeyIssuer, provider.KeyClientSecret},
			input:   "my-client\nhttps://auth.example.com/application/o/app/\n\n",
			want:    Values{ClientID: "my-client", Issuer: "https://auth.example.com/application/o/app/", ClientSecret: "env:AUTHENTIK_CLIENT_SECRET"},
			wantOut: []string{"Client ID", "Issuer URL", "Client secret reference"},
		},
		{
			name:    "invalid answers are asked again and a literal secret is refused",
			typ:     config.TypeOIDC,
			ask:     []string{provider.KeyIssuer, provider.KeyClientSecret},
			input:   "auth.example.com\nhttps://kc.example.com/realms/r\nhunter2\nfile:/run/secrets/kc\n",
			want:    Values{Issuer: "https://kc.example.com/realms/r", ClientSecret: "file:/run/secrets/kc"},
			wantOut: []string{`"auth.example.com" is not an absolute http:// or https:// URL`, "enter env:VARIABLE or file:PATH, not the secret itself"},
		},
		{
			name:  "redirect URL keeps its suggested default",
			typ:   config.TypeGitHub,
			start: Values{ClientID: "Iv1.abc", RedirectURL: "https://files.example.com/api/auth/sso_callback"},
			ask:   []string{provider.KeyRedirectURL},
			input: "\n",
			want:  Values{ClientID: "Iv1.abc", RedirectURL: "https://files.example.com/api/auth/sso_callback"},
		},
		{
			name:  "oauth2 endpoints and rules",
			typ:   config.TypeOAuth2,
			ask:   []string{provider.KeyAuthorizeURL, provider.KeyTokenURL, provider.KeyUserinfoURL, provider.KeyRuleName, provider.KeyRuleEmail},
			input: "https://o.example.com/authorize\nhttps://o.example.com/token\nhttps://o.example.com/me\n/login\n$.login\n$.email\n",
			want: Values{AuthorizeURL: "https://o.example.com/authorize", TokenURL: "https://o.example.com/token", UserinfoURL: "https://o.example.com/me",
				RuleName: "$.login", RuleEmail: "$.email"},
			wantOut: []string{"rules are JSONPath ($.a.b), not JSON Pointer (/a/b)"},
		},
		{
			name:  "nothing to ask",
			typ:   config.TypeGitHub,
			start: Values{ClientID: "x"},
			want:  Values{ClientID: "x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := Run(context.Background(), preset(t, tt.typ), tt.start, Options{
				Name: "authentik", Ask: tt.ask, In: iotest.OneByteReader(strings.NewReader(tt.input)), Out: &out, Accessible: true,
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			for _, w := range tt.wantOut {
				assert.Contains(t, out.String(), w)
			}
		})
	}
}

// TestFormKeys drives the drawn (non-accessible) form key by key.
func TestFormKeys(t *testing.T) {
	v := Values{}
	form := New(preset(t, config.TypeCasdoor), &v, Options{Name: "door", Ask: []string{provider.KeyClientID, provider.KeyIssuer, provider.KeyClientSecret}})
	form.WithOutput(&bytes.Buffer{}).WithWidth(80)
	var m huh.Model = form
	m = update(m, form.Init())
	for _, answer := range []string{"abc123", "https://door.example.com"} {
		m = typeText(m, answer)
		m = update(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	}
	assert.Contains(t, form.View(), "env:DOOR_CLIENT_SECRET", "the secret field shows its suggestion")
	m = update(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	_ = m
	assert.Equal(t, huh.StateCompleted, form.State)
	assert.Equal(t, Values{ClientID: "abc123", Issuer: "https://door.example.com", ClientSecret: "env:DOOR_CLIENT_SECRET"}, v)
}

func update(m huh.Model, cmd tea.Cmd) huh.Model {
	// Run the command chain a few steps deep: focus changes come back as messages.
	for range 3 {
		if cmd == nil {
			return m
		}
		msg, ok := runQuick(cmd)
		if !ok {
			return m
		}
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				m = update(m, c)
			}
			return m
		}
		m, cmd = m.Update(msg)
	}
	return m
}

// runQuick runs cmd unless it waits: timer commands (the cursor blink) are dropped, since the test
// drives the form by keys and does not need them.
func runQuick(cmd tea.Cmd) (tea.Msg, bool) {
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		return msg, true
	case <-time.After(50 * time.Millisecond):
		return nil, false
	}
}

func typeText(m huh.Model, s string) huh.Model {
	for _, r := range s {
		m, _ = m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

func TestCheckSecretRef(t *testing.T) {
	for _, ok := range []string{"env:GITHUB_CLIENT_SECRET", "env:_x1", "file:/run/secrets/gh", "file:~/gh.secret"} {
		assert.NoError(t, CheckSecretRef(ok), ok)
	}
	for _, bad := range []string{"", "hunter2", "env:", "env:1ABC", "env:A-B", "file:", "file:  ", "keyring:svc/user"} {
		assert.Error(t, CheckSecretRef(bad), bad)
	}
}

func TestSuggestEnvVar(t *testing.T) {
	assert.Equal(t, "GITHUB_CLIENT_SECRET", SuggestEnvVar("github"))
	assert.Equal(t, "MY_KC_CLIENT_SECRET", SuggestEnvVar("my-kc"))
	assert.Equal(t, "SSO_CLIENT_SECRET", SuggestEnvVar("9lives"))
}

func TestSelectTypeAndConfirmAccessible(t *testing.T) {
	var out bytes.Buffer
	typ, err := SelectType(context.Background(), Options{In: iotest.OneByteReader(strings.NewReader("7\n")), Out: &out, Accessible: true})
	require.NoError(t, err)
	assert.Equal(t, config.TypeOIDC, typ)
	assert.Contains(t, out.String(), "OpenID Connect (oidc)")

	for input, want := range map[string]bool{"y\n": true, "n\n": false, "\n": false} {
		ok, err := Confirm(context.Background(), "Remove provider github?", Options{In: iotest.OneByteReader(strings.NewReader(input)), Out: &out, Accessible: true})
		require.NoError(t, err)
		assert.Equal(t, want, ok, "input %q", input)
	}
}
