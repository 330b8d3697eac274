package mapping

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// UserFields are the JSON field names of a User, in output order; tests pin them.
var UserFields = []string{
	"provider", "providerType", "app", "mappingType", "ok",
	"id", "username", "email", "emailVerified", "nickname", "phone", "description",
	"roles", "groups", "permission", "registration", "rights", "login", "usernameDerivation", "sources",
	"rules", "warnings", "errors", "notes",
}

// sourceOrder is the order of User.Sources in JSON: fields first, then the rest sorted.
var sourceOrder = []string{"id", "username", "email", "emailVerified", "nickname", "phone", "description", "roles", "groups", "permission"}

// LineFields are the JSON field names of a line of bulk output, in order; tests pin them.
var LineFields = []string{
	"line", "ok", "id", "username", "email", "emailVerified", "nickname", "phone", "description",
	"groups", "registration", "login", "usernameDerivation", "warnings", "errors",
}

// AppendLine appends u as one line of NDJSON output (no newline): "line", the input line number
// (left out when 0), and what differs from user to user. What is the same for every line of a bulk
// run is left out: provider, app, mapping type, roles, permission, the groups claim, the
// registration reason and default dir, how usernames are derived, sources, rules and notes; `map
// eval -o json` on one document shows them. groups has idp, app, unmapped and removed;
// registration has allowed, code and domain; usernameDerivation has raw, base and conflict.
func (u *User) AppendLine(b []byte, line int64) []byte {
	b = append(b, '{')
	if line > 0 {
		b = append(b, `"line":`...)
		b = strconv.AppendInt(b, line, 10)
		b = append(b, ',')
	}
	b = append(b, `"ok":`...)
	b = strconv.AppendBool(b, u.OK)
	b = u.appendValues(b)
	g := u.Groups
	b = append(b, `,"groups":{"idp":`...)
	b = appendStrings(b, g.IdP)
	b = append(b, `,"app":`...)
	b = appendStrings(b, g.App)
	b = append(b, `,"unmapped":`...)
	b = appendStrings(b, g.Unmapped)
	b = append(b, `,"removed":`...)
	if g.Removed == nil {
		b = append(b, "null"...)
	} else {
		b = appendStrings(b, g.Removed)
	}
	r := u.Registration
	b = append(b, `},"registration":{"allowed":`...)
	b = strconv.AppendBool(b, r.Allowed)
	b = append(b, `,"code":`...)
	b = appendString(b, r.Code)
	b = append(b, `,"domain":`...)
	b = appendString(b, r.Domain)
	b = append(b, `},"login":`...)
	b = appendLogin(b, u.Login)
	n := u.UsernameInfo
	b = append(b, `,"usernameDerivation":{"raw":`...)
	b = appendString(b, n.Raw)
	b = append(b, `,"base":`...)
	b = appendString(b, n.Base)
	b = append(b, `,"conflict":`...)
	b = appendConflict(b, n.Conflict)
	b = append(b, `},"warnings":`...)
	b = appendWarnings(b, u.Warnings)
	b = append(b, `,"errors":`...)
	b = appendWarnings(b, u.Errors)
	return append(b, '}')
}

// appendValues writes the mapped values from id to description, each after a comma.
func (u *User) appendValues(b []byte) []byte {
	b = append(b, `,"id":`...)
	b = appendString(b, u.ID)
	b = append(b, `,"username":`...)
	b = appendString(b, u.Username)
	b = append(b, `,"email":`...)
	b = appendString(b, u.Email)
	b = append(b, `,"emailVerified":`...)
	if u.EmailVerified == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendBool(b, *u.EmailVerified)
	}
	b = append(b, `,"nickname":`...)
	b = appendString(b, u.Nickname)
	b = append(b, `,"phone":`...)
	b = appendString(b, u.Phone)
	b = append(b, `,"description":`...)
	return appendString(b, u.Description)
}

