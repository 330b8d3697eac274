package bulk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

func githubMapper(t testing.TB, app string, reg *config.Registration) *mapping.Mapper {
	t.Helper()
	m, err := mapping.NewMapper(mapping.Options{Provider: config.Provider{Name: "gh", Type: "github", Registration: reg}, App: app})
	require.NoError(t, err)
	return m
}

func githubLine(i int, login string) string {
	return fmt.Sprintf(`{"login":%q,"id":%d,"name":"User %d","email":"%s@example.com","bio":null}`, login, 1000+i, i, login)
}

type outLine struct {
	Line     int64  `json:"line"`
	ID       string `json:"id"`
	Username string `json:"username"`
	OK       bool   `json:"ok"`
}

func parseOut(t *testing.T, out string) []outLine {
	t.Helper()
	var lines []outLine
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		var o outLine
		require.NoError(t, json.Unmarshal([]byte(l), &o), l)
		lines = append(lines, o)
	}
	return lines
}

func TestRunKeepsInputOrder(t *testing.T) {
	var in strings.Builder
	for i := range 2000 {
		in.WriteString(githubLine(i, fmt.Sprintf("user%d", i)) + "\n")
	}
	var out bytes.Buffer
	res, err := Run(context.Background(), strings.NewReader(in.String()), &out, Options{Mapper: githubMapper(t, "", nil), Workers: 4, ChunkSize: 300})
	require.NoError(t, err)
	assert.Equal(t, &Result{Lines: 2000, Users: 2000}, res)
	lines := parseOut(t, out.String())
	require.Len(t, lines, 2000)
	for i, l := range lines {
		assert.Equal(t, int64(i+1), l.Line)
		assert.Equal(t, fmt.Sprintf("user%d", i), l.Username)
	}
}

func TestRunConflicts(t *testing.T) {
	input := strings.Join([]string{
		githubLine(1, "anyi"),
		githubLine(2, "anyi"),
		githubLine(3, "taken"),
		githubLine(4, "free"),
	}, "\n")
	var out bytes.Buffer
	res, err := Run(context.Background(), strings.NewReader(input), &out, Options{
		// AList renames only users it registers: auto-register is on.
		Mapper: githubMapper(t, "alist", &config.Registration{Enabled: true}), Existing: mapping.NameSet{"taken": {}}, Workers: 2, ChunkSize: 64,
	})
	require.NoError(t, err)
	assert.Equal(t, ConflictCounts{Existing: 1, Input: 1, Renamed: 2}, res.Conflicts)
	var names []string
	for _, l := range parseOut(t, out.String()) {
		names = append(names, l.Username)
	}
	assert.Equal(t, []string{"anyi", "anyi_1002", "taken_1003", "free"}, names)
}

func TestRunMalformedLines(t *testing.T) {
	input := githubLine(1, "a") + "\n{not json}\n\n" + strings.Repeat("x", 140) + "\n" + "\x00\x01\x02junk\n" + githubLine(2, "b") + "\n"
	var out bytes.Buffer
	var reported []string
	res, err := Run(context.Background(), strings.NewReader(input), &out, Options{
		Mapper: githubMapper(t, "", nil), MaxLine: 132, ChunkSize: 16,
		OnError: func(e *LineError) { reported = append(reported, e.Error()) },
	})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"line 2 is not valid JSON: invalid character 'n' looking for beginning of object key string",
		"line 4 is 140 bytes long, more than the 132 bytes a line may be, and was refused",
		"line 5 is not valid JSON: invalid character '\\x00' looking for beginning of value",
	}, reported)
	assert.Equal(t, &Result{Lines: 6, Users: 2, Blank: 1, Malformed: 3}, res)
	lines := parseOut(t, out.String())
	require.Len(t, lines, 2)
	assert.Equal(t, []int64{1, 6}, []int64{lines[0].Line, lines[1].Line})
}

func TestRunFailFast(t *testing.T) {
	input := githubLine(1, "a") + "\n{\n" + githubLine(3, "c") + "\n"
	var out bytes.Buffer
	_, err := Run(context.Background(), strings.NewReader(input), &out, Options{Mapper: githubMapper(t, "", nil), FailFast: true})
	var le *LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, int64(2), le.Line)
	lines := parseOut(t, out.String())
	require.Len(t, lines, 1, "the lines before the bad one are written")
	assert.Equal(t, "a", lines[0].Username)
}

