package mapping

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
)

// Conflict policies (mapping.username.on_conflict).
const (
	// ConflictSuffixID appends "_" and the stable user id, as AList does: anyi → anyi_dc188911.
	ConflictSuffixID = "suffix-id"
	// ConflictRandomDigits appends six random digits, as PhotoPrism does: jens.mander → jens.mander042817.
	ConflictRandomDigits = "random-digits"
	// ConflictFail refuses the login.
	ConflictFail = "fail"
)

// ConflictPolicies lists the conflict policies.
func ConflictPolicies() []string {
	return []string{ConflictSuffixID, ConflictRandomDigits, ConflictFail}
}

// Handle turns a name into a username handle (normalize: handle): the part before an "@" (so an
// email gives its local part), trimmed and lower-cased, every white-space character turned into a
// dot, and only a-z, 0-9, ".", "_" and "-" kept. "Jens Mander" → "jens.mander", "jens@example.com"
// → "jens". A name with none of those characters (张伟) gives "", which is reported as an empty
// username.
func Handle(s string) string {
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	b := make([]byte, 0, len(s))
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b = append(b, byte(r))
		case unicode.IsSpace(r):
			b = append(b, '.')
		}
	}
	return string(b)
}

// photoprismHandle is PhotoPrism's clean.Handle (pkg/clean/auth.go): the part before "@", the part
// after a "DOMAIN\" prefix, trimmed, with control characters dropped and the characters PhotoPrism
// does not allow in names turned into dots, lower-cased; "" when longer than 64 characters. Unlike
// Handle it keeps letters of every script.
func photoprismHandle(s string) string {
	s, _, _ = strings.Cut(s, "@")
	if d, u, found := strings.Cut(s, `\`); found && u != "" {
		s = u
	} else {
		s = d
	}
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		if r <= 31 || r == 127 {
			return -1
		}
		switch r {
		case ' ', '"', '\'', '(', ')', '#', '&', '$', ',', '+', '=', '`', '~', '?', '|', '*', '/', '\\', ':', ';', '<', '>', '{', '}':
			return '.'
		}
		return r
	}, s)
	if s == "" || utf8.RuneCountInString(s) > 64 {
		return ""
	}
	return strings.ToLower(s)
}

// photoprismEmail is PhotoPrism's clean.Email: the address lower-cased when it looks like one.
func photoprismEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || utf8.RuneCountInString(s) > 255 {
		return ""
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(domain, "@ ") || strings.ContainsAny(local, " ") {
		return ""
	}
	return s
}

// Names is a set of usernames that are taken.
type Names interface {
	Has(name string) bool
}

// NameSet is a Names backed by a map; the zero value is empty. Lookups are exact (case matters, as
// in the apps' unique indexes).
type NameSet map[string]struct{}

// Has reports whether name is in the set.
func (s NameSet) Has(name string) bool { _, ok := s[name]; return ok }

// Add adds name.
func (s NameSet) Add(name string) { s[name] = struct{}{} }

// Registry remembers the usernames given to earlier users of the same input, for conflicts within
// it. Bulk evaluation uses a fixed-size filter (package bulk); NameSet works for small inputs.
type Registry interface {
	Names
	Add(name string)
}

// Conflicts resolves username conflicts in input order: against the existing accounts and the
// usernames given to earlier users. It is not safe for concurrent use.
type Conflicts struct {
	existing Names
	seen     Registry
	rng      *rand.Rand
}

// NewConflicts returns a resolver. existing and seen may be nil; a seed other than 0 makes
// random-digits suffixes reproducible.
func NewConflicts(existing Names, seen Registry, seed uint64) *Conflicts {
	return &Conflicts{existing: existing, seen: seen, rng: newRand(seed)}
}

// taken says whether name is in use, and by whom.
func (c *Conflicts) taken(name string) (bool, string) {
	if c.existing != nil && c.existing.Has(name) {
		return true, "existing"
	}
	if c.seen != nil && c.seen.Has(name) {
		return true, "input"
	}
	return false, ""
}

// Resolve applies the conflict policy to u's username, as the app would when it creates the
// account: it renames, or refuses with ErrUsernameTaken. Like the apps it tries once: a renamed
// username that is taken too is refused. Users that the app would not register (u.Registration
// not allowed) keep their username but still claim it, since a user that exists already owns it.
// The resulting username is remembered as taken for the users that follow. Resolve is Decide
// followed by Apply.
func (m *Mapper) Resolve(u *User, c *Conflicts) {
	m.Apply(u, m.Decide(u, c))
}

