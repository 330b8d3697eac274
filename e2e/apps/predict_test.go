package apps

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/e2e/e2ecli"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// ssoctlRun is one ssoctl command in a case's own directory, config and state.
type ssoctlRun struct {
	stdout, stderr string
	code           int
}

// workdir is a case's ssoctl.yaml, home and state (the last test-login lives there).
type workdir struct {
	dir string
	env []string
}

func newWorkdir(t *testing.T, config string) *workdir {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ssoctl.yaml"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return &workdir{dir: dir, env: []string{
		"HOME=" + filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "home", ".config"),
		"XDG_STATE_HOME=" + filepath.Join(dir, "home", ".local", "state"),
		"NO_COLOR=1",
		"SSOCTL_CONFIG=" + filepath.Join(dir, "ssoctl.yaml"),
		"PATH=" + os.Getenv("PATH"),
		"BROWSER=" + bins.browser,
	}}
}

func (w *workdir) ssoctl(t *testing.T, env []string, args ...string) ssoctlRun {
	t.Helper()
	r := e2ecli.Run(t, bins.ssoctl, w.dir, append(slices.Clone(w.env), env...), args...)
	return ssoctlRun{code: r.Code, stdout: r.Stdout, stderr: r.Stderr}
}

// prediction is ssoctl's answer for the same login, in the shape of appAnswer.
type prediction struct {
	Login string `json:"login"`
	// Messages are ssoctl's reasons for a refusal; the app's message must be among them (quoted).
	Messages   []string `json:"messages,omitempty"`
	Username   string   `json:"username,omitempty"`
	SSOID      string   `json:"ssoId,omitempty"`
	BasePath   string   `json:"basePath,omitempty"`
	Permission *int32   `json:"permission,omitempty"`
	// Mkdir is "allowed" or "denied": whether the account's rights include writing at its base path.
	Mkdir string `json:"mkdir,omitempty"`
	// Outcome is map eval's login outcome (existing or registered), RightsSource where it says the
	// rights come from.
	Outcome      string `json:"outcome,omitempty"`
	RightsSource string `json:"rightsSource,omitempty"`
	// Sent is what test-login sent the provider as the app's client (its request log).
	Sent *clientRequests `json:"sent,omitempty"`
	// TestLogin is test-login's exit code and MapEval map eval's, for the record.
	TestLogin int  `json:"testLoginExit"`
	MapEval   *int `json:"mapEvalExit,omitempty"`
	// log is what test-login and map eval printed, for a failing case's log.
	log string
}

