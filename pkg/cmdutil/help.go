package cmdutil

import (
	"sync"

	"github.com/spf13/cobra"
)

// deferredLong holds the long help of commands that build it only when it is shown (DeferLong).
var deferredLong sync.Map // *cobra.Command → func() string

// DeferLong makes cmd's long help what build returns, built when help or a generated page shows it
// (ResolveLong) rather than each time the command is constructed: for help that costs work to build
// (un-indenting a heredoc, a table of finding codes), which every run would otherwise pay and which,
// in a fresh process, touches memory nothing else in the run needs.
func DeferLong(cmd *cobra.Command, build func() string) {
	deferredLong.Store(cmd, build)
}

// ResolveLong builds the deferred long help (DeferLong) of cmd and of every command under it.
func ResolveLong(cmd *cobra.Command) {
	if build, ok := deferredLong.LoadAndDelete(cmd); ok {
		cmd.Long = build.(func() string)()
	}
	for _, c := range cmd.Commands() {
		ResolveLong(c)
	}
}
