package provider

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiscoveryURL(t *testing.T) {
	assert.Equal(t, "https://auth.example.com/application/o/app/.well-known/openid-configuration", DiscoveryURL("https://auth.example.com/application/o/app/"))
	assert.Equal(t, "https://kc.example.com/realms/r/.well-known/openid-configuration", DiscoveryURL("https://kc.example.com/realms/r"))
}

func TestDiscover(t *testing.T) {
	var issuerPath string // what the served document claims, relative to the server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		base := "http://" + r.Host
		_, _ = w.Write([]byte(`{"issuer":"` + base + issuerPath + `","authorization_endpoint":"` + base + `/authorize","token_endpoint":"` + base + `/token","jwks_uri":"` + base + `/jwks","code_challenge_methods_supported":["S256"]}`))
	})
	mux.HandleFunc("GET /html/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>login</html>"))
	})
	mux.HandleFunc("GET /empty/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	t.Run("ok", func(t *testing.T) {
		issuerPath = "/ok/"
		d, err := Discover(context.Background(), srv.Client(), srv.URL+"/ok/")
		require.NoError(t, err)
		assert.Equal(t, srv.URL+"/ok/", d.Issuer)
		assert.Equal(t, srv.URL+"/token", d.TokenEndpoint)
		assert.Equal(t, []string{"S256"}, d.CodeChallengeMethodsSupported)
		assert.NoError(t, CheckIssuer("oidc", srv.URL+"/ok/", false, d))

		err = CheckIssuer("oidc", srv.URL+"/ok", false, d)
		require.Error(t, err)
		assert.Equal(t, `issuer "`+srv.URL+`/ok" lacks the trailing slash of the discovered issuer "`+srv.URL+`/ok/"`, err.Error())
		var me *IssuerMismatchError
		require.True(t, errors.As(err, &me))
		assert.Equal(t, "use --issuer "+srv.URL+"/ok/: the issuer must equal the discovery document's exactly", me.Hint())
	})
	t.Run("configured issuer has an extra slash", func(t *testing.T) {
		issuerPath = "/ok"
		d, err := Discover(context.Background(), srv.Client(), srv.URL+"/ok/")
		require.NoError(t, err)
		err = CheckIssuer("oidc", srv.URL+"/ok/", false, d)
		assert.EqualError(t, err, `issuer "`+srv.URL+`/ok/" has a trailing slash the discovered issuer "`+srv.URL+`/ok" does not have`)
	})
	tests := []struct {
		name, issuer, wantErr string
	}{
		{name: "not found", issuer: srv.URL + "/missing", wantErr: "cannot fetch the discovery document " + srv.URL + "/missing/.well-known/openid-configuration: the server answered 404 Not Found"},
		{name: "html", issuer: srv.URL + "/html", wantErr: `the answer is not a JSON document (content type "text/html")`},
		{name: "no issuer", issuer: srv.URL + "/empty", wantErr: `the document has no "issuer"`},
		{name: "connection refused", issuer: "http://127.0.0.1:1", wantErr: "cannot fetch the discovery document http://127.0.0.1:1/.well-known/openid-configuration: dial tcp 127.0.0.1:1: connect: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Discover(context.Background(), srv.Client(), tt.issuer)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.False(t, strings.Contains(err.Error(), `Get "`), "no repetition of the URL by net/url: %s", err)
			var de *DiscoveryError
			assert.True(t, errors.As(err, &de))
		})
	}
}

func TestCheckIssuerMicrosoft(t *testing.T) {
	d := &Discovery{Issuer: "https://login.microsoftonline.com/{tenantid}/v2.0"}
	assert.NoError(t, CheckIssuer("microsoft", "https://login.microsoftonline.com/common/v2.0", true, d))
	assert.Error(t, CheckIssuer("microsoft", "https://login.microsoftonline.com/common/v2.0", false, d), "an issuer the user wrote is compared exactly")
	assert.Error(t, CheckIssuer("oidc", "https://login.microsoftonline.com/common/v2.0", true, d))
}
