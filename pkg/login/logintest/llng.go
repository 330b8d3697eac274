package logintest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// LemonLDAP::NG as Debian bookworm installs it (scripts/setup-llng.sh): lemonldap-ng 2.16.1+ds-deb12u8.
const (
	llngFastCGIServer = "/usr/sbin/llng-fastcgi-server"
	llngPortalPSGI    = "/usr/share/lemonldap-ng/portal/htdocs/index.psgi"
	llngTemplates     = "/usr/share/lemonldap-ng/portal/templates"
	// llngOIDCIssuer is the portal's OpenID Connect issuer module; its presence says the portal
	// (liblemonldap-ng-portal-perl) is installed.
	llngOIDCIssuer = "/usr/share/perl5/Lemonldap/NG/Portal/Issuer/OpenIDConnect.pm"
)

// The relying party registered in every LLNG this harness starts.
const (
	LLNGClientID = "ssoctl-test"
	// LLNGClientSecret is 64 bytes: HS512, the manager's default ID token algorithm, signs with the
	// client secret, and go-jose (under go-oidc, as in AList and OpenList) refuses an HMAC key
	// shorter than the hash.
	LLNGClientSecret = "ssoctl-test-secret-0123456789-0123456789-0123456789-0123456789-xx"
)

// llngStartTimeout bounds the start, up to the first discovery answer: perl loads the portal in
// about two seconds on an idle machine, far longer while CI compiles with -race on two cores.
const llngStartTimeout = 5 * time.Minute

// LLNGOptions change the LemonLDAP::NG a test starts. The zero value is the relying party an admin
// sets up for an app that needs RS256: RS256 ID tokens, everything else as the 2.16 manager creates
// a relying party (no PKCE required, claims in userinfo only, the groups claim behind scope groups).
type LLNGOptions struct {
	// User is the Demo user the web server authenticates (dwho, rtyler, msmith); "" means dwho.
	User string
	// RedirectURL is the relying party's one registered redirect URI; "" means
	// http://127.0.0.1:<a free port>/callback. LLNG 2.16 compares redirect URIs as exact strings, so
	// the port is part of it (no RFC 8252 loopback port relaxation).
	RedirectURL string
	// IDTokenSignAlg is the relying party's "ID Token signature algorithm"; "" means RS256. The 2.16
	// manager's default for a new relying party is HS512.
	IDTokenSignAlg string
	// ForceIDTokenClaims copies the userinfo claims into the ID token ("Force claims to be returned
	// in ID Token", off by default).
	ForceIDTokenClaims bool
	// RequirePKCE refuses a code exchange without PKCE ("Require PKCE", off by default).
	RequirePKCE bool
	// ClientSecret is the relying party's client secret; "" means LLNGClientSecret.
	ClientSecret string
	// FormLogin serves the portal's own login form (Demo authentication, password = user name)
	// instead of logging every request in through REMOTE_USER: requests without a session, such as
	// ssoctl's pre-flight, get what an anonymous browser gets from a real portal.
	FormLogin bool
}

// LLNG is a running LemonLDAP::NG portal with its OpenID Connect issuer: llng-fastcgi-server and
// nginx, both on 127.0.0.1, in a temp dir of their own. nginx authenticates every request as User
// (REMOTE_USER, LLNG's Apache authentication), so the scripted browser needs no form; ssoctl's
// pre-flight request is logged in too, where a real portal would show it its login form.
type LLNG struct {
	// Issuer is the portal URL, http://127.0.0.1:PORT/ (with the trailing slash LLNG's default
	// portal URL has; the issuer is that URL as written).
	Issuer string
	// RedirectURL is the registered redirect URI.
	RedirectURL string
	// User is the user every login authenticates as.
	User string
	// Dir holds lemonldap-ng.ini, conf/lmConf-1.json, the sessions and nginx.conf.
	Dir string

	fcgi, nginx *Process
}

// StartLLNG starts LemonLDAP::NG for the test and stops it in t.Cleanup. A machine without the
// Debian packages skips the test (fails it under CI=true); scripts/setup-llng.sh installs them.
func StartLLNG(t testing.TB, opts LLNGOptions) *LLNG {
	t.Helper()
	l, err := startLLNG(opts)
	Require(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("LemonLDAP::NG at %s:\n%s", l.Issuer, l.Logs())
		}
		l.Stop()
	})
	return l
}

// Stop ends nginx and the FastCGI server and removes the temp dir.
func (l *LLNG) Stop() {
	if l == nil {
		return
	}
	l.nginx.Stop()
	l.fcgi.Stop()
	_ = os.RemoveAll(l.Dir)
}

