package bulk

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// maxKeys bounds the distinct domains and groups a Report counts, so that its memory does not grow
// with the input; the rest are counted together as Other.
const maxKeys = 10000

// reportTop is how many domains and groups a Report lists.
const reportTop = 100

// Report summarizes a bulk run (map eval --report).
type Report struct {
	// Lines is the number of input lines read, blank and malformed ones included.
	Lines int64 `json:"lines"`
	// Users is the number of documents mapped; OK of them map without error, Registrable would be
	// registered by the app.
	Users       int64 `json:"users"`
	OK          int64 `json:"ok"`
	Registrable int64 `json:"registrable"`
	// Blank lines are skipped silently; Malformed ones (invalid JSON, over the size limit) are
	// reported and skipped.
	Blank     int64 `json:"blank"`
	Malformed int64 `json:"malformed"`
	// MissingRequired counts users whose required field is empty, by field (username, email, id).
	MissingRequired map[string]int64 `json:"missingRequired"`
	// Conflicts counts usernames that were taken.
	Conflicts ConflictCounts `json:"conflicts"`
	// Registration counts the registration decisions by code (allowed, disabled, domain-not-allowed ...).
	Registration map[string]int64 `json:"registration"`
	// RejectedDomains are the email domains refused by allowed_domains, most frequent first.
	RejectedDomains Counts `json:"rejectedDomains"`
	// UnmappedGroups are the IdP groups groups.map does not name, most frequent first.
	UnmappedGroups Counts `json:"unmappedGroups"`
	// Permissions is the histogram of the permission sums registrable users get.
	Permissions []PermissionCount `json:"permissions"`
	// Warnings and Errors count the users' warnings and errors by code.
	Warnings map[string]int64 `json:"warnings"`
	Errors   map[string]int64 `json:"errors"`

	// The counts are pointers so that counting never assigns to an existing key: Go's map
	// assignment stores the key again, and the names given point into input blocks that are reused.
	domains map[string]*int64
	groups  map[string]*int64
	perms   map[int64]*PermissionCount
}

// ConflictCounts counts taken usernames.
type ConflictCounts struct {
	// Existing were taken by an account from --existing; Input by an earlier user of the input.
	Existing int64 `json:"existing"`
	Input    int64 `json:"input"`
	// Renamed were resolved by the conflict policy; Unresolved make the app refuse the user.
	Renamed    int64 `json:"renamed"`
	Unresolved int64 `json:"unresolved"`
	// Approximate is set when so many usernames were seen that conflicts within the input may
	// include rare false positives (see Seen).
	Approximate bool `json:"approximate"`
}

// Counts is a list of names with how often they occurred, most frequent first, cut to the first
// hundred; Other counts the rest.
type Counts struct {
	Top      []Count `json:"top"`
	Distinct int64   `json:"distinct"`
	Total    int64   `json:"total"`
	// Other counts occurrences of names past the first 10,000 distinct ones, which are not kept.
	Other int64 `json:"other"`
}

// Count is one name and how often it occurred.
type Count struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// PermissionCount is one bucket of the permission histogram.
type PermissionCount struct {
	Sum   int64    `json:"sum"`
	Names []string `json:"names"`
	Users int64    `json:"users"`
}

func newReport() *Report {
	return &Report{
		MissingRequired: map[string]int64{}, Registration: map[string]int64{},
		Warnings: map[string]int64{}, Errors: map[string]int64{},
		domains: map[string]*int64{}, groups: map[string]*int64{}, perms: map[int64]*PermissionCount{},
	}
}

// add counts one mapped user, after its conflicts were resolved.
func (r *Report) add(u *mapping.User) {
	r.Users++
	if u.OK {
		r.OK++
	}
	r.Registration[u.Registration.Code]++
	if u.Registration.Allowed {
		r.Registrable++
		pc := r.perms[u.Permission.Sum]
		if pc == nil {
			pc = &PermissionCount{Sum: u.Permission.Sum, Names: slices.Clone(u.Permission.Names)}
			r.perms[u.Permission.Sum] = pc
		}
		pc.Users++
	}
	if u.Registration.Code == mapping.RegDomainNotAllowed {
		bump(r.domains, &r.RejectedDomains, u.Registration.Domain)
	}
	for _, g := range u.Groups.Unmapped {
		bump(r.groups, &r.UnmappedGroups, g)
	}
	for _, e := range u.Errors {
		r.Errors[e.Code]++
		if e.Code == mapping.ErrMissingRequired {
			r.MissingRequired[e.Field]++
		}
	}
	for _, w := range u.Warnings {
		r.Warnings[w.Code]++
	}
}

// bump counts name in m, up to maxKeys distinct names. A new name is copied: the users' strings
// point into input blocks that are reused.
func bump(m map[string]*int64, c *Counts, name string) {
	c.Total++
	if n, ok := m[name]; ok {
		*n++
		return
	}
	if len(m) >= maxKeys {
		c.Other++
		return
	}
	one := int64(1)
	m[strings.Clone(name)] = &one
}

// finish turns the maps into sorted lists.
func (r *Report) finish() {
	r.RejectedDomains = top(r.domains, r.RejectedDomains)
	r.UnmappedGroups = top(r.groups, r.UnmappedGroups)
	r.Permissions = []PermissionCount{}
	for _, pc := range r.perms {
		r.Permissions = append(r.Permissions, *pc)
	}
	slices.SortFunc(r.Permissions, func(a, b PermissionCount) int {
		return cmp.Or(cmp.Compare(b.Users, a.Users), cmp.Compare(a.Sum, b.Sum))
	})
}

func top(m map[string]*int64, c Counts) Counts {
	c.Top = make([]Count, 0, min(len(m), reportTop))
	all := make([]Count, 0, len(m))
	for k, v := range m {
		all = append(all, Count{Name: k, Count: *v})
	}
	slices.SortFunc(all, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name)) })
	c.Distinct = int64(len(m))
	c.Top = append(c.Top, all[:min(len(all), reportTop)]...)
	return c
}
