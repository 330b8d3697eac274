// Command cobrahello is the peer for ssoctl's startup benchmark: the smallest cobra program that
// prints a version. scripts/bench-startup.sh compares `ssoctl version` against it.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{Use: "hello"}
	root.AddCommand(&cobra.Command{
		Use: "version",
		Run: func(cmd *cobra.Command, args []string) { fmt.Println("hello version dev") },
	})
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
