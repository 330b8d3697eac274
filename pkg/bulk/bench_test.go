package bulk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// syntheticUsers returns n GitHub /user documents as NDJSON, about 430 bytes a line, like
// bench/genusers writes.
func syntheticUsers(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	names := []string{"Ana Costa", "Rui Pereira", "Marta Sousa", "Jens Mander", "Mona Ops", "Li Na"}
	var b bytes.Buffer
	for i := range n {
		id := 1000000 + i
		login := fmt.Sprintf("user%d", i)
		email := fmt.Sprintf("%q", login+"@example.com")
		if r.IntN(3) == 0 {
			email = "null"
		}
		fmt.Fprintf(&b, `{"login":%q,"id":%d,"avatar_url":"https://avatars.githubusercontent.com/u/%d?v=4","html_url":"https://github.com/%s","type":"User","site_admin":false,"name":%q,"blog":"https://%s.example.com","location":"Lisbon","email":%s,"bio":"Keeps the lights on.","public_repos":%d,"followers":%d,"following":%d,"created_at":"2019-11-25T09:14:02Z","updated_at":"2025-03-02T18:40:55Z"}`+"\n",
			login, id, id, login, names[r.IntN(len(names))], login, email, r.IntN(200), r.IntN(5000), r.IntN(300))
	}
	return b.Bytes()
}

