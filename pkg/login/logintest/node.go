package logintest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// nodeStartTimeout bounds the provider's start. It starts in under a second on an idle machine, but
// CI compiles every package with -race on two cores at the same time, and node then took over 20 s.
const nodeStartTimeout = 2 * time.Minute

// Test provider clients (see testdata/oidcprovider/server.mjs).
const (
	PublicClientID       = "public-client"
	ConfidentialClientID = "confidential-client"
	ConfidentialSecret   = "confidential-secret"
	HS256ClientID        = "hs256-client"
	HS256Secret          = "hs256-secret-that-is-at-least-32-bytes-long"
)

// NodeProvider is a running testdata/oidcprovider.
type NodeProvider struct {
	// Issuer is http://127.0.0.1:PORT.
	Issuer string
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{}
}

// ErrUnavailable says the provider cannot run here (no node, no node_modules).
var ErrUnavailable = errors.New("the test OpenID provider is unavailable")

// ProviderDir finds testdata/oidcprovider by walking up from the working directory to go.mod.
func ProviderDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "oidcprovider"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// StartNode starts `node server.mjs` with the extra environment (such as
// CONFORM_ID_TOKEN_CLAIMS=false) and waits for its ISSUER= line. Errors wrapping ErrUnavailable
// mean node or node_modules is missing.
func StartNode(env ...string) (*NodeProvider, error) {
	dir, err := ProviderDir()
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("%w: node is not installed (apt-get install nodejs npm)", ErrUnavailable)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider")); err != nil {
		return nil, fmt.Errorf("%w: its packages are not installed; run: cd testdata/oidcprovider && npm ci", ErrUnavailable)
	}
	cmd := exec.Command(node, "server.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &NodeProvider{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if iss, ok := strings.CutPrefix(sc.Text(), "ISSUER="); ok {
				lines <- iss
				break
			}
		}
		// Keep draining so the provider never blocks on a full pipe.
		for sc.Scan() {
		}
	}()
	select {
	case p.Issuer = <-lines:
		return p, nil
	case <-p.exited:
		return nil, fmt.Errorf("the test OpenID provider exited before it was ready: %s", p.stderr.String())
	case <-time.After(nodeStartTimeout):
		p.Stop()
		return nil, fmt.Errorf("the test OpenID provider did not print ISSUER= within %s: %s", nodeStartTimeout, p.stderr.String())
	}
}

// Stop ends the provider (SIGTERM, then SIGKILL after 5 s).
func (p *NodeProvider) Stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// Stderr is what the provider printed on stderr so far (for failure messages).
func (p *NodeProvider) Stderr() string { return p.stderr.String() }

// Require turns a StartNode failure into the test's outcome: under CI=true a missing Node or
// node_modules fails the test (these tests must run in CI); elsewhere it skips with the way to
// enable them. Other failures always fail.
func Require(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skipf("skipping tests against the real OpenID provider: %v", err)
	}
	t.Fatalf("%v", err)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 64*1024 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
