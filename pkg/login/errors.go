package login

import (
	"fmt"
	"strings"
	"time"

	"github.com/ssoctl/ssoctl/pkg/config"
)

// Error is a login that failed: the step it failed in, for verification failures the check that
// failed with the expected and the actual value, and a hint. Its exit code is 1.
type Error struct {
	// Step is the step that failed: discovery, jwks, callback, code exchange, id token, userinfo, ...
	Step string `json:"step"`
	// Check names the failed check within the step (signature, iss, aud, azp, exp, iat, nonce,
	// at_hash, sub, state, iss parameter, ...); "" when the step failed otherwise.
	Check string `json:"check,omitempty"`
	// Expected and Actual are the values the check compared, when it compared values.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	// Message is the sentence the user sees.
	Message string `json:"message"`
	// HintText says what to do about it.
	HintText string `json:"hint,omitempty"`
	// Err is the underlying cause.
	Err error `json:"-"`
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Hint implements the command layer's Hinter.
func (e *Error) Hint() string { return e.HintText }

// ExitCode is 1: the login failed a check.
func (e *Error) ExitCode() int { return 1 }

// checkError builds the error of a failed comparison.
func checkError(step, check, expected, actual, msg, hint string) *Error {
	return &Error{Step: step, Check: check, Expected: expected, Actual: actual, Message: msg, HintText: hint}
}

// UnsupportedTypeError is a provider type whose login flow a build cannot run.
//
// Deprecated: every provider type has a flow now and Run no longer returns it (an unknown type is
// an *Error naming the unknown kind); it stays so that callers matching on it still compile.
type UnsupportedTypeError struct{ Type string }

func (e *UnsupportedTypeError) Error() string {
	return fmt.Sprintf("test-login for type %s is not supported yet", e.Type)
}

// Hint says what works today.
func (e *UnsupportedTypeError) Hint() string {
	return "test-login runs logins for the types " + strings.Join(config.ProviderTypes, ", ")
}

// ExitCode is 1.
func (e *UnsupportedTypeError) ExitCode() int { return 1 }

// TimeoutError is a login that ran out of time (--timeout) in a step.
type TimeoutError struct {
	Step    string
	Timeout time.Duration
	// Ignored, for the callback step, says which requests to the callback the listener ignored for
	// a wrong or missing state ("ignored 1 request to the callback with a wrong state"), or "".
	Ignored string
}

func (e *TimeoutError) Error() string {
	if e.Step == "callback" && e.Ignored != "" {
		return fmt.Sprintf("no callback with this login's state arrived within the timeout of %s (%s)", e.Timeout, e.Ignored)
	}
	if e.Step == "callback" {
		return fmt.Sprintf("no callback arrived within the timeout of %s", e.Timeout)
	}
	return fmt.Sprintf("%s: the identity provider did not answer within the timeout of %s", e.Step, e.Timeout)
}

// Hint names the likely cause.
func (e *TimeoutError) Hint() string {
	if e.Step == "callback" && e.Ignored != "" {
		return "a request came back to the callback with another login's state (an older tab, a second test-login, or a forgery) and was ignored; " +
			"finish the login in the tab this test-login opened, or run test-login again and use the newest tab"
	}
	if e.Step == "callback" {
		return "the likely cause is an unknown client_id or a redirect URL the provider does not have registered: " +
			"the provider then shows an error page in the browser and never calls back; look at the browser tab, " +
			"register the redirect URL ssoctl printed, or raise --timeout if the login just took long"
	}
	return "the provider accepted the connection but never answered; check that it is healthy, or raise --timeout"
}

// ExitCode is 1.
func (e *TimeoutError) ExitCode() int { return 1 }

// issuerHint explains an issuer mismatch, the most common OIDC misconfiguration.
func issuerHint(expected, actual string) string {
	switch {
	case strings.TrimSuffix(expected, "/") == strings.TrimSuffix(actual, "/"):
		return fmt.Sprintf("the two differ only in a trailing slash, and issuers are compared exactly: set issuer to %q", actual)
	case strings.EqualFold(expected, actual):
		return fmt.Sprintf("the two differ only in letter case, and issuers are compared exactly: set issuer to %q", actual)
	case strings.HasPrefix(expected, "http://") && "https://"+strings.TrimPrefix(expected, "http://") == actual,
		strings.HasPrefix(expected, "https://") && "http://"+strings.TrimPrefix(expected, "https://") == actual:
		return fmt.Sprintf("the scheme differs; a proxy in front of the provider may hide TLS from it: set issuer to %q or fix the provider's external URL", actual)
	}
	return fmt.Sprintf("set issuer to the provider's own issuer %q, or check that the provider's external URL setting matches the URL you use", actual)
}

const clockHint = "the clocks of this machine and the identity provider disagree; check both (timedatectl, NTP)"