func TestRunIDTokenLinesMustBeObjects(t *testing.T) {
	m, err := mapping.NewMapper(mapping.Options{Provider: config.Provider{Name: "o", Type: "oidc"}, App: "alist"})
	require.NoError(t, err)
	var reported []string
	_, err = Run(context.Background(), strings.NewReader("[1,2]\n{\"preferred_username\":\"x\",\"sub\":\"1\"}\n"), &bytes.Buffer{}, Options{
		Mapper: m, OnError: func(e *LineError) { reported = append(reported, e.Error()) },
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"line 1 is not a JSON object, and an ID token's claims are a JSON object"}, reported)
}

func TestRunReport(t *testing.T) {
	reg := &config.Registration{Enabled: true, AllowedDomains: []string{"example.com"}, DefaultPermission: config.Permission{Items: []string{"webdav-read", "webdav-manage"}}}
	p := config.Provider{Name: "o", Type: "oidc", Registration: reg,
		Groups: &config.Groups{Claim: "groups", Map: map[string]string{"staff": "users"}}}
	m, err := mapping.NewMapper(mapping.Options{Provider: p})
	require.NoError(t, err)
	input := strings.Join([]string{
		`{"sub":"1","preferred_username":"ann","email":"ann@example.com","groups":["staff","ops"]}`,
		`{"sub":"2","preferred_username":"ann","email":"ann2@example.com","groups":["staff"]}`,
		`{"sub":"3","preferred_username":"eve","email":"eve@evil-example.com","groups":["ops","x"]}`,
		`{"sub":"4","email":"nobody@example.com"}`,
		`{"sub":"5","preferred_username":"taken","email":"t@EXAMPLE.com"}`,
		``,
		`not json`,
	}, "\n")
	res, err := Run(context.Background(), strings.NewReader(input), &bytes.Buffer{}, Options{Mapper: m, Report: true, Existing: mapping.NameSet{"taken": {}}})
	require.NoError(t, err)
	r := res.Report
	require.NotNil(t, r)
	assert.Equal(t, int64(7), r.Lines)
	assert.Equal(t, int64(5), r.Users)
	assert.Equal(t, int64(1), r.Blank)
	assert.Equal(t, int64(1), r.Malformed)
	assert.Equal(t, map[string]int64{"username": 1}, r.MissingRequired)
	assert.Equal(t, ConflictCounts{Existing: 1, Input: 1, Renamed: 2}, r.Conflicts)
	assert.Equal(t, map[string]int64{"allowed": 3, "domain-not-allowed": 1, "no-username": 1}, r.Registration)
	assert.Equal(t, []Count{{Name: "evil-example.com", Count: 1}}, r.RejectedDomains.Top)
	assert.Equal(t, []Count{{Name: "ops", Count: 2}, {Name: "x", Count: 1}}, r.UnmappedGroups.Top)
	assert.Equal(t, []PermissionCount{{Sum: 768, Names: []string{"webdav-read", "webdav-manage"}, Users: 3}}, r.Permissions)
	assert.Equal(t, int64(3), r.Registrable)
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, strings.NewReader(githubLine(1, "a")+"\n"), &bytes.Buffer{}, Options{Mapper: githubMapper(t, "", nil)})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestSeen(t *testing.T) {
	s := NewSeen(0)
	defer s.Release()
	for i := range 100000 {
		s.Add(fmt.Sprintf("user%d", i))
	}
	for i := range 100000 {
		require.True(t, s.Has(fmt.Sprintf("user%d", i)))
	}
	false1 := 0
	for i := range 100000 {
		if s.Has(fmt.Sprintf("other%d", i)) {
			false1++
		}
	}
	assert.Zero(t, false1, "no false positives at this load")
	assert.False(t, s.Approximate())
}

// TestReportKeepsNames checks that names counted in a report survive the reuse of the input
// blocks the users' strings point into.
func TestReportKeepsNames(t *testing.T) {
	block := []byte("evil.org staff")
	r := newReport()
	u := &mapping.User{Registration: mapping.Registration{Code: mapping.RegDomainNotAllowed, Domain: unsafe.String(&block[0], 8)},
		Groups: mapping.Groups{Unmapped: []string{unsafe.String(&block[9], 5)}}}
	r.add(u)
	r.add(u) // counting a name again must not store the borrowed key in its place
	copy(block, "xxxxxxxxxxxxxx")
	r.finish()
	assert.Equal(t, []Count{{"evil.org", 2}}, r.RejectedDomains.Top)
	assert.Equal(t, []Count{{"staff", 2}}, r.UnmappedGroups.Top)
}
