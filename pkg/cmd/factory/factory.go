// Package factory builds the real dependencies of ssoctl's commands. It is the only place that knows
// about concrete adapters (HTTP transport, browser launcher, clock).
package factory

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/iostreams"
	"github.com/ssoctl/ssoctl/pkg/readfile"
)

// New returns a Factory wired to the process's environment.
func New() *cmdutil.Factory {
	f := &cmdutil.Factory{
		IOStreams: iostreams.System(),
		Global:    &cmdutil.GlobalFlags{},
		Now:       time.Now,
		LookupEnv: os.LookupEnv,
	}
	f.ConfigPath = func() (string, config.PathSource) {
		return config.ResolvePath(f.Global.ConfigPath, config.OSEnv)
	}
	f.Config = sync.OnceValues(func() (*config.File, error) {
		path, _ := f.ConfigPath()
		cf, err := config.LoadContext(f.Context(), path)
		if err != nil {
			return nil, err
		}
		return cf, cf.CheckVersion()
	})
	f.HttpClient = func() (*http.Client, error) { return httpClient(f.Context(), f.Global.CAFile) }
	f.Browser = &systemBrowser{f: f}
	return f
}

// httpClient trusts the system roots plus the --ca-file bundle, for identity providers behind a
// private CA.
func httpClient(ctx context.Context, caFile string) (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if caFile != "" {
		pem, err := readfile.File(ctx, caFile, readfile.CA)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			if readfile.IsTooLarge(err) {
				return nil, cmdutil.InputErrorf(readfile.CA.Hint, "cannot read --ca-file %s: it is larger than the %s a CA file may be", caFile, readfile.HumanSize(readfile.CA.Limit))
			}
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the message names the file already
			}
			return nil, cmdutil.InputErrorf(readfile.CA.Hint, "cannot read --ca-file %s: %v", caFile, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, cmdutil.InputErrorf("the file must hold one or more \"-----BEGIN CERTIFICATE-----\" blocks", "--ca-file %s holds no PEM certificate", caFile)
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: t, Timeout: 60 * time.Second}, nil
}
