package bulk

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on Linux (x86-64 and most arm64 kernels).
const hugePage = 2 << 20

// madvHugepage is MADV_HUGEPAGE, which the syscall package does not name on every architecture.
const madvHugepage = 14

// allocBlocks maps the filter's memory outside the Go heap, aligned to and advised for transparent
// huge pages: the filter is read at random, one block per username, and with 4 KiB pages each read
// would also miss the TLB and each first touch would fault; 2 MiB pages make those eight faults and
// keep the TLB warm. Outside the heap, the filter does not raise the garbage collector's target
// either. free unmaps it; when mapping fails the Go heap is used.
func allocBlocks(n int) (blocks [][8]uint64, free func()) {
	size := n * 64
	mem, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([][8]uint64, n), func() {}
	}
	off := 0
	if r := uintptr(unsafe.Pointer(&mem[0])) % hugePage; r != 0 {
		off = int(hugePage - r)
	}
	region := mem[off : off+size]
	_ = syscall.Madvise(region, madvHugepage) // only advice: without it the filter still works
	blocks = unsafe.Slice((*[8]uint64)(unsafe.Pointer(&region[0])), n)
	return blocks, func() { _ = syscall.Munmap(mem) }
}
