package login

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LastFileName is the file in the state directory that keeps the last login's report, for
// `ssoctl map eval --last`.
const LastFileName = "last-login.json"

// LastPath is where the last login's report is kept under stateDir (config.StateDir).
func LastPath(stateDir string) string { return filepath.Join(stateDir, LastFileName) }

// SaveLast stores the report as the last login, without tokens (whatever Reveal said), readable by
// the user only, replacing the previous one atomically: a reader sees the old report or the new one,
// never a part.
//
// It is not synced to disk: the file is a cache for "map eval --last" that the next test-login
// rewrites, and an fsync (renameio's, config.WriteFileAtomic) cost every test-login 2 to 30 ms of
// waiting for the disk after the login had finished, measured on a loaded machine: most of the
// difference between a whole test-login process and a bare x/oauth2 + go-oidc client's
// (scripts/bench-login.sh).
func SaveLast(stateDir string, rep *Report) error {
	cp := *rep
	cp.Tokens = nil
	b, err := json.MarshalIndent(&cp, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return fmt.Errorf("create state directory: %w", err)
	}
	return replaceFile(LastPath(stateDir), append(b, '\n'))
}

// replaceFile writes data to a new file beside path, mode 0600, and renames it over path.
func replaceFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	// CreateTemp makes the file 0600 already; the rename replaces path with it.
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return nil
}

// ErrNoLastLogin is returned by LoadLast when no login has been saved yet.
var ErrNoLastLogin = errors.New("no test-login result has been saved yet")

// LoadLast reads the last login's report.
func LoadLast(stateDir string) (*Report, error) {
	b, err := os.ReadFile(LastPath(stateDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoLastLogin
	}
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, lastFormatError(LastPath(stateDir), err)
	}
	return &rep, nil
}

// lastFormatError says in the user's terms what is wrong with a saved result that does not decode:
// encoding/json's own words name Go types ("cannot unmarshal array into Go value of type
// login.Report").
func lastFormatError(path string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te) && te.Field == "":
		return fmt.Errorf("%s holds a JSON %s, not the JSON object test-login saves", path, te.Value)
	case errors.As(err, &te):
		return fmt.Errorf("%s is not a result test-login saved: its %q is a JSON %s, which test-login never writes there", path, te.Field, te.Value)
	case errors.As(err, &se):
		return fmt.Errorf("%s is not valid JSON (at byte %d: %v)", path, se.Offset, se)
	}
	return fmt.Errorf("%s is not a result test-login saved: %v", path, err)
}