// BenchmarkRun maps 20,000 GitHub users through the whole pipeline (read, map on every core,
// resolve conflicts in order, write). Compare with jq on the same data using scripts/bench-map.sh:
//
//	go test -run='^$' -bench=Run -benchmem ./pkg/bulk
func BenchmarkRun(b *testing.B) {
	data := syntheticUsers(20000)
	m, err := mapping.NewMapper(mapping.Options{Provider: config.Provider{Name: "gh", Type: "github", Registration: &config.Registration{Enabled: true}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, report := range []bool{false, true} {
		b.Run(map[bool]string{false: "lines", true: "report"}[report], func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				res, err := Run(context.Background(), bytes.NewReader(data), io.Discard, Options{Mapper: m, Report: report})
				if err != nil || res.Users != 20000 {
					b.Fatal(err, res)
				}
			}
		})
	}
}

// syntheticEmails returns n GitHub /user documents like syntheticUsers, each also holding the
// /user/emails list (two or three addresses, one primary), so that a plain path and a filter can
// be timed on the same input.
func syntheticEmails(n int) []byte {
	r := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	for i := range n {
		login := fmt.Sprintf("user%d", i)
		primary := r.IntN(3)
		fmt.Fprintf(&b, `{"login":%q,"id":%d,"name":"Ana Costa","email":"%s@example.com","type":"User","site_admin":false,"emails":[`, login, 1000000+i, login)
		for k := range 3 {
			if k > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"email":"%s+%d@example.com","primary":%t,"verified":true,"visibility":null}`, login, k, k == primary)
		}
		b.WriteString("]}\n")
	}
	return b.Bytes()
}

// BenchmarkRunRules maps the same 20,000 documents with a plain path for email and with a filter
// (issue 15: filters in bulk at least a third as fast as plain paths), in each dialect:
//
//	go test -run='^$' -bench=RunRules -benchmem ./pkg/bulk
func BenchmarkRunRules(b *testing.B) {
	data := syntheticEmails(20000)
	for _, tc := range []struct{ name, email string }{
		{"plain", "$.email"},
		{"filter", "$.emails[?(@.primary == true)].email"},
		{"filter-rfc9535-syntax", "$.emails[?@.primary == true].email"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			m, err := mapping.NewMapper(mapping.Options{Provider: config.Provider{Name: "gh", Type: "github",
				Mapping:      &config.Mapping{Type: "custom", Rules: map[string]string{"name": "$.login", "email": tc.email}},
				Registration: &config.Registration{Enabled: true}}})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				res, err := Run(context.Background(), bytes.NewReader(data), io.Discard, Options{Mapper: m})
				if err != nil || res.Users != 20000 {
					b.Fatal(err, res)
				}
			}
		})
	}
}

// BenchmarkRunRulesRatio maps the documents of BenchmarkRunRules with the plain and the filter rule
// in turn within each iteration and reports filter-throughput/plain-throughput, which a loaded
// machine disturbs less than two separate benchmarks (issue 15 asks for at least 0.33):
//
//	go test -run='^$' -bench=RunRulesRatio -cpu 1 ./pkg/bulk
func BenchmarkRunRulesRatio(b *testing.B) {
	data := syntheticEmails(20000)
	mapper := func(email string) *mapping.Mapper {
		m, err := mapping.NewMapper(mapping.Options{Provider: config.Provider{Name: "gh", Type: "github",
			Mapping:      &config.Mapping{Type: "custom", Rules: map[string]string{"name": "$.login", "email": email}},
			Registration: &config.Registration{Enabled: true}}})
		if err != nil {
			b.Fatal(err)
		}
		return m
	}
	plain, filter := mapper("$.email"), mapper("$.emails[?(@.primary == true)].email")
	var tPlain, tFilter time.Duration
	run := func(m *mapping.Mapper) time.Duration {
		start := time.Now()
		res, err := Run(context.Background(), bytes.NewReader(data), io.Discard, Options{Mapper: m})
		if err != nil || res.Users != 20000 {
			b.Fatal(err, res)
		}
		return time.Since(start)
	}
	for b.Loop() {
		tPlain += run(plain)
		tFilter += run(filter)
	}
	b.ReportMetric(float64(tPlain)/float64(tFilter), "filter/plain-throughput")
}

// syntheticOIDC returns n OpenID Connect userinfo documents as NDJSON, as bench/genusers -shape oidc
// writes them: about 440 bytes a line, a groups claim of one to six groups, and a quarter of the
// users taking a username an earlier user has.
func syntheticOIDC(n int) []byte {
	r := rand.New(rand.NewPCG(5, 6))
	first := []string{"ana", "rui", "marta", "jens", "mona", "li", "alice", "jorge", "zhang", "priya", "tomas", "elodie", "kwame", "sven", "aiko", "omar"}
	groups := []string{"/staff", "/staff/engineering", "/staff/engineering/platform", "/staff/engineering/web", "/staff/sales",
		"/staff/support", "/contractors", "/admins", "/files/readers", "/files/writers", "/files/admins", "/photos",
		"/photos/editors", "/inventory", "/inventory/managers", "/chat", "/chat/power-users", "/finance", "/hr", "/legal",
		"authentik Admins", "authentik Read-only", "ops", "dev", "qa", "design", "marketing", "interns", "alumni", "guests"}
	person := func(i int) string { return first[i*7%16] + "." + first[i*5/3%16] }
	var b bytes.Buffer
	for i := range n {
		handle := fmt.Sprintf("%s%d", person(i), i)
		if i > 0 && r.Float64() < 0.3 {
			j := r.IntN(i)
			handle = fmt.Sprintf("%s%d", person(j), j)
			if r.IntN(2) == 0 {
				handle = person(j)
			}
		}
		fmt.Fprintf(&b, `{"sub":"%08x-%04x-4%03x-%04x-%012x","preferred_username":%q,"name":"Ana Costa","given_name":"Ana","family_name":"Costa",`,
			r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), 0x8000|r.IntN(1<<14), r.Uint64()&(1<<48-1), handle)
		fmt.Fprintf(&b, `"email":"%s@example.com","email_verified":%t,"locale":"pt-PT","zoneinfo":"Europe/Lisbon","picture":"https://www.gravatar.com/avatar/%016x%016x","groups":[`,
			handle, r.IntN(10) != 0, r.Uint64(), r.Uint64())
		k, start := 1+r.IntN(6), r.IntN(len(groups))
		for j := range k {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q", groups[(start+j*7)%len(groups)])
		}
		fmt.Fprintf(&b, `],"updated_at":%d,"sid":"%016x"}`+"\n", 1700000000+r.IntN(50000000), r.Uint64())
	}
	return b.Bytes()
}

// oidcMapper maps OpenID Connect userinfo with a groups claim and a groups map, registration on.
func oidcMapper(t testing.TB) *mapping.Mapper {
	m, err := mapping.NewMapper(mapping.Options{Provider: config.Provider{Name: "kc", Type: "oidc",
		Groups:       &config.Groups{Claim: "groups", Map: map[string]string{"/staff": "users", "/admins": "admins", "/files/writers": "writers", "/files/readers": "readers"}},
		Registration: &config.Registration{Enabled: true}}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// BenchmarkRunOIDC maps 20,000 OpenID Connect userinfo documents with groups and many username
// conflicts (scripts/bench-map.sh's second input):
//
//	go test -run='^$' -bench=RunOIDC -benchmem ./pkg/bulk
func BenchmarkRunOIDC(b *testing.B) {
	data := syntheticOIDC(20000)
	m := oidcMapper(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := Run(context.Background(), bytes.NewReader(data), io.Discard, Options{Mapper: m})
		if err != nil || res.Users != 20000 {
			b.Fatal(err, res)
		}
	}
}
