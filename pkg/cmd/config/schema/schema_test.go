package schema

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestNewCmdSchema(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr bool
	}{
		{name: "no arguments", args: nil},
		{name: "-o json like every command that prints data", args: []string{"-o", "json"}},
		{name: "no other format", args: []string{"-o", "yaml"}, wantErr: true},
		{name: "an argument", args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			called := false
			cmd := NewCmdSchema(&cmdutil.Factory{IOStreams: ios}, func(*SchemaOptions) error { called = true; return nil })
			// As the root does, so that flag errors carry their exit code.
			cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			_, err := cmd.ExecuteC()
			if tt.wantErr {
				require.Error(t, err)
				assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
				assert.False(t, called)
				return
			}
			require.NoError(t, err)
			assert.True(t, called)
		})
	}
}

func TestSchemaRun(t *testing.T) {
	ios, _, stdout, stderr := iostreams.Test()
	require.NoError(t, schemaRun(&SchemaOptions{IO: ios}))
	assert.Equal(t, config.JSONSchema(), stdout.Bytes())
	assert.Empty(t, stderr.String())
	var doc map[string]any
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc))
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])
	assert.Equal(t, config.SchemaID, doc["$id"])
}
