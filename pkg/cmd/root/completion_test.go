package root

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// TestCompletionsCurrent fails when completions/ no longer matches `ssoctl completion <shell>`;
// scripts/completions.sh regenerates them.
func TestCompletionsCurrent(t *testing.T) {
	files := map[string]string{"bash": "ssoctl.bash", "zsh": "_ssoctl", "fish": "ssoctl.fish", "powershell": "ssoctl.ps1"}
	for shell, file := range files {
		t.Run(shell, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
			cmd := NewCmdRoot(f)
			cmd.SetOut(out)
			cmd.SetArgs([]string{"completion", shell})
			require.NoError(t, cmd.Execute())
			want, err := os.ReadFile(filepath.Join("..", "..", "..", "completions", file))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(want, out.Bytes()), "completions/%s is out of date: run scripts/completions.sh", file)
		})
	}
}
