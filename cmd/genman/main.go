// Command genman writes ssoctl's man pages, one per command (ssoctl(1), ssoctl-test-login(1), …),
// from the cobra command tree into a directory:
//
//	go run ./cmd/genman docs/man
//
// scripts/manpages.sh runs it and .goreleaser.yaml's before hook runs that script, so archives and
// packages ship pages that match the binary; TestManPagesCurrent fails when docs/man drifts. It is a
// program of its own so that cobra/doc and its Markdown renderer stay out of the ssoctl binary.
package main

import (
	"fmt"
	"os"

	"github.com/ssoctl/ssoctl/pkg/cmd/factory"
	"github.com/ssoctl/ssoctl/pkg/cmd/root"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: genman DIR")
		os.Exit(2)
	}
	if err := writePages(root.NewCmdRoot(factory.New()), os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "genman: %v\n", err)
		os.Exit(1)
	}
}
