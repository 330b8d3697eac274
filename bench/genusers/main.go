// Command genusers writes synthetic userinfo documents, one per line, for benchmarking `ssoctl map
// eval` on NDJSON (or, with -array, on one JSON array as an identity provider's export is).
//
//	go run ./bench/genusers -n 200000 > users.ndjson
//	go run ./bench/genusers -shape oidc -n 200000 > oidc.ndjson
//
// -shape github (the default) writes GitHub's GET /user: 200,000 lines make about 85 MB; a few
// logins repeat (-dup) so that username conflicts occur, and about a third of the users have a null
// email, as GitHub sends for private addresses.
//
// -shape oidc writes an OpenID Connect userinfo response as Keycloak or Authentik send it, with a
// groups claim (one to six groups of a realm's thirty) and many username collisions: the
// preferred_username is the person's handle and a number (jens.mander17), and about -dup of the
// users (default 0.3 for this shape) repeat an earlier user's name or a bare handle many people share
// (jens.mander); 200,000 lines make about 87 MB, a quarter of them taking a name already taken.
//
// -array writes one JSON array instead of NDJSON; -wrap NAME (with -array) puts that array in an
// object as the member NAME, between other members as a Keycloak realm export has them (realm,
// clients, then users, then groups and required actions), for `map eval --array-path '$.NAME'`.
//
// The output is the same for the same flags and -seed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

var (
	first = []string{"Ana", "Rui", "Marta", "Jens", "Mona", "Li", "Alice", "Jorge", "Zhang", "Priya", "Tomás", "Élodie", "Kwame", "Sven", "Aiko", "Omar"}
	last  = []string{"Costa", "Pereira", "Sousa", "Mander", "Ops", "Na", "Martins", "Silva", "Wei", "Patel", "García", "Dubois", "Mensah", "Larsen", "Tanaka", "Haddad"}
	towns = []string{"Lisbon", "Porto", "Berlin", "Shanghai", "Paris", "Accra", "Oslo", "Tokyo", "Cairo", "São Paulo", ""}
	bios  = []string{"Keeps the lights on.", "Writes Go and YAML.", "SRE. Coffee. Bikes.", "", "Building things that \"just work\"."}
	// groups are a realm's groups, as Keycloak sends them with full paths, and Authentik's names.
	groups = []string{"/staff", "/staff/engineering", "/staff/engineering/platform", "/staff/engineering/web", "/staff/sales",
		"/staff/support", "/contractors", "/admins", "/files/readers", "/files/writers", "/files/admins", "/photos",
		"/photos/editors", "/inventory", "/inventory/managers", "/chat", "/chat/power-users", "/finance", "/hr", "/legal",
		"authentik Admins", "authentik Read-only", "ops", "dev", "qa", "design", "marketing", "interns", "alumni", "guests"}
	locales = []string{"en", "pt-PT", "de", "zh-CN", "fr", "ja", "ar"}
)

func main() {
	n := flag.Int("n", 200000, "number of `users`")
	seed := flag.Uint64("seed", 1, "random `seed`")
	shape := flag.String("shape", "github", "document `shape`: github (GET /user) or oidc (userinfo with groups)")
	dup := flag.Float64("dup", -1, "`fraction` of users whose username repeats an earlier one (default 0.001 for github, 0.3 for oidc)")
	array := flag.Bool("array", false, "write one JSON array, one document per line between [ and ], instead of NDJSON")
	wrap := flag.String("wrap", "", "with -array, write the array as the member `NAME` of an object, as a realm export holds its users")
	flag.Parse()
	if *wrap != "" && !*array {
		fmt.Fprintln(os.Stderr, "genusers: -wrap needs -array")
		os.Exit(2)
	}
	if *dup < 0 {
		*dup = map[string]float64{"github": 0.001, "oidc": 0.3}[*shape]
	}
	var gen func(b []byte, r *rand.Rand, i int, dup float64) []byte
	switch *shape {
	case "github":
		gen = github
	case "oidc":
		gen = oidc
	default:
		fmt.Fprintf(os.Stderr, "genusers: unknown -shape %q: github or oidc\n", *shape)
		os.Exit(2)
	}
	r := rand.New(rand.NewPCG(*seed, 0x5eed))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	var b []byte
	if *wrap != "" {
		w.WriteString(realmBefore)
		w.WriteString(strconv.Quote(*wrap) + ": ")
	}
	if *array {
		w.WriteString("[\n")
	}
	for i := range *n {
		b = gen(b[:0], r, i, *dup)
		if *array && i < *n-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			fmt.Fprintln(os.Stderr, "genusers:", err)
			os.Exit(1)
		}
	}
	if *array {
		w.WriteString("]\n")
	}
	if *wrap != "" {
		w.WriteString(realmAfter)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genusers:", err)
		os.Exit(1)
	}
}

