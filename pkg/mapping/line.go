package mapping

import (
	"errors"
	"fmt"
)

// Scratch is the reusable memory of MapJSON; give each goroutine its own. The zero value is ready.
type Scratch struct {
	caps    []capture
	vals    []any
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
	if sc == nil {
		sc = &Scratch{}
	}
	var hits []hit
	if m.fast != nil {
		var err error
		if hits, err = m.fastHits(b, sc); err != nil && !errors.Is(err, errSlow) {
			return nil, err
		}
	}
	var d Document
	if hits == nil {
		doc, err := ParseJSON(b)
		if err != nil {
			return nil, err
		}
		if m.reads == FromIDToken {
			c, ok := doc.(map[string]any)
			if !ok {
				return nil, ErrNotObject
			}
			d.Claims = c
		} else {
			d.Userinfo = doc
		}
		hits = m.eval(d, false)
	}
	u := m.build(hits, d)
	u.finish()
	u.Rules, u.Notes = nil, nil
	return u, nil
}

// fastHits runs the extractor; errSlow means the document must be parsed.
func (m *Mapper) fastHits(b []byte, sc *Scratch) ([]hit, error) {
	x := m.fast
	if cap(sc.caps) < x.targets {
		sc.caps = make([]capture, x.targets)
		sc.vals = make([]any, x.targets)
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
		h := hit{from: m.reads}
		if !p.accepts(m.reads) {
			hits[i] = hit{}
			continue
		}
		slot := x.probeTarget[i]
		if c := caps[slot]; c.found {
			if !decoded[slot] {
				v, err := decodeValue(b[c.start:c.end])
				if err != nil {
					return nil, errSlow
				}
				vals[slot], decoded[slot] = v, true
			}
			h.found, h.value = true, vals[slot]
		}
		hits[i] = h
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
