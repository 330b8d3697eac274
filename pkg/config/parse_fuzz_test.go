package config

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse and, when they are a config, to the edits. The seed corpus
// is testdata/fuzz/FuzzParse (real configs and junk); run it longer with
//
//	go test ./pkg/config -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	f.Add([]byte("version: 1\nproviders:\n  - name: a\n    type: oidc\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cf, err := Parse("fuzz.yaml", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse returned %T, not *ParseError: %v", err, err)
			}
			return
		}
		if cf.DecodeErr != nil {
			var de *DecodeError
			if !errors.As(cf.DecodeErr, &de) {
				t.Fatalf("DecodeErr is %T, not *DecodeError", cf.DecodeErr)
			}
			if err := cf.AddProvider(Provider{Name: "fuzz", Type: TypeOIDC}); err == nil {
				t.Fatal("a file that does not decode was edited")
			}
			return
		}
		fuzzEdit(t, cf, "add", func(f *File) error {
			return f.AddProvider(Provider{Name: "fuzz-new", Type: TypeOIDC, Scopes: []string{"openid", "a,b"},
				Mapping: &Mapping{Rules: map[string]string{"email": "$.mail"}}})
		})
		if len(cf.Config.Providers) == 0 {
			return
		}
		first := cf.Config.Providers[0].Name
		fuzzEdit(t, cf, "set", func(f *File) error {
			return f.SetProviderValue(first, []string{"mapping", "rules", "name"}, "$.login # not a comment")
		})
		fuzzEdit(t, cf, "replace", func(f *File) error {
			return f.ReplaceProvider(Provider{Name: first, Type: TypeGitHub, ClientSecret: "env:X"})
		})
		fuzzEdit(t, cf, "remove", func(f *File) error { return f.RemoveProvider(first) })
	})
}

// fuzzEdit runs an edit on a copy of f: a failed edit leaves the copy as it was; a successful one leaves
// data that parses to the config the copy now holds.
func fuzzEdit(t *testing.T, f *File, what string, edit func(*File) error) {
	t.Helper()
	c := *f
	c.Data = bytes.Clone(f.Data)
	if err := edit(&c); err != nil {
		var ee *EditError
		var pe *ProviderExistsError
		var ne *NotEditableError
		if !errors.As(err, &ee) && !errors.As(err, &pe) && !errors.As(err, &ne) {
			t.Fatalf("%s: unexpected error type %T: %v", what, err, err)
		}
		if !bytes.Equal(c.Data, f.Data) {
			t.Fatalf("%s: a failed edit changed the data", what)
		}
		return
	}
	again, err := Parse("fuzz.yaml", c.Data)
	if err != nil {
		t.Fatalf("%s: the edited file does not parse: %v\n--- before\n%s\n--- after\n%s", what, err, f.Data, c.Data)
	}
	if again.DecodeErr != nil {
		t.Fatalf("%s: the edited file does not decode: %v", what, again.DecodeErr)
	}
}
