// Package bulk maps many userinfo documents at once: NDJSON in, one JSON line per document out, in
// input order, or a summary report (ssoctl map eval over an export of users).
//
// Run streams. A reader cuts the input into blocks of whole lines, workers (one per core) map the
// lines of a block with mapping.Mapper.MapJSONTo, and one sequencer takes the blocks back in input
// order and decides username conflicts (mapping.Mapper.Decide: which depend on every earlier user,
// and cost a few hash lookups). The blocks go back to the workers, which rename the users whose
// name was taken (mapping.Mapper.Apply) and only then write the block's output lines, each once, in
// parallel; the writer takes the blocks in the sequencer's order and writes. The output is the same
// whatever the number of workers. Memory is bounded whatever the input size: a fixed number of
// blocks is in flight, lines longer than 16 MiB are refused without being kept, conflicts within the
// input are tracked in a filter of fixed size (Seen, sized to the input when its size is known),
// and reports count at most 10,000 distinct domains and groups.
package bulk

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// Options configure Run.
type Options struct {
	// Mapper maps each line; required.
	Mapper *mapping.Mapper
	// Existing are the usernames the app already has (--existing).
	Existing mapping.Names
	// Seed makes random-digits conflict suffixes reproducible; 0 means random.
	Seed uint64
	// Workers is the number of mapping goroutines; 0 means one per CPU.
	Workers int
	// Report collects a Report instead of writing lines.
	Report bool
	// FailFast stops at the first malformed line; Run then returns its *LineError.
	FailFast bool
	// MaxLine is the longest line accepted, in bytes; 0 means MaxLine (16 MiB).
	MaxLine int
	// ChunkSize is the size of the blocks the input is read in; 0 means 128 KiB. Tests make it small.
	ChunkSize int
	// Elements says the lines are the elements of a JSON array (ArrayReader): messages then name
	// elements rather than lines.
	Elements bool
	// OnError hears about every skipped line, in input order, before the lines after it are written.
	OnError func(*LineError)
	// SizeHint is the input's size in bytes when known (a regular file), 0 when not; the filter
	// that finds conflicts within the input is sized to it.
	SizeHint int64
	// Progress, when not nil, is kept up to date for a progress display.
	Progress *Progress
}

// Progress is updated while Run works, for a progress bar on another goroutine.
type Progress struct {
	// Bytes is the number of input bytes read; Lines the number of lines done.
	Bytes atomic.Int64
	Lines atomic.Int64
}

// Result says what Run did.
type Result struct {
	// Lines were read; Users mapped; Blank lines skipped silently; Malformed lines reported and
	// skipped.
	Lines, Users, Blank, Malformed int64
	// Incomplete counts users with an empty required field.
	Incomplete int64
	// Conflicts counts taken usernames (also in Report).
	Conflicts ConflictCounts
	// Report is set with Options.Report.
	Report *Report
}

// LineError is a line that could not be mapped: not JSON, not an object where one is needed, or
// longer than the limit.
type LineError struct {
	Line int64
	Err  error
	// Element is set when the lines are a JSON array's elements (Options.Elements).
	Element bool
}

// Error returns e.g. "line 17 is not valid JSON: invalid character '}' looking for beginning of
// object key string".
func (e *LineError) Error() string {
	unit := "line"
	if e.Element {
		unit = "element"
	}
	var tl *TooLongError
	var nr *mapping.NumberRangeError
	switch {
	case errors.As(e.Err, &tl):
		if e.Element {
			return fmt.Sprintf("element %d is %s long, more than the %s an element may be, and was refused", e.Line, sizeText(tl.Size), sizeText(tl.Max))
		}
		return fmt.Sprintf("line %d %s", e.Line, tl.Error())
	case errors.Is(e.Err, mapping.ErrNotObject):
		return fmt.Sprintf("%s %d is not a JSON object, and %s", unit, e.Line, e.Err)
	case errors.As(e.Err, &nr):
		return fmt.Sprintf("%s %d holds the number %s, %s", unit, e.Line, nr.Text, nr.Why())
	}
	msg := strings.TrimPrefix(e.Err.Error(), "parse JSON: ")
	return fmt.Sprintf("%s %d is not valid JSON: %s", unit, e.Line, msg)
}

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

