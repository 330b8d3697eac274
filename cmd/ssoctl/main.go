// Command ssoctl configures, tests and diagnoses single sign-on for self-hosted apps.
package main

import (
	"os"

	"github.com/ssoctl/ssoctl/pkg/cmd/root"
)

func main() {
	os.Exit(root.Main())
}