func appendLogin(b []byte, l *Login) []byte {
	if l == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"outcome":`...)
	b = appendString(b, l.Outcome)
	b = append(b, `,"username":`...)
	b = appendString(b, l.Username)
	b = append(b, `,"message":`...)
	b = appendString(b, l.Message)
	b = append(b, `,"reason":`...)
	b = appendString(b, l.Reason)
	return append(b, '}')
}

func appendRights(b []byte, r *Rights) []byte {
	if r == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"model":`...)
	b = appendString(b, r.Model)
	b = append(b, `,"sum":`...)
	b = strconv.AppendInt(b, r.Sum, 10)
	b = append(b, `,"names":`...)
	b = appendStrings(b, r.Names)
	b = append(b, `,"path":`...)
	b = appendString(b, r.Path)
	b = append(b, `,"role":`...)
	if r.Role == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, int64(r.Role.ID), 10)
		b = append(b, `,"name":`...)
		b = appendString(b, r.Role.Name)
		b = append(b, '}')
	}
	b = append(b, `,"stored":`...)
	b = strconv.AppendInt(b, r.Stored, 10)
	b = append(b, `,"canRead":`...)
	b = strconv.AppendBool(b, r.CanRead)
	b = append(b, `,"source":`...)
	b = appendString(b, r.Source)
	return append(b, '}')
}

