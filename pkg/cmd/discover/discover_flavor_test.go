package discover

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// serveRecorded serves a recorded discovery document (testdata/discovery, see its _comment) with its
// host replaced by the test server's.
func serveRecorded(t *testing.T, file, host string) *httptest.Server {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "discovery", file))
	require.NoError(t, err)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(strings.ReplaceAll(string(b), host, srv.URL)))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDiscoverRunNamesFlavor(t *testing.T) {
	srv := serveRecorded(t, "keycloak.json", "https://kc.example.com")
	run := func(output string) string {
		ios, _, out, _ := iostreams.Test()
		opts := &DiscoverOptions{IO: ios, HttpClient: func() (*http.Client, error) { return srv.Client(), nil }, Now: time.Now,
			Issuer: srv.URL + "/realms/home", Timeout: 10 * time.Second, Output: output}
		_ = discoverRun(context.Background(), opts) // the JWKS is missing: checks fail, the flavour is still named
		return out.String()
	}
	assert.Contains(t, run("text"), "\nFlavor     keycloak (detected: issuer path /realms/<realm> and token endpoint /protocol/openid-connect/token)\n")

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(run("json")), &doc))
	assert.Equal(t, map[string]any{"name": "keycloak", "evidence": "issuer path /realms/<realm> and token endpoint /protocol/openid-connect/token"}, doc["flavor"])
	assert.Equal(t, srv.URL+"/realms/home", doc["issuer"], "the report's own fields stay at the top level")
}
