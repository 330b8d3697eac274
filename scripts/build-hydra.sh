#!/usr/bin/env bash
# build-hydra.sh: builds ORY Hydra v2.3.0 (the real OpenID provider of e2e/hydra) from the Go module
# proxy, with the scratch module in testdata/hydra/tool, into a cache directory outside the
# repository, and prints the binary's path as its last line (stdout; the rest goes to stderr).
#
#   BIN=$(bash scripts/build-hydra.sh | tail -n 1)   # -> ${XDG_CACHE_HOME:-$HOME/.cache}/ssoctl-hydra/v2.3.0/hydra
#
# Why a scratch module: Hydra's go.mod replaces github.com/gobuffalo/pop/v6 with ORY's fork, and a
# replace only applies in the main module, so `go install github.com/ory/hydra/v2@v2.3.0` does not
# compile; testdata/hydra/tool/go.mod repeats the replace and names Hydra as a tool. Tags sqlite and
# sqlite_omit_load_extension (with cgo) are what DSN=memory needs (Hydra v2.3.0 Makefile, "install").
# ssoctl's own go.mod never depends on Hydra.
#
# Idempotent: when the binary exists and was built from the same go.mod/go.sum with the same Go, it
# prints the path and does nothing else. Concurrent runs wait for each other (flock).
# Environment: SSOCTL_HYDRA_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/ssoctl-hydra), GOPROXY,
# GOMODCACHE, GOCACHE as usual. Needs Go >= 1.24 (tool directive) and a C compiler (cgo, sqlite).
set -euo pipefail

VERSION=v2.3.0
RECIPE=1 # bump when the build recipe below changes, so cached binaries are rebuilt
say() { printf 'build-hydra.sh: %s\n' "$*" >&2; }
die() { printf 'build-hydra.sh: error: %s\n' "$*" >&2; exit 1; }

tool=$(cd "$(dirname "${BASH_SOURCE[0]}")/../testdata/hydra/tool" && pwd)
command -v go >/dev/null 2>&1 || die "Go is not installed or not on PATH (need Go >= 1.24)"
cc=$(cd "$tool" && go env CC)
cc=${cc%% *}
command -v "${cc:-gcc}" >/dev/null 2>&1 || die "the C compiler '${cc:-gcc}' is not installed; Hydra's SQLite (DSN=memory) needs cgo: apt-get install gcc libc6-dev"

dir=${SSOCTL_HYDRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ssoctl-hydra}/$VERSION
bin=$dir/hydra
mkdir -p "$dir"
exec 9>"$dir/.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 3600 9 || die "another build-hydra.sh is still running (lock $dir/.lock)"
fi

gover=$(cd "$tool" && go env GOVERSION)
sum=$(cat "$tool/go.mod" "$tool/go.sum" | sha256sum | cut -d' ' -f1)
stamp="hydra=$VERSION module-sha256=$sum go=$gover recipe=$RECIPE"
if [ -x "$bin" ] && [ "$(cat "$dir/build.stamp" 2>/dev/null)" = "$stamp" ] && "$bin" version >/dev/null 2>&1; then
  say "up to date ($bin)"
  printf '%s\n' "$bin"
  exit 0
fi

say "building ORY Hydra $VERSION with $gover (cold: several minutes on two cores)"
rm -f "$bin" "$dir/build.stamp"
start=$(date +%s)
ldflags="-X github.com/ory/hydra/v2/driver/config.Version=$VERSION"
(cd "$tool" && CGO_ENABLED=1 GOFLAGS=-mod=readonly go build \
  -tags sqlite,sqlite_omit_load_extension -ldflags "$ldflags" -o "$bin.tmp" github.com/ory/hydra/v2 >&2) ||
  die "go build of Hydra failed (see above)"
mv "$bin.tmp" "$bin"
"$bin" version >/dev/null 2>&1 || die "the built $bin does not run ('hydra version' failed)"
printf '%s\n' "$stamp" >"$dir/build.stamp"
say "built in $(($(date +%s) - start)) s"
printf '%s\n' "$bin"