// Logs is what nginx and the portal wrote on stderr (for failure messages).
func (l *LLNG) Logs() string {
	return "llng-fastcgi-server:\n" + l.fcgi.Stderr() + "\nnginx:\n" + l.nginx.Stderr()
}

func startLLNG(opts LLNGOptions) (l *LLNG, err error) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
	}
	for _, p := range []string{llngFastCGIServer, llngPortalPSGI, llngOIDCIssuer, nginx} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%w: LemonLDAP::NG is not installed (%s is missing); run scripts/setup-llng.sh as root", ErrUnavailable, p)
		}
	}
	if opts.User == "" {
		opts.User = "dwho"
	}
	if opts.IDTokenSignAlg == "" {
		opts.IDTokenSignAlg = "RS256"
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = LLNGClientSecret
	}
	port, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	if opts.RedirectURL == "" {
		cb, err := freeLoopbackPort()
		if err != nil {
			return nil, err
		}
		opts.RedirectURL = fmt.Sprintf("http://127.0.0.1:%d/callback", cb)
	}
	dir, err := os.MkdirTemp("", "ssoctl-llng-")
	if err != nil {
		return nil, err
	}
	l = &LLNG{Issuer: fmt.Sprintf("http://127.0.0.1:%d/", port), RedirectURL: opts.RedirectURL, User: opts.User, Dir: dir}
	defer func() {
		if err != nil {
			l.Stop()
			l = nil
		}
	}()
	// llng-fastcgi-server refuses to run as root; as root it drops to nobody, which must reach
	// the temp dir and own what the portal writes (sessions, caches, its socket).
	runAs := ""
	if os.Geteuid() == 0 {
		runAs = "nobody"
	}
	if err := writeLLNGFiles(l, opts, port); err != nil {
		return l, err
	}
	if runAs != "" {
		if err := chownTree(dir, runAs); err != nil {
			return l, err
		}
	}

	socket := filepath.Join(dir, "run", "fcgi.sock")
	args := []string{"--foreground", "--proc", "2", "--pid", filepath.Join(dir, "run", "fcgi.pid"), "--socket", socket}
	if runAs != "" {
		args = append(args, "--user", runAs, "--group", nogroup())
	}
	fcgiCmd := exec.Command(llngFastCGIServer, args...)
	fcgiCmd.Dir = dir
	fcgiCmd.Env = append(os.Environ(), "LLNG_DEFAULTCONFFILE="+filepath.Join(dir, "lemonldap-ng.ini"),
		"LLNG_DEFAULTLOGGER=Lemonldap::NG::Common::Logger::Std")
	if l.fcgi, err = startDaemon(fcgiCmd); err != nil {
		return l, fmt.Errorf("llng-fastcgi-server: %w", err)
	}
	nginxCmd := exec.Command(nginx, "-p", filepath.Join(dir, "nginx"), "-c", filepath.Join(dir, "nginx.conf"), "-e", "stderr")
	nginxCmd.Dir = dir
	if l.nginx, err = startDaemon(nginxCmd); err != nil {
		return l, fmt.Errorf("nginx: %w", err)
	}
	if err := l.waitReady(); err != nil {
		return l, err
	}
	return l, nil
}

// waitReady polls the discovery document until it names the issuer, one of the two processes
// exits, or llngStartTimeout passes (a bound against a hang, not a speed test).
func (l *LLNG) waitReady() error {
	ctx, cancel := context.WithTimeout(context.Background(), llngStartTimeout)
	defer cancel()
	url := l.Issuer + ".well-known/openid-configuration"
	var last string
	for wait := 20 * time.Millisecond; ; wait = min(2*wait, time.Second) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			var d struct {
				Issuer string `json:"issuer"`
			}
			if resp.StatusCode == http.StatusOK && json.Unmarshal(body, &d) == nil && d.Issuer == l.Issuer {
				return nil
			}
			// 502 is nginx while the FastCGI socket is not there yet; a 500 is the portal's own
			// answer, an initialisation that failed for good.
			if resp.StatusCode == http.StatusInternalServerError {
				return fmt.Errorf("the LemonLDAP::NG portal failed to start (HTTP 500 at %s): %s", url, l.Logs())
			}
			last = fmt.Sprintf("HTTP %d: %.300s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		select {
		case <-l.fcgi.exited:
			return fmt.Errorf("llng-fastcgi-server exited before the portal served discovery: %s", l.Logs())
		case <-l.nginx.exited:
			return fmt.Errorf("nginx exited before the portal served discovery: %s", l.Logs())
		case <-ctx.Done():
			return fmt.Errorf("LemonLDAP::NG did not serve %s within %s (last: %s): %s", url, llngStartTimeout, last, l.Logs())
		case <-time.After(wait):
		}
	}
}

