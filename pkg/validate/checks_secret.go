package validate

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/ssoctl/ssoctl/pkg/config"
)

var (
	envNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })
	// shellRefRE matches $VAR and ${VAR}: users expect env expansion, but ssoctl would send the text
	// as the secret.
	shellRefRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$`) })
	// refTypoRE matches a reference prefix in the wrong case or with a space, e.g. "ENV:X", "env: X".
	refTypoRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^(env|file|keyring)\s*:\s*`) })
)

func (c *checker) checkSecret(i int, p *config.Provider) {
	s := p.ClientSecret
	segs := provSegs(i, "client_secret")
	switch s.Kind() {
	case config.SecretNone:
		return
	case config.SecretEnv:
		name := s.Ref()
		switch {
		case !envNameRE().MatchString(name):
			c.add(CodeSecretRefMalformed, segs, fmt.Sprintf("client_secret names the environment variable %q, which is not a valid variable name", name),
				"write env:NAME with letters, digits and _, e.g. env:"+envName(p.Name))
		default:
			if v, ok := c.opts.LookupEnv(name); !ok || v == "" {
				c.add(CodeSecretEnvUnset, segs, fmt.Sprintf("environment variable %s, which holds the client secret of provider %q, is not set", name, p.Name),
					fmt.Sprintf("export %s before running commands that log in or export; CI needs it as a secret", name))
			}
		}
	case config.SecretFile:
		path := s.Ref()
		if strings.TrimSpace(path) == "" {
			c.add(CodeSecretRefMalformed, segs, "client_secret is file: without a path", "write file:PATH, e.g. file:/run/secrets/"+strings.ToLower(envName(p.Name)))
			return
		}
		if _, err := c.opts.Stat(expandHome(path)); err != nil {
			c.add(CodeSecretFileMissing, segs, fmt.Sprintf("secret file %s of provider %q cannot be read: %v", path, p.Name, unwrapPath(err)),
				"create the file with the secret on its first line, or fix the path")
		}
	case config.SecretKeyring:
		service, user, ok := strings.Cut(s.Ref(), "/")
		if !ok || service == "" || user == "" {
			c.add(CodeSecretRefMalformed, segs, fmt.Sprintf("client_secret %q is not keyring:SERVICE/USER", s.Raw()),
				"write keyring:SERVICE/USER, e.g. keyring:ssoctl/"+p.Name)
		}
	case config.SecretLiteral:
		raw := s.Raw()
		if m := shellRefRE().FindStringSubmatch(raw); m != nil {
			c.add(CodeSecretRefMalformed, segs, fmt.Sprintf("client_secret %q looks like a shell variable, but ssoctl does not expand variables", raw),
				fmt.Sprintf("write client_secret: env:%s", m[1]))
			return
		}
		if m := refTypoRE().FindStringSubmatch(raw); m != nil {
			kind := strings.ToLower(m[1])
			c.add(CodeSecretRefMalformed, segs, fmt.Sprintf("client_secret starts like a %s reference but is read as a literal secret", kind),
				fmt.Sprintf("write %s:%s in lowercase with no space after the colon", kind, refTypoRE().ReplaceAllString(raw, "")))
			return
		}
		// The message never contains the value: findings end up in CI logs.
		c.add(CodeSecretLiteral, segs, fmt.Sprintf("the client secret of provider %q is written in the file", p.Name),
			fmt.Sprintf("move it out: client_secret: env:%s (or file:PATH, keyring:SERVICE/USER)", envName(p.Name)))
	}
}

// checkSecretsFile warns once when other users can read a file that holds a literal secret; it
// points at the first such secret.
func (c *checker) checkSecretsFile() {
	if !c.f.Exists || c.f.Mode&0o004 == 0 {
		return
	}
	for i, p := range c.cfg.Providers {
		if p.ClientSecret.Kind() != config.SecretLiteral || shellRefRE().MatchString(p.ClientSecret.Raw()) || refTypoRE().MatchString(p.ClientSecret.Raw()) {
			continue
		}
		name := c.opts.DisplayPath
		c.add(CodeSecretWorldReadable, provSegs(i, "client_secret"), fmt.Sprintf("%s is readable by every user of this machine (mode %04o) and holds a literal client secret", name, c.f.Mode.Perm()),
			fmt.Sprintf("run chmod 600 %s, and move the secret out of the file", name))
		return
	}
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
