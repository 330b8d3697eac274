package login

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// LastFileName is the file in the state directory that keeps the last login's report, for
// `ssoctl map eval --last`.
const LastFileName = "last-login.json"

// LastPath is where the last login's report is kept under stateDir (config.StateDir).
func LastPath(stateDir string) string { return filepath.Join(stateDir, LastFileName) }

// SaveLast stores the report as the last login, without tokens (whatever Reveal said), readable by
// the user only, replacing the previous one atomically.
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
	return config.WriteFileAtomic(LastPath(stateDir), append(b, '\n'), 0o600)
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
		return nil, fmt.Errorf("read %s: %w", LastPath(stateDir), err)
	}
	return &rep, nil
}
