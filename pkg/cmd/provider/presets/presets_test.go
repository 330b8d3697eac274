package presets

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got), "%s differs; run go test -update after checking the change", path)
}

func TestNewCmdPresets(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    string
		wantErr string
	}{
		{name: "default text", args: nil, want: "text"},
		{name: "json", args: []string{"-o", "json"}, want: "json"},
		{name: "yaml is not offered", args: []string{"-o", "yaml"}, wantErr: `invalid argument "yaml" for "-o, --output" flag: valid values are {text}|{json}`},
		{name: "no arguments", args: []string{"github"}, wantErr: `unexpected argument "github" for "presets"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *PresetsOptions
			cmd := NewCmdPresets(&cmdutil.Factory{IOStreams: ios}, func(o *PresetsOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Output)
		})
	}
}

func TestPresetsRun(t *testing.T) {
	for _, tty := range []bool{false, true} {
		for _, output := range []string{"text", "json"} {
			name := output
			if tty {
				name += "-tty"
			}
			t.Run(name, func(t *testing.T) {
				ios, _, stdout, stderr := iostreams.Test()
				ios.SetStdoutTTY(tty)
				require.NoError(t, presetsRun(&PresetsOptions{IO: ios, Output: output}))
				assert.Empty(t, stderr.String())
				// A terminal changes nothing but colour, which NO_COLOR-style test streams turn off.
				golden(t, "presets."+output, stdout.Bytes())
			})
		}
	}
}

// TestPresetsJSONFields pins the JSON field names: scripts depend on them.
func TestPresetsJSONFields(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	require.NoError(t, presetsRun(&PresetsOptions{IO: ios, Output: "json"}))
	var doc struct {
		Providers []map[string]any `json:"providers"`
		Apps      []map[string]any `json:"apps"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}
	require.Len(t, doc.Providers, 8)
	for _, p := range doc.Providers {
		assert.Equal(t, []string{"authorizeUrl", "clientAuth", "defaultScopes", "issuer", "mappingType", "notes", "oidc", "pkce",
			"required", "stableId", "title", "tokenUrl", "type", "userinfoUrl"}, keys(p), p["type"])
	}
	require.Len(t, doc.Apps, 6)
	assert.Equal(t, []string{"callbackPaths", "compatCallbackPaths", "kind", "notes", "redirectPath", "title"}, keys(doc.Apps[0]))
	assert.Equal(t, []string{"callbackPaths", "compatCallbackPaths", "kind", "notes", "redirectPath", "title"}, keys(doc.Apps[1]), "openlist")
	assert.Equal(t, []string{"callbackPaths", "kind", "notes", "redirectPath", "title"}, keys(doc.Apps[2]))
	assert.Equal(t, "/api/auth/sso_callback", doc.Apps[0]["redirectPath"])
	assert.Equal(t, []any{"/accounts/{provider}/login/callback/"}, doc.Apps[3]["callbackPaths"])
}

func TestPresetsFlavor(t *testing.T) {
	for _, name := range []string{"keycloak", "kanidm", "authelia"} {
		t.Run(name, func(t *testing.T) {
			ios, _, stdout, _ := iostreams.Test()
			require.NoError(t, presetsRun(&PresetsOptions{IO: ios, Output: "text", Flavor: name}))
			golden(t, "flavor-"+name+".text", stdout.Bytes())
		})
	}
}

func TestPresetsFlavorJSONFields(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	require.NoError(t, presetsRun(&PresetsOptions{IO: ios, Output: "json", Flavor: "zitadel"}))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	var k []string
	for key := range doc {
		k = append(k, key)
	}
	slices.Sort(k)
	assert.Equal(t, []string{"apps", "claimsInUserinfoOnly", "facts", "fixes", "groupsClaim", "groupsScope", "groupsSetup", "groupsShape",
		"issuerForm", "issuerPart", "legacyIssuerForm", "name", "pkceRequired", "rolesClaim", "signingAlg", "title"}, k)
	fix := doc["fixes"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"key", "text", "source", "version"}, keysOf(fix))
	apps := doc["apps"].([]any)
	require.Len(t, apps, 4)
	inventree := apps[2].(map[string]any)
	assert.ElementsMatch(t, []string{"app", "scopes", "groups", "groupsClaim", "usernameClaim", "roles", "notes", "findings"}, keysOf(inventree))
	assert.Equal(t, "inventree", inventree["app"])
	finding := inventree["findings"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"code", "severity", "by", "message", "fix", "hint"}, keysOf(finding))
	assert.Equal(t, "DOC062", finding["code"])
	assert.Contains(t, finding["fix"], "ZITADEL: Projects → <project> → General → Assert Roles on Authentication")
	assert.Equal(t, "urn:zitadel:iam:org:project:roles", doc["rolesClaim"])
	fact := doc["facts"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"topic", "value", "source", "version"}, keysOf(fact))
}

func keysOf(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	return k
}

// docs/flavors.md is MatrixMarkdown's output: the reference's matrix is generated from the flavour
// data and the doctor, never written by hand.
func TestMatrixMarkdown(t *testing.T) {
	path := filepath.Join("..", "..", "..", "..", "docs", "flavors.md")
	got := MatrixMarkdown()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got, "%s differs from the flavour data; run go test ./pkg/cmd/provider/presets/ -run TestMatrixMarkdown -update", path)
	assert.Contains(t, got, "| Kanidm | DOC013 | none | DOC013 | none |")
}
