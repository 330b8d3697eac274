package perm

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltin(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		wantOK bool
	}{
		{name: "alist", input: "alist", wantOK: true},
		{name: "case-insensitive", input: "AList", wantOK: true},
		{name: "default", input: DefaultScheme, wantOK: true},
		{name: "unknown", input: "nextcloud"},
		{name: "empty", input: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := Builtin(tt.input)
			assert.Equal(t, tt.wantOK, ok)
			if tt.wantOK {
				assert.Equal(t, "alist", s.Name)
			} else {
				assert.Nil(t, s)
			}
		})
	}
}

func TestBuiltinReturnsCopies(t *testing.T) {
	a, _ := Builtin("alist")
	a.Bits[0].Name = "changed"
	a.Notes[0] = "changed"
	b, _ := Builtin("alist")
	assert.Equal(t, "see-hides", b.Bits[0].Name)
	assert.NotEqual(t, "changed", b.Notes[0])
}

func TestNames(t *testing.T) {
	assert.Equal(t, []string{"alist", "openlist"}, Names())
	for _, n := range Names() {
		_, ok := Builtin(n)
		assert.True(t, ok, n)
	}
}

func TestNewScheme(t *testing.T) {
	s, err := NewScheme("photo_app", []Bit{
		{Index: 5, Name: "upload", Key: "can_upload", Meaning: "upload photos"},
		{Index: 0, Value: 1, Name: "view"},
		{Index: 62, Name: "admin-2"},
	})
	require.NoError(t, err)
	assert.Equal(t, "photo_app", s.Name)
	assert.Equal(t, []Bit{
		{Index: 0, Value: 1, Name: "view"},
		{Index: 5, Value: 32, Name: "upload", Key: "can_upload", Meaning: "upload photos"},
		{Index: 62, Value: 1 << 62, Name: "admin-2"},
	}, s.Bits)
	assert.Equal(t, int64(1<<62|32|1), s.Max())

	got, err := s.Sum("view", "CAN_UPLOAD", "4611686018427387904")
	require.NoError(t, err)
	assert.Equal(t, s.Max(), got)
}

func TestNewSchemeDoesNotKeepCallerSlice(t *testing.T) {
	bits := []Bit{{Index: 1, Name: "b"}, {Index: 0, Name: "a"}}
	s, err := NewScheme("x", bits)
	require.NoError(t, err)
	assert.Equal(t, "b", bits[0].Name, "input must not be reordered")
	bits[0].Name = "changed"
	assert.Equal(t, []string{"a", "b"}, names(s.Bits))
}

