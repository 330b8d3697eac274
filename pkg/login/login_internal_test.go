package login

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSameRegistration(t *testing.T) {
	tests := []struct {
		configured, used string
		want             bool
	}{
		{"http://127.0.0.1/callback", "http://127.0.0.1:5000/callback", true},
		{"http://127.0.0.1:8000/callback", "http://127.0.0.1:5000/callback", false},
		{"http://localhost/callback", "http://127.0.0.1:5000/callback", false},
		{"http://127.0.0.1/callback", "http://127.0.0.1:5000/other", false},
		{"https://app.example.com/cb", "http://127.0.0.1:5000/callback", false},
		{"https://app.example.com/cb", "https://app.example.com/cb", true},
		{"", "http://127.0.0.1:5000/callback", false},
	}
	for _, tt := range tests {
		t.Run(tt.configured+" "+tt.used, func(t *testing.T) {
			assert.Equal(t, tt.want, sameRegistration(tt.configured, tt.used))
		})
	}
}
