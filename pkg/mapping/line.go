package mapping

import (
	"errors"
	"fmt"
	"slices"
)

// Scratch is the reusable memory of MapJSON; give each goroutine its own. The zero value is ready.
type Scratch struct {
	// Borrow lets the strings of the users MapJSONTo fills point into the document instead of
	// copies: faster, but the document must then stay unchanged for as long as the user is used.
	Borrow bool

	caps    []capture
	vals    []hit
	decoded []bool
	hits    []hit
}

// ErrNotObject is returned by MapJSON for a line that must be an ID token's claims but is not a JSON
// object.
var ErrNotObject = errors.New("an ID token's claims are a JSON object")

// MapJSON maps one JSON document, such as a line of NDJSON, read as the document Reads names. Like
// Map it leaves username conflicts to Resolve; unlike Map it leaves out the rules report and the
// notes (User.Rules and User.Notes are nil), which are the same for every line. Invalid JSON gives
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
		hits = m.eval(d, false)
	}
	m.build(hits, u)
	u.finish()
	u.Rules, u.Notes = nil, nil
	return nil
}

// fastHits runs the extractor; errSlow means the document must be parsed.
func (m *Mapper) fastHits(b []byte, sc *Scratch) ([]hit, error) {
	x := m.fast
	if cap(sc.caps) < x.targets {
		sc.caps = make([]capture, x.targets)
		sc.vals = make([]hit, x.targets)
		sc.decoded = make([]bool, x.targets)
	}
	caps := sc.caps[:x.targets]
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
	vals, decoded := sc.vals[:x.targets], sc.decoded[:x.targets]
	clear(decoded)
	if cap(sc.hits) < len(m.probes) {
		sc.hits = make([]hit, len(m.probes))
	}
	hits := sc.hits[:len(m.probes)]
	for i, p := range m.probes {
		if !p.accepts(m.reads) {
			hits[i] = hit{}
			continue
		}
		slot := x.probeTarget[i]
		c := caps[slot]
		if !c.found {
			hits[i] = hit{from: m.reads}
			continue
		}
		if !decoded[slot] {
			h, err := decodeHit(b[c.start:c.end], sc.Borrow)
			if err != nil {
				return nil, errSlow
			}
			vals[slot], decoded[slot] = h, true
		}
		hits[i] = vals[slot]
		hits[i].from = m.reads
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