// predict runs `ssoctl test-login NAME -o json` (the login as the app's client sends it, against
// the same provider and user) and `ssoctl map eval NAME --last -o json --existing FILE` on the
// claims that login received, with the app's live user list as the existing accounts and, when
// roles is not nil, the app's role list as --roles.
func predict(t *testing.T, w *workdir, user string, existing, roles []byte, op *logintest.NodeProvider, client string) prediction {
	t.Helper()
	logStart := len(requestLog(t, op, client))
	tl := w.ssoctl(t, []string{"SSOCTL_TEST_LOGIN_HINT=" + user}, "test-login", "idp", "-o", "json", "--listen", "127.0.0.1:0", "--timeout", "2m")
	p := prediction{TestLogin: tl.code, Sent: summarize(requestLog(t, op, client)[logStart:]),
		log: "test-login stderr:\n" + tail(tl.stderr, 2000)}
	var tlMessages []string
	if tl.code != 0 {
		tlMessages = errorLines(tl.stderr)
		var rep map[string]any
		if json.Unmarshal([]byte(tl.stdout), &rep) == nil {
			tlMessages = append(tlMessages, stringsIn(rep["error"])...)
		}
		if tl.code != 1 {
			t.Errorf("test-login exited %d (not 0 or 1): %s", tl.code, tl.stderr)
		}
	}
	// map eval runs whenever the login got claims (test-login keeps them even when its doctor
	// finds an error the app trips over): it quotes the app's own refusal.
	existingFile := filepath.Join(w.dir, "existing.json")
	if err := os.WriteFile(existingFile, existing, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"map", "eval", "idp", "--last", "-o", "json", "--existing", existingFile}
	if roles != nil {
		rolesFile := filepath.Join(w.dir, "roles.json")
		if err := os.WriteFile(rolesFile, roles, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--roles", rolesFile)
	}
	me := w.ssoctl(t, nil, args...)
	p.log += "\nmap eval:\n" + tail(me.stdout+me.stderr, 4000)
	p.MapEval = &me.code
	if tl.code != 0 {
		// test-login's verdict stands; map eval's words for the refusal come first.
		p.Login = "refused"
		var ev mapEval
		if json.Unmarshal([]byte(me.stdout), &ev) == nil && ev.Login != nil && ev.Login.Outcome == "refused" {
			p.Messages = append(p.Messages, ev.Login.Message)
		}
		p.Messages = append(p.Messages, tlMessages...)
		return p
	}
	var ev mapEval
	if err := json.Unmarshal([]byte(me.stdout), &ev); err != nil {
		p.Login = "refused"
		p.Messages = append(p.Messages, errorLines(me.stderr)...)
		return p
	}
	if ev.Login != nil {
		// The app's own login order (SSO id bound to an account, then registration), as map eval
		// models it for AList and OpenList.
		if ev.Login.Outcome == "refused" {
			p.Login = "refused"
			p.Messages = append(p.Messages, ev.Login.Message)
			if ev.Login.Reason != "" {
				p.Messages = append(p.Messages, ev.Login.Reason)
			}
			return p
		}
		p.Login, p.Username, p.SSOID = "accepted", ev.Login.Username, ev.ID
		p.Outcome = ev.Login.Outcome
		if ev.Login.Outcome == "existing" {
			// An existing account keeps its own base path and rights, which the user list does
			// not carry: ssoctl predicts the account, not its rights.
			return p
		}
	} else {
		if !ev.OK || !ev.Registration.Allowed {
			p.Login = "refused"
			for _, e := range ev.Errors {
				p.Messages = append(p.Messages, e.Message)
			}
			if ev.Registration.Reason != "" {
				p.Messages = append(p.Messages, ev.Registration.Reason)
			}
			return p
		}
		p.Login, p.Username, p.SSOID = "accepted", ev.Username, ev.ID
	}
	p.BasePath = ev.Registration.DefaultDir
	sum := int32(ev.Permission.Sum)
	p.Permission = &sum
	names := ev.Permission.Names
	if ev.Rights != nil {
		// The rights in effect (the role's where roles decide) and the bits stored on the user.
		stored := int32(ev.Rights.Stored)
		p.Permission, names = &stored, ev.Rights.Names
		p.RightsSource = ev.Rights.Source
	}
	p.Mkdir = "denied"
	if slices.Contains(names, "write") {
		p.Mkdir = "allowed"
	}
	if ev.Rights != nil && ev.Rights.Sum < 0 {
		// A role defined in the app: map eval says it cannot know its permissions.
		p.Mkdir = "unknown"
	}
	return p
}

// mapEval is the part of `map eval -o json` a prediction reads.
type mapEval struct {
	OK         bool   `json:"ok"`
	ID         string `json:"id"`
	Username   string `json:"username"`
	Permission struct {
		Sum   int64    `json:"sum"`
		Names []string `json:"names"`
	} `json:"permission"`
	Registration struct {
		Allowed    bool   `json:"allowed"`
		Code       string `json:"code"`
		Reason     string `json:"reason"`
		DefaultDir string `json:"defaultDir"`
	} `json:"registration"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
	// Login and Rights are map eval's model of AList's and OpenList's login order and rights;
	// absent from versions of ssoctl without it.
	Login *struct {
		Outcome  string `json:"outcome"`
		Username string `json:"username"`
		Message  string `json:"message"`
		Reason   string `json:"reason"`
	} `json:"login"`
	Rights *struct {
		Model  string   `json:"model"`
		Sum    int64    `json:"sum"`
		Names  []string `json:"names"`
		Stored int64    `json:"stored"`
		Source string   `json:"source"`
	} `json:"rights"`
}

func errorLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if m, ok := strings.CutPrefix(l, "error: "); ok {
			out = append(out, m)
		}
	}
	return out
}

// stringsIn collects the strings of a decoded JSON value.
func stringsIn(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, stringsIn(x)...)
		}
		return out
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, stringsIn(x)...)
		}
		return out
	}
	return nil
}

// differences lists where the prediction and the app's answer disagree.
func differences(a appAnswer, p prediction) []string {
	var d []string
	if a.Sent != nil && p.Sent != nil {
		if a.Sent.PKCE != p.Sent.PKCE {
			d = append(d, fmt.Sprintf("PKCE: the app sent code_challenge: %t, test-login: %t", a.Sent.PKCE, p.Sent.PKCE))
		}
		if a.Sent.Scope != p.Sent.Scope {
			d = append(d, fmt.Sprintf("scope: the app asked for %q, test-login for %q", a.Sent.Scope, p.Sent.Scope))
		}
		if a.Sent.AuthorizeError == "" && !slices.Equal(a.Sent.Token, p.Sent.Token) {
			d = append(d, fmt.Sprintf("token requests: the app sent %q, test-login %q", a.Sent.Token, p.Sent.Token))
		}
	}
	if a.Login != p.Login {
		d = append(d, "login: app "+a.Login+quoteIf(a.Message)+", ssoctl "+p.Login+quoteList(p.Messages))
		return d
	}
	if a.Login == "refused" {
		if !slices.ContainsFunc(p.Messages, func(m string) bool { return strings.Contains(m, a.Message) }) {
			d = append(d, "refusal message: the app says "+jsonString(a.Message)+", ssoctl quotes none of it:"+quoteList(p.Messages))
		}
		return d
	}
	cmp := func(field, app, pred string) {
		if app != pred {
			d = append(d, field+": app "+jsonString(app)+", ssoctl "+jsonString(pred))
		}
	}
	cmp("username", a.Username, p.Username)
	cmp("ssoId", a.SSOID, p.SSOID)
	if a.NewAccount != nil && p.Outcome != "" && *a.NewAccount != (p.Outcome == "registered") {
		d = append(d, fmt.Sprintf("new account: app %t, ssoctl %s", *a.NewAccount, p.Outcome))
	}
	if p.Outcome == "existing" {
		return d
	}
	cmp("basePath", a.BasePath, p.BasePath)
	if p.Permission != nil && a.Permission != nil && *p.Permission != *a.Permission {
		d = append(d, "permission: app "+itoa(*a.Permission)+", ssoctl "+itoa(*p.Permission))
	}
	// ssoctl saying it cannot know a role made in the app is no difference.
	if appMkdir, _, _ := strings.Cut(a.Mkdir, ":"); p.Mkdir != "unknown" {
		cmp("mkdir", appMkdir, p.Mkdir)
	}
	return d
}

func quoteIf(s string) string {
	if s == "" {
		return ""
	}
	return " (" + jsonString(s) + ")"
}

func quoteList(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	var q []string
	for _, s := range ss {
		q = append(q, jsonString(s))
	}
	return " (" + strings.Join(q, "; ") + ")"
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func itoa(i int32) string {
	b, _ := json.Marshal(i)
	return string(b)
}
