// Command genusers writes synthetic GitHub-style userinfo documents (GET /user), one per line, for
// benchmarking `ssoctl map eval` on NDJSON: 200,000 lines make about 85 MB.
//
//	go run ./bench/genusers -n 200000 > users.ndjson
//
// The output is the same for the same -n and -seed. A few logins repeat (-dup) so that username
// conflicts occur, and about a third of the users have a null email, as GitHub sends for private
// addresses.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
)

var (
	first = []string{"Ana", "Rui", "Marta", "Jens", "Mona", "Li", "Alice", "Jorge", "Zhang", "Priya", "Tomás", "Élodie", "Kwame", "Sven", "Aiko", "Omar"}
	last  = []string{"Costa", "Pereira", "Sousa", "Mander", "Ops", "Na", "Martins", "Silva", "Wei", "Patel", "García", "Dubois", "Mensah", "Larsen", "Tanaka", "Haddad"}
	towns = []string{"Lisbon", "Porto", "Berlin", "Shanghai", "Paris", "Accra", "Oslo", "Tokyo", "Cairo", "São Paulo", ""}
	bios  = []string{"Keeps the lights on.", "Writes Go and YAML.", "SRE. Coffee. Bikes.", "", "Building things that \"just work\"."}
)

func main() {
	n := flag.Int("n", 200000, "number of `users`")
	seed := flag.Uint64("seed", 1, "random `seed`")
	dup := flag.Float64("dup", 0.001, "`fraction` of users whose login repeats an earlier one")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 0x5eed))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	var b []byte
	for i := range *n {
		id := 1000000 + i
		login := "user" + strconv.Itoa(i)
		if i > 0 && r.Float64() < *dup {
			login = "user" + strconv.Itoa(r.IntN(i))
		}
		name := first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]
		b = b[:0]
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
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			fmt.Fprintln(os.Stderr, "genusers:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "genusers:", err)
		os.Exit(1)
	}
}
