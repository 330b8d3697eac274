package testlogin

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// syncBuffer lets the spinner goroutine and the test write and read without a race.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestReporterWaiting(t *testing.T) {
	t.Run("plain line without a terminal", func(t *testing.T) {
		ios, _, _, errOut := iostreams.Test()
		r := newReporter(ios)
		r.Waiting("waiting for the browser")
		r.Step("callback", 3*time.Millisecond, "code received")
		assert.Equal(t, "… waiting for the browser …\n✓ callback (3ms): code received\n", errOut.String())
	})
	t.Run("spinner on a terminal, cleared before the next step", func(t *testing.T) {
		ios, _, _, _ := iostreams.Test()
		ios.SetStderrTTY(true)
		buf := &syncBuffer{}
		ios.ErrOut = buf
		r := newReporter(ios)
		r.Waiting("waiting for the browser")
		time.Sleep(250 * time.Millisecond)
		r.Step("callback", 3*time.Millisecond, "code received")
		out := buf.String()
		assert.Contains(t, out, "\r\x1b[K⠋ waiting for the browser … 0s")
		assert.Greater(t, strings.Count(out, "waiting for the browser"), 1, "the spinner redraws")
		assert.True(t, strings.HasSuffix(out, "\r\x1b[K✓ callback (3ms): code received\n"), "the line is cleared before the step: %q", out)
		// Stopping twice (as the command does after the login) is harmless.
		r.stopSpinner()
	})
}
