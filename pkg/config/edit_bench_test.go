package config

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Run with: go test ./pkg/config -run '^$' -bench . -benchmem

func BenchmarkAddProvider(b *testing.B) {
	data := bigConfig("p", 40<<10) // about 200 providers
	p := editLark()
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse("config.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if err := f.AddProvider(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdate(b *testing.B) {
	path := filepath.Join(b.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(spec4bench), 0o600); err != nil {
		b.Fatal(err)
	}
	on := false
	for b.Loop() {
		on = !on
		err := Update(context.Background(), path, func(f *File) error {
			return f.SetProviderValue("github", []string{"compat_mode"}, on)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

const spec4bench = `version: 1
providers:
  - name: github   # staff
    type: github
    client_id: Iv1.abc
    client_secret: env:GITHUB_CLIENT_SECRET
`

// providersConfig is a config file with n small providers, the shape of the 40,000-provider file in
// issue 14 (2.4 MB): each entry has a name, a type and a client ID.
func providersConfig(n int, json bool) []byte {
	var b bytes.Buffer
	if json {
		b.WriteString("{\n  \"version\": 1,\n  \"providers\": [\n")
		for i := range n {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, "    {\n      \"name\": \"p%d\",\n      \"type\": \"github\",\n      \"client_id\": \"client-%d\"\n    }", i, i)
		}
		b.WriteString("\n  ]\n}\n")
		return b.Bytes()
	}
	b.WriteString("version: 1\nproviders:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: p%d\n    type: github\n    client_id: client-%d\n", i, i)
	}
	return b.Bytes()
}

// benchmarkAddLarge measures what `provider add` does to the file in memory: parse, add one entry,
// check the result. Time and memory per op should grow linearly with n:
//
//	go test ./pkg/config -run '^$' -bench 'AddLarge' -benchmem -count 3
func benchmarkAddLarge(b *testing.B, n int, json bool) {
	name := "config.yaml"
	if json {
		name = "config.json"
	}
	data := providersConfig(n, json)
	p := editLark()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		f, err := Parse(name, data)
		if err != nil {
			b.Fatal(err)
		}
		if err := f.AddProvider(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkAddLargeYAML4000(b *testing.B)  { benchmarkAddLarge(b, 4000, false) }
func BenchmarkAddLargeYAML40000(b *testing.B) { benchmarkAddLarge(b, 40000, false) }
func BenchmarkAddLargeJSON4000(b *testing.B)  { benchmarkAddLarge(b, 4000, true) }
func BenchmarkAddLargeJSON40000(b *testing.B) { benchmarkAddLarge(b, 40000, true) }
