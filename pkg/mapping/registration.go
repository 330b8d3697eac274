package mapping

import (
	"fmt"
	"strings"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/config"
)

// DomainOf returns the domain of an email address, lower-cased, or "" when s is not an address.
// The domain is what follows the last "@", as mail servers read it.
func DomainOf(email string) string {
	i := strings.LastIndexByte(email, '@')
	if i <= 0 || i == len(email)-1 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[i+1:]))
}

// DomainAllowed reports whether the email's domain is one of allowed: the whole domain must be equal,
// ignoring case (and a leading "@" on an allowed entry, as InvenTree writes them), so
// "evil-example.com" and "mail.example.com" are not "example.com". caseSensitive compares as
// InvenTree does, case included; exactIgnoringCase is then set when only case differs.
func DomainAllowed(email string, allowed []string, caseSensitive bool) (ok, exactIgnoringCase bool) {
	i := strings.LastIndexByte(email, '@')
	if i <= 0 || i == len(email)-1 {
		return false, false
	}
	domain := email[i+1:]
	for _, a := range allowed {
		a = strings.TrimPrefix(strings.TrimSpace(a), "@")
		if a == "" {
			continue
		}
		if caseSensitive {
			if domain == a {
				return true, false
			}
			if strings.EqualFold(domain, a) {
				exactIgnoringCase = true
			}
			continue
		}
		if strings.EqualFold(domain, a) {
			return true, false
		}
	}
	return false, exactIgnoringCase
}

// decideRegistration says whether the app would create an account for the user, had it none.
func (m *Mapper) decideRegistration(u *User) {
	r := Registration{DefaultDir: m.reg.DefaultDir, Domain: DomainOf(u.Email)}
	if r.DefaultDir == "" {
		r.DefaultDir = "/"
	}
	// Reasons are built without fmt where they are constant: bulk evaluation decides for every line.
	refuse := func(code, reason string) {
		r.Code, r.Reason = code, reason
	}
	switch {
	case !m.reg.Enabled:
		switch m.app {
		case config.AppAList, config.AppOpenList:
			refuse(RegDisabled, "sso_auto_register is off: "+m.alist.Title+" logs in only users who bound this SSO id in their profile, and answers \""+app.MsgNotBound+"\" to the others")
		case config.AppPhotoPrism:
			refuse(RegDisabled, "PHOTOPRISM_OIDC_REGISTER is false: only users whose account is linked to this provider can log in")
		default:
			refuse(RegDisabled, "registration is disabled (registration.enabled is false): only users who already have an account can log in")
		}
	case app.IsAListKind(m.app) && (u.ID == "" || (u.ID == "0" && m.platform != config.TypeOIDC)):
		refuse(RegNoID, m.alist.Title+" cannot log anybody in without an SSO id")
	case u.Username == "":
		refuse(RegNoUsername, "the app cannot create an account without a username")
	case len(m.reg.AllowedDomains) > 0 && m.domainsOn:
		list := m.domainList
		if u.Email == "" {
			refuse(RegNoEmail, "registration is limited to allowed_domains ("+list+"), and the user has no email address")
			break
		}
		ok, onlyCase := DomainAllowed(u.Email, m.reg.AllowedDomains, m.domainCase)
		if !ok {
			refuse(RegDomainNotAllowed, "the email domain "+r.Domain+" is not in allowed_domains ("+list+"): only the exact domains listed count, not subdomains or look-alikes")
			if onlyCase {
				r.Reason = fmt.Sprintf("the email domain %s differs from allowed_domains (%s) in case only, and %s compares case-sensitively", u.Email[strings.LastIndexByte(u.Email, '@')+1:], list, appTitle(m.app))
				u.Warnings = append(u.Warnings, Warning{Code: WarnDomainCase, Field: FieldEmail, Message: r.Reason})
			}
			break
		}
		r.Allowed, r.Code = true, RegAllowed
		r.Reason = "registration is enabled and the email domain " + r.Domain + " is in allowed_domains"
	default:
		r.Allowed, r.Code = true, RegAllowed
		r.Reason = "registration is enabled for every email domain"
		if len(m.reg.AllowedDomains) > 0 {
			r.Reason = "registration is enabled; " + appTitle(m.app) + " does not check allowed_domains"
		}
	}
	if r.Allowed && u.EmailVerified != nil && !*u.EmailVerified && len(m.reg.AllowedDomains) > 0 && m.domainsOn {
		r.Reason += ", but the address is not verified, so the domain proves nothing"
	}
	u.Registration = r
}
