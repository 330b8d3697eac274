// Package shared holds what the provider commands share: loading a config that may not exist yet,
// finding a provider by name, name rules and completion of names.
package shared

import (
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/ssoctl/ssoctl/pkg/cmdutil"
	"github.com/ssoctl/ssoctl/pkg/config"
)

// nameRE is the rule for provider names (SPEC "Config file").
var nameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`) })

// CheckName refuses names the config file does not allow.
func CheckName(name string) error {
	if !nameRE().MatchString(name) {
		return cmdutil.FlagErrorf("invalid provider name %q: use lowercase letters, digits, - and _, starting with a letter or digit", name)
	}
	return nil
}

// Load returns the config file and its decoded content. A file that does not exist yet reads as
// empty (File.Exists is false), since "no file" and "no providers" mean the same to these commands.
func Load(load func() (*config.File, error), path string) (*config.File, *config.Config, error) {
	f, err := load()
	if err != nil {
		var re *config.ReadError
		if errors.As(err, &re) && errors.Is(re.Err, fs.ErrNotExist) {
			return &config.File{Path: path, RealPath: path}, &config.Config{}, nil
		}
		return nil, nil, err
	}
	cfg, err := f.Decoded()
	if err != nil {
		return nil, nil, err
	}
	if cfg == nil {
		cfg = &config.Config{}
	}
	return f, cfg, nil
}

// Find returns the named provider of cfg, or a *config.ProviderNotFoundError (exit 1, with a
// did-you-mean hint) — the same error the config package's edits return.
func Find(f *config.File, cfg *config.Config, name string) (*config.Provider, error) {
	if p, ok := cfg.Provider(name); ok {
		return p, nil
	}
	return nil, &config.ProviderNotFoundError{Name: name, Path: f.Path, Names: cfg.ProviderNames()}
}

// CompleteNames completes the first argument with the configured providers' names.
func CompleteNames(f *cmdutil.Factory) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 || f.Config == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		file, err := f.Config()
		if err != nil || file.Config == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out, seen []string
		for _, p := range file.Config.Providers {
			if strings.HasPrefix(p.Name, toComplete) && !slices.Contains(seen, p.Name) {
				seen = append(seen, p.Name)
				out = append(out, p.Name+"\t"+p.Type)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
