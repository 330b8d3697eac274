package iostreams

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestColorFromEnv(t *testing.T) {
	tests := []struct {
		name             string
		env              map[string]string
		stdoutTTY        bool
		noColorFlag      bool
		wantOut, wantErr bool
	}{
		{name: "terminal", stdoutTTY: true, wantOut: true},
		{name: "pipe", stdoutTTY: false},
		{name: "NO_COLOR", env: map[string]string{"NO_COLOR": "1"}, stdoutTTY: true},
		// no-color.org: "when present and not an empty string"; NO_COLOR= keeps colour.
		{name: "empty NO_COLOR keeps colour", env: map[string]string{"NO_COLOR": ""}, stdoutTTY: true, wantOut: true},
		{name: "dumb terminal", env: map[string]string{"TERM": "dumb"}, stdoutTTY: true},
		{name: "CLICOLOR_FORCE colours a pipe and stderr", env: map[string]string{"CLICOLOR_FORCE": "1"}, wantOut: true, wantErr: true},
		{name: "CLICOLOR_FORCE=0 forces nothing", env: map[string]string{"CLICOLOR_FORCE": "0"}},
		{name: "--no-color wins over CLICOLOR_FORCE", env: map[string]string{"CLICOLOR_FORCE": "1"}, noColorFlag: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _, _ := Test()
			s.SetStdoutTTY(tt.stdoutTTY)
			s.colorFromEnv(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if tt.noColorFlag {
				s.SetColorEnabled(false)
			}
			assert.Equal(t, tt.wantOut, s.ColorEnabled(), "stdout colour")
			assert.Equal(t, tt.wantErr, s.ColorEnabledErr(), "stderr colour")
			// Forcing colour must not change the layout: tables stay tab separated in a pipe.
			assert.Equal(t, tt.stdoutTTY, s.IsStdoutTTY())
		})
	}
}
