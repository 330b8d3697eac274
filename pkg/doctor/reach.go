package doctor

import (
	"context"
	"fmt"
	"net/http"
)

// Reach requests an endpoint the way a probe can without a token or a login (GET, no redirects
// followed) and reports whether it answers: nil when it does with anything but 404 or a 5xx (a
// userinfo endpoint answers 401 without a token, an authorize endpoint 400 without parameters),
// DOC001 when no answer came, DOC002 for 404 and server errors. what names the endpoint
// ("userinfo endpoint"); field is the config key of its URL.
func Reach(ctx context.Context, client *http.Client, what, rawURL, field string) *Finding {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		f := transportFinding(err, what, rawURL, field)
		return &f
	}
	req.Header.Set("Accept", "application/json, text/html;q=0.9")
	resp, err := noRedirects(client).Do(req)
	if err != nil {
		f := transportFinding(err, what, rawURL, field)
		return &f
	}
	a := readAnswer(resp)
	if a.status != http.StatusNotFound && a.status < 500 {
		return nil
	}
	f := newFinding(CodeEndpointStatus, field, fmt.Sprintf("the %s %s answered %s%s", what, rawURL, a.statusText, textSuffix(pageText(a))),
		statusHint(a.status, what))
	return &f
}
