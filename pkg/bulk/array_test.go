package bulk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readArray(t *testing.T, in string) (string, error) {
	return readArrayAt(t, in, nil)
}

func readArrayAt(t *testing.T, in string, path []string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	// A tiny buffer, so that elements cross Read calls.
	buf := make([]byte, 3)
	ar := NewArrayReaderAt(strings.NewReader(in), path)
	for {
		n, err := ar.Read(buf)
		out.Write(buf[:n])
		if errors.Is(err, io.EOF) {
			return out.String(), nil
		}
		if err != nil {
			return out.String(), err
		}
	}
}

func TestArrayReader(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{name: "compact", in: `[{"a":1},{"b":[2,3]}]`, want: "{\"a\":1}\n{\"b\":[2,3]}\n"},
		{name: "pretty", in: "[\n  {\n    \"a\": \"x y\",\n    \"b\": {\"c\": [1, 2]}\n  },\n  {\"d\": \"]},[\\\"\"}\n]\n",
			want: "{\"a\":\"x y\",\"b\":{\"c\":[1,2]}}\n{\"d\":\"]},[\\\"\"}\n"},
		{name: "empty", in: " [ ] ", want: ""},
		{name: "scalars", in: `[1, "two", null]`, want: "1\n\"two\"\nnull\n"},
		{name: "raw line break in a string stays invalid, on its line", in: "[{\"a\":\"x\ny\"},{}]", want: "{\"a\":\"x\x1fy\"}\n{}\n"},
		{name: "not an array", in: `{"a":1}`, err: "the JSON array breaks at element 1 (input line 1): the input is not a JSON array"},
		{name: "unclosed", in: "[\n{\"a\":1},\n{\"b\":2}", want: "{\"a\":1}\n{\"b\":2}", err: "the JSON array breaks at element 2 (input line 3): the input ends before the array's closing ]"},
		{name: "inside a string", in: `[{"a":"x`, want: `{"a":"x`, err: "the JSON array breaks at element 1 (input line 1): the input ends inside a string"},
		{name: "trailing comma", in: `[1,]`, want: "1\n", err: "the JSON array breaks at element 1 (input line 1): a comma with no element after it"},
		{name: "leading comma", in: `[,1]`, err: "the JSON array breaks at element 1 (input line 1): a comma with no element before it"},
		{name: "more after", in: `[1] [2]`, want: "1\n", err: "the JSON array breaks at element 1 (input line 1): more follows the array's closing ]"},
		{name: "stray brace", in: `[1}`, want: "1", err: "the JSON array breaks at element 1 (input line 1): a } closes nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readArray(t, tt.in)
			assert.Equal(t, tt.want, got)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.err, err.Error())
			var ae *ArrayError
			assert.ErrorAs(t, err, &ae)
		})
	}
}

func TestArrayReaderAt(t *testing.T) {
	users := []string{"users"}
	tests := []struct {
		name, in string
		path     []string
		want     string
		err      string
	}{
		{name: "realm export", path: users,
			in:   "{\n  \"realm\": \"staff\",\n  \"clients\": [{\"id\": \"]\\\"}\"}, [1, {\"a\": null}]],\n  \"users\": [\n    {\"username\": \"ana\"},\n    {\"username\": \"rui\"}\n  ],\n  \"groups\": [{\"name\": \"/staff\"}], \"enabled\": true, \"n\": -1.5e3\n}\n",
			want: "{\"username\":\"ana\"}\n{\"username\":\"rui\"}\n"},
		{name: "first member, nothing after", path: users, in: `{"users":[{"a":1}]}`, want: "{\"a\":1}\n"},
		{name: "nested", path: []string{"data", "user list"}, in: `{"n":1,"data":{"x":[],"user list":[1,2],"y":{}},"z":"}"}`, want: "1\n2\n"},
		{name: "escaped name", path: users, in: `{"us\u0065rs":[3]}`, want: "3\n"},
		{name: "empty array", path: users, in: `{"users":[]}`, want: ""},
		{name: "no such member", path: users, in: `{"realm":"staff","clients":[]}`,
			err: `no array at $.users (input line 1): $ has no member "users"`},
		{name: "not an object", path: users, in: `[{"a":1}]`, err: `no array at $.users (input line 1): $ is an array, not an object`},
		{name: "not an array", path: []string{"data", "users"}, in: "{\"data\":\n{\"users\":{\"a\":1}}}",
			err: `no array at $.data.users (input line 2): $.data.users is an object, not an array`},
		{name: "empty input", path: users, in: "  ", err: `no array at $.users (input line 1): the input is empty`},
		{name: "ends before", path: users, in: `{"realm":"st`, err: `no array at $.users (input line 1): the input ends before it`},
		{name: "twice", path: users, in: `{"users":[1],"users":[2]}`, want: "1\n",
			err: `after the array at $.users (input line 1): $.users appears twice; give an export with one`},
		{name: "unclosed object", path: users, in: `{"users":[1],"n":2`, want: "1\n",
			err: `after the array at $.users (input line 1): the input ends before the object's closing }`},
		{name: "more after", path: users, in: `{"users":[1]} {}`, want: "1\n",
			err: `after the array at $.users (input line 1): more follows the object's closing }`},
		{name: "missing comma", path: users, in: `{"a":1 "users":[1]}`, err: `no array at $.users (input line 1): a '"' where a comma or } belongs`},
		{name: "broken element", path: users, in: `{"users":[1,,2]}`, want: "1\n",
			err: `the JSON array breaks at element 1 (input line 1): a comma with no element before it`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readArrayAt(t, tt.in, tt.path)
			assert.Equal(t, tt.want, got)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.err, err.Error())
			var ae *ArrayError
			assert.ErrorAs(t, err, &ae)
		})
	}
}

