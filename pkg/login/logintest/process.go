package logintest

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// Process is a helper program a test runs (the test provider, a client library's harness) that
// prints one "<PREFIX>=<value>" line on stdout once it serves.
type Process struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{}
}

// StartProcess starts cmd and waits for its "<prefix>=" line: the value, or an error saying the
// program exited first or printed nothing within timeout (a bound against a hang, not a speed
// test), with what it wrote on stderr. The process is stopped on error.
func StartProcess(cmd *exec.Cmd, prefix string, timeout time.Duration) (*Process, string, error) {
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	p := &Process{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), prefix+"="); ok {
				ready <- v
				break
			}
		}
		// Keep draining so the program never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case v := <-ready:
		return p, v, nil
	case <-p.exited:
		return nil, "", fmt.Errorf("it exited before it was ready: %s", p.stderr.String())
	case <-time.After(timeout):
		p.Stop()
		return nil, "", fmt.Errorf("it did not print %s= within %s: %s", prefix, timeout, p.stderr.String())
	}
}

// Stop ends the process (SIGTERM, then SIGKILL after 5 s) and waits for it.
func (p *Process) Stop() {
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

// Stderr is what the process wrote on stderr so far (for failure messages).
func (p *Process) Stderr() string { return p.stderr.String() }