// github writes GET /user.
func github(b []byte, r *rand.Rand, i int, dup float64) []byte {
	id := 1000000 + i
	login := "user" + strconv.Itoa(i)
	if i > 0 && r.Float64() < dup {
		login = "user" + strconv.Itoa(r.IntN(i))
	}
	name := first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]
	b = fmt.Appendf(b, `{"login":%q,"id":%d,"avatar_url":"https://avatars.githubusercontent.com/u/%d?v=4",`, login, id, id)
	b = fmt.Appendf(b, `"html_url":"https://github.com/%s","type":"User","site_admin":%t,"name":%q,`, login, r.IntN(500) == 0, name)
	b = fmt.Appendf(b, `"blog":"https://%s.example.com","location":%q,`, login, towns[r.IntN(len(towns))])
	if r.IntN(3) == 0 {
		b = append(b, `"email":null,`...)
	} else {
		b = fmt.Appendf(b, `"email":"%s@example.com",`, login)
	}
	b = fmt.Appendf(b, `"bio":%q,"public_repos":%d,"followers":%d,"following":%d,`, bios[r.IntN(len(bios))], r.IntN(200), r.IntN(5000), r.IntN(300))
	b = fmt.Appendf(b, `"created_at":"20%02d-%02d-%02dT09:14:02Z","updated_at":"2025-03-02T18:40:55Z"}`, 10+r.IntN(15), 1+r.IntN(12), 1+r.IntN(28))
	return b
}

// oidc writes an OpenID Connect userinfo response with a groups claim.
func oidc(b []byte, r *rand.Rand, i int, dup float64) []byte {
	handle := person(i) + strconv.Itoa(i) // unique
	if i > 0 && r.Float64() < dup {
		j := r.IntN(i)
		handle = person(j) + strconv.Itoa(j) // an earlier user's name
		if r.IntN(2) == 0 {
			handle = person(j) // a name many people share: jens.mander
		}
	}
	f, l, _ := strings.Cut(handle, ".")
	f, l = strings.ToUpper(f[:1])+f[1:], strings.ToUpper(l[:1])+strings.TrimRight(l[1:], "0123456789")
	sub := fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), 0x8000|r.IntN(1<<14), r.Uint64()&(1<<48-1))
	b = fmt.Appendf(b, `{"sub":%q,"preferred_username":%q,"name":"%s %s","given_name":%q,"family_name":%q,`, sub, handle, f, l, f, l)
	b = fmt.Appendf(b, `"email":"%s@example.com","email_verified":%t,"locale":%q,"zoneinfo":"Europe/Lisbon",`, handle, r.IntN(10) != 0, locales[r.IntN(len(locales))])
	b = fmt.Appendf(b, `"picture":"https://www.gravatar.com/avatar/%016x%016x",`, r.Uint64(), r.Uint64())
	b = append(b, `"groups":[`...)
	k := 1 + r.IntN(6)
	start := r.IntN(len(groups))
	for j := range k {
		if j > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, groups[(start+j*7)%len(groups)])
	}
	b = fmt.Appendf(b, `],"updated_at":%d,"sid":"%016x"}`, 1700000000+r.IntN(50000000), r.Uint64())
	return b
}

// person is user i's handle without a number (ASCII, so that it stays as it is when normalized).
func person(i int) string {
	h := uint64(i)*0x9e3779b97f4a7c15 + 1
	h ^= h >> 29
	return ascii[h%uint64(len(ascii))] + "." + asciiLast[(h>>8)%uint64(len(asciiLast))]
}

var (
	ascii     = []string{"ana", "rui", "marta", "jens", "mona", "li", "alice", "jorge", "zhang", "priya", "tomas", "elodie", "kwame", "sven", "aiko", "omar"}
	asciiLast = []string{"costa", "pereira", "sousa", "mander", "ops", "na", "martins", "silva", "wei", "patel", "garcia", "dubois", "mensah", "larsen", "tanaka", "haddad"}
)

// realmBefore and realmAfter surround the users in -wrap's object: members of a Keycloak realm
// export (kc.sh export), with strings that hold brackets, which the reader must skip.
const (
	realmBefore = `{
  "id": "staff",
  "realm": "staff",
  "enabled": true,
  "roles": {"realm": [{"name": "offline_access", "description": "${role_offline-access}"}], "client": {"files": []}},
  "clients": [
    {"clientId": "files", "redirectUris": ["https://files.example.com/*"], "attributes": {"note": "] } [ {"}},
    {"clientId": "photos", "redirectUris": ["https://photos.example.com/*"], "protocolMappers": [{"name": "groups", "config": {"full.path": "true"}}]}
  ],
  `
	realmAfter = `,
  "groups": [{"name": "staff", "path": "/staff", "subGroups": [{"name": "engineering", "path": "/staff/engineering"}]}],
  "requiredActions": [{"alias": "CONFIGURE_TOTP", "name": "Configure OTP", "enabled": true}],
  "keycloakVersion": "26.0.0"
}
`
)
