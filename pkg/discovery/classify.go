package discovery

// ClassifyError turns the transport error of a request to rawURL into a failed Check with the code
// of its kind (DSC003 DNS, DSC004 TCP, DSC005-DSC008 TLS, DSC014 timeout, DSC002 otherwise), so that
// other probes of a provider's endpoints (validate --online, test-login's pre-flight) explain a
// failure the way discover does. what names the thing requested, e.g. "token endpoint".
func ClassifyError(err error, what, rawURL string) Check {
	return classify(err, what, rawURL)
}
