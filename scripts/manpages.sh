#!/usr/bin/env bash
# Regenerates docs/man (one page per command: ssoctl(1), ssoctl-test-login(1), …) from the command
# tree with cmd/genman. .goreleaser.yaml's before hook runs it too, so archives and packages ship
# pages that match the binary; TestManPagesCurrent (cmd/genman) fails when docs/man drifts.
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./cmd/genman docs/man