func TestPathText(t *testing.T) {
	assert.Equal(t, "$", PathText(nil))
	assert.Equal(t, "$.users", PathText([]string{"users"}))
	assert.Equal(t, `$.data['user list']['it\'s']._x1`, PathText([]string{"data", "user list", "it's", "_x1"}))
}

// FuzzArrayReaderAt checks that the array at $.users of any valid JSON object comes out as its
// elements, compacted, one a line, and that nothing makes the reader panic or loop.
func FuzzArrayReaderAt(f *testing.F) {
	for _, s := range []string{`{"users":[]}`, `{"a":"]}","users":[{"b":1}],"c":[{}]}`, `{"users":{}}`, `[1]`, `{"users":[1],"users":[2]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := readArrayAt(t, in, []string{"users"})
		var doc map[string]json.RawMessage
		if !json.Valid([]byte(in)) || json.Unmarshal([]byte(in), &doc) != nil || strings.Count(in, `"users"`) != 1 {
			return // invalid input or ambiguous: only no panic
		}
		var elems []json.RawMessage
		if json.Unmarshal(doc["users"], &elems) != nil {
			require.Error(t, err, "%q", in)
			return
		}
		require.NoError(t, err, "%q", in)
		var want strings.Builder
		for _, e := range elems {
			var c bytes.Buffer
			require.NoError(t, json.Compact(&c, e))
			want.Write(c.Bytes())
			want.WriteByte('\n')
		}
		assert.Equal(t, want.String(), got)
	})
}

// FuzzArrayReader checks that every valid JSON array comes out as its elements, compacted, one a
// line, and that nothing makes the reader panic or loop.
func FuzzArrayReader(f *testing.F) {
	for _, s := range []string{`[]`, `[{"a":1},{"b":"]"}]`, "[\n 1 ,\n \"x\\\"y\" ]", `[[[]],{}]`, `[1,]`, `{}`, `["\u2028"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := readArray(t, in)
		var elems []json.RawMessage
		if json.Unmarshal([]byte(in), &elems) != nil || !json.Valid([]byte(in)) {
			return // invalid input: only no panic
		}
		require.NoError(t, err, "%q", in)
		var want strings.Builder
		for _, e := range elems {
			var c bytes.Buffer
			require.NoError(t, json.Compact(&c, e))
			want.Write(c.Bytes())
			want.WriteByte('\n')
		}
		assert.Equal(t, want.String(), got)
	})
}

// oidcArray is an io.Reader of one JSON array of n OpenID Connect userinfo documents (about 440
// bytes each), made as it is read: an export of any size without holding it.
type oidcArray struct {
	n, i int
	buf  []byte
	doc  []byte
}

