package validate_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/provider"
)

func rawSchema(t *testing.T) map[string]any {
	t.Helper()
	var s map[string]any
	require.NoError(t, json.Unmarshal(config.JSONSchema(), &s))
	return s
}

func def(s map[string]any, name string) map[string]any {
	return s["$defs"].(map[string]any)[name].(map[string]any)
}

func propNames(s map[string]any) []string {
	var out []string
	for k := range s["properties"].(map[string]any) {
		if k != "$schema" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func yamlKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	sort.Strings(out)
	return out
}

// TestSchemaCompiles checks the schema against the draft 2020-12 meta-schema, as editors will.
func TestSchemaCompiles(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(config.JSONSchema()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(config.SchemaID, doc))
	_, err = c.Compile(config.SchemaID)
	require.NoError(t, err)
	s := rawSchema(t)
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", s["$schema"])
	assert.Equal(t, config.SchemaID, s["$id"])
}

// TestSchemaMatchesConfigTypes keeps schema.json and the Go types in step: every key the decoder
// reads is in the schema, and the schema allows no key the decoder would drop.
func TestSchemaMatchesConfigTypes(t *testing.T) {
	s := rawSchema(t)
	tests := []struct {
		name   string
		schema map[string]any
		typ    any
	}{
		{"top level", s, config.Config{}},
		{"app", def(s, "app"), config.App{}},
		{"provider", def(s, "provider"), config.Provider{}},
		{"mapping", def(s, "mapping"), config.Mapping{}},
		{"username", def(s, "username"), config.Username{}},
		{"groups", def(s, "groups"), config.Groups{}},
		{"registration", def(s, "registration"), config.Registration{}},
		{"ignore", def(s, "ignore"), config.Ignore{}},
		{"permission scheme", def(s, "permissionScheme"), config.PermissionScheme{}},
		{"permission bit", def(s, "permissionBit"), config.PermissionBit{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, yamlKeys(reflect.TypeOf(tt.typ)), propNames(tt.schema))
			assert.Equal(t, false, tt.schema["additionalProperties"], "unknown keys must be findings")
			for name, p := range tt.schema["properties"].(map[string]any) {
				d, _ := p.(map[string]any)["description"].(string)
				_, ref := p.(map[string]any)["$ref"]
				assert.True(t, d != "" || ref, "%s has no description for editors", name)
			}
		})
	}
}

func enumOf(s map[string]any) []string {
	var out []string
	for _, v := range s["enum"].([]any) {
		out = append(out, v.(string))
	}
	return out
}

func TestSchemaEnums(t *testing.T) {
	s := rawSchema(t)
	props := func(d string) map[string]any { return def(s, d)["properties"].(map[string]any) }
	assert.Equal(t, config.ProviderTypes, enumOf(props("provider")["type"].(map[string]any)))
	assert.Equal(t, config.AppKinds, enumOf(props("app")["kind"].(map[string]any)))
	mappingTypes := enumOf(props("mapping")["type"].(map[string]any))
	for _, p := range mapping.Presets() {
		assert.Contains(t, mappingTypes, p)
	}
	assert.Contains(t, mappingTypes, mapping.Custom)
	rules := props("mapping")["rules"].(map[string]any)
	assert.ElementsMatch(t, mapping.Fields(), propNames(rules), "rule fields are mapping.Fields()")
}

// TestSchemaRequiredMatchesPresets keeps the schema's per-type required fields, which editors show,
// equal to the presets', which validate checks (SSO010).
func TestSchemaRequiredMatchesPresets(t *testing.T) {
	s := rawSchema(t)
	got := map[string][]string{}
	for _, rule := range def(s, "provider")["allOf"].([]any) {
		r := rule.(map[string]any)
		typ := r["if"].(map[string]any)["properties"].(map[string]any)["type"].(map[string]any)["const"].(string)
		for _, f := range r["then"].(map[string]any)["required"].([]any) {
			got[typ] = append(got[typ], f.(string))
		}
	}
	for _, typ := range config.ProviderTypes {
		pr, ok := provider.Lookup(typ)
		require.True(t, ok)
		want := slices.Clone(pr.Required)
		assert.ElementsMatch(t, want, got[typ], "required fields of %s", typ)
	}
}
