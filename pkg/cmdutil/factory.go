// Package cmdutil holds what every command shares: the Factory of dependencies, errors that carry exit
// codes and hints, flag helpers and output helpers.
package cmdutil

import (
	"context"
	"net/http"
	"time"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
)

// GlobalFlags are the root command's persistent flags.
type GlobalFlags struct {
	ConfigPath string
	CAFile     string
	NoColor    bool
}

// Browser opens a URL in the user's browser.
type Browser interface {
	Browse(url string) error
}

// Factory builds the dependencies commands need, lazily, so that a command that needs no config or
// network does not pay for them. Real adapters are built only in pkg/cmd/factory; tests fill a
// Factory by hand.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Global    *GlobalFlags

	// ConfigPath returns the config file in use and why it was chosen.
	ConfigPath func() (string, config.PathSource)
	// Config loads the config file (once).
	Config func() (*config.File, error)
	// HttpClient returns a client that trusts --ca-file in addition to the system roots.
	HttpClient func() (*http.Client, error)
	// Browser opens URLs: $BROWSER when set, else the system's browser.
	Browser Browser
	// Now is the clock.
	Now func() time.Time
	// LookupEnv reads the environment (secret references, $BROWSER).
	LookupEnv func(string) (string, bool)

	// ctx is the running command's context, which root sets before the command runs.
	ctx context.Context
}

// SetContext records the running command's context (root does, before the command runs), so that
// the lazy dependencies that read files (Config, HttpClient's --ca-file) stop when Ctrl-C cancels
// it: a named pipe given as --config blocks until someone writes to it.
func (f *Factory) SetContext(ctx context.Context) { f.ctx = ctx }

// Context returns the running command's context, or context.Background before one runs.
func (f *Factory) Context() context.Context {
	if f.ctx == nil {
		return context.Background()
	}
	return f.ctx
}
