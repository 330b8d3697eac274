//go:build !linux

package bulk

// allocBlocks allocates the filter's memory on the Go heap; mem_linux.go maps huge pages instead.
func allocBlocks(n int) ([][8]uint64, func()) { return make([][8]uint64, n), func() {} }
