package perm

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func alist(t *testing.T) *Scheme {
	t.Helper()
	s, ok := Builtin("alist")
	require.True(t, ok)
	return s
}

func names(bits []Bit) []string {
	out := make([]string, len(bits))
	for i, b := range bits {
		out[i] = b.Name
	}
	return out
}

// TestAListTable pins the built-in table to reference/alist.md.
func TestAListTable(t *testing.T) {
	want := []struct{ name, key, since string }{
		{"see-hides", "see_hides", "v3"},
		{"access-without-password", "access_without_password", "v3"},
		{"offline-download", "offline_download", "v3"},
		{"write", "write", "v3"},
		{"rename", "rename", "v3"},
		{"move", "move", "v3"},
		{"copy", "copy", "v3"},
		{"delete", "delete", "v3"},
		{"webdav-read", "webdav_read", "v3"},
		{"webdav-manage", "webdav_manage", "v3"},
		{"ftp-read", "ftp_read", "v3.42.0"},
		{"ftp-manage", "ftp_manage", "v3.42.0"},
		{"read-archives", "read_archives", "v3.42.0"},
		{"decompress", "decompress", "v3.42.0"},
		{"check-path-limit", "check_path_limit", "v3.46.0"},
		{"mcp-read", "mcp_read", "v3.60.0"},
		{"mcp-write", "mcp_write", "v3.60.0"},
	}
	s := alist(t)
	assert.Equal(t, "alist", s.Name)
	require.Len(t, s.Bits, len(want))
	for i, w := range want {
		t.Run(w.name, func(t *testing.T) {
			b := s.Bits[i]
			assert.Equal(t, i, b.Index)
			assert.Equal(t, int64(1)<<i, b.Value)
			assert.Equal(t, w.name, b.Name)
			assert.Equal(t, w.key, b.Key)
			assert.Equal(t, w.since, b.Since)
			assert.NotEmpty(t, b.Meaning)
		})
	}
	// The built-in table must pass the same checks as a user-defined one.
	_, err := NewScheme(s.Name, s.Bits)
	require.NoError(t, err)
}

func TestMax(t *testing.T) {
	assert.Equal(t, int64(131071), alist(t).Max())
	assert.Equal(t, int64(0), (&Scheme{Name: "empty"}).Max())
}

