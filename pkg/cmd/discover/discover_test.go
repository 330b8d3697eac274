package discover

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/discovery/discoverytest"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestNewCmdDiscover(t *testing.T) {
	tests := []struct {
		name    string
		args    string
		want    DiscoverOptions
		wantErr string
	}{
		{name: "issuer", args: "https://auth.example.com/application/o/app/", want: DiscoverOptions{Issuer: "https://auth.example.com/application/o/app/", Timeout: DefaultTimeout, Output: "text"}},
		{name: "json and timeout", args: "https://kc.example.com/realms/main -o json --timeout 5s", want: DiscoverOptions{Issuer: "https://kc.example.com/realms/main", Timeout: 5 * time.Second, Output: "json"}},
		{name: "no issuer", args: "", wantErr: "cannot discover: issuer URL argument required"},
		{name: "two issuers", args: "https://a.example https://b.example", wantErr: "too many arguments: https://b.example"},
		{name: "not a URL", args: "auth.example.com", wantErr: `"auth.example.com" is not an issuer URL: it must start with https:// (or http:// on loopback)`},
		{name: "bad timeout", args: "https://a.example --timeout 0s", wantErr: "--timeout must be positive, such as 30s"},
		{name: "bad output", args: "https://a.example -o yaml", wantErr: `invalid argument "yaml" for "-o, --output" flag: valid values are {text}|{json}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *DiscoverOptions
			cmd := NewCmdDiscover(&cmdutil.Factory{IOStreams: ios}, func(o *DiscoverOptions) error { got = o; return nil })
			cmd.SetArgs(strings.Fields(tt.args))
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tt.wantErr, err.Error())
				assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCodeOf(err))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Issuer, got.Issuer)
			assert.Equal(t, tt.want.Timeout, got.Timeout)
			assert.Equal(t, tt.want.Output, got.Output)
		})
	}
}

func runDiscover(t *testing.T, srv *discoverytest.Server, issuer, output string) (stdout, stderr string, err error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	opts := &DiscoverOptions{
		IO:         ios,
		HttpClient: func() (*http.Client, error) { return srv.Client(), nil },
		Now:        time.Now,
		Issuer:     issuer,
		Timeout:    10 * time.Second,
		Output:     output,
	}
	err = discoverRun(context.Background(), opts)
	return out.String(), errOut.String(), err
}

// durations are the only varying parts of the output.
var durations = regexp.MustCompile(`\d+(µs|ms|\.\d+s)`)

func TestDiscoverRunText(t *testing.T) {
	srv := discoverytest.New(discoverytest.OK)
	defer srv.Close()
	out, errOut, err := runDiscover(t, srv, srv.Issuer(), "text")
	require.NoError(t, err)
	want := `Issuer     ISS
Discovery  ISS/.well-known/openid-configuration (200 OK, D)
JWKS       ISS/jwks (200 OK, D)

Endpoints
  authorization_endpoint  ISS/authorize
  token_endpoint          ISS/token
  userinfo_endpoint       ISS/userinfo
  jwks_uri                ISS/jwks

Supported
  scopes               openid profile email groups
  response types       code
  PKCE methods         S256
  ID token signing     RS256
  token endpoint auth  client_secret_basic client_secret_post

Keys
  KID       KTY  ALG    USE  SIZE
  dt-key-1  RSA  RS256  sig  2048 bits

Checks
✓ DSC002  discovery document fetched: 200 OK in D
✓ DSC020  issuer ISS equals the document's issuer byte for byte
✓ DSC021  all required fields are present
✓ DSC026  response type code (authorization code flow) is supported
✓ DSC022  PKCE S256 is supported
✓ DSC023  endpoints are absolute URLs, https or on loopback
✓ DSC025  ID tokens are signed with RS256
✓ DSC040  this machine's clock agrees with the provider's (offset 0s, tolerance 2m0s)
✓ DSC030  JWKS fetched: 200 OK, 1 key(s) in D
✓ DSC032  1 public signing key(s)
`
	got := durations.ReplaceAllString(bytes.NewBufferString(out).String(), "D")
	got = regexp.MustCompile(regexp.QuoteMeta(srv.Issuer())).ReplaceAllString(got, "ISS")
	got = regexp.MustCompile(`offset -?\d+s`).ReplaceAllString(got, "offset 0s")
	assert.Equal(t, want, got)
	assert.Equal(t, "✓ "+srv.Issuer()+": 10 passed\n", errOut)
}

func TestDiscoverRunFailure(t *testing.T) {
	srv := discoverytest.New(discoverytest.TrailingSlash)
	defer srv.Close()
	out, errOut, err := runDiscover(t, srv, srv.Issuer(), "text")
	require.ErrorIs(t, err, cmdutil.ErrSilent)
	assert.Equal(t, cmdutil.ExitCheckFailed, cmdutil.ExitCodeOf(err))
	iss := srv.Issuer()
	assert.Contains(t, out, "X DSC020  issuer \""+iss+"\" lacks the trailing slash of the discovered issuer \""+iss+"/\"\n"+
		"          expected  "+iss+"/\n"+
		"          actual    "+iss+"\n"+
		"                    "+spaces(len(iss))+"^\n"+
		"          hint: issuers are compared exactly")
	assert.Equal(t, "X "+iss+": 1 failed, 9 passed\n", errOut)
}

func spaces(n int) string { return string(bytes.Repeat([]byte(" "), n)) }

func TestDiscoverRunJSON(t *testing.T) {
	srv := discoverytest.New(discoverytest.NoS256)
	defer srv.Close()
	out, _, err := runDiscover(t, srv, srv.Issuer()+"/.well-known/openid-configuration", "json")
	require.ErrorIs(t, err, cmdutil.ErrSilent)

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	// The field list is part of the contract.
	var keys []string
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	assert.Equal(t, []string{"checks", "discoveryUrl", "document", "fetches", "input", "issuer", "jwks"}, keys)
	assert.Equal(t, srv.Issuer(), doc["issuer"])
	assert.Equal(t, []any{"plain"}, doc["document"].(map[string]any)["code_challenge_methods_supported"])
	assert.Equal(t, map[string]any{"url": srv.Issuer() + "/jwks", "keys": []any{
		map[string]any{"kid": "dt-key-1", "kty": "RSA", "alg": "RS256", "use": "sig", "bits": float64(2048), "usable": true},
	}}, doc["jwks"])
	checks := doc["checks"].([]any)
	assert.Equal(t, map[string]any{"code": "DSC001", "status": "note",
		"message": srv.Issuer() + "/.well-known/openid-configuration is the discovery document's URL; the issuer is " + srv.Issuer(),
		"hint":    "configure the issuer as " + srv.Issuer() + ": apps append /.well-known/openid-configuration themselves"}, checks[0])
	var pkce map[string]any
	for _, c := range checks {
		if c.(map[string]any)["code"] == "DSC022" {
			pkce = c.(map[string]any)
		}
	}
	assert.Equal(t, "fail", pkce["status"])
	fetch := doc["fetches"].([]any)[0].(map[string]any)
	assert.Equal(t, "discovery", fetch["what"])
	assert.Equal(t, float64(200), fetch["statusCode"])
	assert.Contains(t, fetch, "durationMs")
}

func TestDiscoverRunColourOnTTY(t *testing.T) {
	srv := discoverytest.New(discoverytest.NoS256)
	defer srv.Close()
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(true)
	ios.SetStderrTTY(true)
	ios.SetColorEnabled(true)
	opts := &DiscoverOptions{IO: ios, HttpClient: func() (*http.Client, error) { return srv.Client(), nil }, Now: time.Now,
		Issuer: srv.Issuer(), Timeout: 10 * time.Second, Output: "text"}
	require.ErrorIs(t, discoverRun(context.Background(), opts), cmdutil.ErrSilent)
	assert.Contains(t, out.String(), "\x1b[32m✓\x1b[0m \x1b[90mDSC002\x1b[0m")
	assert.Contains(t, out.String(), "\x1b[31mX\x1b[0m \x1b[90mDSC022\x1b[0m")
	assert.Contains(t, out.String(), "  \x1b[90mKID\x1b[0m       \x1b[90mKTY\x1b[0m", "the key table aligns despite colour codes")
	assert.Contains(t, errOut.String(), "\x1b[31mX\x1b[0m "+srv.Issuer())

	// NO_COLOR (or --no-color) turns it off on a terminal too.
	ios, _, out, _ = iostreams.Test()
	ios.SetStdoutTTY(true)
	ios.SetColorEnabled(false)
	opts.IO = ios
	_ = discoverRun(context.Background(), opts)
	assert.NotContains(t, out.String(), "\x1b[")
}
