package apps

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/app"
	cmdApply "github.com/ssoctl/ssoctl/pkg/cmd/apply"
	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestApplyAList(t *testing.T)    { testApply(t, "alist") }
func TestApplyOpenList(t *testing.T) { testApply(t, "openlist") }

// testApply runs `ssoctl apply` against the real app: a fresh install drifts from export, --check
// says so (exit 1) without writing, --yes writes and reads back, --check then passes; a setting
// changed behind ssoctl's back is drift again; the client secret is never printed.
func testApply(t *testing.T, kind string) {
	requireApp(t, kind)
	op := provider(t, claimsProvider)
	in := startApp(t, kind)
	c := ssoCase{from: "preferred_username", defaultDir: "/data/", permission: []string{"write"}}
	w := newWorkdir(t, c.config(kind, in.base, op.Issuer, basicClient))
	secret := clientSecrets[basicClient]
	w.env = append(w.env, "IDP_SECRET="+secret, "APP_TOKEN="+in.admin.Token)
	noSecret := func(r ssoctlRun) {
		t.Helper()
		if strings.Contains(r.stdout+r.stderr, secret) || strings.Contains(r.stdout+r.stderr, in.admin.Token) {
			t.Errorf("apply printed the client secret or the admin token:\n%s%s", r.stdout, r.stderr)
		}
	}
	apply := func(args ...string) ssoctlRun {
		t.Helper()
		r := w.ssoctl(t, nil, append([]string{"apply", "idp", "--target", kind, "--url", in.base, "--token", "env:APP_TOKEN"}, args...)...)
		t.Logf("ssoctl apply %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		noSecret(r)
		return r
	}
	before, err := in.admin.Settings(context.Background(), app.SSOGroup)
	if err != nil {
		t.Fatal(err)
	}

	r := apply("--check")
	if r.code != 1 {
		t.Fatalf("apply --check on a fresh install: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		`~ sso_login_enabled: "false" → "true"`,
		`~ sso_oidc_username_key: "name" → "preferred_username"`,
		`~ sso_client_secret: differs (the client secret is not shown)`,
		`~ sso_default_dir: "/" → "/data/"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("apply --check's diff lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "--check wrote nothing") {
		t.Errorf("apply --check: %s", r.stderr)
	}
	after, _ := in.admin.Settings(context.Background(), app.SSOGroup)
	if !settingsEqual(before, after) {
		t.Errorf("apply --check changed the app's settings")
	}

	// Without a terminal and without --yes: nothing is written, exit 2, naming --yes.
	r = apply()
	if r.code != 2 || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("apply without --yes off a terminal: exit %d, want 2 naming --yes\n%s", r.code, r.stderr)
	}

	r = apply("--yes")
	if r.code != 0 {
		t.Fatalf("apply --yes: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !regexp.MustCompile(`wrote \d+ settings and read them back: .*sso_oidc_username_key`).MatchString(r.stderr) {
		t.Errorf("apply --yes does not say what it wrote:\n%s", r.stderr)
	}
	r = apply("--check")
	if r.code != 0 || !strings.Contains(r.stdout, "match what export writes") {
		t.Fatalf("apply --check after --yes: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = apply("--check", "-o", "json")
	var rep cmdApply.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); r.code != 0 || err != nil || len(rep.Changes) != 0 || !strings.HasPrefix(rep.Version, "v") {
		t.Errorf("apply --check -o json after --yes: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	// What apply wrote is what the case suite's export writes, read through the admin API.
	ex := w.ssoctl(t, nil, "export", "idp", "--target", kind, "-o", "json", "--reveal")
	var want map[string]string
	if err := json.Unmarshal([]byte(ex.stdout), &want); err != nil {
		t.Fatalf("export: %v\n%s", err, ex.stderr)
	}
	got, _ := in.admin.Settings(context.Background(), app.SSOGroup)
	for _, s := range got {
		if v, ok := want[s.Key]; ok && v != s.Value {
			t.Errorf("after apply --yes %s = %q, export writes %q", s.Key, s.Value, v)
		}
	}

	// Drift behind ssoctl's back: one key.
	in.applySettings(t, map[string]string{"sso_oidc_username_key": "email"})
	r = apply("--check")
	if r.code != 1 || !strings.Contains(r.stdout, `~ sso_oidc_username_key: "email" → "preferred_username"`) || !strings.Contains(r.stdout, "1 of ") {
		t.Errorf("apply --check after drift: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = apply("--check", "-o", "json")
	rep = cmdApply.Report{}
	want1 := []cmdApply.ReportChange{{Key: "sso_oidc_username_key", Live: "email", Want: "preferred_username"}}
	if err := json.Unmarshal([]byte(r.stdout), &rep); r.code != 1 || err != nil || !slices.Equal(rep.Changes, want1) {
		t.Errorf("apply --check -o json after drift: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}

	t.Run("confirmation on a terminal", func(t *testing.T) {
		in.applySettings(t, map[string]string{"sso_oidc_username_key": "email"})
		for _, answer := range []string{"n\n", "y\n"} {
			ios, stdin, stdout, stderr := iostreams.Test()
			ios.SetStdinTTY(true)
			ios.SetStderrTTY(true)
			stdin.WriteString(answer)
			f := &cmdutil.Factory{
				IOStreams:  ios,
				Config:     func() (*config.File, error) { return config.Load(filepath.Join(w.dir, "ssoctl.yaml")) },
				HttpClient: func() (*http.Client, error) { return &http.Client{}, nil },
				LookupEnv: func(k string) (string, bool) {
					v, ok := map[string]string{"IDP_SECRET": secret, "APP_TOKEN": in.admin.Token}[k]
					return v, ok
				},
			}
			cmd := cmdApply.NewCmdApply(f, nil)
			cmd.SetArgs([]string{"idp", "--target", kind, "--url", in.base, "--token", "env:APP_TOKEN"})
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			if err := cmd.Execute(); err != nil {
				t.Fatalf("answer %q: %v\n%s", answer, err, stderr)
			}
			key, err := in.admin.Setting(context.Background(), "sso_oidc_username_key")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stderr.String(), "Write 1 settings to") || !strings.Contains(stdout.String(), "sso_oidc_username_key") {
				t.Errorf("answer %q: no question or diff:\n%s%s", answer, stdout, stderr)
			}
			switch answer {
			case "n\n":
				if key.Value != "email" || !strings.Contains(stderr.String(), "nothing was written") {
					t.Errorf("answered no, but sso_oidc_username_key = %q\n%s", key.Value, stderr)
				}
			default:
				if key.Value != "preferred_username" || !strings.Contains(stderr.String(), "read them back: sso_oidc_username_key") {
					t.Errorf("answered yes, but sso_oidc_username_key = %q\n%s", key.Value, stderr)
				}
			}
		}
	})
	t.Run("key the live version lacks", func(t *testing.T) {
		if kind != "alist" {
			t.Skip("OpenList has no default_role setting, and export writes none for it")
		}
		// A proxy makes the real AList look like v3.50.0, before default_role existed: it reports
		// that version and answers the default_role lookup as AList answers an unknown key.
		target, _ := url.Parse(in.base)
		rp := httputil.NewSingleHostReverseProxy(target)
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.URL.Path == "/api/public/settings":
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"code":200,"message":"success","data":{"version":"v3.50.0"}}`)
			case r.URL.Path == "/api/admin/setting/get" && r.URL.Query().Get("key") == "default_role":
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"code":400,"message":"failed get setting: record not found","data":null}`)
			default:
				rp.ServeHTTP(w, r)
			}
		}))
		defer proxy.Close()
		rw := newWorkdir(t, ssoCase{from: "preferred_username", roles: []string{"3"}, appVersion: "3.63"}.config(kind, in.base, op.Issuer, basicClient))
		rw.env = append(rw.env, "IDP_SECRET="+secret, "APP_TOKEN="+in.admin.Token)
		r := rw.ssoctl(t, nil, "apply", "idp", "--url", proxy.URL, "--token", "env:APP_TOKEN", "--check")
		t.Logf("%s%s", r.stdout, r.stderr)
		if r.code != 1 || !strings.Contains(r.stderr, "AList v3.50.0 at "+proxy.URL+" has no setting default_role (added in AList 3.51), which export writes; nothing was written") ||
			!strings.Contains(r.stderr, `the live AList is v3.50.0, but app.version says 3.63`) {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("bad token", func(t *testing.T) {
		r := w.ssoctl(t, []string{"BAD_TOKEN=not-a-token"}, "apply", "idp", "--target", kind, "--url", in.base, "--token", "env:BAD_TOKEN", "--yes")
		t.Logf("exit %d\n%s", r.code, r.stderr)
		if r.code != 1 || !strings.Contains(r.stderr, "refused the admin token from env:BAD_TOKEN") || !strings.Contains(r.stderr, "nothing was written") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("token given literally", func(t *testing.T) {
		r := w.ssoctl(t, nil, "apply", "idp", "--target", kind, "--url", in.base, "--token", "alist-abc", "--check")
		t.Logf("exit %d\n%s", r.code, r.stderr)
		if r.code != 2 || !strings.Contains(r.stderr, "never the token itself") || strings.Contains(r.stderr, "alist-abc") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("html instead of json", func(t *testing.T) {
		html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!DOCTYPE html><title>Sign in to the proxy</title>")
		}))
		defer html.Close()
		r := w.ssoctl(t, nil, "apply", "idp", "--target", kind, "--url", html.URL, "--token", "env:APP_TOKEN", "--yes")
		t.Logf("exit %d\n%s", r.code, r.stderr)
		if r.code != 1 || !strings.Contains(r.stderr, "with an HTML page (HTTP 200) instead of") || !strings.Contains(r.stderr, "nothing was written") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		url := "http://127.0.0.1:" + itoa(int32(freePort(t)))
		r := w.ssoctl(t, nil, "apply", "idp", "--target", kind, "--url", url, "--token", "env:APP_TOKEN", "--yes")
		t.Logf("exit %d\n%s", r.code, r.stderr)
		if r.code != 1 || !strings.Contains(r.stderr, "cannot reach") || !strings.Contains(r.stderr, "connection refused") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("half-applied save", func(t *testing.T) {
		// A proxy in front of the real app passes on only the first item of a save and then drops
		// the connection: the app has stored part of the change.
		in.applySettings(t, map[string]string{"sso_oidc_username_key": "email", "sso_default_dir": "/"})
		target, _ := url.Parse(in.base)
		rp := httputil.NewSingleHostReverseProxy(target)
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/admin/setting/save" {
				rp.ServeHTTP(w, r)
				return
			}
			var items []json.RawMessage
			_ = json.NewDecoder(r.Body).Decode(&items)
			first, _ := json.Marshal(items[:1])
			req, _ := http.NewRequest(http.MethodPost, in.base+r.URL.Path, bytes.NewReader(first))
			req.Header = r.Header.Clone()
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		}))
		defer proxy.Close()
		r := w.ssoctl(t, nil, "apply", "idp", "--target", kind, "--url", proxy.URL, "--token", "env:APP_TOKEN", "--yes")
		t.Logf("exit %d\n%s", r.code, r.stderr)
		noSecret(r)
		if r.code != 1 || !strings.Contains(r.stderr, "save failed") ||
			!strings.Contains(r.stderr, "written sso_oidc_username_key; not written sso_default_dir") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
}

func settingsEqual(a, b []app.Setting) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]app.Setting{}
	for _, s := range a {
		m[s.Key] = s
	}
	for _, s := range b {
		if m[s.Key] != s {
			return false
		}
	}
	return true
}