func TestSum(t *testing.T) {
	tests := []struct {
		name  string
		items []string
		want  int64
	}{
		{name: "webdav by name", items: []string{"webdav-read", "webdav-manage"}, want: 768},
		{name: "webdav by key", items: []string{"webdav_read", "webdav_manage"}, want: 768},
		{name: "seed 152 by value", items: []string{"8", "16", "128"}, want: 152},
		{name: "seed 152 by name", items: []string{"write", "rename", "delete"}, want: 152},
		{name: "mixed names and values", items: []string{"write", "16", "DELETE"}, want: 152},
		{name: "case and space", items: []string{" WebDAV_Read ", "WEBDAV-MANAGE"}, want: 768},
		{name: "duplicates count once", items: []string{"webdav-read", "256", "webdav_read"}, want: 256},
		{name: "nothing", items: nil, want: 0},
		{name: "explicit plus sign", items: []string{"+8"}, want: 8},
		{name: "highest bit", items: []string{"mcp-write", "65536"}, want: 65536},
		{name: "bits 0 to 13", items: []string{
			"see-hides", "access-without-password", "offline-download", "write", "rename", "move", "copy",
			"delete", "webdav-read", "webdav-manage", "ftp-read", "ftp-manage", "read-archives", "decompress",
		}, want: 16383},
	}
	s := alist(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Sum(tt.items...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSumErrors(t *testing.T) {
	tests := []struct {
		name    string
		items   []string
		wantErr string
		hint    string
	}{
		{
			name:    "typo with suggestion",
			items:   []string{"webdav-read", "webdav-reed"},
			wantErr: `unknown permission "webdav-reed" in scheme alist`,
			hint:    `did you mean "webdav-read"? run "ssoctl perm list" to see all names`,
		},
		{
			name:    "snake case typo",
			items:   []string{"offline_downlaod"},
			wantErr: `unknown permission "offline_downlaod" in scheme alist`,
			hint:    `did you mean "offline-download"? run "ssoctl perm list" to see all names`,
		},
		{
			name:    "nothing close",
			items:   []string{"superuser"},
			wantErr: `unknown permission "superuser" in scheme alist`,
			hint:    `run "ssoctl perm list" to see all names`,
		},
		{
			name:    "openlist share bit",
			items:   []string{"share"},
			wantErr: `unknown permission "share" in scheme alist`,
			hint:    `run "ssoctl perm list" to see all names`,
		},
		{
			name:    "empty",
			items:   []string{"  "},
			wantErr: `empty permission name in scheme alist`,
			hint:    `run "ssoctl perm list" to see all names`,
		},
		{
			name:    "sum is not a bit",
			items:   []string{"768"},
			wantErr: `permission 768 is not a single bit of scheme alist`,
			hint:    `768 is webdav-read + webdav-manage; give those names instead`,
		},
		{
			name:    "zero",
			items:   []string{"0"},
			wantErr: `permission 0 is not a single bit of scheme alist`,
			hint:    `0 grants nothing; leave it out`,
		},
		{
			name:    "value outside scheme",
			items:   []string{"131072"},
			wantErr: `permission 131072 has bits outside scheme alist (extra 131072)`,
			hint:    `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`,
		},
		{
			name:    "negative value",
			items:   []string{"-8"},
			wantErr: `permission -8 is negative and so outside scheme alist`,
			hint:    `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`,
		},
		{
			name:    "too large",
			items:   []string{"99999999999999999999"},
			wantErr: `permission value "99999999999999999999" is too large`,
			hint:    `write the sum as a decimal number such as 768, or run "ssoctl perm list" to see the bits`,
		},
	}
	s := alist(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Sum(tt.items...)
			require.Error(t, err)
			assert.Zero(t, got)
			assert.Equal(t, tt.wantErr, err.Error())
			var h interface{ Hint() string }
			require.ErrorAs(t, err, &h)
			assert.Equal(t, tt.hint, h.Hint())
		})
	}
}

func TestUnknownNameErrorFields(t *testing.T) {
	_, err := alist(t).Sum("webdav-reed")
	var e *UnknownNameError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, UnknownNameError{Name: "webdav-reed", Scheme: "alist", Suggestion: "webdav-read"}, *e)
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		want []string
	}{
		{name: "webdav", n: 768, want: []string{"webdav-read", "webdav-manage"}},
		{name: "seed 152", n: 152, want: []string{"write", "rename", "delete"}},
		{name: "zero", n: 0, want: []string{}},
		{name: "one", n: 1, want: []string{"see-hides"}},
		{name: "path limit", n: 16384, want: []string{"check-path-limit"}},
	}
	s := alist(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Decode(tt.n)
			require.NoError(t, err)
			assert.Equal(t, tt.want, names(got))
		})
	}

	t.Run("bits 0 to 13", func(t *testing.T) {
		got, err := s.Decode(16383)
		require.NoError(t, err)
		require.Len(t, got, 14)
		for i, b := range got {
			assert.Equal(t, i, b.Index)
		}
	})
	t.Run("all bits", func(t *testing.T) {
		got, err := s.Decode(s.Max())
		require.NoError(t, err)
		assert.Equal(t, s.Bits, got)
	})
	t.Run("zero is an empty list, not null", func(t *testing.T) {
		got, err := s.Decode(0)
		require.NoError(t, err)
		assert.NotNil(t, got)
	})
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		n     int64
		extra int64
		msg   string
	}{
		{name: "just above max", n: 131072, extra: 131072, msg: "permission 131072 has bits outside scheme alist (extra 131072)"},
		{name: "mixed", n: 131072 + 768, extra: 131072, msg: "permission 131840 has bits outside scheme alist (extra 131072)"},
		{name: "int32 max", n: 1<<31 - 1, extra: 1<<31 - 1 - 131071, msg: "permission 2147483647 has bits outside scheme alist (extra 2147352576)"},
		{name: "negative", n: -1, extra: -1 &^ 131071, msg: "permission -1 is negative and so outside scheme alist"},
		{name: "min int64", n: -1 << 63, extra: -1 << 63, msg: "permission -9223372036854775808 is negative and so outside scheme alist"},
	}
	s := alist(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Decode(tt.n)
			assert.Nil(t, got)
			var e *OutOfSchemeError
			require.ErrorAs(t, err, &e)
			assert.Equal(t, OutOfSchemeError{Value: tt.n, Extra: tt.extra, Max: 131071, Scheme: "alist"}, *e)
			assert.Equal(t, tt.msg, e.Error())
			assert.Equal(t, `the largest valid sum in scheme alist is 131071; run "ssoctl perm list" to see all bits`, e.Hint())
		})
	}
}

// TestRoundTripEveryBit checks each bit by name, by key and by value.
func TestRoundTripEveryBit(t *testing.T) {
	s := alist(t)
	for _, b := range s.Bits {
		t.Run(b.Name, func(t *testing.T) {
			for _, item := range []string{b.Name, b.Key, strconv.FormatInt(b.Value, 10)} {
				got, err := s.Sum(item)
				require.NoError(t, err, item)
				assert.Equal(t, b.Value, got, item)
			}
			decoded, err := s.Decode(b.Value)
			require.NoError(t, err)
			assert.Equal(t, []Bit{b}, decoded)
			found, ok := s.Lookup(b.Name)
			require.True(t, ok)
			assert.Equal(t, b, found)
		})
	}
}

