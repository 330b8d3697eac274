package loopback

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// PortInUseError is a callback port another program holds.
type PortInUseError struct {
	Port string
	Err  error
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %s is in use; use --listen 127.0.0.1:0", e.Port)
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// Hint says how to get a free port.
func (e *PortInUseError) Hint() string {
	return "another program (or an earlier test-login) listens there; stop it, or pick a free port with --listen 127.0.0.1:0 and register that callback URL at the provider"
}

// ExitCode is 1: the login could not run here (a usage error would be 2).
func (e *PortInUseError) ExitCode() int { return 1 }

// NotLoopbackError is a listen address or redirect URL the listener refuses.
type NotLoopbackError struct {
	Value  string
	What   string
	Reason string
	// Port says the value's port is what is wrong.
	Port bool
}

func (e *NotLoopbackError) Error() string {
	return fmt.Sprintf("cannot use %s %q: %s", e.What, e.Value, e.Reason)
}

// Hint names an address that works.
func (e *NotLoopbackError) Hint() string {
	if e.What == "redirect URL" && e.Port {
		return "give the redirect URL a port from 1 to 65535, such as http://127.0.0.1:8000/callback, or none for a free one"
	}
	if e.What == "redirect URL" {
		return "a loopback redirect URL uses http, such as http://127.0.0.1/callback: providers allow plain http on loopback addresses (RFC 8252 §8.3)"
	}
	return "use --listen 127.0.0.1:PORT (or [::1]:PORT); port 0 picks a free one"
}

// ExitCode is 2: a usage error.
func (e *NotLoopbackError) ExitCode() int { return 2 }

// StateError is a callback whose state parameter is missing or not the one sent. Its code, if any, is
// dropped: redeeming it could log the user in to an attacker's session (login CSRF).
type StateError struct {
	Got     string
	Missing bool
}

func (e *StateError) Error() string {
	return "callback state check failed: " + e.Reason() + "; the code was not redeemed"
}

// Reason says what was wrong with the state: "the callback has no state parameter" or "expected the
// state ssoctl sent, got "x"".
func (e *StateError) Reason() string {
	if e.Missing {
		return "the callback has no state parameter"
	}
	return fmt.Sprintf("expected the state ssoctl sent, got %q", truncate(e.Got, 64))
}

// Hint explains the usual causes.
func (e *StateError) Hint() string {
	return "the callback belongs to another login (an old browser tab, a second test-login) or was forged; run test-login again and use the newest tab"
}

// ExitCode is 1: the login failed a check.
func (e *StateError) ExitCode() int { return 1 }

// AuthError is an error response from the authorization endpoint (RFC 6749 §4.1.2.1).
type AuthError struct {
	Code        string
	Description string
	URI         string
	Iss         string
}

func (e *AuthError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the identity provider refused the login: %s", e.Code)
	if e.Description != "" {
		fmt.Fprintf(&b, " (%s)", truncate(e.Description, 300))
	}
	return b.String()
}

// Hint diagnoses the common error codes.
func (e *AuthError) Hint() string {
	switch e.Code {
	case "access_denied":
		return "the user (or a policy at the provider) declined; log in with a user allowed to use this application and approve the consent screen"
	case "login_required", "interaction_required", "consent_required", "account_selection_required":
		return "the provider needs the user to interact; do not send prompt=none, or log in at the provider first"
	case "invalid_scope":
		return "a requested scope is unknown to the provider or not allowed for this client; check scopes against the provider's scopes_supported"
	case "unauthorized_client":
		return "this client may not use the authorization code flow; enable it in the application's settings at the provider"
	case "unsupported_response_type":
		return "the provider does not allow response_type=code for this client"
	case "invalid_request":
		return "the provider rejected the request's parameters (a missing PKCE challenge, a wrong redirect_uri); read the description above"
	case "redirect_uri_mismatch", "invalid_redirect_uri":
		return "register the exact redirect URL ssoctl printed at the provider, or pass the registered one with --redirect-url"
	case "temporarily_unavailable", "server_error":
		return "the provider had a problem of its own; try again later"
	}
	if e.URI != "" {
		return "see " + e.URI
	}
	return ""
}

// ExitCode is 1: the login failed.
func (e *AuthError) ExitCode() int { return 1 }

// MalformedError is a callback that is not an authorization response.
type MalformedError struct{ Reason string }

func (e *MalformedError) Error() string {
	return "the callback is not an authorization response: " + e.Reason
}

// Hint says what to paste.
func (e *MalformedError) Hint() string {
	return "paste the whole URL the browser ended on, from http:// to the end"
}

// ExitCode is 1: the login failed.
func (e *MalformedError) ExitCode() int { return 1 }

// truncate keeps the first n bytes of s, cut back to a whole character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
