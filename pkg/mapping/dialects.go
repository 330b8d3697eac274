package mapping

// DialectDifference tells whether a rule that both dialects accept selects
// something else in Jayway than in RFC 9535 for some userinfo documents, and
// where: col is the 1-based column of the construct, reason one sentence. A
// rule only one dialect accepts has no difference to report (Compile says
// why the other refuses it). Only differences that hold whatever the document
// holds are reported, so that filters on lists such as
// $.emails[?(@.primary == true)], which mean the same in both, stay quiet.
func DialectDifference(expr string) (col int, reason string, found bool) {
	if _, err := Compile("", expr, Jayway); err != nil {
		return 0, "", false
	}
	q, serr := parseRFC9535(expr)
	if serr != nil {
		return 0, "", false
	}
	at := func(off int, why string) (int, string, bool) { return column(expr, off), why, true }
	for i, seg := range q.segs {
		last := i == len(q.segs)-1
		if seg.descendant && len(seg.sels) == 1 && seg.sels[0].kind != selName && seg.sels[0].kind != selWildcard {
			// ScanPathToken.walk
			return at(seg.off, "after '..' Jayway applies an index, a slice or a filter to the nodes it accepts (a filter to each object itself, the root included), RFC 9535 to the children of every node")
		}
		for _, sel := range seg.sels {
			switch sel.kind {
			case selSlice:
				s := sel.slice
				if s.step != 1 {
					// ArraySliceOperation.parse
					return at(sel.off, "Jayway ignores a slice's step, RFC 9535 steps through the array")
				}
				if s.start != nil && s.end != nil && (*s.start < 0 || *s.end < 0) {
					// ArraySliceToken.sliceBetween
					return at(sel.off, "Jayway does not count a negative bound of [start:end] from the end of the array, RFC 9535 does")
				}
			case selFilter:
				if !seg.descendant && (i == 0 || q.segs[i-1].sels[0].kind == selWildcard) {
					// PredicatePathToken.evaluate
					return at(sel.off, "Jayway applies a filter on an object to the object itself, RFC 9535 to its members; here the filter may meet an object")
				}
			}
		}
		if last && !seg.descendant && len(seg.sels) > 1 && allNames(seg.sels) {
			// PropertyPathToken.multiPropertyMergeCase
			return at(seg.off, "Jayway merges the members of a final ['a','b'] into one object, RFC 9535 selects each member")
		}
	}
	return 0, "", false
}

func allNames(sels []rfcSelector) bool {
	for _, s := range sels {
		if s.kind != selName {
			return false
		}
	}
	return true
}
