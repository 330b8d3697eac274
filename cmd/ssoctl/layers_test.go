package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers keeps dependencies flowing one way (STYLE.md): cobra only in the command layer,
// Bubble Tea only in pkg/tui, the OAuth libraries only where logins happen, and nothing below
// pkg/cmd importing it.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "github.com/ssoctl/ssoctl/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const mod = "github.com/ssoctl/ssoctl/"
	rules := []struct {
		imported string   // import path prefix
		allowed  []string // importer prefixes (relative to the module)
	}{
		{"github.com/spf13/cobra", []string{"cmd/", "pkg/cmd/", "pkg/cmdutil"}},
		{"github.com/spf13/pflag", []string{"cmd/", "pkg/cmd/", "pkg/cmdutil"}},
		{"charm.land/bubbletea", []string{"pkg/tui"}},
		{"charm.land/bubbles", []string{"pkg/tui"}},
		{"charm.land/huh", []string{"pkg/tui"}},
		{"charm.land/lipgloss", []string{"pkg/tui"}},
		{"golang.org/x/oauth2", []string{"pkg/provider", "pkg/login", "pkg/loopback", "pkg/demo", "pkg/discovery"}},
		{"github.com/coreos/go-oidc", []string{"pkg/provider", "pkg/login", "pkg/loopback", "pkg/demo", "pkg/discovery"}},
		{mod + "pkg/cmd", []string{"cmd/", "pkg/cmd/"}},
		{mod + "pkg/cmdutil", []string{"cmd/", "pkg/cmd/", "pkg/cmdutil"}},
		{mod + "pkg/tui", []string{"cmd/", "pkg/cmd", "pkg/tui"}},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		if strings.HasPrefix(pkg, "bench/") {
			continue // the benchmarks' peer programs are not ssoctl and may link anything
		}
		for _, imp := range fields[1:] {
			for _, r := range rules {
				if imp != r.imported && !strings.HasPrefix(imp, r.imported+"/") {
					continue
				}
				ok := false
				for _, a := range r.allowed {
					if strings.HasPrefix(pkg, a) {
						ok = true
					}
				}
				if !ok {
					t.Errorf("%s imports %s; only %v may (STYLE.md layers)", pkg, imp, r.allowed)
				}
			}
		}
	}
}
