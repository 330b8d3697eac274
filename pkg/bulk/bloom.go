package bulk

import (
	"hash/maphash"
	"math/bits"
)

// Seen remembers the usernames given to earlier users of an input, for conflicts within it, in a
// fixed 16 MiB: a blocked Bloom filter (one 64-byte block per name, 7 bits set in it). Memory does
// not grow with the input, at the price of rare false positives, names wrongly reported taken:
// fewer than one in a million up to about two million distinct usernames, about one in a hundred
// thousand at four million, and one in twenty at twenty million. It implements mapping.Registry.
type Seen struct {
	blocks [][8]uint64
	seed   maphash.Seed
	n      int64
	free   func()
}

// SeenBytes is the memory Seen uses.
const SeenBytes = 16 << 20

// NewSeen returns an empty filter. Its memory is only touched as names are added; Release gives it
// back.
func NewSeen() *Seen {
	blocks, free := allocBlocks(SeenBytes / 64)
	return &Seen{blocks: blocks, seed: maphash.MakeSeed(), free: free}
}

// Release frees the filter's memory; the filter must not be used afterwards.
func (s *Seen) Release() {
	if s.free != nil {
		s.free()
		s.free, s.blocks = nil, nil
	}
}

// seenBits is the number of bits a name sets in its block.
const seenBits = 7

// Hash returns the hash of name that HasHash and AddHash take; safe for concurrent use, so that
// workers can hash while one goroutine checks and adds in order.
func (s *Seen) Hash(name string) uint64 { return maphash.String(s.seed, name) }

// block returns the block of hash h.
func (s *Seen) block(h uint64) *[8]uint64 { return &s.blocks[h%uint64(len(s.blocks))] }

// Touch loads the block of h, so that checks of many names can wait for memory together rather
// than one after the other; it returns a value to keep the load from being optimized away.
func (s *Seen) Touch(h uint64) uint64 { return s.block(h)[0] }

// HasHash is Has for a name whose Hash is h.
func (s *Seen) HasHash(h uint64) bool {
	blk, pos := s.block(h), positions(h)
	for i := range seenBits {
		p := (pos >> (i * 9)) & 511
		if blk[p>>6]&(1<<(p&63)) == 0 {
			return false
		}
	}
	return true
}

// AddHash is Add for a name whose Hash is h.
func (s *Seen) AddHash(h uint64) {
	blk, pos := s.block(h), positions(h)
	for i := range seenBits {
		p := (pos >> (i * 9)) & 511
		blk[p>>6] |= 1 << (p & 63)
	}
	s.n++
}

// positions derives the bit positions from h, in 9-bit groups.
func positions(h uint64) uint64 {
	// A second, independent-looking hash for the positions (a multiply-xorshift finalizer).
	g := bits.RotateLeft64(h, 29) * 0xbf58476d1ce4e5b9
	return g ^ g>>31
}

// bitsOf returns the block of name and, in 9-bit groups, the positions (0-511) of its bits there.
func (s *Seen) bitsOf(name string) (*[8]uint64, uint64) {
	h := maphash.String(s.seed, name)
	blk := s.block(h)
	return blk, positions(h)
}

// Has reports whether name was probably added.
func (s *Seen) Has(name string) bool {
	blk, pos := s.bitsOf(name)
	for i := range seenBits {
		p := (pos >> (i * 9)) & 511
		if blk[p>>6]&(1<<(p&63)) == 0 {
			return false
		}
	}
	return true
}

// Add adds name.
func (s *Seen) Add(name string) {
	blk, pos := s.bitsOf(name)
	for i := range seenBits {
		p := (pos >> (i * 9)) & 511
		blk[p>>6] |= 1 << (p & 63)
	}
	s.n++
}

// Added is the number of names added.
func (s *Seen) Added() int64 { return s.n }

// Approximate reports whether so many names were added that false positives start to matter (more
// than about one in a million).
func (s *Seen) Approximate() bool { return s.n > 2_000_000 }
