package logintest

import "testing"

// TestStopNilNodeProvider: a TestMain stops what StartNode returned, which is nil when node or
// node_modules is missing; that must not panic (it did in pkg/doctor and e2e/clientlibs), so that
// the tests themselves skip through Require (and fail under CI=true).
func TestStopNilNodeProvider(t *testing.T) {
	var p *NodeProvider
	p.Stop()
}
