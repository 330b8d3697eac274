package validate

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/doctor"
	"github.com/ssoctl/ssoctl/pkg/redact"
)

// DefaultRequestTimeout bounds each request of the online checks: a provider that takes longer to
// answer one request is reported as not answering in time (DSC014, DOC001).
const DefaultRequestTimeout = 10 * time.Second

// DefaultConcurrency is how many providers the online checks talk to at once.
const DefaultConcurrency = 4

// OnlineOptions tune CheckOnline.
type OnlineOptions struct {
	// Client makes the requests; pass one that trusts --ca-file. http.DefaultClient when nil.
	Client *http.Client
	// Timeout bounds each request; DefaultRequestTimeout when 0.
	Timeout time.Duration
	// Concurrency is how many providers are checked at once; DefaultConcurrency when 0.
	Concurrency int
	// Now is the clock the providers' Date headers are compared with; time.Now when nil.
	Now func() time.Time
}

// CheckOnline checks f like Check and then every provider against the provider itself, without a
// user and without logging anyone in (doctor.CheckProvider): the discovery document, JWKS and clock
// as `ssoctl discover` checks them (DSC codes), issuer variants when discovery fails, the ID token
// signing algorithms against the app's, the redirect pre-flight for each redirect URI the app
// sends, the client probe at the token endpoint and whether the authorize and userinfo endpoints
// answer (DOC codes). Under an app that logs in without OpenID Connect (AList's and OpenList's plain
// platforms, app.Client.Plain) no discovery is read: the app's own URLs are probed, with its own
// authorize request, where test-login rehearses its login. Providers are checked
// concurrently, at most Concurrency at once. Online findings point at the config field they are
// about (issuer, redirect_url, client_secret, ...) and are silenced like offline ones.
func CheckOnline(ctx context.Context, f *config.File, opts Options, online OnlineOptions) *Report {
	return check(f, opts, func(c *checker) { c.runOnline(ctx, online) })
}

// runOnline checks the providers that decoded, concurrently, and adds their findings in file order.
func (c *checker) runOnline(ctx context.Context, online OnlineOptions) {
	if online.Timeout <= 0 {
		online.Timeout = DefaultRequestTimeout
	}
	if online.Concurrency <= 0 {
		online.Concurrency = DefaultConcurrency
	}
	client := http.DefaultClient
	if online.Client != nil {
		client = online.Client
	}
	cp := *client
	cp.Timeout = online.Timeout
	client = &cp

	results := make([][]doctor.Finding, len(c.cfg.Providers))
	sem := make(chan struct{}, online.Concurrency)
	var wg sync.WaitGroup
	for i := range c.cfg.Providers {
		if i >= len(c.provOK) || !c.provOK[i] {
			continue
		}
		p := c.cfg.Providers[i]
		in := doctor.ProviderCheck{App: c.cfg.App, Provider: p, Now: online.Now}
		if p.ClientSecret != "" {
			if s, err := p.ClientSecret.ResolveContext(ctx, c.opts.LookupEnv); err == nil {
				in.Secret, in.SecretKnown = s, true
			}
		}
		// A provider may echo the client secret (in error_description, say), and the findings quote
		// what it answered, in every format and into CI logs: mask it in the answers themselves, before
		// the doctor reads them, so that no message ssoctl composes around them is touched.
		pc := *client
		pc.Transport = redact.Transport(client.Transport, in.Secret)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			results[i] = doctor.CheckProvider(ctx, &pc, in).Findings
		}(i)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return // interrupted: half-done checks would report the interruption as the providers' fault
	}
	for i, fs := range results {
		p := &c.cfg.Providers[i]
		for _, f := range fs {
			c.addOnline(p, c.onlineSegs(i, p, f.Field), f)
		}
	}
}

// onlineSegs is where an online finding about field points: the field when the file sets it, else
// what the value came from (the issuer's discovery for endpoints, app.url for the app's callbacks),
// else the provider.
func (c *checker) onlineSegs(i int, p *config.Provider, field string) []string {
	switch field {
	case "":
		return provSegs(i)
	case "authorize_url", "token_url", "userinfo_url":
		if c.node(provSegs(i, field)...) == nil && p.Issuer != "" {
			return provSegs(i, "issuer")
		}
	case "redirect_url":
		if p.RedirectURL == "" && c.cfg.App != nil && c.cfg.App.URL != "" {
			return []string{"app", "url"}
		}
	case "app.url":
		return []string{"app", "url"}
	}
	return provSegs(i, strings.Split(field, ".")...)
}

// addOnline adds a finding of the online checks, with the severity it came with (discovery's
// depends on the check's status) and the provider's name even when it points at app.url.
func (c *checker) addOnline(p *config.Provider, segs []string, f doctor.Finding) {
	line, col := c.position(segs)
	c.findings = append(c.findings, Finding{
		Code:     f.Code,
		Severity: f.Severity,
		Provider: p.Name,
		Path:     renderPath(c.root, segs),
		File:     c.opts.DisplayPath,
		Line:     line,
		Column:   col,
		Message:  f.Message,
		Hint:     f.Hint,
		Expected: f.Expected,
		Actual:   f.Actual,
		Fix:      f.Fix,
	})
}
