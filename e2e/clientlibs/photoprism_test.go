package clientlibs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/client"
	"github.com/zitadel/oidc/v3/pkg/client/rp"
	httphelper "github.com/zitadel/oidc/v3/pkg/http"
	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// photoPrism is PhotoPrism's OIDC client as of photoprism/photoprism commit 382ffa8 (2024-12-13):
//   - redirect URI: the site URL + config.OidcRedirectUri, ApiUri + "/oidc/redirect" = /api/v1/oidc/redirect
//     (internal/auth/oidc/redirect_url.go, internal/config/config_oidc.go);
//   - scopes: PHOTOPRISM_OIDC_SCOPES, default authn.OidcDefaultScopes "openid email profile address"
//     (pkg/authn/oidc.go, internal/config/config_oidc.go OIDCScopes).
var photoPrism = appSpec{
	name: "photoprism", kind: "photoprism", version: "",
	redirectPath: "/api/v1/oidc/redirect",
	scopes:       []string{"openid", "email", "profile", "address"},
}

// TestPhotoPrism logs in with zitadel/oidc's rp configured as PhotoPrism's NewClient configures it
// (internal/auth/oidc/client.go at 382ffa8): a cookie handler with random hash and encryption keys
// and WithUnsecure (PhotoPrism's cookie handler), PKCE (rp.WithPKCE) only when discovery lists S256
// in code_challenge_methods_supported, rp.WithIssuedAtOffset(5s), no signing algorithm option, the
// default auth style, and rp.CodeExchangeHandler(rp.UserinfoCallback(...)) on the callback, so the
// user comes from the userinfo response.
//
// PhotoPrism's go.mod pins github.com/zitadel/oidc/v3 v3.33.1; the Go proxy here serves v3.45.6 and
// newer only, so this runs the module's own v3.51.17 (go.mod).
func TestPhotoPrism(t *testing.T) {
	testApp(t, photoPrism, photoPrismLogin)
}

func photoPrismLogin(t *testing.T, c loginCase) record {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	site := "http://" + ln.Addr().String()
	type outcome struct {
		err  string
		info *oidc.UserInfo
	}
	done := make(chan outcome, 1)

	hashKey, encryptKey := randomBytes(16), randomBytes(16)
	cookies := httphelper.NewCookieHandler(hashKey, encryptKey, httphelper.WithUnsecure())
	httpClient := &http.Client{Timeout: 30 * time.Second}
	opts := []rp.Option{
		rp.WithHTTPClient(httpClient),
		rp.WithCookieHandler(cookies),
		rp.WithVerifierOpts(rp.WithIssuedAtOffset(5 * time.Second)),
		rp.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, errorType, errorDesc, state string) {
			// PhotoPrism audit-logs errorType and errorDesc and answers 500.
			done <- outcome{err: errorType + ": " + errorDesc}
			w.WriteHeader(http.StatusInternalServerError)
		}),
	}
	ctx := context.Background()
	discovery, err := client.Discover(ctx, c.issuer(), httpClient)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	if slices.Contains(discovery.CodeChallengeMethodsSupported, oidc.CodeChallengeMethodS256) {
		opts = append(opts, rp.WithPKCE(cookies))
	}
	relyingParty, err := rp.NewRelyingPartyOIDC(ctx, c.issuer(), clientID(photoPrism, c), clientSecret(photoPrism, c),
		site+photoPrism.redirectPath, photoPrism.scopes, opts...)
	if err != nil {
		t.Fatalf("rp.NewRelyingPartyOIDC: %v", err)
	}
	mux := http.NewServeMux()
	// PhotoPrism's /api/v1/oidc/login runs rp.AuthURLHandler with a random state (rnd.State). The
	// login_hint the scripted browser adds to this first URL goes on to the provider, as the browser
	// adds it to ssoctl's authorize URL (the test provider then logs that user in without a form).
	mux.HandleFunc("/api/v1/oidc/login", func(w http.ResponseWriter, r *http.Request) {
		state := func() string { return hex.EncodeToString(randomBytes(16)) }
		rp.AuthURLHandler(state, relyingParty, rp.WithURLParam("login_hint", r.URL.Query().Get("login_hint")))(w, r)
	})
	mux.Handle(photoPrism.redirectPath, rp.CodeExchangeHandler(rp.UserinfoCallback(
		func(w http.ResponseWriter, r *http.Request, tokens *oidc.Tokens[*oidc.IDTokenClaims], state string, _ rp.RelyingParty, info *oidc.UserInfo) {
			done <- outcome{info: info}
			fmt.Fprintln(w, "logged in")
		}), relyingParty))
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	res, err := logintest.Follow(ctx, site+"/api/v1/oidc/login", logintest.FollowOptions{LoginHint: c.user})
	if err != nil {
		t.Fatalf("scripted browser: %v", err)
	}
	var out outcome
	select {
	case out = <-done:
	default:
		// rp's unauthorizedError answers the callback itself (401 and the description) without the
		// error handler; PhotoPrism then sees the status only. Elsewhere the browser stopped at the
		// provider's error page.
		page, _, _ := strings.Cut(res.URL, "?")
		out = outcome{err: fmt.Sprintf("the browser ended at %s with HTTP %d: %s", page, res.Status, strings.TrimSpace(res.Body))}
	}
	if out.err != "" {
		return record{Login: "failed: " + normalize(out.err)}
	}
	// PhotoPrism reads these fields of the userinfo response (internal/api/oidc_redirect.go;
	// entity.OidcUser in internal/entity/auth_user.go stores Subject as AuthID, Name as DisplayName and
	// the email as is, verified or not; internal/auth/oidc/username.go: the username is the handle of
	// preferred_username, falling back to name, nickname, then a verified email).
	return record{Login: "ok", User: map[string]any{
		"id":            out.info.Subject,
		"username":      out.info.PreferredUsername,
		"email":         out.info.Email,
		"emailVerified": bool(out.info.EmailVerified),
		"name":          out.info.Name,
	}}
}

// randomBytes is PhotoPrism's rnd.RandomBytes (crypto/rand.Read never fails, Go 1.24).
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}
