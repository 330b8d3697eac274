package validate

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	appmodel "github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

// appPorts are the ports the apps listen on by default; behind a reverse proxy users never see them.
var appPorts = map[string]string{
	config.AppAList:      "5244",
	config.AppOpenList:   "5244", // OpenList v4.2.5 internal/conf/config.go, HttpPort as AList
	config.AppPhotoPrism: "2342",
	config.AppInvenTree:  "8000",
	config.AppLobeChat:   "3210",
}

// strippedPort says why u's explicit port is not in the URL the app builds its callback from: a
// default port (browsers and proxies drop :443 and :80), or the app's own listening port on a
// public host (a reverse proxy in front publishes the app without it). "" when the port is fine.
func strippedPort(u *url.URL, kind string) string {
	port := u.Port()
	switch {
	case port == "":
		return ""
	case u.Scheme == "https" && port == "443", u.Scheme == "http" && port == "80":
		return fmt.Sprintf("the default port :%s, which browsers and proxies leave out", port)
	case port == appPorts[kind] && isPublic(u.Hostname()):
		return fmt.Sprintf("%s's own port %s on a public host, which a reverse proxy in front of %s does not publish", appName(kind), port, appName(kind))
	}
	return ""
}

// isPublic says whether host is a name or address on the internet: not loopback, not a private or
// link-local address, not a single-label or local-only name (.local, .lan, .internal, .home.arpa).
// Plain http and unusual ports are a choice on a LAN, a mistake on the internet.
func isPublic(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if isLoopback(h) {
		return false
	}
	if ip := net.ParseIP(h); ip != nil {
		return !ip.IsPrivate() && !ip.IsLinkLocalUnicast() && !ip.IsUnspecified()
	}
	if !strings.Contains(h, ".") {
		return false
	}
	for _, suffix := range []string{".local", ".lan", ".internal", ".home.arpa", ".localdomain"} {
		if strings.HasSuffix(h, suffix) {
			return false
		}
	}
	return true
}

// withoutPort is u without its port, as the app would build it.
func withoutPort(u *url.URL) string {
	cp := *u
	cp.Host = cp.Hostname()
	if strings.Contains(cp.Host, ":") {
		cp.Host = "[" + cp.Host + "]"
	}
	return cp.String()
}

// checkRedirectPort warns about a redirect_url whose port the app's own callback will not have.
func (c *checker) checkRedirectPort(i int, u *url.URL) {
	kind := ""
	if c.cfg.App != nil {
		kind = c.cfg.App.Kind
	}
	why := strippedPort(u, kind)
	if why == "" || (c.appURL() != nil && !strings.HasPrefix(why, "the default port")) {
		return // with app.url, SSO014 reports a port that differs from the app's
	}
	c.add(CodeRedirectPort, provSegs(i, "redirect_url"),
		fmt.Sprintf("redirect_url names %s; providers compare redirect URIs exactly, and the app's callback will not carry it", why),
		"register and write the URL users browse: "+withoutPort(u))
}

// checkAppCallbacks checks app.url as the origin of the app's callbacks: a port a proxy strips, plain
// http on a public host, and AList without it at all.
func (c *checker) checkAppCallbacks() {
	app := c.cfg.App
	if app == nil {
		return
	}
	if app.URL == "" {
		if appmodel.IsAListKind(app.Kind) && len(c.cfg.Providers) > 0 {
			t := appName(app.Kind)
			c.add(CodeAListSiteURL, []string{"app"}, fmt.Sprintf("app.url is not set, so nothing says which URL %s's site_url holds; without site_url %s builds its SSO callback from each request's scheme and host", t, t),
				fmt.Sprintf("set app.url (and %s's site_url) to the public URL users browse, such as https://files.example.com", t))
		}
		return
	}
	u := c.appURL()
	if u == nil {
		return
	}
	if why := strippedPort(u, app.Kind); why != "" && !strings.HasPrefix(why, "the default port") {
		// A default port in app.url is only a longer spelling of the same origin; redirect_url's is
		// checked with the provider.
		c.add(CodeRedirectPort, []string{"app", "url"},
			fmt.Sprintf("app.url names %s; the app's callbacks are built from the URL users browse, which does not carry it", why),
			"write the public URL users browse: "+withoutPort(u))
	}
	// redirect_url, when set, is checked itself (SSO013); the app's callbacks come from app.url for
	// the providers without one.
	unset := false
	for _, p := range c.cfg.Providers {
		unset = unset || p.RedirectURL == ""
	}
	if unset && u.Scheme == "http" && isPublic(u.Hostname()) && len(provider.CallbackPaths(app.Kind, "x", false)) > 0 {
		c.add(CodeCallbackPlainHTTP, []string{"app", "url"},
			fmt.Sprintf("app.url is plain http on %s, so %s sends http:// redirect URIs, which most providers refuse", u.Hostname(), appName(app.Kind)),
			"serve the app over https and write https://"+strings.TrimPrefix(app.URL, "http://"))
	}
}