// TooLongError is a line over the size limit.
type TooLongError struct {
	Size, Max int64
}

// Error says how long the line is.
func (e *TooLongError) Error() string {
	return fmt.Sprintf("is %s long, more than the %s a line may be, and was refused", sizeText(e.Size), sizeText(e.Max))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", n)
}

// item is what a worker made of one line.
type item struct {
	line     int64
	kind     uint8
	user     int32 // index in job.users
	decision int32 // index in job.decisions, -1 when the username was free
	start    int   // where the output after the item begins in job.out (for an error: its place)
	hash     uint64
	err      error
}

const (
	itemUser uint8 = iota
	itemBlank
	itemError
)

// job is one block of lines on its way through the pipeline.
type job struct {
	seq   int64
	chunk *Chunk
	items []item
	users []mapping.User
	out   []byte
	arena []byte // text the users' strings point into (mapping.Scratch.Arena)

	decisions []mapping.Decision // the conflicts the sequencer decided
	ready     chan struct{}      // closed when the decisions are applied and the lines written
	sink      uint64             // keeps the filter's loads (Seen.Touch) from being optimized away
}

// Run maps every line of r and writes one JSON line per mapped document to w (nothing with
// Options.Report), in input order. Blank lines are skipped; malformed lines are reported to
// Options.OnError and skipped, or with FailFast end the run with their *LineError. Other errors:
// reading r, writing w, ctx's.
func Run(ctx context.Context, r io.Reader, w io.Writer, opts Options) (*Result, error) {
	if opts.Mapper == nil {
		return nil, errors.New("bulk: no mapper")
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	maxLine := opts.MaxLine
	if maxLine <= 0 {
		maxLine = MaxLine
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	lr := NewLineReader(r, opts.ChunkSize, maxLine)
	// The jobs in flight bound the memory: the reader waits for a free one.
	free := make(chan *job, 2*workers+2)
	for range cap(free) {
		free <- &job{}
	}
	work := make(chan *job, workers)
	done := make(chan *job, cap(free))

	var readErr error
	go func() {
		defer close(work)
		for seq := int64(0); ; seq++ {
			var j *job
			select {
			case j = <-free:
			case <-ctx.Done():
				return
			}
			c, err := lr.Next()
			if opts.Progress != nil {
				opts.Progress.Bytes.Store(lr.Read())
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				return
			}
			j.seq, j.chunk = seq, c
			select {
			case work <- j:
			case <-ctx.Done():
				return
			}
		}
	}()

	seen := NewSeen(opts.SizeHint)
	defer seen.Release() // Run returns after the workers and the sequencer are done with it
	// Blocks the sequencer decided come back to the workers, which apply the decisions and write
	// the lines before they map more: a block waiting to be written holds memory and the writer.
	apply := make(chan *job, cap(free))
	var mapped, running sync.WaitGroup
	for range workers {
		mapped.Add(1)
		running.Add(1)
		go func() {
			defer running.Done()
			sc := mapping.Scratch{Borrow: true}
			in := work
			for {
				select {
				case j, ok := <-apply:
					if !ok {
						return
					}
					finishBlock(j, opts.Mapper, opts.Report)
					continue
				default:
				}
				select {
				case j, ok := <-apply:
					if !ok {
						return
					}
					finishBlock(j, opts.Mapper, opts.Report)
				case j, ok := <-in:
					if !ok {
						// Nothing more to map; blocks may still come back to apply.
						in = nil
						mapped.Done()
						continue
					}
					process(j, opts.Mapper, &sc, opts.Report, int64(maxLine), seen)
					done <- j
				}
			}
		}()
	}
	go func() {
		mapped.Wait()
		close(done)
	}()

	// The sequencer decides in input order and hands each block on to the writer, in that order.
	ordered := make(chan *job, cap(free))
	conflicts := mapping.NewConflicts(opts.Existing, seen, opts.Seed)
	go func() {
		defer close(ordered)
		defer close(apply)
		pending := map[int64]*job{}
		var next int64
		for j := range done {
			pending[j.seq] = j
			for {
				pj, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				pj.ready = make(chan struct{})
				ordered <- pj
				if decide(pj, opts.Mapper, opts.Existing, seen, conflicts) || !opts.Report {
					apply <- pj
				} else {
					close(pj.ready)
				}
			}
		}
	}()
	defer running.Wait()

	s := &sequencer{
		opts: opts, m: opts.Mapper,
		// Smaller than a block's output, so that most of it goes to w without a copy.
		bw:   bufio.NewWriterSize(w, 32<<10),
		seen: seen, res: &Result{},
	}
	if opts.Report {
		s.res.Report = newReport()
	}
	var runErr error
	for j := range ordered {
		<-j.ready
		if runErr == nil {
			if err := s.handle(j); err != nil {
				runErr = err
				cancel()
			}
		}
		lr.Release(j.chunk)
		j.chunk = nil
		free <- j
	}
	if err := s.bw.Flush(); err != nil && runErr == nil {
		runErr = fmt.Errorf("write output: %w", err)
	}
	if runErr == nil && readErr != nil {
		runErr = readErr
	}
	if runErr == nil && ctx.Err() != nil {
		runErr = context.Cause(ctx)
	}
	s.res.Conflicts.Approximate = s.seen.Approximate()
	if rep := s.res.Report; rep != nil {
		rep.Lines, rep.Blank, rep.Malformed = s.res.Lines, s.res.Blank, s.res.Malformed
		rep.Conflicts = s.res.Conflicts
		rep.finish()
	}
	return s.res, runErr
}

// process maps the lines of one block; it runs on a worker. The lines are written by finishBlock,
// once the sequencer has decided the block's conflicts, so that a renamed user is written once.
func process(j *job, m *mapping.Mapper, sc *mapping.Scratch, report bool, maxLine int64, seen *Seen) {
	j.items, j.out = j.items[:0], j.out[:0]
	sc.Arena = j.arena[:0]
	defer func() { j.arena = sc.Arena }()
	c := j.chunk
	if c.Oversized {
		j.items = append(j.items, item{line: c.First, kind: itemError, err: &TooLongError{Size: c.Size, Max: maxLine}})
		return
	}
	data, line, n := c.Data, c.First, 0
	// Size the block's lists once, rather than letting append grow them (and copy what they
	// hold) line after line: a userinfo line becomes about as many bytes of output.
	if lines := bytes.Count(data, []byte{'\n'}) + 1; cap(j.items) < lines {
		j.items = make([]item, 0, lines)
		j.users = append(make([]mapping.User, 0, lines), j.users...)
	}
	for len(data) > 0 {
		var l []byte
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			l, data = data[:k], data[k+1:]
		} else {
			l, data = data, nil
		}
		if blank(l) {
			j.items = append(j.items, item{line: line, kind: itemBlank})
			line++
			continue
		}
		if n == len(j.users) {
			j.users = append(j.users, mapping.User{})
		}
		u := &j.users[n]
		if err := m.MapJSONTo(u, l, sc); err != nil {
			j.items = append(j.items, item{line: line, kind: itemError, err: err})
			line++
			continue
		}
		j.items = append(j.items, item{line: line, kind: itemUser, user: int32(n), decision: -1, hash: seen.Hash(u.Username)})
		n++
		line++
	}
}

func blank(l []byte) bool {
	for _, c := range l {
		switch c {
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

// decide settles the username conflicts of a block's users, which depend on all earlier users; it
// runs on the one goroutine that takes the blocks in input order, so it does as little as it can:
// a free username costs two hash lookups, a taken one mapping.Mapper.Decide. It reports whether
// any user's username was taken, so that the block must go back to a worker to be applied.
func decide(j *job, m *mapping.Mapper, existing mapping.Names, seen *Seen, c *mapping.Conflicts) bool {
	j.decisions = j.decisions[:0]
	// Load the filter blocks of all the block's users first: the loads overlap instead of each
	// waiting for memory in turn, which would make this one goroutine the pipeline's bottleneck.
	for i := range j.items {
		if j.items[i].kind == itemUser {
			j.sink += seen.Touch(j.items[i].hash)
		}
	}
	for i := range j.items {
		it := &j.items[i]
		if it.kind != itemUser {
			continue
		}
		u := &j.users[it.user]
		if u.Username != "" && (existing == nil || !existing.Has(u.Username)) && !seen.HasHash(it.hash) {
			// No conflict, the common case: Decide would only remember the name.
			seen.AddHash(it.hash)
			continue
		}
		if d := m.Decide(u, c); d.Conflict() {
			it.decision = int32(len(j.decisions))
			j.decisions = append(j.decisions, d)
		}
	}
	return len(j.decisions) > 0
}

// finishBlock renames or refuses the users whose username was taken, as decide found, and (unless
// reporting) writes the block's output lines; it runs on a worker, and closes j.ready when done.
func finishBlock(j *job, m *mapping.Mapper, report bool) {
	if !report {
		// A userinfo line becomes about as many bytes of output: size the buffer once.
		if want := 2*len(j.chunk.Data) + 4096; cap(j.out) < want {
			j.out = make([]byte, 0, want)
		}
		j.out = j.out[:0]
	}
	for i := range j.items {
		it := &j.items[i]
		it.start = len(j.out)
		if it.kind != itemUser {
			continue
		}
		u := &j.users[it.user]
		if it.decision >= 0 {
			m.Apply(u, j.decisions[it.decision])
		}
		if !report {
			j.out = append(u.AppendLine(j.out, it.line), '\n')
		}
	}
	close(j.ready)
}

// sequencer writes the blocks in input order, their conflicts applied: it counts, reports
// malformed lines and writes.
type sequencer struct {
	opts Options
	m    *mapping.Mapper
	bw   *bufio.Writer
	seen *Seen
	res  *Result
}

func (s *sequencer) handle(j *job) error {
	res := s.res
	run := 0 // start of the output not yet written
	for i := range j.items {
		it := &j.items[i]
		res.Lines++
		switch it.kind {
		case itemBlank:
			res.Blank++
		case itemError:
			res.Malformed++
			le := &LineError{Line: it.line, Err: it.err, Element: s.opts.Elements}
			if s.opts.OnError != nil || s.opts.FailFast {
				// Lines before it are written before it is reported.
				if _, err := s.bw.Write(j.out[run:it.start]); err != nil {
					return fmt.Errorf("write output: %w", err)
				}
				run = it.start
				if err := s.bw.Flush(); err != nil {
					return fmt.Errorf("write output: %w", err)
				}
			}
			if s.opts.OnError != nil {
				s.opts.OnError(le)
			}
			if s.opts.FailFast {
				return le
			}
		case itemUser:
			res.Users++
			u := &j.users[it.user]
			if c := u.UsernameInfo.Conflict; c != nil {
				if c.With == "input" {
					res.Conflicts.Input++
				} else {
					res.Conflicts.Existing++
				}
				if c.Resolved {
					res.Conflicts.Renamed++
				} else {
					res.Conflicts.Unresolved++
				}
			}
			for _, e := range u.Errors {
				if e.Code == mapping.ErrMissingRequired {
					res.Incomplete++
					break
				}
			}
			if res.Report != nil {
				res.Report.add(u)
			}
		}
	}
	if _, err := s.bw.Write(j.out[run:]); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if s.opts.Progress != nil {
		s.opts.Progress.Lines.Store(res.Lines)
	}
	return nil
}
