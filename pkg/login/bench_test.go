package login_test

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// The target: a full test-login against the local oidc-provider within 1.2x the time of a
// bare x/oauth2 + go-oidc client doing the same flow (discovery, JWKS, authorize through the same
// scripted browser, loopback callback, exchange, verification, userinfo). Compare the two in one run:
//
//	go test ./pkg/login -run '^$' -bench 'Login' -benchtime 200x -count 5
func BenchmarkLoginSsoctl(b *testing.B) {
	op := nodeProvider(b)
	in := login.Input{
		Provider: config.Provider{Name: "bench", Type: config.TypeOIDC, Issuer: op.Issuer, ClientID: logintest.PublicClientID,
			RedirectURL: "http://127.0.0.1/callback", Scopes: []string{"openid", "profile", "email", "groups"}},
		Browser: syncBrowser{logintest.FollowOptions{LoginHint: "alice"}},
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := login.Run(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoginBareClient(b *testing.B) {
	op := nodeProvider(b)
	b.ResetTimer()
	for b.Loop() {
		if err := bareLogin(context.Background(), op.Issuer); err != nil {
			b.Fatal(err)
		}
	}
}

// syncBrowser follows the login in the background, like logintest.Browser, without the channel.
type syncBrowser struct{ opts logintest.FollowOptions }

func (s syncBrowser) Browse(u string) error {
	go func() { _, _ = logintest.Follow(context.Background(), u, s.opts) }()
	return nil
}

// bareLogin is the minimal correct client: what a small app would write with the two libraries.
func bareLogin(ctx context.Context, issuer string) error {
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	codes := make(chan string, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("state") != "st" {
			http.Error(w, "state", 400)
			return
		}
		_, _ = w.Write([]byte("ok"))
		codes <- r.URL.Query().Get("code")
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	conf := &oauth2.Config{ClientID: logintest.PublicClientID, Endpoint: p.Endpoint(),
		RedirectURL: "http://" + ln.Addr().String() + "/callback", Scopes: []string{"openid", "profile", "email", "groups"}}
	conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	verifier := oauth2.GenerateVerifier()
	go func() {
		_, _ = logintest.Follow(ctx, conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier), oidc.Nonce("nn")), logintest.FollowOptions{LoginHint: "alice"})
	}()
	code := <-codes
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return err
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: logintest.PublicClientID}).Verify(ctx, raw)
	if err != nil {
		return err
	}
	if idt.Nonce != "nn" {
		return errNonce
	}
	ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return err
	}
	if ui.Subject != idt.Subject {
		return errNonce
	}
	return nil
}

var errNonce = &login.Error{Message: "bare client check failed"}
