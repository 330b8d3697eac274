package perm

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func photos() config.PermissionScheme {
	return config.PermissionScheme{Name: "photos", Bits: []config.PermissionBit{
		{Bit: 1, Name: "upload", Meaning: "upload photos"},
		{Bit: 0, Name: "view", Meaning: "view photos"},
	}}
}

func TestFromConfig(t *testing.T) {
	s, err := FromConfig(photos())
	require.NoError(t, err)
	assert.Equal(t, &Scheme{Name: "photos", Bits: []Bit{
		{Index: 0, Value: 1, Name: "view", Meaning: "view photos"},
		{Index: 1, Value: 2, Name: "upload", Meaning: "upload photos"},
	}}, s)

	_, err = FromConfig(config.PermissionScheme{Name: "x", Bits: []config.PermissionBit{{Bit: 63, Name: "a"}}})
	var se *SchemeError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, SchemeError{Scheme: "x", Pos: 0, Field: "index", Reason: "63 is outside 0 to 62"}, *se)
}

func TestResolve(t *testing.T) {
	shadow := config.PermissionScheme{Name: "alist", Bits: []config.PermissionBit{{Bit: 0, Name: "only"}}}
	tests := []struct {
		name       string
		input      string
		defs       []config.PermissionScheme
		wantScheme string
		wantBits   int
		wantErr    string
		wantHint   string
	}{
		{name: "empty is the default", input: "", wantScheme: "alist", wantBits: 17},
		{name: "builtin without config", input: "alist", wantScheme: "alist", wantBits: 17},
		{name: "builtin any case", input: " AList ", wantScheme: "alist", wantBits: 17},
		{name: "builtin wins over a definition", input: "alist", defs: []config.PermissionScheme{shadow}, wantScheme: "alist", wantBits: 17},
		{name: "defined", input: "photos", defs: []config.PermissionScheme{photos()}, wantScheme: "photos", wantBits: 2},
		{name: "defined any case", input: "Photos", defs: []config.PermissionScheme{photos()}, wantScheme: "photos", wantBits: 2},
		{
			name: "unknown with suggestion", input: "photo", defs: []config.PermissionScheme{shadow, photos()},
			wantErr:  `unknown permission scheme "photo"`,
			wantHint: `did you mean "photos"? known schemes: alist, openlist, photos; define others under permission_schemes: in the config file`,
		},
		{
			name: "unknown far from all", input: "inventree",
			wantErr:  `unknown permission scheme "inventree"`,
			wantHint: `known schemes: alist, openlist; define others under permission_schemes: in the config file`,
		},
		{
			name: "defined twice", input: "photos", defs: []config.PermissionScheme{photos(), {Name: "x"}, photos()},
			wantErr: `scheme "photos" name: permission_schemes defines "photos" more than once (entries 0 and 2)`,
		},
		{
			name: "invalid definition", input: "bad", defs: []config.PermissionScheme{{Name: "bad"}},
			wantErr: `scheme "bad" bits: a scheme needs at least one bit`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Resolve(tt.input, tt.defs)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Nil(t, s)
				var h interface{ Hint() string }
				if tt.wantHint != "" {
					require.True(t, errors.As(err, &h))
					assert.Equal(t, tt.wantHint, h.Hint())
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantScheme, s.Name)
			assert.Len(t, s.Bits, tt.wantBits)
		})
	}
}
