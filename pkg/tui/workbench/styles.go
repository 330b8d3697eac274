package workbench

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// styles are the workbench's colours and attributes. Colours come in a light and a dark variant,
// picked by the terminal's background (tea.RequestBackgroundColor); the renderer downsamples them
// to what the terminal can show and drops them under NO_COLOR. Nothing depends on colour alone:
// the cursor row is drawn in reverse video and marked with a glyph, errors carry a ✗, so the
// screen reads the same without colour.
type styles struct {
	header, dim, bold      lipgloss.Style
	border, borderFocus    lipgloss.Style
	title, titleFocus      lipgloss.Style
	cursor, cursorBlur     lipgloss.Style
	key, str, num, literal lipgloss.Style
	label, rule, preset    lipgloss.Style
	ok, warn, err          lipgloss.Style
	path, match            lipgloss.Style
	diffAdd, diffDel       lipgloss.Style
	diffHunk               lipgloss.Style
	help                   help.Styles
}

func newStyles(isDark bool) styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A56E0"), lipgloss.Color("#8F8CFF"))
	subtle := ld(lipgloss.Color("#9B9B9B"), lipgloss.Color("#6C6C6C"))
	green := ld(lipgloss.Color("#1E7B34"), lipgloss.Color("#7CD992"))
	red := ld(lipgloss.Color("#C0262D"), lipgloss.Color("#FF7A7F"))
	yellow := ld(lipgloss.Color("#8A6100"), lipgloss.Color("#F2CC60"))
	cyan := ld(lipgloss.Color("#0B6E8C"), lipgloss.Color("#7DD3F0"))
	magenta := ld(lipgloss.Color("#9C2C9C"), lipgloss.Color("#E59CE5"))

	s := styles{
		header:      lipgloss.NewStyle().Bold(true),
		dim:         lipgloss.NewStyle().Foreground(subtle),
		bold:        lipgloss.NewStyle().Bold(true),
		border:      lipgloss.NewStyle().Foreground(subtle),
		borderFocus: lipgloss.NewStyle().Foreground(accent),
		title:       lipgloss.NewStyle().Foreground(subtle),
		titleFocus:  lipgloss.NewStyle().Foreground(accent).Bold(true),
		cursor:      lipgloss.NewStyle().Reverse(true),
		cursorBlur:  lipgloss.NewStyle().Underline(true),
		key:         lipgloss.NewStyle().Foreground(accent),
		str:         lipgloss.NewStyle().Foreground(green),
		num:         lipgloss.NewStyle().Foreground(cyan),
		literal:     lipgloss.NewStyle().Foreground(magenta),
		label:       lipgloss.NewStyle().Bold(true),
		rule:        lipgloss.NewStyle(),
		preset:      lipgloss.NewStyle().Foreground(subtle).Italic(true),
		ok:          lipgloss.NewStyle().Foreground(green),
		warn:        lipgloss.NewStyle().Foreground(yellow),
		err:         lipgloss.NewStyle().Foreground(red),
		path:        lipgloss.NewStyle().Foreground(accent).Bold(true),
		match:       lipgloss.NewStyle().Foreground(yellow).Bold(true),
		diffAdd:     lipgloss.NewStyle().Foreground(green),
		diffDel:     lipgloss.NewStyle().Foreground(red),
		diffHunk:    lipgloss.NewStyle().Foreground(cyan),
		help:        help.DefaultStyles(isDark),
	}
	return s
}
