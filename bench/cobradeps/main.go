// Command cobradeps is cobrahello linked with the libraries ssoctl is required to use (Bubble Tea,
// bubbles, lipgloss and huh v2, x/oauth2, go-oidc, ojg) and nothing else: their package
// initialisation and loading alone set a floor under any binary that contains them.
// scripts/bench-startup.sh times it next to cobrahello and ssoctl.
package main

import (
	"fmt"
	"os"

	_ "charm.land/bubbles/v2/textinput"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/huh/v2"
	_ "charm.land/lipgloss/v2"
	_ "github.com/coreos/go-oidc/v3/oidc"
	_ "github.com/ohler55/ojg/jp"
	_ "github.com/ohler55/ojg/oj"
	"github.com/spf13/cobra"
	_ "golang.org/x/oauth2"
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
