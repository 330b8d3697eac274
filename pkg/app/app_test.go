package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in   string
		want Version
		bad  bool
	}{
		{in: "3.63", want: Version{3, 63, 0}},
		{in: "3.63.0", want: Version{3, 63, 0}},
		{in: "v3.46.1", want: Version{3, 46, 1}},
		{in: "4", want: Version{4, 0, 0}},
		{in: "v4.2.5 (Commit: cc87e88) - Frontend: none", want: Version{4, 2, 5}},
		{in: "", bad: true},
		{in: "3.x", bad: true},
		{in: "3..1", bad: true},
		{in: "1.2.3.4", bad: true},
		{in: "latest", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseVersion(tt.in)
			if tt.bad {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestVersionOrder(t *testing.T) {
	assert.True(t, Version{3, 45, 9}.Less(Version{3, 46, 0}))
	assert.False(t, Version{3, 46, 0}.Less(Version{3, 46, 0}))
	assert.True(t, Version{3, 63, 0}.Less(Version{4, 0, 0}))
	assert.Equal(t, "3.63", Version{3, 63, 0}.String())
	assert.Equal(t, "4.2.5", Version{4, 2, 5}.String())
}

func TestResolve(t *testing.T) {
	got, err := Resolve(&config.App{Kind: config.AppAList})
	require.NoError(t, err)
	assert.True(t, got.Assumed)
	assert.Equal(t, "AList 3.63", got.String())

	got, err = Resolve(&config.App{Kind: config.AppAList, Version: "3.40"})
	require.NoError(t, err)
	assert.False(t, got.Assumed)
	assert.False(t, got.AtLeast(Version{3, 46, 0}))

	got, err = Resolve(nil)
	require.NoError(t, err)
	assert.Equal(t, config.AppGeneric, got.Kind)

	_, err = Resolve(&config.App{Kind: "nextcloud"})
	assert.ErrorContains(t, err, `app.kind "nextcloud"`)
	_, err = Resolve(&config.App{Kind: config.AppAList, Version: "three"})
	assert.ErrorContains(t, err, "app.version")

	for _, k := range config.AppKinds {
		_, ok := Lookup(k)
		assert.True(t, ok, k)
	}
}
