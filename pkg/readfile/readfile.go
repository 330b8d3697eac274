// Package readfile is the one way ssoctl reads a whole file into memory: with a size limit per kind
// of file, counted in the bytes actually read (a device such as /dev/zero or a named pipe reports a
// size of 0 and never ends), and cancellable with the context, so that Ctrl-C ends a read that
// blocks on a named pipe nobody writes to.
//
// It sits below every other package (config, the command factory, token input) and imports only the
// standard library: reading a file is neither about terminals (pkg/iostreams) nor about the config
// format, and the config loader needs it too. Streams that are read record by record (NDJSON in
// pkg/bulk) bound each record instead and do not come here.
package readfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Kind is a kind of file ssoctl reads, with the most it reads of one.
type Kind struct {
	// Name is what the message calls such a file: "config file", "secret file".
	Name string
	// Limit is the largest size accepted, in bytes.
	Limit int64
	// Hint says what to do when a file of this kind is too large.
	Hint string
}

// The kinds of file ssoctl reads. The limits are far above any real file of the kind and far below
// what would strain the machine.
var (
	// Config is the config file: a thousand providers are a few hundred KiB (config.MaxFileSize).
	Config = Kind{Name: "config file", Limit: 4 << 20,
		Hint: "check that --config or $SSOCTL_CONFIG names your ssoctl config, not another file or a device"}
	// Secret is a client secret's file:PATH reference: a secret is a line of text.
	Secret = Kind{Name: "secret file", Limit: 64 << 10,
		Hint: "a secret file holds the secret on one line; check the file: reference"}
	// CA is --ca-file: the whole Mozilla bundle is about 220 KiB.
	CA = Kind{Name: "CA file", Limit: 4 << 20,
		Hint: "pass a PEM file with the CA certificate(s) of your identity provider"}
	// Document is one JSON document (userinfo, ID token claims, a saved login): 16 MiB, as one NDJSON
	// line in pkg/bulk.
	Document = Kind{Name: "JSON document", Limit: 16 << 20,
		Hint: "pass one JSON document; many users go in NDJSON, one per line"}
	// Token is a JWT read from a file or standard input: real ID tokens are a few KiB.
	Token = Kind{Name: "token", Limit: 256 << 10,
		Hint: "pass one JWT (header.payload.signature)"}
)

// TooLargeError is a file larger than its kind's limit. Only the first Limit+1 bytes were read.
type TooLargeError struct {
	// Name is the file's path, or "standard input".
	Name string
	Kind Kind
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s %s is larger than the %s a %s may be", e.Kind.Name, e.Name, HumanSize(e.Kind.Limit), e.Kind.Name)
}

// ExitCode makes a file too large to read unreadable input (exit 2).
func (e *TooLargeError) ExitCode() int { return 2 }

// Hint says what to do.
func (e *TooLargeError) Hint() string { return e.Kind.Hint }

// File reads the file at path, at most k.Limit bytes. A larger file is a *TooLargeError; a file that
// cannot be opened or read gives the *fs.PathError of os.Open or Read. When ctx ends first, File
// returns ctx's error (context.Canceled after Ctrl-C) and leaves the blocked read behind: a named
// pipe blocks in open(2) until a writer comes, and nothing can interrupt that portably. The process
// is about to exit then; the abandoned read holds at most k.Limit bytes until it returns.
func File(ctx context.Context, path string, k Kind) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A regular file cannot block; read it here, without a goroutine. Stat does not open the file,
	// so it cannot block on a pipe.
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		return readPath(path, k, fi.Size())
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := readPath(path, k, -1)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readPath opens and reads path; size is the size Stat gave, or -1, and only sizes the buffer.
func readPath(path string, k Kind, size int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f, path, k, size)
}

// Reader reads r to its end, at most k.Limit bytes; name is what messages call it ("standard input").
// Like File it returns when ctx ends, leaving a blocked Read behind.
func Reader(ctx context.Context, r io.Reader, name string, k Kind) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := read(r, name, k, -1)
		done <- result{b, err}
	}()
	select {
	case res := <-done:
		return res.b, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// read reads at most k.Limit+1 bytes of r and fails when there were more than k.Limit. The buffer
// grows by doubling, as io.ReadAll's does, but never beyond Limit+1 bytes: reading /dev/zero as a
// 4 MiB config allocates about 12 MiB in all, not the 16 MiB and more a bytes.Buffer would.
func read(r io.Reader, name string, k Kind, size int64) ([]byte, error) {
	most := k.Limit + 1
	initial := int64(512)
	if size >= 0 {
		// Size is a hint only: the file may grow while it is read.
		initial = size + 1
	}
	b := make([]byte, 0, min(initial, most))
	for {
		if len(b) == cap(b) {
			grown := make([]byte, len(b), min(max(2*int64(cap(b)), 512), most))
			copy(grown, b)
			b = grown
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > k.Limit {
			return nil, &TooLargeError{Name: name, Kind: k}
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// IsTooLarge reports whether err is (or wraps) a *TooLargeError.
func IsTooLarge(err error) bool {
	var tl *TooLargeError
	return errors.As(err, &tl)
}

// HumanSize writes a byte count the way people read it: 4.0 MiB, 64.0 KiB, 12 bytes.
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
