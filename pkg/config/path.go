package config

import (
	"os"
	"path/filepath"
)

// DefaultFileName is the project-local config file looked for in the working directory.
const DefaultFileName = "ssoctl.yaml"

// EnvConfig names the environment variable that points at the config file.
const EnvConfig = "SSOCTL_CONFIG"

// PathSource says why a config path was chosen.
type PathSource string

// Path sources, in resolution order.
const (
	SourceFlag    PathSource = "--config"
	SourceEnv     PathSource = "$" + EnvConfig
	SourceWorkdir PathSource = "./" + DefaultFileName
	SourceXDG     PathSource = "user config dir"
)

// Env is the part of the environment path resolution reads; tests pass their own.
type Env struct {
	Getenv func(string) string
	Getwd  func() (string, error)
	Stat   func(string) (os.FileInfo, error)
}

// OSEnv is the process environment.
var OSEnv = Env{Getenv: os.Getenv, Getwd: os.Getwd, Stat: os.Stat}

// ResolvePath picks the config file: --config, else $SSOCTL_CONFIG, else ./ssoctl.yaml if it exists,
// else $XDG_CONFIG_HOME/ssoctl/config.yaml (~/.config when XDG_CONFIG_HOME is unset).
func ResolvePath(flag string, env Env) (string, PathSource) {
	if flag != "" {
		return flag, SourceFlag
	}
	if p := env.Getenv(EnvConfig); p != "" {
		return p, SourceEnv
	}
	if wd, err := env.Getwd(); err == nil {
		p := filepath.Join(wd, DefaultFileName)
		if fi, err := env.Stat(p); err == nil && !fi.IsDir() {
			return DefaultFileName, SourceWorkdir
		}
	}
	return filepath.Join(configHome(env), "ssoctl", "config.yaml"), SourceXDG
}

func configHome(env Env) string {
	if d := env.Getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return d
	}
	if home := env.Getenv("HOME"); home != "" {
		return filepath.Join(home, ".config")
	}
	if d, err := os.UserConfigDir(); err == nil {
		return d
	}
	return "."
}

// StateDir is where ssoctl keeps state between runs, such as the last test-login result:
// $XDG_STATE_HOME/ssoctl (~/.local/state/ssoctl when unset).
func StateDir(env Env) string {
	if d := env.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "ssoctl")
	}
	if home := env.Getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "ssoctl")
	}
	return filepath.Join(os.TempDir(), "ssoctl-state")
}