func appendConflict(b []byte, c *Conflict) []byte {
	if c == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"taken":`...)
	b = appendString(b, c.Taken)
	b = append(b, `,"with":`...)
	b = appendString(b, c.With)
	b = append(b, `,"policy":`...)
	b = appendString(b, c.Policy)
	b = append(b, `,"resolved":`...)
	b = strconv.AppendBool(b, c.Resolved)
	return append(b, '}')
}

// AppendJSON appends u as compact JSON (no newline): the document `map eval -o json` prints. It is
// written by hand, as is AppendLine, because bulk evaluation writes hundreds of thousands of users
// a second and encoding/json would cost more than the mapping.
func (u *User) AppendJSON(b []byte) []byte {
	b = append(b, `{"provider":`...)
	b = appendString(b, u.Provider)
	b = append(b, `,"providerType":`...)
	b = appendString(b, u.ProviderType)
	b = append(b, `,"app":`...)
	b = appendString(b, u.App)
	b = append(b, `,"mappingType":`...)
	b = appendString(b, u.MappingType)
	b = append(b, `,"ok":`...)
	b = strconv.AppendBool(b, u.OK)
	b = u.appendValues(b)
	b = append(b, `,"roles":`...)
	b = appendStrings(b, u.Roles)

	g := u.Groups
	b = append(b, `,"groups":{"claim":`...)
	b = appendString(b, g.Claim)
	b = append(b, `,"source":`...)
	if g.Source == nil {
		b = append(b, "null"...)
	} else {
		b = appendSource(b, *g.Source)
	}
	b = append(b, `,"idp":`...)
	b = appendStrings(b, g.IdP)
	b = append(b, `,"app":`...)
	b = appendStrings(b, g.App)
	b = append(b, `,"unmapped":`...)
	b = appendStrings(b, g.Unmapped)
	b = append(b, `,"removed":`...)
	if g.Removed == nil {
		b = append(b, "null"...)
	} else {
		b = appendStrings(b, g.Removed)
	}

	p := u.Permission
	b = append(b, `},"permission":{"scheme":`...)
	b = appendString(b, p.Scheme)
	b = append(b, `,"sum":`...)
	b = strconv.AppendInt(b, p.Sum, 10)
	b = append(b, `,"names":`...)
	b = appendStrings(b, p.Names)

	r := u.Registration
	b = append(b, `},"registration":{"allowed":`...)
	b = strconv.AppendBool(b, r.Allowed)
	b = append(b, `,"code":`...)
	b = appendString(b, r.Code)
	b = append(b, `,"reason":`...)
	b = appendString(b, r.Reason)
	b = append(b, `,"domain":`...)
	b = appendString(b, r.Domain)
	b = append(b, `,"defaultDir":`...)
	b = appendString(b, r.DefaultDir)
	b = append(b, `},"rights":`...)
	b = appendRights(b, u.Rights)
	b = append(b, `,"login":`...)
	b = appendLogin(b, u.Login)

	n := u.UsernameInfo
	b = append(b, `,"usernameDerivation":{"from":`...)
	b = appendString(b, n.From)
	b = append(b, `,"raw":`...)
	b = appendString(b, n.Raw)
	b = append(b, `,"normalize":`...)
	b = appendString(b, n.Normalize)
	b = append(b, `,"base":`...)
	b = appendString(b, n.Base)
	b = append(b, `,"onConflict":`...)
	b = appendString(b, n.OnConflict)
	b = append(b, `,"conflict":`...)
	b = appendConflict(b, n.Conflict)

	b = append(b, `},"sources":`...)
	b = appendSources(b, u.Sources)
	b = append(b, `,"rules":`...)
	if u.Rules == nil {
		b = append(b, "[]"...)
	} else {
		b = appendAny(b, u.Rules)
	}
	b = append(b, `,"warnings":`...)
	b = appendWarnings(b, u.Warnings)
	b = append(b, `,"errors":`...)
	b = appendWarnings(b, u.Errors)
	b = append(b, `,"notes":`...)
	b = appendStrings(b, u.Notes)
	return append(b, '}')
}

// appendSources writes the sources as an object; setSource keeps them in field order.
func appendSources(b []byte, s Sources) []byte {
	b = append(b, '{')
	for i, fs := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFieldSource(b, fs.Field, fs.Source)
	}
	return append(b, '}')
}

// appendFieldSource writes "field":{"from":...,"path":...}.
func appendFieldSource(b []byte, field string, src Source) []byte {
	b = appendString(b, field)
	b = append(b, ':')
	return appendSource(b, src)
}

// sourceRank is a field's place in Sources: sourceOrder's, then the others by name.
func sourceRank(field string) int {
	switch field {
	case "id":
		return 0
	case "username":
		return 1
	case "email":
		return 2
	case "emailVerified":
		return 3
	case "nickname":
		return 4
	case "phone":
		return 5
	case "description":
		return 6
	case "roles":
		return 7
	case "groups":
		return 8
	case "permission":
		return 9
	}
	return len(sourceOrder)
}

func appendSource(b []byte, s Source) []byte {
	b = append(b, `{"from":`...)
	b = appendString(b, s.From)
	b = append(b, `,"path":`...)
	b = appendString(b, s.Path)
	return append(b, '}')
}

func appendWarnings(b []byte, ws []Warning) []byte {
	b = append(b, '[')
	for i, w := range ws {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendString(b, w.Code)
		if w.Field != "" {
			b = append(b, `,"field":`...)
			b = appendString(b, w.Field)
		}
		b = append(b, `,"message":`...)
		b = appendString(b, w.Message)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendAny writes v with encoding/json, without HTML escaping (as cmdutil.PrintJSON).
func appendAny(b []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return append(b, "null"...)
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...)
}

const hexChars = "0123456789abcdef"

// noEscape marks the ASCII bytes a JSON string holds as they are.
var noEscape = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

// appendString writes s as a JSON string the way encoding/json does without HTML escaping: control
// characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight plain ASCII bytes at a time: most values need no escaping at all.
		if i+8 <= len(s) {
			sb := unsafe.Slice(unsafe.StringData(s), len(s))
			for i+8 <= len(s) {
				x := binary.LittleEndian.Uint64(sb[i:])
				if special(x) || x&lanes80 != 0 {
					break
				}
				i += 8
			}
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if noEscape[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexChars[c>>4], hexChars[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexChars[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
