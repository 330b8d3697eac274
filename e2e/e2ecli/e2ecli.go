// Package e2ecli is what the end-to-end suites (e2e/apps, e2e/clientlibs, e2e/hydra, e2e/llng)
// share: ssoctl and the scripted $BROWSER built once per test binary, and ssoctl run as a user runs
// it, a separate process in a work directory with its own environment.
package e2ecli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// Binaries are the executables Build makes.
type Binaries struct {
	SSOctl  string // ./cmd/ssoctl
	Browser string // ./pkg/login/logintest/testbrowser, the scripted $BROWSER
	dir     string
}

// Build builds ssoctl and the scripted browser into a new temporary directory named after
// suite; Remove deletes it.
func Build(suite string) (*Binaries, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ssoctl-e2e-"+suite+"-")
	if err != nil {
		return nil, err
	}
	b := &Binaries{SSOctl: filepath.Join(dir, "ssoctl"), Browser: filepath.Join(dir, "testbrowser"), dir: dir}
	for out, pkg := range map[string]string{b.SSOctl: "./cmd/ssoctl", b.Browser: "./pkg/login/logintest/testbrowser"} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Remove()
			return nil, fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	return b, nil
}

// Remove deletes the binaries.
func (b *Binaries) Remove() {
	if b != nil {
		os.RemoveAll(b.dir)
	}
}

// ModuleRoot is the directory of ssoctl's go.mod, above the working directory (a test runs in its
// package's directory).
func ModuleRoot() (string, error) {
	dir, err := logintest.ProviderDir() // <root>/testdata/oidcprovider
	if err != nil {
		return "", err
	}
	return filepath.Dir(filepath.Dir(dir)), nil
}

// Result is one ssoctl run's outcome.
type Result struct {
	Code           int
	Stdout, Stderr string
}

func (r Result) String() string {
	return "exit " + strconv.Itoa(r.Code) + "\nstdout:\n" + r.Stdout + "\nstderr:\n" + r.Stderr
}

// Run runs bin with args in dir and exactly env. An exit status is the result; a failure to start
// the process ends the test.
func Run(t testing.TB, bin, dir string, env []string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := Result{Stdout: out.String(), Stderr: errOut.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", filepath.Base(bin), strings.Join(args, " "), err)
	}
	return r
}
