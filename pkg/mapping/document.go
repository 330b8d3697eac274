package mapping

import (
	"encoding/json"
	"strconv"
	"strings"
)

// normalizeValue turns what decoders other than ParseJSON produce into what rules expect: json.Number
// (encoding/json with UseNumber, as the login code decodes claims) becomes int64 or float64 the way
// ParseJSON would decode the same text, and []string and map[string]string become []any and
// map[string]any. The input is not changed; unchanged parts are shared.
func normalizeValue(v any) any {
	out, _ := normalize(v)
	return out
}

func normalizeMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out, _ := normalize(m)
	return out.(map[string]any)
}

// normalize returns v, or a converted copy and true when something had to change.
func normalize(v any) (any, bool) {
	switch t := v.(type) {
	case json.Number:
		return numberValue(string(t)), true
	case map[string]any:
		var cp map[string]any
		for k, e := range t {
			if n, changed := normalize(e); changed {
				if cp == nil {
					cp = make(map[string]any, len(t))
					for k2, e2 := range t {
						cp[k2] = e2
					}
				}
				cp[k] = n
			}
		}
		if cp != nil {
			return cp, true
		}
		return t, false
	case []any:
		var cp []any
		for i, e := range t {
			if n, changed := normalize(e); changed {
				if cp == nil {
					cp = append([]any(nil), t...)
				}
				cp[i] = n
			}
		}
		if cp != nil {
			return cp, true
		}
		return t, false
	case []string:
		out := make([]any, len(t))
		for i, s := range t {
			out[i] = s
		}
		return out, true
	case map[string]string:
		out := make(map[string]any, len(t))
		for k, s := range t {
			out[k] = s
		}
		return out, true
	case int:
		return int64(t), true
	case float32:
		return float64(t), true
	}
	return v, false
}

// numberValue decodes a JSON number the way ParseJSON (ojg) does: integers of up to 18 digits as
// int64, other integers as json.Number, everything else as float64.
func numberValue(s string) any {
	if !strings.ContainsAny(s, ".eE") {
		digits := strings.TrimPrefix(s, "-")
		if len(digits) <= 18 {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n
			}
		}
		return json.Number(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return json.Number(s)
	}
	return f
}
