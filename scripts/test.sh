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
# The login tests run a real OpenID provider (npm oidc-provider) and need Node.js 18 or newer.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
	else
		echo "Node.js and npm are needed for the login tests: install them (e.g. apt-get install nodejs npm)" >&2
		exit 1
	fi
fi
# The Node packages of the test provider, and the real client libraries of LobeChat 1.x (@auth/core)
# and LobeHub 2.x (better-auth) that e2e/clientlibs logs in with.
for dir in testdata/*/ e2e/clientlibs/node/; do
	if [ -f "$dir/package-lock.json" ]; then
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done
# InvenTree's client library, django-allauth, set up offline from the shared apps folder beside this
# checkout (it apt-installs Debian's python3 packages when run as root). A clone without that folder
# skips the InvenTree login test.
if [ -f ../shared/apps/python/setup.sh ]; then
	bash ../shared/apps/python/setup.sh >/dev/null
fi

# The real LemonLDAP::NG 2.16 (e2e/llng): Debian's packages, apt-installed in the background (22 MB,
# 3.5-4.5 minutes cold, 45 s of CPU) after the last synchronous apt-get above, so the dpkg lock is free;
# its tests run after the main test run. Without root they skip (scripts/setup-llng.sh says so in one line).
echo "== installing LemonLDAP::NG in the background (log: ${TMPDIR:-/tmp}/ssoctl-llng-setup.log)"
bash scripts/setup-llng.sh >"${TMPDIR:-/tmp}/ssoctl-llng-setup.log" 2>&1 &
llng_pid=$!

# The real AList and OpenList (e2e/apps) are built from the source archives in ../shared/apps
# ($SSOCTL_APPS_DIR), cached in ~/.cache/ssoctl-apps. A cold build takes 4-15 minutes per app on two
# cores, so both build in the background while the static checks and the other tests run; the
# real-app suite runs last, after waiting for them.
apps_dir=${SSOCTL_APPS_DIR:-}
for d in ../shared/apps ../../shared/apps; do
	if [ -z "$apps_dir" ] && [ -f "$d/build.sh" ]; then apps_dir=$d; fi
done
apps_pid=
if [ -n "$apps_dir" ]; then
	echo "== building AList and OpenList in the background (log: ${TMPDIR:-/tmp}/ssoctl-apps-build.log)"
	( bash "$apps_dir/build.sh" alist && bash "$apps_dir/build.sh" openlist ) >"${TMPDIR:-/tmp}/ssoctl-apps-build.log" 2>&1 &
	apps_pid=$!
elif [ "${CI:-}" = true ]; then
	echo "CI=true but no ../shared/apps: the real-app tests (e2e/apps) cannot run; set SSOCTL_APPS_DIR" >&2
	exit 1
fi

# The real ORY Hydra v2.3.0 (e2e/hydra) builds from the Go module proxy with scripts/build-hydra.sh,
# cached in ~/.cache/ssoctl-hydra, in the background too; e2e/hydra runs last, after waiting for it.
echo "== building ORY Hydra in the background (log: ${TMPDIR:-/tmp}/ssoctl-hydra-build.log)"
bash scripts/build-hydra.sh >"${TMPDIR:-/tmp}/ssoctl-hydra-build.log" 2>&1 &
hydra_pid=$!

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
scripts/test-packages.sh # the GitHub Action's script, the .apk's files; as root the .deb and .rpm installed and removed

echo "== go test -race"
# Everything but the real-app suite runs while AList and OpenList may still be building.
go test -race -count=1 -timeout 30m $(go list ./... | grep -v -e '/e2e/apps$' -e '/e2e/hydra$' -e '/e2e/llng$')
if ! wait "$llng_pid"; then
	cat "${TMPDIR:-/tmp}/ssoctl-llng-setup.log" >&2
	echo "installing LemonLDAP::NG failed (log above); e2e/llng needs it" >&2
	exit 1
fi
grep -h 'will skip' "${TMPDIR:-/tmp}/ssoctl-llng-setup.log" || true
echo "== go test -race ./e2e/llng (the real LemonLDAP::NG)"
go test -race -count=1 -timeout 30m ./e2e/llng/
if [ -n "$apps_pid" ]; then
	echo "== waiting for the AList and OpenList builds"
	if ! wait "$apps_pid"; then
		tail -n 30 "${TMPDIR:-/tmp}/ssoctl-apps-build.log" >&2
		echo "building AList or OpenList failed (log above); e2e/apps needs them" >&2
		exit 1
	fi
	tail -n 2 "${TMPDIR:-/tmp}/ssoctl-apps-build.log"
	export SSOCTL_APPS_DIR="$(cd "$apps_dir" && pwd)"
fi
echo "== go test -race ./e2e/apps (the real AList and OpenList)"
go test -race -count=1 -timeout 30m ./e2e/apps/
echo "== waiting for the ORY Hydra build"
if ! wait "$hydra_pid"; then
	tail -n 30 "${TMPDIR:-/tmp}/ssoctl-hydra-build.log" >&2
	echo "building ORY Hydra failed (log above); e2e/hydra needs it" >&2
	exit 1
fi
export SSOCTL_HYDRA="$(tail -n 1 "${TMPDIR:-/tmp}/ssoctl-hydra-build.log")"
echo "== go test -race ./e2e/hydra (the real ORY Hydra)"
go test -race -count=1 -timeout 30m ./e2e/hydra/