func newOIDCArray(n int) *oidcArray {
	// The rest of a document after its username, as syntheticOIDC writes it.
	line := bytes.TrimSpace(syntheticOIDC(1))
	_, rest, _ := bytes.Cut(line, []byte(`@example.com"`))
	return &oidcArray{n: n, buf: []byte("[\n"), doc: rest}
}

func (a *oidcArray) Read(p []byte) (int, error) {
	for len(a.buf) < len(p) && a.i <= a.n {
		switch {
		case a.i == a.n:
			a.buf = append(a.buf, "]\n"...)
		default:
			// Each its own sub; every tenth repeats an earlier username.
			name := a.i
			if a.i%10 == 9 {
				name = a.i / 2
			}
			a.buf = fmt.Appendf(a.buf, `  {"sub":"%08d-aaaa-4bbb-8ccc-dddddddddddd","preferred_username":"user%d","name":"Ana Costa","email":"user%d@example.com"%s`, a.i, name, name, a.doc)
			if a.i < a.n-1 {
				a.buf = append(a.buf, ',')
			}
			a.buf = append(a.buf, '\n')
		}
		a.i++
	}
	n := copy(p, a.buf)
	a.buf = a.buf[:copy(a.buf, a.buf[n:])]
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// heapWatch is an io.Writer that counts lines and samples the heap every 4 MiB written.
type heapWatch struct {
	written, next int64
	lines         int64
	peak          uint64
}

func (h *heapWatch) Write(p []byte) (int, error) {
	h.written += int64(len(p))
	h.lines += int64(bytes.Count(p, []byte{'\n'}))
	if h.written >= h.next {
		h.next = h.written + 4<<20
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		h.peak = max(h.peak, ms.HeapInuse)
	}
	return len(p), nil
}

// mapArray maps an array of n documents and returns the input's size and the heap's peak.
func mapArray(t testing.TB, n int) (in int64, w *heapWatch) {
	src := &countingReader{r: newOIDCArray(n)}
	w = &heapWatch{}
	res, err := Run(context.Background(), NewArrayReader(src), w, Options{Mapper: oidcMapper(t), Elements: true})
	require.NoError(t, err)
	require.Equal(t, int64(n), res.Users)
	require.Equal(t, int64(n), w.lines)
	return src.n, w
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

// TestArrayBoundedMemory maps a 64 MB JSON array, streamed, and checks that the heap stays at
// most half the input's size: the array is never held, whatever its size (BenchmarkArrayExport
// maps 500 MB the same way).
func TestArrayBoundedMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		// The race detector makes it ten times slower, and the bound is the same code's.
		t.Skip("maps 64 MB")
	}
	in, w := mapArray(t, 165000)
	require.Greater(t, in, int64(64<<20))
	t.Logf("input %d MB, output %d MB, peak heap in use %.1f MiB", in>>20, w.written>>20, float64(w.peak)/(1<<20))
	assert.Less(t, w.peak, uint64(in/2), "the heap must not grow with the input")
}

// BenchmarkArrayExport maps a 500 MB JSON array (1.22 million userinfo documents with groups),
// generated as it is read, and reports the heap's peak, which does not grow with the input:
//
//	go test -run='^$' -bench=ArrayExport -benchtime=1x ./pkg/bulk
func BenchmarkArrayExport(b *testing.B) {
	for b.Loop() {
		in, w := mapArray(b, 1220000)
		b.SetBytes(in)
		b.ReportMetric(float64(in)/1e6, "input-MB")
		b.ReportMetric(float64(w.peak)/(1<<20), "peak-heap-MiB")
	}
}

func TestParseArrayPath(t *testing.T) {
	for in, want := range map[string][]string{
		"$": {}, "$.users": {"users"}, "$['users']": {"users"}, `$["a.b"]`: {"a.b"},
		"$.data['user list']": {"data", "user list"},
	} {
		got, err := ParseArrayPath(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for in, msg := range map[string]string{
		"$.users[0]":       "$.users[0] holds [0], and only member names lead to the array",
		"$.users[*]":       "$.users[*] holds [*], and only member names lead to the array",
		"$..users":         "$..users holds .., and only member names lead to the array",
		"users":            "users does not start at the document's root ($)",
		"$.users.length()": "$.users.length() is not a JSONPath: parse error at 15 in $.users.length()",
	} {
		_, err := ParseArrayPath(in)
		require.Error(t, err, in)
		assert.Equal(t, msg, err.Error(), in)
	}
}
