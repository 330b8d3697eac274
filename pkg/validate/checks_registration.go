package validate

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func (c *checker) checkRegistration(i int, p *config.Provider) {
	r := p.Registration
	if r == nil {
		return
	}
	if r.DefaultDir != "" && !strings.HasPrefix(r.DefaultDir, "/") {
		c.add(CodeDefaultDir, provSegs(i, "registration", "default_dir"), fmt.Sprintf("default_dir %q does not start with /", r.DefaultDir),
			fmt.Sprintf("write default_dir: /%s", strings.TrimLeft(r.DefaultDir, "./")))
	}
	for j, d := range r.AllowedDomains {
		if msg, hint := domainProblem(d); msg != "" {
			c.add(CodeDomainInvalid, provSegs(i, "registration", "allowed_domains", strconv.Itoa(j)), msg, hint)
		}
	}
	c.checkPermission(i, r)
}

// domainProblem says what keeps d from being a bare domain name, or returns "" when it is one.
func domainProblem(d string) (string, string) {
	t := strings.TrimSpace(d)
	switch {
	case t == "":
		return "allowed domain is empty", "remove the empty entry"
	case strings.Contains(t, "://"):
		host := t
		if u, err := url.Parse(t); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		return fmt.Sprintf("allowed domain %q is a URL, not a domain", d), fmt.Sprintf("write only the domain: %s", host)
	case strings.HasPrefix(t, "@") && !strings.Contains(t[1:], "@"):
		return fmt.Sprintf("allowed domain %q starts with @", d), fmt.Sprintf("write %s; the InvenTree export adds the @ itself", t[1:])
	case strings.Contains(t, "@"):
		return fmt.Sprintf("allowed domain %q is an email address, not a domain", d), fmt.Sprintf("write only the part after @: %s", t[strings.LastIndex(t, "@")+1:])
	case strings.HasPrefix(t, "*."):
		return fmt.Sprintf("allowed domain %q is a wildcard", d), fmt.Sprintf("list each domain by name, e.g. %s", t[2:])
	case t != d:
		return fmt.Sprintf("allowed domain %q has spaces around it", d), fmt.Sprintf("write %s", t)
	}
	if net.ParseIP(t) != nil {
		return fmt.Sprintf("allowed domain %q is an IP address, not a domain", d), "email addresses end in a domain name such as example.com"
	}
	name := strings.TrimSuffix(t, ".")
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return fmt.Sprintf("allowed domain %q has no dot, so no email address ends in it", d), fmt.Sprintf("write the full domain, e.g. %s.com", name)
	}
	for _, l := range labels {
		if !validLabel(l) {
			return fmt.Sprintf("allowed domain %q is not a domain name", d), "a domain is labels of letters, digits and - separated by dots, e.g. example.com"
		}
	}
	return "", ""
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
		return false
	}
	for _, r := range l {
		if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func (c *checker) checkPermission(i int, r *config.Registration) {
	if r.DefaultPermission.IsZero() {
		return
	}
	segs := provSegs(i, "registration", "default_permission")
	if c.hasFinding(CodeWrongType, segs) || c.hasFinding(CodeInvalidValue, segs) {
		return
	}
	s := c.scheme(i, r.PermissionScheme)
	if s == nil {
		return
	}
	if r.DefaultPermission.Sum != nil {
		if _, err := s.Decode(*r.DefaultPermission.Sum); err != nil {
			c.add(CodePermissionInvalid, segs, err.Error(), hintOf(err))
		}
		return
	}
	for j, item := range r.DefaultPermission.Items {
		if _, err := s.Sum(item); err != nil {
			c.add(CodePermissionInvalid, join(segs, strconv.Itoa(j)), err.Error(), hintOf(err))
		}
	}
}

func (c *checker) checkGroups(i int, p *config.Provider) {
	g := p.Groups
	if g == nil {
		return
	}
	keys := make([]string, 0, len(g.Map))
	for k := range g.Map {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := g.Map[k]
		segs := provSegs(i, "groups", "map", k)
		switch {
		case strings.TrimSpace(k) == "":
			c.addKey(CodeGroupMapEntry, segs, "group map has an empty IdP group name", "write the group name as the provider sends it, e.g. \"/inventree/admins\"")
		case strings.TrimSpace(k) != k:
			c.addKey(CodeGroupMapEntry, segs, fmt.Sprintf("IdP group %q has spaces around it, so it never matches", k), fmt.Sprintf("write %q", strings.TrimSpace(k)))
		case strings.TrimSpace(v) == "":
			c.add(CodeGroupMapEntry, segs, fmt.Sprintf("IdP group %q maps to an empty app group", k), "name the app group it grants, or remove the entry")
		case strings.TrimSpace(v) != v:
			c.add(CodeGroupMapEntry, segs, fmt.Sprintf("app group %q has spaces around it", v), fmt.Sprintf("write %q", strings.TrimSpace(v)))
		}
	}
	if g.RemoveUnmapped && len(g.Map) == 0 {
		c.add(CodeRemoveUnmapped, provSegs(i, "groups", "remove_unmapped"), "remove_unmapped is on but the group map is empty, so every app group of every user who logs in is removed",
			"add the groups to keep under map:, or set remove_unmapped: false")
	}
}

// join returns segs followed by more, without sharing segs' backing array.
func join(segs []string, more ...string) []string {
	out := make([]string, 0, len(segs)+len(more))
	return append(append(out, segs...), more...)
}

// hintOf returns the hint an error carries (perm's errors have one), or "".
func hintOf(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}
