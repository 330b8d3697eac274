package demo

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBrowser(t *testing.T) {
	mux := http.NewServeMux()
	// A login that sets a cookie and needs it on the next hop, as providers' sessions do.
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
		http.Redirect(w, r, "/needs-cookie", http.StatusFound)
	})
	mux.HandleFunc("/needs-cookie", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("session"); err != nil || c.Value != "s1" {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, "/done?code=secret-code", http.StatusFound)
	})
	mux.HandleFunc("/done", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("you can close this tab")) })
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/phish?code=secret-code", http.StatusFound)
	})
	mux.HandleFunc("/loop/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Path[len("/loop/"):])
		http.Redirect(w, r, "/loop/"+strconv.Itoa(n+1), http.StatusFound)
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<h1>invalid_request</h1>\n<p>unknown client</p>", http.StatusBadRequest)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{name: "follows redirects with cookies", url: srv.URL + "/start"},
		{name: "refuses to start off loopback", url: "http://example.com/authorize?state=s", wantErr: "the headless browser only visits loopback URLs, not http://example.com/authorize"},
		{name: "refuses a redirect off loopback", url: srv.URL + "/away", wantErr: "headless browser: refused to follow a redirect off the loopback interface to http://example.com/phish"},
		{name: "stops after ten redirects", url: srv.URL + "/loop/0", wantErr: "headless browser: stopped after 10 redirects"},
		{name: "an error page is an error", url: srv.URL + "/error", wantErr: "headless browser: " + srv.URL + "/error answered 400 Bad Request: <h1>invalid_request</h1> <p>unknown client</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&Browser{}).Browse(tt.url)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.wantErr)
			assert.NotContains(t, err.Error(), "secret-code", "queries are not shown")
		})
	}
}
