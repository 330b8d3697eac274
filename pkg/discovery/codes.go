package discovery

// Check codes. A code names one kind of problem (or, for DSC002/DSC030, the successful fetch) and
// is never renumbered or reused: `validate --online` reports the same codes, and users silence them
// by code. DSC003-DSC014 classify a failed fetch of either document; the message names which one.
// Blocks: 00x fetching, 02x the discovery document, 03x the JWKS, 04x the clock.
const (
	CodeWellKnownURL     = "DSC001"
	CodeFetch            = "DSC002"
	CodeDNS              = "DSC003"
	CodeConnect          = "DSC004"
	CodeTLSUnknownCA     = "DSC005"
	CodeTLSHostname      = "DSC006"
	CodeTLSExpired       = "DSC007"
	CodeTLSHandshake     = "DSC008"
	CodeHTTPStatus       = "DSC009"
	CodeHTML             = "DSC010"
	CodeNotJSON          = "DSC011"
	CodeNotMetadata      = "DSC012"
	CodeTooLarge         = "DSC013"
	CodeTimeout          = "DSC014"
	CodeIssuer           = "DSC020"
	CodeRequiredFields   = "DSC021"
	CodePKCE             = "DSC022"
	CodeEndpointURL      = "DSC023"
	CodeEndpointHost     = "DSC024"
	CodeSigningAlgs      = "DSC025"
	CodeResponseTypeCode = "DSC026"
	CodeJWKSFetch        = "DSC030"
	CodeNotKeySet        = "DSC031"
	CodeNoSigningKey     = "DSC032"
	CodeSymmetricKey     = "DSC033"
	CodePrivateKey       = "DSC034"
	CodeKeyID            = "DSC035"
	CodeKeyUnusable      = "DSC036"
	CodeAlgWithoutKey    = "DSC037"
	CodeClock            = "DSC040"
)

// Code describes one check code for documentation and for other reports (validate --online, SARIF).
type Code struct {
	// ID is the code, e.g. "DSC020".
	ID string `json:"id"`
	// Name is a kebab-case name, e.g. "issuer-mismatch".
	Name string `json:"name"`
	// Title says in a few words what the check is about.
	Title string `json:"title"`
	// Worst is the worst status a check of this code can have.
	Worst Status `json:"worst"`
}

var codes = []Code{
	{CodeWellKnownURL, "well-known-url", "a discovery URL was given instead of the issuer", StatusNote},
	{CodeFetch, "fetch", "the discovery document was fetched (fails for unclassified transport errors)", StatusFail},
	{CodeDNS, "dns", "the host name does not resolve", StatusFail},
	{CodeConnect, "connect", "no TCP connection to the host", StatusFail},
	{CodeTLSUnknownCA, "tls-unknown-authority", "the certificate is signed by an authority this machine does not trust", StatusFail},
	{CodeTLSHostname, "tls-hostname", "the certificate is for another host name", StatusFail},
	{CodeTLSExpired, "tls-expired", "the certificate is expired or not valid yet", StatusFail},
	{CodeTLSHandshake, "tls-handshake", "the TLS handshake failed otherwise", StatusFail},
	{CodeHTTPStatus, "http-status", "the server answered with an HTTP status other than 200", StatusFail},
	{CodeHTML, "html", "the server answered with an HTML page instead of JSON", StatusFail},
	{CodeNotJSON, "not-json", "the answer is not JSON", StatusFail},
	{CodeNotMetadata, "not-metadata", "JSON, but not OpenID provider metadata (or not a key set)", StatusFail},
	{CodeTooLarge, "too-large", "the answer is larger than a document of its kind can be", StatusFail},
	{CodeTimeout, "timeout", "the server did not answer in time", StatusFail},
	{CodeIssuer, "issuer", "the issuer equals the discovery document's issuer byte for byte", StatusFail},
	{CodeRequiredFields, "required-fields", "the fields OpenID Connect Discovery requires are present", StatusFail},
	{CodePKCE, "pkce-s256", "code_challenge_methods_supported includes S256", StatusFail},
	{CodeEndpointURL, "endpoint-url", "endpoints are absolute URLs, https unless on loopback", StatusFail},
	{CodeEndpointHost, "endpoint-host", "an endpoint is on another host than the issuer", StatusNote},
	{CodeSigningAlgs, "signing-algs", "ID token signing algorithms (none, HMAC only)", StatusWarn},
	{CodeResponseTypeCode, "response-type-code", "response_types_supported includes code", StatusFail},
	{CodeJWKSFetch, "jwks-fetch", "the JWKS was fetched", StatusFail},
	{CodeNotKeySet, "not-key-set", "the JWKS is not a JSON Web Key Set", StatusFail},
	{CodeNoSigningKey, "no-signing-key", "the JWKS holds no public signing key", StatusFail},
	{CodeSymmetricKey, "symmetric-key", "the JWKS publishes a symmetric (oct) key", StatusFail},
	{CodePrivateKey, "private-key", "the JWKS publishes private key material", StatusFail},
	{CodeKeyID, "key-id", "signing keys have distinct kids", StatusWarn},
	{CodeKeyUnusable, "key-unusable", "a key cannot be used to verify ID tokens", StatusNote},
	{CodeAlgWithoutKey, "alg-without-key", "an announced signing algorithm has no key of its type", StatusWarn},
	{CodeClock, "clock", "this machine's clock agrees with the provider's Date header", StatusWarn},
}

// Codes lists every check code in order.
func Codes() []Code { return append([]Code(nil), codes...) }
