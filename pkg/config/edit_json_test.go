package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 14 item 8: provider add re-indented a whole JSON file; README promises that everything
// outside the entry stays byte-identical. Each edit here changes exactly the entry's bytes.
func TestJSONEditKeepsOtherBytes(t *testing.T) {
	before := providersConfig(50, true)
	entry := func(i int) string {
		return fmt.Sprintf("{\n      \"name\": \"p%d\",\n      \"type\": \"github\",\n      \"client_id\": \"client-%d\"\n    }", i, i)
	}
	parse := func() *File {
		f, err := Parse("c.json", before)
		require.NoError(t, err)
		return f
	}

	f := parse()
	require.NoError(t, f.AddProvider(Provider{Name: "new", Type: TypeGitHub, ClientID: "n"}))
	cut := bytes.LastIndex(before, []byte("\n  ]"))
	assert.Equal(t, string(before[:cut])+",\n    {\n      \"name\": \"new\",\n      \"type\": \"github\",\n      \"client_id\": \"n\"\n    }"+string(before[cut:]), string(f.Data))

	f = parse()
	require.NoError(t, f.RemoveProvider("p25"))
	assert.Equal(t, strings.Replace(string(before), ",\n    "+entry(25), "", 1), string(f.Data))

	f = parse()
	require.NoError(t, f.RemoveProvider("p0"))
	assert.Equal(t, strings.Replace(string(before), entry(0)+",\n    ", "", 1), string(f.Data))

	f = parse()
	require.NoError(t, f.ReplaceProvider(Provider{Name: "p7", Type: TypeGitHub, ClientID: "seven", CompatMode: true}))
	want := "{\n      \"name\": \"p7\",\n      \"type\": \"github\",\n      \"client_id\": \"seven\",\n      \"compat_mode\": true\n    }"
	assert.Equal(t, strings.Replace(string(before), entry(7), want, 1), string(f.Data))

	f = parse()
	require.NoError(t, f.SetProviderValue("p9", []string{"client_id"}, "nine"))
	assert.Equal(t, strings.Replace(string(before), entry(9), strings.Replace(entry(9), "client-9", "nine", 1), 1), string(f.Data))
}

// Through Update, as provider add writes: the file on disk changes only by the new entry.
func TestJSONUpdateOnDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ssoctl.json")
	before := []byte("{\r\n\t\"version\": 1,\r\n\t\"providers\": [\r\n\t\t{\"name\": \"a\", \"type\": \"github\"}\r\n\t]\r\n}")
	require.NoError(t, os.WriteFile(path, before, 0o600))
	require.NoError(t, Update(t.Context(), path, func(f *File) error {
		return f.AddProvider(Provider{Name: "b", Type: TypeGitHub, Scopes: []string{"read:user"}})
	}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{\r\n\t\"version\": 1,\r\n\t\"providers\": [\r\n\t\t{\"name\": \"a\", \"type\": \"github\"},\r\n\t\t{\"name\": \"b\", \"type\": \"github\", \"scopes\": [\"read:user\"]}\r\n\t]\r\n}", string(got))
}

// FuzzEditJSON is FuzzParse for JSON files: a successful edit of valid JSON leaves valid JSON (the
// spliced text must be JSON, not only YAML that means the same). Run it longer with
//
//	go test ./pkg/config -run '^$' -fuzz FuzzEditJSON -fuzztime 60s
func FuzzEditJSON(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "edit", "json*.before.json"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add(providersConfig(3, true))
	f.Add([]byte(`{"version":1,"providers":[{"name":"a","type":"github","x":"\"],"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := Parse("fuzz.json", data)
		if err != nil || cf.DecodeErr != nil {
			return
		}
		valid := json.Valid(data)
		edit := func(what string, fn func(*File) error) {
			c := *cf
			if err := fn(&c); err != nil {
				var ee *EditError
				var pe *ProviderExistsError
				if !errors.As(err, &ee) && !errors.As(err, &pe) {
					t.Fatalf("%s: unexpected error type %T: %v", what, err, err)
				}
				return
			}
			if valid && !json.Valid(c.Data) {
				t.Fatalf("%s: valid JSON became invalid\n--- before\n%s\n--- after\n%s", what, data, c.Data)
			}
		}
		edit("add", func(f *File) error {
			return f.AddProvider(Provider{Name: "fuzz-new", Type: TypeOIDC, Scopes: []string{"openid", "a,b"}})
		})
		if len(cf.Config.Providers) == 0 {
			return
		}
		first := cf.Config.Providers[0].Name
		edit("set", func(f *File) error { return f.SetProviderValue(first, []string{"mapping", "rules", "name"}, "$.login") })
		edit("replace", func(f *File) error { return f.ReplaceProvider(Provider{Name: first, Type: TypeGitHub}) })
		edit("remove", func(f *File) error { return f.RemoveProvider(first) })
	})
}
