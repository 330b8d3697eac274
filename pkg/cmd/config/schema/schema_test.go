package schema

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

func TestNewCmdSchema(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	called := false
	cmd := NewCmdSchema(&cmdutil.Factory{IOStreams: ios}, func(*SchemaOptions) error { called = true; return nil })
	cmd.SetArgs([]string{"extra"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	_, err := cmd.ExecuteC()
	require.Error(t, err)
	assert.Equal(t, 2, cmdutil.ExitCodeOf(err))
	assert.False(t, called)
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
