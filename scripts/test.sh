#!/usr/bin/env bash
# Runs every check and test of ssoctl. It installs what the tests need first (Go modules, staticcheck,
# the Node packages of the test identity provider), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

STATICCHECK_VERSION=v0.8.2
export PATH="$(go env GOPATH)/bin:$PATH"

echo "== installing test dependencies"
go mod download
if ! staticcheck -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
	go install "honnef.co/go/tools/cmd/staticcheck@${STATICCHECK_VERSION}"
fi
for dir in testdata/*/; do
	if [ -f "$dir/package-lock.json" ]; then
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './testdata/*'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== staticcheck"
staticcheck ./...

echo "== release targets build (goreleaser builds windows and darwin too)"
GOOS=windows GOARCH=amd64 go build -o /dev/null ./cmd/ssoctl
GOOS=darwin GOARCH=arm64 go build -o /dev/null ./cmd/ssoctl

echo "== go test -race"
go test -race -count=1 ./...