// startDaemon starts a program that prints no ready line (the caller polls it).
func startDaemon(cmd *exec.Cmd) (*Process, error) {
	p := &Process{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stdout = p.stderr
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	return p, nil
}

func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// nogroup is Debian's group for nobody.
func nogroup() string {
	if _, err := user.LookupGroup("nogroup"); err == nil {
		return "nogroup"
	}
	return "nobody"
}

func chownTree(dir, name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return err
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func writeLLNGFiles(l *LLNG, opts LLNGOptions, port int) error {
	dir := l.Dir
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	for _, d := range []string{"conf", "sessions/lock", "psessions/lock", "cache", "run", "nginx/logs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	conf := llngConf(l, opts,
		string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))
	confJSON, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return err
	}
	files := map[string]string{
		"conf/lmConf-1.json": string(confJSON),
		"lemonldap-ng.ini":   llngINI(dir),
		"nginx.conf":         llngNginxConf(dir, port, opts.User, opts.FormLogin),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// llngConf is the File backend's configuration number 1. Keys and values are LLNG 2.16.1's
// (Lemonldap/NG/Common/Conf/DefaultValues.pm for the globals, Lemonldap/NG/Manager/Build/Attributes.pm
// of liblemonldap-ng-manager-perl 2.16.1 for a relying party's defaults); only what differs from
// those defaults, or what has no default, is set.
func llngConf(l *LLNG, opts LLNGOptions, privateKey, publicKey string) map[string]any {
	dir := l.Dir
	fileStorage := func(sub string) map[string]any {
		return map[string]any{
			"Directory":      filepath.Join(dir, sub),
			"LockDirectory":  filepath.Join(dir, sub, "lock"),
			"generateModule": "Lemonldap::NG::Common::Apache::Session::Generate::SHA256",
		}
	}
	// Demo authentication is a login form whose password is the user name (Portal/Auth/Demo.pm).
	authentication := "Apache"
	if opts.FormLogin {
		authentication = "Demo"
	}
	bool01 := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	return map[string]any{
		"cfgNum": 1, "cfgVersion": "2.16.1", "cfgAuthor": "ssoctl test harness", "cfgDate": strconv.FormatInt(time.Now().Unix(), 10),
		// The portal URL, as LLNG's default "http://auth.example.com/" has it: with a trailing slash.
		"portal": l.Issuer,
		// Cookies for an IP address host: Go's cookie jar (like browsers) keeps them host-only.
		"domain": "127.0.0.1", "cookieName": "lemonldap", "securedCookie": 0,
		// Apache authentication trusts REMOTE_USER, which nginx sets (see llngNginxConf); the Demo
		// user database gives that user's attributes (uid, cn, mail) and groups.
		"authentication": authentication, "userDB": "Demo", "passwordDB": "Null", "registerDB": "Null",
		"globalStorage": "Apache::Session::File", "globalStorageOptions": fileStorage("sessions"),
		"persistentStorage": "Apache::Session::File", "persistentStorageOptions": fileStorage("psessions"),
		"localSessionStorage": "Cache::FileCache",
		"localSessionStorageOptions": map[string]any{
			"cache_root": filepath.Join(dir, "cache"), "namespace": "lemonldap-ng-sessions",
			"default_expires_in": 600, "directory_umask": "007", "cache_depth": 3,
		},
		"notification": 0, "loginHistoryEnabled": 0,
		// The handler inside llng-fastcgi-server needs a rule set per virtual host (its default,
		// {"default": "deny"}, is not one: Handler/Main/Reload.pm dies on it).
		"locationRules": map[string]any{"127.0.0.1": map[string]any{"default": "accept"}},
		// OpenID Connect issuer (Portal/Main/Plugins.pm: issuerDB<Name>Activation), its RSA key.
		"issuerDBOpenIDConnectActivation": 1,
		"oidcServicePrivateKeySig":        privateKey,
		"oidcServicePublicKeySig":         publicKey,
		"oidcServiceKeyIdSig":             "ssoctl-test",
		"oidcRPMetaDataOptions": map[string]any{
			"ssoctl": map[string]any{
				"oidcRPMetaDataOptionsClientID":           LLNGClientID,
				"oidcRPMetaDataOptionsClientSecret":       opts.ClientSecret,
				"oidcRPMetaDataOptionsDisplayName":        "ssoctl test",
				"oidcRPMetaDataOptionsRedirectUris":       opts.RedirectURL,
				"oidcRPMetaDataOptionsIDTokenSignAlg":     opts.IDTokenSignAlg,
				"oidcRPMetaDataOptionsAccessTokenSignAlg": "RS256",
				"oidcRPMetaDataOptionsIDTokenForceClaims": bool01(opts.ForceIDTokenClaims),
				"oidcRPMetaDataOptionsRequirePKCE":        bool01(opts.RequirePKCE),
				// The consent page (default: asked once per user) is a form the scripted
				// browser does not fill; admins of a self-hosted app usually bypass it.
				"oidcRPMetaDataOptionsBypassConsent": 1,
			},
		},
		// The manager's default exported attributes (name, family_name, email) plus the two an
		// app maps usernames and groups from. groups has the default array mode "auto".
		"oidcRPMetaDataExportedVars": map[string]any{
			"ssoctl": map[string]any{
				"name": "cn", "family_name": "sn", "email": "mail",
				"preferred_username": "uid", "groups": "groups",
			},
		},
		// groups is not an OpenID scope: an extra claim released by scope "groups".
		"oidcRPMetaDataOptionsExtraClaims": map[string]any{
			"ssoctl": map[string]any{"groups": "groups"},
		},
	}
}

func llngINI(dir string) string {
	return strings.Join([]string{
		"[all]",
		"logLevel = " + llngLogLevel(),
		"logger = Lemonldap::NG::Common::Logger::Std",
		"userLogger = Lemonldap::NG::Common::Logger::Std",
		"[configuration]",
		"type = File",
		"dirName = " + filepath.Join(dir, "conf"),
		"localStorage = Cache::FileCache",
		"localStorageOptions = { 'namespace' => 'lemonldap-ng-config', 'default_expires_in' => 600, " +
			"'directory_umask' => '007', 'cache_root' => '" + filepath.Join(dir, "cache") + "', 'cache_depth' => 3 }",
		"[portal]",
		"staticPrefix = /static",
		"templateDir = " + llngTemplates,
		"languages = en",
		"[handler]",
		"status = 0",
		"",
	}, "\n")
}

// llngNginxConf is Debian's /etc/lemonldap-ng/portal-nginx.conf reduced to the portal's FastCGI
// location, on 127.0.0.1:port, with REMOTE_USER set to the test's user (LLNG's Apache
// authentication reads it; none with formLogin) and every path in dir.
func llngNginxConf(dir string, port int, remoteUser string, formLogin bool) string {
	p := func(name string) string { return filepath.Join(dir, name) }
	remoteUserParam := "fastcgi_param REMOTE_USER " + remoteUser + ";"
	if formLogin {
		remoteUserParam = ""
	}
	return fmt.Sprintf(`daemon off;
pid %[1]s;
error_log stderr warn;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %[2]s/body;
  fastcgi_temp_path %[2]s/fastcgi;
  proxy_temp_path %[2]s/proxy;
  uwsgi_temp_path %[2]s/uwsgi;
  scgi_temp_path %[2]s/scgi;
  server {
    listen 127.0.0.1:%[3]d;
    server_name 127.0.0.1;
    root /usr/share/lemonldap-ng/portal/htdocs/;
    location / {
      rewrite ^/(.*)$ /index.psgi/$1 break;
      fastcgi_pass unix:%[4]s;
      fastcgi_split_path_info ^(.*\.psgi)(/.*)$;
      fastcgi_param LLTYPE psgi;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_param SCRIPT_NAME $fastcgi_script_name;
      fastcgi_param PATH_INFO $fastcgi_path_info;
      fastcgi_param QUERY_STRING $query_string;
      fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type;
      fastcgi_param CONTENT_LENGTH $content_length;
      fastcgi_param REQUEST_URI $request_uri;
      fastcgi_param DOCUMENT_URI $document_uri;
      fastcgi_param DOCUMENT_ROOT $document_root;
      fastcgi_param SERVER_PROTOCOL $server_protocol;
      fastcgi_param REQUEST_SCHEME $scheme;
      fastcgi_param GATEWAY_INTERFACE CGI/1.1;
      fastcgi_param REMOTE_ADDR $remote_addr;
      fastcgi_param REMOTE_PORT $remote_port;
      fastcgi_param SERVER_ADDR $server_addr;
      fastcgi_param SERVER_PORT $server_port;
      fastcgi_param SERVER_NAME $server_name;
      fastcgi_param HTTP_HOST $host;
      %[5]s
    }
  }
}
`, p("run/nginx.pid"), p("nginx"), port, p("run/fcgi.sock"), remoteUserParam)
}

// llngLogLevel is the portal's log level: warn, or $SSOCTL_LLNG_LOGLEVEL (debug shows every step).
func llngLogLevel() string {
	if v := os.Getenv("SSOCTL_LLNG_LOGLEVEL"); v != "" {
		return v
	}
	return "warn"
}
