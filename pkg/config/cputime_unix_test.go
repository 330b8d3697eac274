//go:build unix

package config

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used. The benchmarks report it per operation next to
// wall time because the shared 2-core machines are busy: wall time there varies several-fold
// between runs, CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
