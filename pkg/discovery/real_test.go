package discovery_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ssoctl/ssoctl/pkg/discovery"
	"github.com/ssoctl/ssoctl/pkg/login/logintest"
)

// TestInspectRealProvider inspects the OpenID Certified provider under testdata/oidcprovider: a
// conformant document and JWKS must pass every check.
func TestInspectRealProvider(t *testing.T) {
	op, err := logintest.StartNode()
	logintest.Require(t, err)
	t.Cleanup(op.Stop)

	r, err := discovery.Inspect(context.Background(), op.Issuer, discovery.Options{Client: &http.Client{}})
	require.NoError(t, err)
	for _, c := range r.Checks {
		t.Logf("%s %s %s", c.Code, c.Status, c.Message)
	}
	assert.True(t, r.OK())
	assert.Equal(t, discovery.StatusPass, check(t, r, discovery.CodeIssuer).Status)
	assert.Equal(t, discovery.StatusPass, check(t, r, discovery.CodePKCE).Status)
	require.NotNil(t, r.JWKS)
	require.Len(t, r.JWKS.Keys, 2, "an RSA key, and an EC key for the ES256 client")
	k := r.JWKS.Keys[0]
	assert.Regexp(t, `^test-[0-9a-f]+$`, k.Kid)
	assert.Equal(t, discovery.Key{Kid: k.Kid, Kty: "RSA", Alg: "RS256", Use: "sig", Bits: 2048, Usable: true}, k)
	k = r.JWKS.Keys[1]
	assert.Equal(t, discovery.Key{Kid: k.Kid, Kty: "EC", Alg: "ES256", Use: "sig", Crv: "P-256", Usable: true}, k)

	// The pasted discovery URL of the same provider.
	r, err = discovery.Inspect(context.Background(), op.Issuer+discovery.WellKnownPath, discovery.Options{Client: &http.Client{}})
	require.NoError(t, err)
	assert.True(t, r.OK())
	assert.Equal(t, op.Issuer, r.Issuer)
	assert.Equal(t, discovery.CodeWellKnownURL, r.Checks[0].Code)
}
