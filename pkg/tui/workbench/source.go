package workbench

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/ssoctl/ssoctl/pkg/config"
	"github.com/ssoctl/ssoctl/pkg/mapping"
)

// samplesFS holds made-up userinfo documents in each platform's documented shape, so the mapping
// can be tried before any login has been made.
//
//go:embed samples/*.json
var samplesFS embed.FS

// Sample is an embedded userinfo document.
type Sample struct {
	// Name is the file's base name without .json (github, github-emails, ...).
	Name string
	// Title says which endpoint the document comes from.
	Title string
	// Types lists the provider types it is a sample for.
	Types []string
}

// samples lists the embedded documents, the most useful one for each provider type first.
var samples = []Sample{
	{"github", "GitHub GET /user", []string{config.TypeGitHub}},
	{"github-emails", "GitHub GET /user/emails", []string{config.TypeGitHub}},
	{"google", "Google OpenID Connect userinfo", []string{config.TypeGoogle}},
	{"google-oauth2-v1", "Google oauth2/v1/userinfo (what AList reads)", []string{config.TypeGoogle}},
	// The OpenID Connect userinfo first: it is what the microsoft preset's userinfo URL
	// (https://graph.microsoft.com/oidc/userinfo) returns and what its rules read ($.sub, $.name,
	// $.email); Graph /me is what AList's own Microsoft login reads instead.
	{"microsoft", "Microsoft OpenID Connect userinfo (the microsoft preset's userinfo URL)", []string{config.TypeMicrosoft}},
	{"microsoft-graph-me", "Microsoft Graph GET /v1.0/me (what AList's Microsoft login reads)", []string{config.TypeMicrosoft}},
	{"dingtalk", "DingTalk GET /v1.0/contact/users/me", []string{config.TypeDingTalk}},
	{"lark", "Lark/Feishu GET /open-apis/authen/v1/user_info", []string{config.TypeLark}},
	{"casdoor", "Casdoor GET /api/userinfo", []string{config.TypeCasdoor}},
	{"authentik", "authentik userinfo", []string{config.TypeOIDC}},
	{"keycloak", "Keycloak userinfo with a group mapper", []string{config.TypeOIDC}},
}

// Samples returns the embedded userinfo samples, those for providerType first.
func Samples(providerType string) []Sample {
	out := slices.Clone(samples)
	slices.SortStableFunc(out, func(a, b Sample) int {
		ai, bi := slices.Contains(a.Types, providerType), slices.Contains(b.Types, providerType)
		switch {
		case ai && !bi:
			return -1
		case bi && !ai:
			return 1
		}
		return 0
	})
	return out
}

// SampleData returns the embedded document called name.
func SampleData(name string) ([]byte, error) {
	b, err := samplesFS.ReadFile(path.Join("samples", name+".json"))
	if err != nil {
		return nil, fmt.Errorf("no userinfo sample called %q", name)
	}
	return b, nil
}

// document is a loaded userinfo document: decoded for the rules and as a tree for the view.
type document struct {
	value  any
	tree   *tree
	source string
	// claims are the ID token's claims that came with the document, when known.
	claims map[string]any
}

// docMsg carries a document loaded in the background, or why it could not be.
type docMsg struct {
	doc *document
	err error
}

// loadDocument parses data both ways. source says where it came from, for the header.
func loadDocument(data []byte, source string) (*document, error) {
	v, err := mapping.ParseJSON(data)
	if err != nil {
		return nil, fmt.Errorf("userinfo from %s: %w", source, err)
	}
	t, err := newTree(data)
	if err != nil {
		return nil, fmt.Errorf("userinfo from %s: %w", source, err)
	}
	return &document{value: v, tree: t, source: source}, nil
}

// loadCmd parses data in the background: a large document must not freeze the screen.
func loadCmd(data []byte, source string, claims map[string]any) tea.Cmd {
	return func() tea.Msg {
		d, err := loadDocument(data, source)
		if d != nil {
			d.claims = claims
		}
		return docMsg{doc: d, err: err}
	}
}

// readFileCmd reads and parses a userinfo file.
func readFileCmd(name string, maxSize int64) tea.Cmd {
	return func() tea.Msg {
		name = expandHome(strings.TrimSpace(name))
		if name == "" {
			return docMsg{err: errors.New("type the path of a userinfo JSON file")}
		}
		st, err := os.Stat(name)
		if err != nil {
			return docMsg{err: fmt.Errorf("read userinfo: %w", unwrapPath(err))}
		}
		if st.Size() > maxSize {
			return docMsg{err: fmt.Errorf("read userinfo: %s is %d bytes, more than the %d a userinfo document can be", name, st.Size(), maxSize)}
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return docMsg{err: fmt.Errorf("read userinfo: %w", unwrapPath(err))}
		}
		d, err := loadDocument(b, name)
		return docMsg{doc: d, err: err}
	}
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return home + "/" + rest
		}
	}
	return p
}

// choice is one entry of the source picker.
type choice struct {
	label  string
	detail string
	// exactly one of these
	last   bool
	file   bool
	sample string
}

// sourceChoices lists what the picker offers: the last test-login (when one was saved), a file,
// and the samples, the provider type's first.
func sourceChoices(providerType string, last *LastLogin) []choice {
	var out []choice
	if last != nil {
		d := "test-login of " + last.Provider
		if last.When != "" {
			d += ", " + last.When
		}
		out = append(out, choice{label: "Last test-login", detail: d, last: true})
	}
	out = append(out, choice{label: "A file…", detail: "a userinfo JSON document on disk", file: true})
	for _, s := range Samples(providerType) {
		out = append(out, choice{label: "Sample: " + s.Name, detail: s.Title, sample: s.Name})
	}
	return out
}
