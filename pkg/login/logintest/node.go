package logintest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// nodeStartTimeout bounds the provider's start. It starts in under a second on an idle machine, but
// CI compiles every package with -race on two cores at the same time, and node then took over 20 s;
// at load 22 (eight sessions building at once) one start took over two minutes. The bound only stops a
// hung start: it is no speed assumption.
const nodeStartTimeout = 5 * time.Minute

// Test provider clients (see testdata/oidcprovider/server.mjs).
const (
	PublicClientID       = "public-client"
	ConfidentialClientID = "confidential-client"
	ConfidentialSecret   = "confidential-secret"
	HS256ClientID        = "hs256-client"
	HS256Secret          = "hs256-secret-that-is-at-least-32-bytes-long"
)

// NodeProvider is a running testdata/oidcprovider; Stop ends it.
type NodeProvider struct {
	*Process
	// Issuer is http://127.0.0.1:PORT.
	Issuer string
}

// Stop ends the provider; on a nil NodeProvider (StartNode failed) it does nothing, so that a
// TestMain can defer it whatever StartNode answered and leave the outcome to Require.
func (n *NodeProvider) Stop() {
	if n != nil {
		n.Process.Stop()
	}
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
	proc, issuer, err := StartProcess(cmd, "ISSUER", nodeStartTimeout)
	if err != nil {
		return nil, fmt.Errorf("the test OpenID provider: %w", err)
	}
	return &NodeProvider{Process: proc, Issuer: issuer}, nil
}

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