func TestNewSchemeErrors(t *testing.T) {
	tests := []struct {
		name   string
		scheme string
		bits   []Bit
		want   []SchemeError
	}{
		{
			name:   "empty scheme name",
			scheme: "",
			bits:   []Bit{{Index: 0, Name: "a"}},
			want:   []SchemeError{{Pos: -1, Field: "name", Reason: `"" must match [a-z0-9][a-z0-9_-]*`}},
		},
		{
			name:   "upper-case scheme name",
			scheme: "MyApp",
			bits:   []Bit{{Index: 0, Name: "a"}},
			want:   []SchemeError{{Scheme: "MyApp", Pos: -1, Field: "name", Reason: `"MyApp" must match [a-z0-9][a-z0-9_-]*`}},
		},
		{
			name:   "no bits",
			scheme: "x",
			want:   []SchemeError{{Scheme: "x", Pos: -1, Field: "bits", Reason: "a scheme needs at least one bit"}},
		},
		{
			name:   "empty bit name",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: ""}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "name", Reason: `"" must match [a-z0-9][a-z0-9-]*`}},
		},
		{
			name:   "snake bit name",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: "webdav_read"}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "name", Reason: `"webdav_read" must match [a-z0-9][a-z0-9-]*`}},
		},
		{
			name:   "leading dash",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: "-read"}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "name", Reason: `"-read" must match [a-z0-9][a-z0-9-]*`}},
		},
		{
			name:   "numeric bit name",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: "8"}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "name", Reason: `"8" is a number; names need a letter so they cannot be mistaken for values`}},
		},
		{
			name:   "duplicate name",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: "read"}, {Index: 1, Name: "read"}},
			want:   []SchemeError{{Scheme: "x", Pos: 1, Field: "name", Reason: `"read" is already used by bit 0`}},
		},
		{
			name:   "key collides with other name",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: "read-all"}, {Index: 1, Name: "write", Key: "READ_ALL"}},
			want:   []SchemeError{{Scheme: "x", Pos: 1, Field: "key", Reason: `"READ_ALL" is already used by bit 0`}},
		},
		{
			name:   "bad key",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: "read", Key: "read it"}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "key", Reason: `"read it" must be letters, digits, - and _ and not all digits`}},
		},
		{
			name:   "duplicate index",
			scheme: "x",
			bits:   []Bit{{Index: 3, Name: "a"}, {Index: 3, Name: "b"}},
			want:   []SchemeError{{Scheme: "x", Pos: 1, Field: "index", Reason: "3 is already used by bit 0"}},
		},
		{
			name:   "negative index",
			scheme: "x",
			bits:   []Bit{{Index: -1, Name: "a"}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "index", Reason: "-1 is outside 0 to 62"}},
		},
		{
			name:   "index 63",
			scheme: "x",
			bits:   []Bit{{Index: 63, Name: "a"}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "index", Reason: "63 is outside 0 to 62"}},
		},
		{
			name:   "value does not match index",
			scheme: "x",
			bits:   []Bit{{Index: 3, Value: 4, Name: "a"}},
			want:   []SchemeError{{Scheme: "x", Pos: 0, Field: "value", Reason: "4 does not match index 3, whose value is 8"}},
		},
		{
			name:   "all problems at once",
			scheme: "x",
			bits:   []Bit{{Index: 0, Name: "A"}, {Index: 0, Name: "b"}, {Index: 99, Name: "c"}},
			want: []SchemeError{
				{Scheme: "x", Pos: 0, Field: "name", Reason: `"A" must match [a-z0-9][a-z0-9-]*`},
				{Scheme: "x", Pos: 1, Field: "index", Reason: "0 is already used by bit 0"},
				{Scheme: "x", Pos: 2, Field: "index", Reason: "99 is outside 0 to 62"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewScheme(tt.scheme, tt.bits)
			require.Error(t, err)
			assert.Nil(t, s)
			var first *SchemeError
			require.ErrorAs(t, err, &first)

			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok, "NewScheme joins its errors")
			var got []SchemeError
			for _, e := range joined.Unwrap() {
				var se *SchemeError
				require.True(t, errors.As(e, &se))
				got = append(got, *se)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSchemeErrorMessage(t *testing.T) {
	_, err := NewScheme("custom", []Bit{{Index: 0, Name: "a"}, {Index: 1, Name: "a"}})
	require.EqualError(t, err, `scheme "custom" bit 1 name: "a" is already used by bit 0`)
	_, err = NewScheme("custom", nil)
	require.EqualError(t, err, `scheme "custom" bits: a scheme needs at least one bit`)
}

// TestJSON pins the camelCase field names of -o json output.
func TestJSON(t *testing.T) {
	s := alist(t)
	got, err := json.Marshal(s.Bits[8])
	require.NoError(t, err)
	assert.JSONEq(t, `{"index":8,"value":256,"name":"webdav-read","key":"webdav_read","meaning":"WebDAV read","since":"v3"}`, string(got))

	custom, err := NewScheme("c", []Bit{{Index: 0, Name: "a"}})
	require.NoError(t, err)
	got, err = json.Marshal(custom)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"c","bits":[{"index":0,"value":1,"name":"a","key":"","meaning":"","since":""}]}`, string(got))
}

// TestOpenListScheme: OpenList's bits 0-13 are AList's; 14 and 15 are its share bits
// (internal/model/user.go, OpenList v4.2.5).
func TestOpenListScheme(t *testing.T) {
	o, ok := Builtin("openlist")
	require.True(t, ok)
	a, _ := Builtin("alist")
	for i := 0; i < 14; i++ {
		assert.Equal(t, a.Bits[i].Name, o.Bits[i].Name)
	}
	bits, err := o.Decode(16384 + 32768)
	require.NoError(t, err)
	assert.Equal(t, "share", bits[0].Name)
	assert.Equal(t, "customize-share-id", bits[1].Name)
	_, err = o.Decode(65536)
	assert.Error(t, err, "OpenList has no bit 16")
}
