package readfile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var small = Kind{Name: "test file", Limit: 16, Hint: "a hint"}

func TestFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	tests := []struct {
		name, content string
		wantErr       string
	}{
		{name: "empty", content: ""},
		{name: "under", content: "hello"},
		{name: "exactly the limit", content: strings.Repeat("x", 16)},
		{name: "one byte over", content: strings.Repeat("x", 17), wantErr: "test file %s is larger than the 16 bytes a test file may be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tt.name, " ", "-"), tt.content)
			got, err := File(context.Background(), p, small)
			if tt.wantErr != "" {
				var tl *TooLargeError
				require.ErrorAs(t, err, &tl)
				assert.Equal(t, strings.ReplaceAll(tt.wantErr, "%s", p), err.Error())
				assert.Equal(t, 2, tl.ExitCode())
				assert.Equal(t, "a hint", tl.Hint())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.content, string(got))
		})
	}
	t.Run("missing", func(t *testing.T) {
		_, err := File(context.Background(), filepath.Join(dir, "nope"), small)
		assert.ErrorIs(t, err, fs.ErrNotExist)
		var pe *fs.PathError
		assert.ErrorAs(t, err, &pe)
	})
	t.Run("directory", func(t *testing.T) {
		_, err := File(context.Background(), dir, small)
		require.Error(t, err)
	})
}

// TestFileDevices reads devices whose Stat size (0) says nothing about what they hold.
func TestFileDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	t.Run("/dev/zero stops at the limit in bounded memory", func(t *testing.T) {
		k := Kind{Name: "config file", Limit: 4 << 20}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := File(context.Background(), "/dev/zero", k)
		runtime.ReadMemStats(&after)
		var tl *TooLargeError
		require.ErrorAs(t, err, &tl)
		assert.Equal(t, "config file /dev/zero is larger than the 4.0 MiB a config file may be", err.Error())
		// The buffer doubles up to Limit+1: about three times the limit in all (512 B + 1 KiB + … + 4 MiB + 4 MiB+1), never the whole device.
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(4*k.Limit))
	})
	t.Run("/dev/null is empty", func(t *testing.T) {
		got, err := File(context.Background(), "/dev/null", small)
		require.NoError(t, err)
		assert.Empty(t, got)
	})
}

func TestReader(t *testing.T) {
	got, err := Reader(context.Background(), iotest.OneByteReader(strings.NewReader("abc")), "standard input", small)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(got))

	_, err = Reader(context.Background(), strings.NewReader(strings.Repeat("a", 100)), "standard input", small)
	assert.EqualError(t, err, "test file standard input is larger than the 16 bytes a test file may be")
	assert.True(t, IsTooLarge(err))

	_, err = Reader(context.Background(), iotest.ErrReader(errors.New("boom")), "standard input", small)
	assert.EqualError(t, err, "boom")
}

// blockingReader blocks until released, as a terminal or a pipe with no writer does.
type blockingReader struct{ release chan struct{} }

func (b blockingReader) Read([]byte) (int, error) { <-b.release; return 0, io.EOF }

func TestReaderCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := blockingReader{release: make(chan struct{})}
	defer close(r.release)
	done := make(chan error, 1)
	go func() {
		_, err := Reader(ctx, r, "standard input", small)
		done <- err
	}()
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)

	_, err := Reader(ctx, strings.NewReader("x"), "standard input", small)
	assert.ErrorIs(t, err, context.Canceled, "a context ended before the read is honoured too")
}

func TestKinds(t *testing.T) {
	// config.MaxFileSize, README and the config loader's messages say 4 MiB.
	assert.Equal(t, int64(4<<20), Config.Limit)
	for _, k := range []Kind{Config, Secret, CA, Document, Token} {
		assert.NotEmpty(t, k.Name)
		assert.NotEmpty(t, k.Hint, k.Name)
		assert.Positive(t, k.Limit, k.Name)
	}
}

func TestHumanSize(t *testing.T) {
	assert.Equal(t, "12 bytes", HumanSize(12))
	assert.Equal(t, "64.0 KiB", HumanSize(64<<10))
	assert.Equal(t, "4.0 MiB", HumanSize(4<<20))
}

// FuzzReader checks the one property every caller relies on: the whole input when it fits, else a
// *TooLargeError, however the reader splits its reads.
func FuzzReader(f *testing.F) {
	f.Add([]byte(""), uint16(0), uint8(0))
	f.Add([]byte("hello"), uint16(5), uint8(1))
	f.Add([]byte("hello!"), uint16(5), uint8(2))
	f.Add(bytes.Repeat([]byte{0}, 600), uint16(512), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, limit uint16, mode uint8) {
		var r io.Reader = bytes.NewReader(data)
		switch mode % 4 {
		case 1:
			r = iotest.OneByteReader(r)
		case 2:
			r = iotest.HalfReader(r)
		case 3:
			r = iotest.DataErrReader(r)
		}
		k := Kind{Name: "fuzz", Limit: int64(limit)}
		got, err := Reader(context.Background(), r, "input", k)
		if len(data) > int(limit) {
			if !IsTooLarge(err) {
				t.Fatalf("%d bytes with limit %d: got %d bytes, err %v", len(data), limit, len(got), err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%d bytes with limit %d: %v", len(data), limit, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("got %q, want %q", got, data)
		}
	})
}
