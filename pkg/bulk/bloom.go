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
}

// SeenBytes is the memory Seen uses.
const SeenBytes = 16 << 20

// NewSeen returns an empty filter. Its memory is only touched as names are added.
func NewSeen() *Seen {
	return &Seen{blocks: make([][8]uint64, SeenBytes/64), seed: maphash.MakeSeed()}
}

// seenBits is the number of bits a name sets in its block.
const seenBits = 7

// bitsOf returns the block of name and, in 9-bit groups, the positions (0-511) of its bits there.
func (s *Seen) bitsOf(name string) (*[8]uint64, uint64) {
	h := maphash.String(s.seed, name)
	blk := &s.blocks[h%uint64(len(s.blocks))]
	// A second, independent-looking hash for the positions (a multiply-xorshift finalizer).
	g := bits.RotateLeft64(h, 29) * 0xbf58476d1ce4e5b9
	g ^= g >> 31
	return blk, g
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
