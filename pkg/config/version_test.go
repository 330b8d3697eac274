package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		refused bool
		version int // the version the error names
	}{
		{"version 1", "version: 1\nproviders: []\n", false, 0},
		{"no version key: read as 1", "providers: []\n", false, 0},
		{"empty file", "", false, 0},
		{"version 2", "version: 2\nproviders: []\n", true, 2},
		{"explicit 0", "version: 0\n", true, 0},
		{"version 2 whose schema does not decode as 1", "version: 2\nproviders: {gh: {type: github}}\n", true, 2},
		{"JSON", `{"version": 3, "providers": []}`, true, 3},
		{"through an anchor", "v: &v 2\nversion: *v\n", true, 2},
		{"hex", "version: 0x2\n", true, 2},
		{"text is left to decoding", "version: \"2\"\n", false, 0},
		{"a list is left to decoding", "version: [1]\n", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("c.yaml", []byte(tt.data))
			require.NoError(t, err)
			err = f.CheckVersion()
			if !tt.refused {
				assert.NoError(t, err)
				return
			}
			var ve *VersionError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.version, ve.Version)
			assert.Equal(t, 2, ve.ExitCode())
		})
	}
}
