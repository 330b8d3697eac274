package eval

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/mapping"
	"github.com/ssoctl/ssoctl/pkg/readfile"
)

const existingHint = "give the JSON of AList's GET /api/admin/user/list, a CSV of username,sso_id, or one username per line"

// existingKind bounds --existing: a user list of a million accounts is tens of MiB; /dev/urandom
// must not be read until memory runs out.
var existingKind = readfile.Kind{Name: "--existing file", Limit: 256 << 20, Hint: existingHint}

// maxNameLine is the longest line of a username list: a line longer than this is not a username,
// and the file is not the list it should be.
const maxNameLine = 1 << 20

// readExisting reads --existing: the app's accounts, in one of three shapes, told apart by their
// first character:
//   - JSON as AList's and OpenList's GET /api/admin/user/list answers it
//     ({"code":200,"data":{"content":[{"username":..., "sso_id":...}]}}), or just its data or its
//     content array;
//   - CSV with the columns username,sso_id (a header line naming them is optional);
//   - one username per line, without SSO ids (blank lines and # comments skipped).
func readExisting(ctx context.Context, path string) (*mapping.AccountSet, error) {
	data, err := readfile.File(ctx, path, existingKind)
	if readfile.IsTooLarge(err) || errors.Is(err, context.Canceled) {
		return nil, err
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, cmdutil.InputErrorf(existingHint, "cannot read --existing %s: %v", path, err)
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		return existingJSON(path, trimmed)
	case isCSV(trimmed):
		return existingCSV(path, trimmed)
	}
	acc := mapping.NewAccountSet()
	for i, line := range strings.Split(string(data), "\n") {
		if len(line) > maxNameLine {
			return nil, cmdutil.InputErrorf(existingHint, "line %d of --existing %s is longer than 1 MiB, which no username is: the file is not a list of usernames", i+1, path)
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		acc.AddAccount(line, "")
	}
	return acc, nil
}

// isCSV reports whether the first line that is not a comment has a comma: usernames have none.
func isCSV(data []byte) bool {
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return strings.Contains(line, ",")
	}
	return false
}

// userListItem is one user of AList's user list (internal/model/user.go: json "username",
// "sso_id", AList v3.63.0 and OpenList v4.2.5).
type userListItem struct {
	Username *string `json:"username"`
	SSOID    string  `json:"sso_id"`
	Disabled bool    `json:"disabled"`
}

func existingJSON(path string, data []byte) (*mapping.AccountSet, error) {
	var items []userListItem
	if data[0] == '[' {
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, cmdutil.InputErrorf(existingHint, "cannot read --existing %s as a list of users: %v", path, err)
		}
	} else {
		var doc struct {
			Code    *int            `json:"code"`
			Message string          `json:"message"`
			Data    json.RawMessage `json:"data"`
			Content []userListItem  `json:"content"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, cmdutil.InputErrorf(existingHint, "cannot read --existing %s as JSON: %v", path, err)
		}
		if doc.Code != nil && *doc.Code != 200 {
			return nil, cmdutil.InputErrorf("save the answer of a request with an admin token", "--existing %s is an error answer (code %d: %s), not a user list", path, *doc.Code, doc.Message)
		}
		items = doc.Content
		if len(doc.Data) > 0 {
			var inner struct {
				Content []userListItem `json:"content"`
			}
			if err := json.Unmarshal(doc.Data, &inner); err != nil {
				return nil, cmdutil.InputErrorf(existingHint, "cannot read data.content of --existing %s: %v", path, err)
			}
			items = inner.Content
		}
	}
	acc := mapping.NewAccountSet()
	for i, it := range items {
		if it.Username == nil || *it.Username == "" {
			return nil, cmdutil.InputErrorf(existingHint, "user %d of --existing %s has no username", i+1, path)
		}
		acc.AddAccount(*it.Username, it.SSOID)
		if it.Disabled {
			acc.Disable(*it.Username)
		}
	}
	return acc, nil
}

func existingCSV(path string, data []byte) (*mapping.AccountSet, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	acc := mapping.NewAccountSet()
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, cmdutil.InputErrorf(existingHint, "cannot read --existing %s as CSV: %v", path, err)
		}
		if first {
			first = false
			if len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "username") {
				continue
			}
		}
		if len(rec) == 0 || strings.TrimSpace(rec[0]) == "" {
			line, _ := r.FieldPos(0)
			return nil, cmdutil.InputErrorf(existingHint, "line %d of --existing %s has no username", line, path)
		}
		if len(rec) > 2 {
			line, _ := r.FieldPos(0)
			return nil, cmdutil.InputErrorf(existingHint, "line %d of --existing %s has %d columns; the CSV has two, username,sso_id", line, path, len(rec))
		}
		sso := ""
		if len(rec) == 2 {
			sso = strings.TrimSpace(rec[1])
		}
		acc.AddAccount(strings.TrimSpace(rec[0]), sso)
	}
	return acc, nil
}
