package login_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ssoctl/ssoctl/pkg/app"
	"github.com/ssoctl/ssoctl/pkg/login"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// TestExchangeMissingCodeMasksEchoedSecret: the token endpoint's answer ExchangeMissingCode quotes
// comes from a request that carried the client secret; a provider echoing it has it masked.
func TestExchangeMissingCodeMasksEchoedSecret(t *testing.T) {
	const secret = "echoed-secret-123"
	idp := logintest.NewInjector(secret)
	defer idp.Close()
	said := login.ExchangeMissingCode(context.Background(), nil, app.StrictClient(), idp.URL+"/token", "c", secret, "http://127.0.0.1/callback")
	assert.Contains(t, said, "invalid_request", "the answer is quoted")
	assert.Contains(t, said, "client_secret *** is not expected here", "the echo is masked")
	assert.NotContains(t, said, secret)
}
