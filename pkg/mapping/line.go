package mapping

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unsafe"
)

// Scratch is the reusable memory of MapJSON; give each goroutine its own. The zero value is ready.
type Scratch struct {
	// Borrow lets the strings of the users MapJSONTo fills point into the document and into Arena
	// instead of copies: faster, but the document must then stay unchanged, and Arena not be
	// emptied, for as long as the users are used.
	Borrow bool
	// Arena receives, with Borrow, the text of numbers that become strings (an id such as GitHub's
	// 58121947). MapJSONTo appends to it; the caller empties it (Arena = Arena[:0]) when the users
	// that point into it are done with.
	Arena []byte

	// lists holds, with Borrow, the lists of strings decoded for one document (see stringList).
	lists []string

	caps  []capture
	first []int
	hits  []hit
	// sub decodes the values rules go on from (see fastSplit).
	sub subDecoder
}

// ErrNotObject is returned by MapJSON for a line that must be an ID token's claims but is not a JSON
// object.
var ErrNotObject = errors.New("an ID token's claims are a JSON object")

// MapJSON maps one JSON document, such as a line of NDJSON, read as the document Reads names. Like
// Map it leaves username conflicts to Resolve; unlike Map it leaves out what is the same for every
// line: the rules report, the notes and the configuration's warnings (see Notes and Warnings); and
// it leaves Sources empty, as bulk output does. Invalid JSON gives
// ParseJSON's error. MapJSON is safe for concurrent use with distinct Scratch values.
func (m *Mapper) MapJSON(b []byte, sc *Scratch) (*User, error) {
	u := &User{}
	if err := m.MapJSONTo(u, b, sc); err != nil {
		return nil, err
	}
	u.Roles, u.Permission.Names = slices.Clone(u.Roles), slices.Clone(u.Permission.Names)
	return u, nil
}

// MapJSONTo is MapJSON into a User the caller reuses: u is reset and its slices' memory reused,
// so that bulk evaluation allocates next to nothing per line. Roles and Permission.Names are the
// mapper's own and must not be changed.
func (m *Mapper) MapJSONTo(u *User, b []byte, sc *Scratch) error {
	if sc == nil {
		sc = &Scratch{}
	}
	var hits []hit
	if m.fast != nil {
		var err error
		if hits, err = m.fastHits(b, sc); err != nil && !errors.Is(err, errSlow) {
			return err
		}
	}
	if hits == nil {
		doc, err := ParseJSON(b)
		if err != nil {
			return err
		}
		var d Document
		if m.reads == FromIDToken {
			c, ok := doc.(map[string]any)
			if !ok {
				return ErrNotObject
			}
			d.Claims = c
		} else {
			d.Userinfo = doc
		}
		hits, _ = m.eval(d, false)
	}
	m.build(hits, u, false)
	u.finish()
	u.Rules, u.Notes = nil, nil
	return nil
}

// fastHits runs the extractor; errSlow means the document must be parsed.
func (m *Mapper) fastHits(b []byte, sc *Scratch) ([]hit, error) {
	x := m.fast
	if cap(sc.caps) < x.targets {
		sc.caps = make([]capture, x.targets)
		sc.first = make([]int, x.targets)
	}
	caps := sc.caps[:x.targets]
	sc.lists = sc.lists[:0]
	switch err := x.scan(b, caps); {
	case errors.Is(err, errSyntax):
		if _, perr := ParseJSON(b); perr != nil {
			return nil, perr
		}
		// The extractor and json.Valid disagree; trust the parser.
		return nil, errSlow
	case err != nil:
		return nil, err
	}
	if m.reads == FromIDToken && firstByte(b) != '{' {
		return nil, ErrNotObject
	}
	// first[slot] is the probe whose hit holds the slot's value, -1 before it is decoded.
	first := sc.first[:x.targets]
	for i := range first {
		first[i] = -1
	}
	if cap(sc.hits) < len(m.probes) {
		sc.hits = make([]hit, len(m.probes))
	}
	hits := sc.hits[:len(m.probes)]
	for i, p := range m.probes {
		h := &hits[i]
		if !p.accepts(m.reads) {
			*h = hit{}
			continue
		}
		slot := x.probeTarget[i]
		c := caps[slot]
		if rp := x.probeRest[i]; rp.rule != nil {
			// The rule goes on past its prefix: decode the prefix's value alone and evaluate
			// the rest there, as evalProbe would on the whole document.
			*h = hit{from: m.reads}
			if !c.found {
				continue
			}
			v, err := sc.sub.decode(b[c.start:c.end])
			if err != nil {
				return nil, errSlow
			}
			if nodes := rp.rule.restNodes(rp.rest, v); len(nodes) > 0 {
				*h = hit{found: true, value: cloneJSON(nodes[0], !sc.Borrow), ambiguous: len(nodes) > 1, count: len(nodes), from: m.reads}
			}
			continue
		}
		switch {
		case !c.found:
			*h = hit{from: m.reads}
		case first[slot] >= 0:
			*h = hits[first[slot]]
		default:
			if err := decodeHit(h, b[c.start:c.end], sc); err != nil {
				return nil, errSlow
			}
			if h.kind == 'i' && sc.Borrow {
				at := len(sc.Arena)
				sc.Arena = strconv.AppendInt(sc.Arena, h.num, 10)
				h.kind, h.str = 'I', unsafe.String(&sc.Arena[at], len(sc.Arena)-at)
			}
			h.from = m.reads
			first[slot] = i
		}
	}
	return hits, nil
}

// accepts says whether a probe reads the document a line stands for.
func (p probe) accepts(reads string) bool {
	switch p.sel {
	case selUserinfo:
		return reads == FromUserinfo
	case selIDToken:
		return reads == FromIDToken
	}
	return true
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// String describes the mapper for logs and errors.
func (m *Mapper) String() string {
	return fmt.Sprintf("mapping %s for %s", m.mappingType, m.app)
}