// Decision is what Decide learnt about one user's username: whether it was taken, by whom, and
// the answers to the questions the rename asked (is the new name taken too; the random digits
// drawn). Apply turns it into the renamed user. The zero value means no conflict.
type Decision struct {
	with   string    // "existing" or "input"; "" when the username was free
	asked  [2]string // the names asked about, and whether each was taken
	took   [2]bool
	n      int
	digits int // the random-digits suffix drawn
}

// Conflict reports whether the username was taken.
func (d *Decision) Conflict() bool { return d.with != "" }

func (d *Decision) record(name string, taken bool) {
	for i := range d.n {
		if d.asked[i] == name {
			return // asked again (AList's Login asks for the taken name itself first)
		}
	}
	if d.n < len(d.asked) {
		d.asked[d.n], d.took[d.n] = name, taken
		d.n++
	}
}

// taken answers from what was recorded: a name asked about before, or the one taken at first.
func (d *Decision) taken(name string) bool {
	for i := range d.n {
		if d.asked[i] == name {
			return d.took[i]
		}
	}
	return false
}

// Decide is the part of Resolve that depends on the users before u: it asks whether u's username
// is taken (and, when it is, whether the renamed one is), remembers the name u ends up with for
// the users that follow, and returns the answers; it changes nothing in u. It is cheap, so that a
// bulk run can decide in input order on one goroutine and leave Apply to many. Calls must come in
// input order.
func (m *Mapper) Decide(u *User, c *Conflicts) Decision {
	var d Decision
	if u.Username == "" || c == nil || (u.Login != nil && u.Login.Outcome != LoginRegistered) {
		// A bound account signs in as itself; a refused login creates nothing.
		return d
	}
	final := u.Username
	if taken, with := c.taken(u.Username); taken {
		d.with = with
		d.record(u.Username, true)
		final = m.decideRename(u, c, &d)
	}
	if c.seen != nil && final != "" {
		c.seen.Add(final)
	}
	return d
}

// decideRename asks what rename will ask, in the same order, and returns the username u ends up
// with.
func (m *Mapper) decideRename(u *User, c *Conflicts, d *Decision) string {
	ask := func(n string) bool {
		t, _ := c.taken(n)
		d.record(n, t)
		return t
	}
	if u.Login != nil {
		if r := m.alist.Login(m.alistConflictInput(u, ask)); r.Outcome == app.LoginRegistered {
			return r.Username
		}
		return u.Username
	}
	policy := m.conflictPolicy()
	if policy == ConflictRandomDigits {
		d.digits = c.rng.IntN(1000000)
	}
	if renamed := renamedTo(u.Username, u.ID, policy, d.digits); renamed != "" && !ask(renamed) {
		return renamed
	}
	return u.Username
}

// Apply renames or refuses u as Decide found, with the warnings and errors Resolve gives. It
// depends on nothing but u and d, so users can be applied in any order, on any goroutine.
func (m *Mapper) Apply(u *User, d Decision) {
	if !d.Conflict() {
		return
	}
	if u.Login != nil {
		m.renameAList(u, d.taken, d.with)
	} else {
		m.rename(u, d, d.with)
	}
	u.finish()
}

// conflictPolicy is the policy the app applies: AList and OpenList always suffix the id,
// PhotoPrism always appends digits, other apps as configured.
func (m *Mapper) conflictPolicy() string {
	switch m.app {
	case config.AppAList, config.AppOpenList:
		return ConflictSuffixID
	case config.AppPhotoPrism:
		return ConflictRandomDigits
	}
	return m.onConflict
}

// renamedTo is the name a policy tries for a taken username; "" when it tries none.
func renamedTo(base, id, policy string, digits int) string {
	switch policy {
	case ConflictSuffixID:
		if id != "" {
			return base + "_" + id
		}
	case ConflictRandomDigits:
		// PhotoPrism appends the digits directly: jens.mander042817.
		return base + fmt.Sprintf("%06d", digits)
	}
	return ""
}

func (m *Mapper) rename(u *User, d Decision, with string) {
	policy := m.conflictPolicy()
	base := u.Username
	conf := &Conflict{Taken: base, With: with, Policy: policy}
	u.UsernameInfo.Conflict = conf
	renamed := renamedTo(base, u.ID, policy, d.digits)
	if renamed != "" {
		if !d.taken(renamed) {
			conf.Resolved = true
			u.Username = renamed
			// Concatenated rather than formatted: in bulk a quarter of the users may take this path.
			msg := "username " + base + " is taken (" + takenBy(with) + "); the app renames the new user to " + renamed
			u.Warnings = append(u.Warnings, Warning{Code: WarnConflict, Field: "username", Message: msg})
			return
		}
	}
	var why string
	switch {
	case policy == ConflictFail:
		why = "on_conflict is fail"
	case renamed == "":
		why = "suffix-id needs a stable id, and there is none"
	default:
		why = fmt.Sprintf("the renamed %s is taken too, and the app tries only once", renamed)
	}
	msg := fmt.Sprintf("username %s is taken (%s) and %s: the app refuses to create the account", base, takenBy(with), why)
	u.Errors = append(u.Errors, Problem{Code: ErrUsernameTaken, Field: "username", Message: msg})
	if u.Registration.Allowed {
		u.Registration.Allowed = false
		u.Registration.Code = RegUsernameTaken
		u.Registration.Reason = fmt.Sprintf("the username %s is taken and cannot be renamed (%s)", base, why)
	}
}