// TestRoundTripSubsets checks every subset of a few bits spread over the table.
func TestRoundTripSubsets(t *testing.T) {
	s := alist(t)
	pick := []int{0, 3, 8, 9, 13, 14, 16}
	for mask := 0; mask < 1<<len(pick); mask++ {
		var want int64
		var items []string
		for j, idx := range pick {
			if mask&(1<<j) != 0 {
				want |= 1 << idx
				items = append(items, s.Bits[idx].Name)
			}
		}
		t.Run(strconv.FormatInt(want, 10), func(t *testing.T) {
			got, err := s.Sum(items...)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			decoded, err := s.Decode(got)
			require.NoError(t, err)
			if items == nil {
				items = []string{}
			}
			assert.Equal(t, items, names(decoded))
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		want   string
		wantOK bool
	}{
		{name: "kebab", input: "webdav-read", want: "webdav-read", wantOK: true},
		{name: "snake key", input: "webdav_read", want: "webdav-read", wantOK: true},
		{name: "upper", input: "MCP_WRITE", want: "mcp-write", wantOK: true},
		{name: "spaces", input: "  copy\t", want: "copy", wantOK: true},
		{name: "number is not a name", input: "8"},
		{name: "empty", input: ""},
		{name: "unknown", input: "share"},
	}
	s := alist(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := s.Lookup(tt.input)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got.Name)
		})
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    int64
		wantErr error
		msg     string
	}{
		{name: "plain", input: "768", want: 768},
		{name: "space", input: " 768\n", want: 768},
		{name: "negative", input: "-1", want: -1},
		{name: "zero", input: "0", want: 0},
		{name: "letters", input: "12a", wantErr: strconv.ErrSyntax, msg: `permission value "12a" is not a decimal number`},
		{name: "hex", input: "0x300", wantErr: strconv.ErrSyntax, msg: `permission value "0x300" is not a decimal number`},
		{name: "underscore", input: "1_000", wantErr: strconv.ErrSyntax, msg: `permission value "1_000" is not a decimal number`},
		{name: "empty", input: "", wantErr: strconv.ErrSyntax, msg: `permission value "" is not a decimal number`},
		{name: "sign only", input: "-", wantErr: strconv.ErrSyntax, msg: `permission value "-" is not a decimal number`},
		{name: "overflow", input: "9223372036854775808", wantErr: strconv.ErrRange, msg: `permission value "9223372036854775808" is too large`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseValue(tt.input)
			if tt.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			var e *ValueError
			require.ErrorAs(t, err, &e)
			assert.ErrorIs(t, err, tt.wantErr)
			assert.Equal(t, tt.msg, err.Error())
			assert.Contains(t, e.Hint(), "ssoctl perm list")
		})
	}
}

func TestErrorsAreOneLowercaseSentence(t *testing.T) {
	errs := []error{
		&UnknownNameError{Name: "x", Scheme: "alist"},
		&OutOfSchemeError{Value: 1 << 20, Extra: 1 << 20, Max: 131071, Scheme: "alist"},
		&NotSingleBitError{Value: 3, Scheme: "alist"},
		&ValueError{Input: "x", Err: strconv.ErrSyntax},
		&SchemeError{Scheme: "x", Pos: -1, Field: "name", Reason: "bad"},
	}
	for _, err := range errs {
		msg := err.Error()
		t.Run(msg, func(t *testing.T) {
			assert.Equal(t, strings.ToLower(msg[:1]), msg[:1])
			assert.NotContains(t, msg, "\n")
			assert.False(t, strings.HasSuffix(msg, "."))
		})
	}
}

func TestHintNamesCustomScheme(t *testing.T) {
	s, err := NewScheme("custom", []Bit{{Index: 0, Name: "read"}, {Index: 1, Name: "write"}})
	require.NoError(t, err)

	_, err = s.Sum("raed")
	var u *UnknownNameError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, `did you mean "read"? run "ssoctl perm list --scheme custom" to see all names`, u.Hint())

	_, err = s.Decode(4)
	var o *OutOfSchemeError
	require.ErrorAs(t, err, &o)
	assert.Equal(t, `the largest valid sum in scheme custom is 3; run "ssoctl perm list --scheme custom" to see all bits`, o.Hint())
}

func TestListCommand(t *testing.T) {
	tests := []struct{ scheme, want string }{
		{DefaultScheme, "ssoctl perm list"},
		{"", "ssoctl perm list"},
		{"photos", "ssoctl perm list --scheme photos"},
	}
	for _, tt := range tests {
		t.Run(tt.scheme, func(t *testing.T) {
			assert.Equal(t, tt.want, ListCommand(tt.scheme))
		})
	}
}
