package login

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSameRegistration(t *testing.T) {
	tests := []struct {
		configured, used string
		want             bool
	}{
		{"http://127.0.0.1/callback", "http://127.0.0.1:5000/callback", true},
		{"http://127.0.0.1:8000/callback", "http://127.0.0.1:5000/callback", false},
		{"http://localhost/callback", "http://127.0.0.1:5000/callback", false},
		{"http://127.0.0.1/callback", "http://127.0.0.1:5000/other", false},
		{"https://app.example.com/cb", "http://127.0.0.1:5000/callback", false},
		{"https://app.example.com/cb", "https://app.example.com/cb", true},
		{"", "http://127.0.0.1:5000/callback", false},
	}
	for _, tt := range tests {
		t.Run(tt.configured+" "+tt.used, func(t *testing.T) {
			assert.Equal(t, tt.want, sameRegistration(tt.configured, tt.used))
		})
	}
}

func TestMicrosoftTemplate(t *testing.T) {
	const entra = "https://login.microsoftonline.com/{tenantid}/v2.0"
	tests := []struct {
		name, configured, discovered string
		want                         bool
	}{
		{"common", "https://login.microsoftonline.com/common/v2.0", entra, true},
		{"organizations", "https://login.microsoftonline.com/organizations/v2.0", entra, true},
		{"concrete tenant is no template", "https://login.microsoftonline.com/" + "9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0", false},
		{"another host", "https://login.microsoftonline.com/common/v2.0", "https://login.example.com/{tenantid}/v2.0", false},
		{"another scheme", "https://login.microsoftonline.com/common/v2.0", "http://login.microsoftonline.com/{tenantid}/v2.0", false},
		{"another path", "https://login.microsoftonline.com/common/v2.0", "https://login.microsoftonline.com/{tenantid}/v1.0", false},
		{"extra segment", "https://login.microsoftonline.com/common/v2.0", "https://login.microsoftonline.com/{tenantid}/x/v2.0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, isMicrosoftTemplate(tt.configured, tt.discovered))
		})
	}
	// The issuer a token of tenant tid must carry.
	assert.Equal(t, "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		microsoftIssuer(entra, "72f988bf-86f1-41af-91ab-2d7cd011db47"))
}

func TestTenantIDPattern(t *testing.T) {
	for tid, want := range map[string]bool{
		"72f988bf-86f1-41af-91ab-2d7cd011db47":              true,
		"9188040d-6c67-4c5b-b112-36a304b66dad":              true,
		"common":                                            false,
		"72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/../evil": false,
		"": false,
	} {
		assert.Equal(t, want, tenantIDPattern().MatchString(tid), tid)
	}
}

func TestIsLarkV1(t *testing.T) {
	for u, want := range map[string]bool{
		"https://open.feishu.cn/open-apis/authen/v2/oauth/token":               false,
		"https://open.feishu.cn/open-apis/authen/v1/oidc/access_token":         true,
		"https://open.larksuite.com/open-apis/authen/v1/access_token/":         true,
		"https://open.feishu.cn/open-apis/authen/v1/oidc/refresh_access_token": false,
	} {
		assert.Equal(t, want, isLarkV1(u), u)
	}
}

func TestGitHubAuthErrorHints(t *testing.T) {
	f := &githubFlow{}
	assert.Contains(t, f.authErrorHint("application_suspended"), "suspended")
	assert.Contains(t, f.authErrorHint("redirect_uri_mismatch"), "sub-path")
	assert.Contains(t, f.authErrorHint("access_denied"), "Cancel")
	assert.Empty(t, f.authErrorHint("server_error"), "the generic hint applies")
}

// TestTimeoutSaysWhatWasIgnored: a login whose callback listener ignored requests with a wrong state
// and then ran out of time says so, and its hint points at the tab with the wrong state rather than
// at an unknown client.
func TestTimeoutSaysWhatWasIgnored(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	for _, tt := range []struct {
		name, ignored, msg, hint string
	}{
		{name: "nothing ignored", msg: "no callback arrived within the timeout of 1m0s", hint: "unknown client_id"},
		{name: "a stray request ignored", ignored: "ignored 1 request to the callback with a wrong state",
			msg:  "no callback with this login's state arrived within the timeout of 1m0s (ignored 1 request to the callback with a wrong state)",
			hint: "another login's state"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &run{in: Input{Timeout: time.Minute}, step: "callback", ignored: tt.ignored}
			err := r.explain(context.Background(), expired, context.DeadlineExceeded)
			var te *TimeoutError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.msg, err.Error())
			assert.Contains(t, te.Hint(), tt.hint)
			assert.Equal(t, 1, te.ExitCode())
		})
	}
}
