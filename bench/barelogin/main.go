// Command barelogin is the peer for ssoctl's whole-process login benchmark (scripts/bench-login.sh):
// the minimal correct OpenID Connect client a small app would write with golang.org/x/oauth2 and
// go-oidc: discovery, a loopback callback, the authorize URL opened with $BROWSER (started, not
// waited for, as ssoctl does), PKCE S256, state and nonce, the code exchange, the ID token verified,
// userinfo with its sub compared. It prints the subject.
//
// Environment: ISSUER (the provider), CLIENT_ID (default public-client), SCOPES (default "openid
// profile email groups"), BROWSER.
//
// "barelogin version" prints a line and exits: the same binary's start-up and exit alone, which the
// benchmark sets beside "ssoctl version" to split ssoctl's overhead into start-up and login.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("barelogin dev")
		return
	}
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "barelogin:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	clientID := envOr("CLIENT_ID", "public-client")
	p, err := oidc.NewProvider(ctx, os.Getenv("ISSUER"))
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
			http.Error(w, "state", http.StatusBadRequest)
			return
		}
		_, _ = w.Write([]byte("ok"))
		codes <- r.URL.Query().Get("code")
	})}
	go func() { _ = srv.Serve(ln) }()
	conf := &oauth2.Config{ClientID: clientID, Endpoint: p.Endpoint(),
		RedirectURL: "http://" + ln.Addr().String() + "/callback", Scopes: strings.Fields(envOr("SCOPES", "openid profile email groups"))}
	conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	verifier := oauth2.GenerateVerifier()
	browser := exec.Command(os.Getenv("BROWSER"), conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier), oidc.Nonce("nn")))
	browser.Stderr = os.Stderr
	if err := browser.Start(); err != nil {
		return err
	}
	go func() { _ = browser.Wait() }()
	code := <-codes
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return err
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: clientID}).Verify(ctx, raw)
	if err != nil {
		return err
	}
	if idt.Nonce != "nn" {
		return errors.New("nonce mismatch")
	}
	ui, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return err
	}
	if ui.Subject != idt.Subject {
		return errors.New("userinfo sub mismatch")
	}
	fmt.Println(ui.Subject)
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
