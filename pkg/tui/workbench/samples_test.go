package workbench

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// The sample the picker offers first for a provider type is the document that type's mapping
// preset reads: every preset rule finds its value there. A sample of another endpoint first (as
// Graph /me was for microsoft, whose preset reads the OpenID Connect userinfo) would show a user
// every rule matching nothing.
func TestFirstSampleFitsPreset(t *testing.T) {
	for _, typ := range mapping.Presets() {
		t.Run(typ, func(t *testing.T) {
			rules, ok := mapping.Preset(typ)
			require.True(t, ok)
			first := Samples(typ)[0]
			if !containsType(first, typ) {
				t.Skipf("no sample for type %s", typ)
			}
			data, err := SampleData(first.Name)
			require.NoError(t, err)
			doc, err := mapping.ParseJSON(data)
			require.NoError(t, err)
			for _, field := range []string{mapping.FieldID, mapping.FieldName, mapping.FieldEmail} {
				r, err := mapping.Compile(field, rules[field], mapping.Jayway)
				require.NoError(t, err, field)
				v, found := r.Read(doc)
				assert.True(t, found, "%s: preset rule %s=%s finds nothing in sample %s", typ, field, rules[field], first.Name)
				if field != mapping.FieldEmail { // GitHub's public email is null by design
					assert.NotEmpty(t, v, "%s: %s", typ, field)
				}
			}
		})
	}
}

func containsType(s Sample, typ string) bool { return slices.Contains(s.Types, typ) }
