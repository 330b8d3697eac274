package cmdutil

import (
	"runtime"
	"sync"
	"weak"

	"github.com/spf13/cobra"
)

// deferredLong holds the long help of commands that build it only when it is shown (DeferLong). A
// weak key, dropped when its command is collected, so that the many trees tests build and never
// show help for do not stay in memory.
var deferredLong sync.Map // weak.Pointer[cobra.Command] → func() string

// DeferLong makes cmd's long help what build returns, built when help or a generated page shows it
// (ResolveLong) rather than each time the command is constructed: for help that costs work to build
// (un-indenting a heredoc, a table of finding codes), which every run would otherwise pay and which,
// in a fresh process, touches memory nothing else in the run needs. build must not refer to cmd.
func DeferLong(cmd *cobra.Command, build func() string) {
	key := weak.Make(cmd)
	deferredLong.Store(key, build)
	runtime.AddCleanup(cmd, func(k weak.Pointer[cobra.Command]) { deferredLong.Delete(k) }, key)
}

// ResolveLong builds the deferred long help (DeferLong) of cmd and of every command under it.
func ResolveLong(cmd *cobra.Command) {
	if build, ok := deferredLong.LoadAndDelete(weak.Make(cmd)); ok {
		cmd.Long = build.(func() string)()
	}
	for _, c := range cmd.Commands() {
		ResolveLong(c)
	}
}
