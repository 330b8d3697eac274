package validate_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/validate"
)

// FuzzCheck feeds arbitrary files to validate: whatever config.Parse accepts must be checked without
// a panic, and every finding must have a code, a message and a position inside the file.
//
//	go test ./pkg/validate -run '^$' -fuzz FuzzCheck -fuzztime 60s
func FuzzCheck(f *testing.F) {
	for _, dir := range []string{"bad", "good"} {
		entries, _ := os.ReadDir(filepath.Join(fixtures, dir))
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(fixtures, dir, e.Name())); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := config.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		r := validate.Check(file, fixtureOptions("fuzz.yaml"))
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for _, fd := range append(r.Findings, r.Ignored...) {
			if _, ok := validate.LookupCode(fd.Code); !ok || fd.Message == "" || fd.Line < 0 || fd.Line > lines {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
