package validate

import (
	"encoding/json"
	"io"
)

// jsonReport is the document `ssoctl validate --format json` prints. Its field names are stable.
type jsonReport struct {
	File     string      `json:"file"`
	Findings []Finding   `json:"findings"`
	Summary  jsonSummary `json:"summary"`
	// Assumed is the app version the checks assumed because app.version is unset ("AList 3.63").
	Assumed string `json:"assumedApp,omitempty"`
}

type jsonSummary struct {
	Summary
	// Ignored counts the findings silenced by ignore comments and entries.
	Ignored int `json:"ignored"`
}

// WriteJSON writes the report as one JSON document: {file, findings: [...], summary: {errors,
// warnings, notes, ignored}, assumedApp} (assumedApp only when app.version is unset). findings is [] rather than null when there are none.
func WriteJSON(w io.Writer, r *Report) error {
	fs := r.Findings
	if fs == nil {
		fs = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(jsonReport{File: r.File, Findings: fs, Summary: jsonSummary{Summary: Summarize(fs), Ignored: len(r.Ignored)}, Assumed: r.Assumed})
}
