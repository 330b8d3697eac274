package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The admin client against the real AList and OpenList is tested in e2e/apps; these tests give it
// the answers a real app never gives: pages that are not the app's, and the app's error envelope.

func TestAdminClientErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, err error)
	}{
		{
			name: "html page",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				io.WriteString(w, "<!DOCTYPE html><title>Sign in</title>")
			},
			check: func(t *testing.T, err error) {
				var nj *NotJSONError
				if !errors.As(err, &nj) || nj.ContentType != "text/html" || nj.Status != 200 || nj.Path != "/api/admin/setting/list" {
					t.Errorf("got %#v", err)
				}
			},
		},
		{
			name: "json that is not the envelope",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"status":"ok"}`)
			},
			check: func(t *testing.T, err error) {
				var nj *NotJSONError
				if !errors.As(err, &nj) {
					t.Errorf("got %#v", err)
				}
			},
		},
		{
			// AList answers HTTP 200 with its own code (server/common/common.go ErrorStrResp).
			name: "token refused",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				io.WriteString(w, `{"code":401,"message":"that's not even a token","data":null}`)
			},
			check: func(t *testing.T, err error) {
				if !IsAuthError(err) || err.Error() != "/api/admin/setting/list answered code 401: that's not even a token" {
					t.Errorf("got %v", err)
				}
			},
		},
		{
			name: "not an admin",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"code":403,"message":"You are not an admin","data":null}`)
			},
			check: func(t *testing.T, err error) {
				if !IsAuthError(err) {
					t.Errorf("got %v", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := &AdminClient{BaseURL: srv.URL, Token: "t"}
			_, err := c.Settings(context.Background(), SSOGroup)
			tt.check(t, err)
		})
	}
}

func TestAdminClientUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := &AdminClient{BaseURL: "http://" + addr}
	_, err = c.Version(context.Background())
	var ue *UnreachableError
	if !errors.As(err, &ue) || ue.URL != "http://"+addr {
		t.Fatalf("got %#v", err)
	}
}

// TestAdminClientSendsWholeItems checks what a save puts on the wire: the token as it is (no
// "Bearer"), and every field of each item, since the app stores items as sent.
func TestAdminClientSendsWholeItems(t *testing.T) {
	var gotAuth string
	var got []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		_ = json.NewDecoder(r.Body).Decode(&got)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"code":200,"message":"success","data":null}`)
	}))
	defer srv.Close()
	c := &AdminClient{BaseURL: srv.URL + "/", Token: "alist-static-token"}
	item := Setting{Key: "sso_auto_register", Value: "true", Type: "bool", Group: 7, Flag: 1, Index: 3}
	if err := c.SaveSettings(context.Background(), []Setting{item}); err != nil {
		t.Fatal(err)
	}
	if gotAuth != "alist-static-token" {
		t.Errorf("Authorization %q", gotAuth)
	}
	want := map[string]any{"key": "sso_auto_register", "value": "true", "help": "", "type": "bool", "options": "", "group": 7.0, "flag": 1.0, "index": 3.0}
	if len(got) != 1 || len(got[0]) != len(want) {
		t.Fatalf("sent %v", got)
	}
	for k, v := range want {
		if got[0][k] != v {
			t.Errorf("%s: sent %v, want %v", k, got[0][k], v)
		}
	}
}
