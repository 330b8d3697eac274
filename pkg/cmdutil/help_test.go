package cmdutil

import (
	"runtime"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
)

func TestDeferLong(t *testing.T) {
	root := &cobra.Command{Use: "root"}
	sub := &cobra.Command{Use: "sub", Long: "raw"}
	root.AddCommand(sub)
	built := 0
	DeferLong(sub, func() string { built++; return "finished" })
	assert.Equal(t, "raw", sub.Long, "nothing is built before it is asked for")
	assert.Equal(t, 0, built)

	ResolveLong(root)
	assert.Equal(t, "finished", sub.Long)
	ResolveLong(root)
	assert.Equal(t, 1, built, "built once")
}

// TestDeferLongForgetsCollectedCommands: a command built and dropped without its help shown leaves
// nothing behind.
func TestDeferLongForgetsCollectedCommands(t *testing.T) {
	for range 100 {
		DeferLong(&cobra.Command{Use: "dropped"}, func() string { return "x" })
	}
	// Cleanups run on their own goroutine after a collection: collect and yield until they have.
	for range 1000 {
		runtime.GC()
		runtime.Gosched()
		n := 0
		deferredLong.Range(func(_, _ any) bool { n++; return true })
		if n == 0 {
			return
		}
	}
	t.Fatal("deferred help of collected commands is still held")
}