// alistConflictInput is the login of a user whose username is taken, as pkg/app's Login takes it.
func (m *Mapper) alistConflictInput(u *User, taken func(string) bool) app.LoginInput {
	return app.LoginInput{Type: m.platform, SSOID: u.ID, Username: u.Username, AutoRegister: true, Taken: taken}
}

// renameAList lets pkg/app decide a taken username as AList or OpenList does: renamed to
// name_ssoid (AList on SQLite), or refused with the app's own message.
func (m *Mapper) renameAList(u *User, taken func(string) bool, with string) {
	a := m.alist
	base := u.Username
	conf := &Conflict{Taken: base, With: with, Policy: ConflictSuffixID}
	u.UsernameInfo.Conflict = conf
	r := a.Login(m.alistConflictInput(u, taken))
	if r.Outcome == app.LoginRegistered {
		conf.Resolved = true
		u.Username = r.Username
		u.Login.Username = r.Username
		u.Login.Reason = "no account is bound to this SSO id, and sso_auto_register creates one under a new name, as the username is taken"
		u.Warnings = append(u.Warnings, Warning{Code: WarnConflict, Field: "username",
			Message: fmt.Sprintf("username %s is taken (%s); the app renames the new user to %s; %s does this only on SQLite: with MySQL or PostgreSQL the login fails instead", base, takenBy(with), r.Username, a.Title)})
		return
	}
	why := fmt.Sprintf("the renamed %s_%s is taken too, and %s tries only once", base, u.ID, a.Title)
	if a.OpenList() {
		why = a.Title + "'s SQLite driver words the conflict so that its rename test does not match"
	}
	u.Login.Outcome, u.Login.Username, u.Login.Message = LoginRefused, "", r.Message
	u.Login.Reason = "the username is taken and " + why
	u.Errors = append(u.Errors, Problem{Code: ErrUsernameTaken, Field: "username",
		Message: fmt.Sprintf("username %s is taken (%s) and %s: %s refuses the login with %q", base, takenBy(with), why, a.Title, r.Message)})
	if u.Registration.Allowed {
		u.Registration.Allowed = false
		u.Registration.Code = RegUsernameTaken
		u.Registration.Reason = fmt.Sprintf("the username %s is taken and cannot be renamed (%s)", base, why)
	}
}

func takenBy(with string) string {
	if with == "input" {
		return "by an earlier user of this input"
	}
	return "by an existing account"
}

// Accounts are the app's existing accounts: the usernames taken, and the SSO id each account is
// bound to (AList's user list: username and sso_id). Apps that look a login up by its SSO id
// first (AList, OpenList) sign a bound user in as that account.
type Accounts interface {
	Names
	// BoundTo returns the account bound to an SSO id.
	BoundTo(ssoID string) (username string, ok bool)
}

// AccountSet is an Accounts backed by maps; the zero value is not usable, use NewAccountSet.
type AccountSet struct {
	NameSet
	bound    map[string]string
	disabled NameSet
}

// NewAccountSet returns an empty set.
func NewAccountSet() *AccountSet {
	return &AccountSet{NameSet: NameSet{}, bound: map[string]string{}, disabled: NameSet{}}
}

// Disable marks an account as disabled (AList's user list: "disabled": true).
func (s *AccountSet) Disable(username string) { s.disabled.Add(username) }

// Disabled reports whether an account is disabled.
func (s *AccountSet) Disabled(username string) bool { return s.disabled.Has(username) }

// AddAccount adds an account; ssoID "" means it is bound to no SSO id. When two accounts share an
// SSO id the first added is kept, as the app's lookup (first row by id) finds the oldest.
func (s *AccountSet) AddAccount(username, ssoID string) {
	s.NameSet.Add(username)
	if ssoID == "" {
		return
	}
	if _, ok := s.bound[ssoID]; !ok {
		s.bound[ssoID] = username
	}
}

// BoundTo returns the account bound to ssoID.
func (s *AccountSet) BoundTo(ssoID string) (string, bool) {
	n, ok := s.bound[ssoID]
	return n, ok
}

// Bound says how many accounts are bound to an SSO id.
func (s *AccountSet) Bound() int { return len(s.bound) }
