package config

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/zalando/go-keyring"

	"github.com/ssoctl/ssoctl/pkg/readfile"
)

// Secret is a client secret as written in the file: a reference (env:NAME, file:PATH,
// keyring:SERVICE/USER) or, discouraged, the literal value. Its String and JSON forms never contain a
// literal value, so a Secret can be printed or dumped without leaking it.
type Secret string

// SecretKind says how a Secret is stored.
type SecretKind string

// Secret kinds.
const (
	SecretNone    SecretKind = ""
	SecretEnv     SecretKind = "env"
	SecretFile    SecretKind = "file"
	SecretKeyring SecretKind = "keyring"
	SecretLiteral SecretKind = "literal"
)

// Redacted is what output shows instead of a literal secret.
const Redacted = "***"

// Kind returns how the secret is stored.
func (s Secret) Kind() SecretKind {
	if s == "" {
		return SecretNone
	}
	for _, k := range []SecretKind{SecretEnv, SecretFile, SecretKeyring} {
		if strings.HasPrefix(string(s), string(k)+":") {
			return k
		}
	}
	return SecretLiteral
}

// Ref returns what follows the kind prefix: the variable name, path or SERVICE/USER.
func (s Secret) Ref() string {
	if k := s.Kind(); k != SecretLiteral && k != SecretNone {
		return strings.TrimPrefix(string(s), string(k)+":")
	}
	return ""
}

// String shows references as written and literal values as ***.
func (s Secret) String() string {
	if s.Kind() == SecretLiteral {
		return Redacted
	}
	return string(s)
}

// Raw returns the text as written in the file; callers print it only with --reveal.
func (s Secret) Raw() string { return string(s) }

// MarshalJSON redacts literal values, so JSON output built from a Provider is safe by default.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// ErrSecretUnset is returned (wrapped; test with errors.Is) when a secret reference points at nothing.
var ErrSecretUnset = errors.New("secret is not set")

// unsetError is a reference that leads to no value. Its message says where the value was looked for;
// errors.Is(err, ErrSecretUnset) holds without appending that sentinel's words to the message.
type unsetError struct{ msg string }

func (e *unsetError) Error() string        { return e.msg }
func (e *unsetError) Is(target error) bool { return target == ErrSecretUnset }

// SecretFileError is a file: reference whose file cannot be read, or is too large to be a secret.
type SecretFileError struct {
	Ref string
	Err error
}

func (e *SecretFileError) Error() string {
	return fmt.Sprintf("cannot read secret file %s: %v", e.Ref, e.Err)
}

func (e *SecretFileError) Unwrap() error { return e.Err }

// ExitCode makes an unreadable secret file unreadable input (exit 2).
func (e *SecretFileError) ExitCode() int { return 2 }

// Hint says what a secret file must be.
func (e *SecretFileError) Hint() string {
	return "the file: reference must name a regular file holding the client secret on one line"
}

// SecretEnvLookup looks up an environment variable; tests replace os.LookupEnv with their own.
type SecretEnvLookup func(string) (string, bool)

// Resolve returns the secret's value. It reads the environment, a file or the system keyring only
// now, when a command needs the value. Errors name the reference, never a value.
func (s Secret) Resolve(lookupEnv SecretEnvLookup) (string, error) {
	return s.ResolveContext(context.Background(), lookupEnv)
}

// ResolveContext is Resolve, stopping when ctx ends: a file: reference may name a named pipe that
// nobody writes to. A secret file is read through readfile.Secret, so file:/dev/zero is cut off at
// its limit instead of filling the memory.
func (s Secret) ResolveContext(ctx context.Context, lookupEnv SecretEnvLookup) (string, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	switch s.Kind() {
	case SecretNone:
		return "", ErrSecretUnset
	case SecretEnv:
		v, ok := lookupEnv(s.Ref())
		switch {
		case s.Ref() == "":
			return "", &unsetError{fmt.Sprintf("the secret reference %q names no environment variable", string(s))}
		case !ok:
			return "", &unsetError{fmt.Sprintf("environment variable %s is not set", s.Ref())}
		case v == "":
			return "", &unsetError{fmt.Sprintf("environment variable %s is empty", s.Ref())}
		}
		return v, nil
	case SecretFile:
		if s.Ref() == "" {
			return "", &unsetError{fmt.Sprintf("the secret reference %q names no file", string(s))}
		}
		b, err := readfile.File(ctx, expandHome(s.Ref()), readfile.Secret)
		if err != nil {
			if ctx.Err() != nil {
				return "", err
			}
			if readfile.IsTooLarge(err) {
				return "", &SecretFileError{Ref: s.Ref(), Err: fmt.Errorf("it is larger than the %s a secret file may be", readfile.HumanSize(readfile.Secret.Limit))}
			}
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the message names the file already
			}
			return "", &SecretFileError{Ref: s.Ref(), Err: err}
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return "", &unsetError{fmt.Sprintf("secret file %s is empty", s.Ref())}
		}
		return v, nil
	case SecretKeyring:
		service, user, ok := strings.Cut(s.Ref(), "/")
		if !ok || service == "" || user == "" {
			return "", fmt.Errorf("keyring reference %q must be keyring:SERVICE/USER", string(s))
		}
		v, err := keyring.Get(service, user)
		if err != nil {
			return "", fmt.Errorf("read keyring entry %s/%s: %w", service, user, err)
		}
		return v, nil
	default:
		return string(s), nil
	}
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return home + "/" + rest
		}
	}
	return p
}
