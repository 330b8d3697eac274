package config

import (
	"context"
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
