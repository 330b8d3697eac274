package bulk

import (
	"hash/maphash"
	"math/bits"
)

// Seen remembers the usernames given to earlier users of an input, for conflicts within it, in
// fixed memory: a blocked Bloom filter (one 64-byte block per name, 7 bits set in it), of about 8.4
// bytes a name for fewer than one false positive (a name wrongly reported taken) in a million.
// Memory does not grow as names are added, at the price of more false positives past the names it
// was sized for: at 16 MiB, fewer than one in a million up to about two million distinct
// usernames, about one in a hundred thousand at four million, and one in twenty at twenty million.
// It implements mapping.Registry.
type Seen struct {
	blocks [][8]uint64
	seed   maphash.Seed
	n      int64
	names  int64 // the names it was sized for
	free   func()
}

// SeenBytes is the most memory Seen uses, sized for two million names; also its size when the
// input's size is unknown.
const SeenBytes = 16 << 20

// seenMin is the least memory Seen uses: 2 MiB, one huge page, for a quarter of a million names.
const seenMin = 2 << 20

// minLine is the shortest userinfo document expected, to size the filter from the input's size: a
// bare {"sub":"…","preferred_username":"…","email":"…"} is about this long; real ones are longer,
// so a filter sized this way holds the input's names with room to spare.
const minLine = 128

// NewSeen returns an empty filter sized for an input of inputSize bytes: one name per minLine
// bytes, at least 2 MiB and at most SeenBytes (16 MiB); inputSize 0 (unknown, a pipe) means
// SeenBytes. Its memory is only touched as names are added; Release gives it back.
func NewSeen(inputSize int64) *Seen {
	size := int64(SeenBytes)
	if inputSize > 0 {
		size = min(max(seenBytesFor(inputSize/minLine), seenMin), SeenBytes)
	}
	blocks, free := allocBlocks(int(size / 64))
	return &Seen{blocks: blocks, seed: maphash.MakeSeed(), free: free, names: size * 2_000_000 / SeenBytes}
}

// seenBytesFor is the filter size for names at fewer than one false positive in a million, in
// whole huge pages.
func seenBytesFor(names int64) int64 {
	b := names * SeenBytes / 2_000_000
	return (b + seenMin - 1) / seenMin * seenMin
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
func (s *Seen) Approximate() bool { return s.n > s.names }
