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
//
// Measured 2026-12-07 on the shared 2-core machine (load average ~30, so wall time is noise; CPU time
// and bytes are what to compare), per op, before issue 14 (019178b) and after:
//
//	                 before                 after
//	YAML  4,000      50.2 MB   822k allocs   27.1 MB  386k allocs   0.21 s CPU
//	YAML 40,000     501.7 MB  8203k allocs  275.7 MB 3842k allocs   2.10 s CPU
//	JSON  4,000     278.4 MB   750k allocs  139.2 MB  313k allocs   0.19 s CPU
//	JSON 40,000    2725.5 MB  7483k allocs 1368.3 MB 3121k allocs   5.14 s CPU
//
// Ten times the providers take about ten times the time and memory. Most of what is left is
// go-yaml's parse (for JSON, its token queue for a flow collection, which holds the whole file).
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
