package workbench

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const treeDoc = `{
  "sub": "42",
  "user-name": "ann",
  "urn:zitadel:iam:org:project:roles": {"admin": {"1": "example.com"}},
  "it's": true,
  "data": {"user": {"email": "ann@example.com", "emails": [{"v": "a"}, {"v": "b"}], "empty": {}}},
  "groups": ["a", "b", "c"],
  "n": 1.5,
  "none": null
}`

// find returns the index of the first node whose path is p.
func find(t *testing.T, tr *tree, p string) int {
	t.Helper()
	for i := range tr.nodes {
		if tr.path(i) == p {
			return i
		}
	}
	t.Fatalf("no node with path %s", p)
	return -1
}

func TestTreePath(t *testing.T) {
	tr, err := newTree([]byte(treeDoc))
	require.NoError(t, err)
	tests := []struct {
		name string
		want string
	}{
		{"root", "$"},
		{"plain member", "$.sub"},
		{"hyphen needs brackets", "$['user-name']"},
		{"colons need brackets", "$['urn:zitadel:iam:org:project:roles']"},
		{"digit key needs brackets", "$['urn:zitadel:iam:org:project:roles'].admin['1']"},
		{"quote is escaped", `$['it\'s']`},
		{"nested", "$.data.user.email"},
		{"array element", "$.data.user.emails[1].v"},
		{"array item", "$.groups[2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := find(t, tr, tt.want)
			assert.Equal(t, tt.want, tr.path(i))
		})
	}
}

func TestTreeKeepsDocumentOrder(t *testing.T) {
	tr, err := newTree([]byte(`{"z": 1, "a": 2, "m": {"y": 3, "b": 4}}`))
	require.NoError(t, err)
	var keys []string
	for _, n := range tr.nodes[1:] {
		keys = append(keys, n.key)
	}
	assert.Equal(t, []string{"z", "a", "m", "y", "b"}, keys)
	assert.Equal(t, int32(3), tr.nodes[0].count)
	assert.Equal(t, int32(6), tr.nodes[0].end)
}

func TestTreeTopLevelKey(t *testing.T) {
	tr, err := newTree([]byte(treeDoc))
	require.NoError(t, err)
	assert.Equal(t, "groups", tr.topLevelKey(find(t, tr, "$.groups")))
	assert.Equal(t, "", tr.topLevelKey(find(t, tr, "$.data.user.email")))
	assert.Equal(t, "", tr.topLevelKey(0))

	arr, err := newTree([]byte(`[{"email": "a"}]`))
	require.NoError(t, err)
	assert.Equal(t, "", arr.topLevelKey(1), "an array element is not a claim")
}

// flatten lists the visible rows the slow way, for checking next and prev.
func flatten(tr *tree) []int {
	var out []int
	var walk func(i int)
	walk = func(i int) {
		out = append(out, i)
		if !tr.nodes[i].container() || !tr.open[i] {
			return
		}
		for c := i + 1; c < int(tr.nodes[i].end); c = int(tr.nodes[c].end) {
			walk(c)
		}
	}
	walk(0)
	return out
}

func TestTreeNextPrevMatchFlattening(t *testing.T) {
	tr, err := newTree([]byte(treeDoc))
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		for i := range tr.open {
			tr.open[i] = tr.nodes[i].container() && rng.IntN(3) > 0
		}
		tr.open[0] = round%7 != 0 // sometimes even the root is collapsed
		want := flatten(tr)

		var got []int
		for i := 0; i >= 0; i = tr.next(i) {
			got = append(got, i)
		}
		require.Equal(t, want, got, "next, round %d", round)

		var back []int
		for i := want[len(want)-1]; i >= 0; i = tr.prev(i) {
			back = append([]int{i}, back...)
		}
		require.Equal(t, want, back, "prev, round %d", round)

		for _, i := range want {
			require.True(t, tr.visible(i))
			require.Equal(t, i, tr.shownAs(i))
		}
	}
}

func TestTreeRevealAndSubtree(t *testing.T) {
	tr, err := newTree([]byte(treeDoc))
	require.NoError(t, err)
	tr.setSubtree(0, false)
	email := find(t, tr, "$.data.user.email")
	assert.False(t, tr.visible(email))
	assert.Equal(t, 0, tr.shownAs(email))
	tr.reveal(email)
	assert.True(t, tr.visible(email))
	assert.Equal(t, email, tr.shownAs(email))
}

func TestTreeSearch(t *testing.T) {
	tr, err := newTree([]byte(treeDoc))
	require.NoError(t, err)
	email := find(t, tr, "$.data.user.email")
	emails := find(t, tr, "$.data.user.emails")
	tests := []struct {
		name    string
		q       string
		from    int
		forward bool
		want    int
	}{
		{"key, case ignored", "email", 0, true, email},
		{"value", "ann@example", 0, true, email},
		{"next after a match", "email", email, true, emails},
		{"wraps around", "sub", email, true, find(t, tr, "$.sub")},
		{"backwards", "email", emails, false, email},
		{"upper case text", "zitadel", 0, true, find(t, tr, "$['urn:zitadel:iam:org:project:roles']")},
		{"no match", "nothing-like-it", 0, true, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tr.search(tt.q, tt.from, tt.forward))
		})
	}
}

func TestContainsFold(t *testing.T) {
	assert.True(t, containsFold("Hello World", "o w"))
	assert.True(t, containsFold("ÄRGER über", "über"))
	assert.False(t, containsFold("abc", "abcd"))
	assert.False(t, containsFold("abc", "x"))
}

func TestNewTreeErrors(t *testing.T) {
	deep := make([]byte, 0, 2*maxDepth+4)
	for range maxDepth + 1 {
		deep = append(deep, '[')
	}
	for range maxDepth + 1 {
		deep = append(deep, ']')
	}
	_, err := newTree(deep)
	assert.ErrorIs(t, err, errDepth)
}
