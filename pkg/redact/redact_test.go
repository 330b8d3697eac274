package redact

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestMaskIsConfigRedacted(t *testing.T) { assert.Equal(t, config.Redacted, Mask) }

func TestString(t *testing.T) {
	tests := []struct{ name, in, secret, want string }{
		{name: "plain", in: "client secret s3cr3t is wrong", secret: "s3cr3t", want: "client secret *** is wrong"},
		{name: "form encoded", in: "got client_secret=a%2Fb%2Bc", secret: "a/b+c", want: "got client_secret=***"},
		{name: "json escaped slash", in: `{"error_description":"secret a\/b"}`, secret: "a/b", want: `{"error_description":"secret ***"}`},
		{name: "json escaped quote", in: `{"d":"x\"y"}`, secret: `x"y`, want: `{"d":"***"}`},
		{name: "non-ascii escaped", in: `{"d":"p\u00e4ss"}`, secret: "päss", want: `{"d":"***"}`},
		{name: "nothing to mask", in: "invalid_client", secret: "zzz", want: "invalid_client"},
		{name: "empty secret masks nothing", in: "abc", secret: "", want: "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, String(tt.in, tt.secret))
		})
	}
}

// TestTransportMasksOnlyTheBody checks the point of masking at the source: a short secret is
// masked in what the provider said, and ssoctl's own words around it are never touched.
func TestTransportMasksOnlyTheBody(t *testing.T) {
	for _, secret := range []string{"e", "secret", "a-long-client-secret"} {
		t.Run(secret, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"error":"invalid_request","error_description":"you sent `+secret+`"}`)
			}))
			defer srv.Close()
			c := &http.Client{Transport: Transport(nil, secret)}
			resp, err := c.PostForm(srv.URL, url.Values{"client_secret": {secret}})
			require.NoError(t, err)
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body.Close()
			var answer struct {
				Error            string `json:"error"`
				ErrorDescription string `json:"error_description"`
			}
			require.NoError(t, json.Unmarshal(b, &answer), "the masked body is still JSON: %s", b)
			assert.Equal(t, "invalid_request", answer.Error, "the error code is left for the caller to classify")
			assert.NotContains(t, answer.ErrorDescription, secret)
			assert.True(t, strings.HasSuffix(answer.ErrorDescription, " ***"), answer.ErrorDescription)
			// What ssoctl composes from the masked text keeps its own words whole.
			msg := "the token endpoint answered client_secret_basic with: " + answer.ErrorDescription
			assert.Contains(t, msg, "the token endpoint answered client_secret_basic with: ")
		})
	}
}

func TestTransportLeavesBigBodiesReadable(t *testing.T) {
	big := strings.Repeat("x", MaxBody+10) + "tail"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "s3cr3t "+big) }))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	req.SetBasicAuth("client", "s3cr3t")
	resp, err := (&http.Client{Transport: Transport(nil, "s3cr3t")}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "*** "+big, string(b))
}

// TestTransportMasksOnlyWhatWasSent leaves the answers to requests without the secret alone: a
// server cannot echo what it was not sent, and a short secret would corrupt them (URLs in a
// discovery document).
func TestTransportMasksOnlyWhatWasSent(t *testing.T) {
	const doc = `{"token_endpoint":"https://idp.example.com/token"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, doc) }))
	defer srv.Close()
	c := &http.Client{Transport: Transport(nil, "e")}
	resp, err := c.Get(srv.URL)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, doc, string(b))

	resp, err = c.PostForm(srv.URL, url.Values{"code": {"x"}})
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, doc, string(b), "a form without the secret")
}

// TestErrorTransportKeepsSuccessExact: a login's token answer to a request that carried a short
// secret ("e") holds tokens the secret occurs in by chance: it stays exact. Error answers (a 4xx,
// GitHub's 200 with "error", Lark's non-zero "code") are masked.
func TestErrorTransportKeepsSuccessExact(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		masked     bool
	}{
		{"token answer", `{"access_token":"eee.e","id_token":"eyJe"}`, 200, false},
		{"lark success", `{"code":0,"msg":"success","data":{"access_token":"ue"}}`, 200, false},
		{"oauth error", `{"error":"invalid_client","error_description":"secret e"}`, 401, true},
		{"github 200 error", `{"error":"bad_verification_code","error_description":"secret e"}`, 200, true},
		{"lark error", `{"code":20014,"msg":"secret e"}`, 200, true},
		{"html error", `<p>secret e</p>`, 500, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c := &http.Client{Transport: ErrorTransport(nil, "e")}
			resp, err := c.PostForm(srv.URL, url.Values{"client_secret": {"e"}, "code": {"abc"}})
			require.NoError(t, err)
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			if !tt.masked {
				assert.Equal(t, tt.body, string(b))
				return
			}
			assert.NotEqual(t, tt.body, string(b))
			assert.Contains(t, string(b), "***")
		})
	}
}
