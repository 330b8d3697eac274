package root

import (
	"context"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// BenchmarkVersion measures building the whole command tree and running `ssoctl version` in process:
// the part of startup that is ours. scripts/bench-startup.sh measures the process end to end.
func BenchmarkVersion(b *testing.B) {
	for b.Loop() {
		ios, _, _, _ := iostreams.Test()
		f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalFlags{}}
		if code := Run(context.Background(), f, []string{"version"}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
