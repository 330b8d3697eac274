package perm

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzSumDecode checks that Decode and Sum invert each other for every valid
// value, and that arbitrary text never panics Sum, Lookup or ParseValue.
//
//	go test ./pkg/perm -run '^$' -fuzz FuzzSumDecode -fuzztime 30s
func FuzzSumDecode(f *testing.F) {
	f.Add(int64(768), "webdav-read,webdav-manage")
	f.Add(int64(152), "8 16 128")
	f.Add(int64(16383), "WebDAV_Read")
	f.Add(int64(131071), "webdav-reed")
	f.Add(int64(131072), "768")
	f.Add(int64(-1), "-8")
	f.Add(int64(0), "")
	f.Add(int64(1<<62), "99999999999999999999")
	f.Add(int64(5), "+0,\x00,é,-,__")

	s, _ := Builtin(DefaultScheme)
	limit := s.Max()
	f.Fuzz(func(t *testing.T, n int64, text string) {
		bits, err := s.Decode(n)
		valid := n >= 0 && n&^limit == 0
		if valid != (err == nil) {
			t.Fatalf("Decode(%d) error = %v, want valid=%v", n, err, valid)
		}
		if err == nil {
			var sum int64
			byName := make([]string, len(bits))
			byValue := make([]string, len(bits))
			for i, b := range bits {
				sum += b.Value
				byName[i] = b.Name
				byValue[i] = strconv.FormatInt(b.Value, 10)
			}
			if sum != n {
				t.Fatalf("sum of Decode(%d) = %d", n, sum)
			}
			for _, items := range [][]string{byName, byValue} {
				if got, err := s.Sum(items...); err != nil || got != n {
					t.Fatalf("Sum(%q) = %d, %v; want %d", items, got, err, n)
				}
			}
		}

		items := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' })
		if got, err := s.Sum(items...); err == nil {
			if _, err := s.Decode(got); err != nil {
				t.Fatalf("Sum(%q) = %d, which Decode rejects: %v", items, got, err)
			}
		} else if h, ok := err.(interface{ Hint() string }); !ok || h.Hint() == "" {
			t.Fatalf("Sum(%q) error %v has no hint", items, err)
		}
		_, _ = s.Lookup(text)
		_, _ = ParseValue(text)
		_, _ = s.Sum(text)
	})
}
