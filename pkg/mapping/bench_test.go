package mapping

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The benchmarks measure the per-document cost of bulk evaluation (ssoctl
// map eval over NDJSON). Run them with
//
//	go test -run='^$' -bench=. -benchmem ./pkg/mapping
//
// and compare ratios, not absolute times, on shared machines.

func BenchmarkEval(b *testing.B) {
	doc := load(b, "github.json")
	b.Run("rule", func(b *testing.B) {
		r := MustCompile(FieldName, "$.login", Jayway)
		for b.Loop() {
			if r.Eval(doc).Value != "mona-ops" {
				b.Fatal("wrong value")
			}
		}
	})
	b.Run("preset", func(b *testing.B) {
		p, _ := Preset("github")
		set, err := p.Compile(Jayway)
		require.NoError(b, err)
		for b.Loop() {
			set.Eval(doc)
		}
	})
	b.Run("filter", func(b *testing.B) {
		emails := load(b, "github-emails.json")
		r := MustCompile(FieldEmail, "$[?(@.primary == true && @.verified == true)].email", Jayway)
		for b.Loop() {
			r.Eval(emails)
		}
	})
	b.Run("jayway-operator", func(b *testing.B) {
		emails := load(b, "github-emails.json")
		r := MustCompile(FieldEmail, "$[?(@.visibility nin ['public'] && @.email =~ /.*@example\\.com/i)].email", Jayway)
		for b.Loop() {
			r.Eval(emails)
		}
	})
	b.Run("tail-function", func(b *testing.B) {
		emails := load(b, "github-emails.json")
		r := MustCompile(FieldEmail, "$[*].email.first()", Jayway)
		for b.Loop() {
			r.Eval(emails)
		}
	})
}

func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		MustCompile(FieldEmail, "$.emails[?(@.primary == true && @.type in ['work', 'home'])].email.first()", Jayway)
	}
}

func BenchmarkParseJSON(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "userinfo", "github.json"))
	require.NoError(b, err)
	b.Run("ParseJSON", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ParseJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
