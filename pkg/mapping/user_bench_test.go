package mapping

import (
	"testing"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// BenchmarkMapJSON measures one line of bulk evaluation: extract, map and write the JSON line, for a
// GitHub /user document of the size bench/genusers writes. Run with
//
//	go test -run='^$' -bench=MapJSON -benchmem ./pkg/mapping
func BenchmarkMapJSON(b *testing.B) {
	line := []byte(`{"login":"user104729","id":1104729,"node_id":"MDQ6VXNlcjExMDQ3Mjk=","avatar_url":"https://avatars.githubusercontent.com/u/1104729?v=4","html_url":"https://github.com/user104729","type":"User","site_admin":false,"name":"Ana Costa","company":"@example-org","blog":"https://user104729.example.com","location":"Lisbon","email":"user104729@example.com","hireable":null,"bio":"Keeps the lights on.","public_repos":12,"followers":41,"following":7,"created_at":"2019-11-25T09:14:02Z","updated_at":"2025-03-02T18:40:55Z"}`)
	m, err := NewMapper(Options{Provider: config.Provider{Name: "gh", Type: "github", Registration: &config.Registration{Enabled: true}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		m    *Mapper
	}{{"fast", m}, {"parse", slowCopy(m)}} {
		b.Run(c.name, func(b *testing.B) {
			sc := Scratch{Borrow: true}
			var out []byte
			var u User
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				sc.Arena = sc.Arena[:0]
				if err := c.m.MapJSONTo(&u, line, &sc); err != nil {
					b.Fatal(err)
				}
				out = u.AppendLine(out[:0], 1)
			}
		})
	}
}
