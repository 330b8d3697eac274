#!/usr/bin/env bash
# Tests the GitHub Action's steps (scripts/action.sh, as action.yml runs them) against a local
# release: an archive of a `go build` of this checkout and a checksums.txt in goreleaser's names and
# format, served as file:// URLs (SSOCTL_BIN: a binary built already, with version 0.0.0-test or not). A good config passes, a bad one fails with its annotation, an
# unreadable one exits 2, and an archive that does not match its checksum is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
	echo "test-action: $*" >&2
	exit 1
}

# A release v0.0.0-test for this machine, laid out as GitHub serves releases: <url>/<tag>/<file>.
case "$(uname -m)" in x86_64 | amd64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) fail "no build for $(uname -m)" ;; esac
rel=$work/releases/v0.0.0-test
mkdir -p "$rel" "$work/build"
if [ -n "${SSOCTL_BIN:-}" ]; then
	cp "$SSOCTL_BIN" "$work/build/ssoctl"
else
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/ssoctl/ssoctl/pkg/build.Version=0.0.0-test" -o "$work/build/ssoctl" ./cmd/ssoctl
fi
archive=ssoctl_0.0.0-test_linux_${arch}.tar.gz
tar -czf "$rel/$archive" -C "$work/build" ssoctl
(cd "$rel" && sha256sum "$archive" >checksums.txt)

# run_action STEP LOG [VAR=VALUE…]: runs a step of the action in a fresh runner environment in
# $work/run (PATH gets what the install step added), leaving its stdout in LOG; returns its code.
run_action() {
	local step=$1 log=$2
	shift 2
	(
		cd "$work/run"
		path=$PATH
		if [ -s "$work/runner/path" ]; then path=$(tr '\n' ':' <"$work/runner/path")$PATH; fi
		env PATH="$path" RUNNER_OS=Linux RUNNER_ARCH="$([ "$arch" = amd64 ] && echo X64 || echo ARM64)" \
			RUNNER_TEMP="$work/runner/temp" GITHUB_PATH="$work/runner/path" GITHUB_OUTPUT="$work/runner/output" \
			SSOCTL_DOWNLOAD_URL="file://$work/releases" "$@" "$root/scripts/action.sh" "$step"
	) >"$log" 2>&1
}

new_runner() {
	rm -rf "$work/runner" "$work/run"
	mkdir -p "$work/runner/temp" "$work/run"
	: >"$work/runner/path"
	: >"$work/runner/output"
	cat >"$work/run/good.yaml" <<'YAML'
version: 1
app: {kind: alist, url: https://files.example.com}
providers:
  - name: github
    type: github
    client_id: Iv1.abc
    client_secret: env:GITHUB_CLIENT_SECRET
    redirect_url: https://files.example.com/api/auth/sso_callback
YAML
	sed 's|redirect_url: https://files.example.com|redirect_url: https://other.example.com|' "$work/run/good.yaml" >"$work/run/bad.yaml"
	printf 'version: 1\nproviders: [\n' >"$work/run/broken.yaml"
}

expect_code() { # WANT GOT LOG WHAT
	[ "$1" = "$2" ] || { cat "$3" >&2; fail "$4: exit code $2, want $1"; }
}

new_runner
code=0; run_action install "$work/log" INPUT_VERSION=v0.0.0-test || code=$?
expect_code 0 "$code" "$work/log" "install"
grep -q '^ssoctl version ' "$work/log" || { cat "$work/log" >&2; fail "install did not run the installed ssoctl"; }
grep -q "^$work/runner/temp/ssoctl\..*/bin\$" "$work/runner/path" || fail "install did not add its bin directory to GITHUB_PATH"

# A good config: exit 0, no error annotation, a SARIF log, exit-code=0 in the step's outputs.
code=0; run_action validate "$work/log" INPUT_CONFIG=good.yaml GITHUB_CLIENT_SECRET=set || code=$?
expect_code 0 "$code" "$work/log" "validate good.yaml"
! grep -q '^::error' "$work/log" || fail "validate good.yaml printed an error annotation"
grep -q '"version": "2.1.0"' "$work/run/ssoctl.sarif" || fail "validate good.yaml wrote no SARIF 2.1.0 log"
grep -qx 'exit-code=0' "$work/runner/output" || fail "validate good.yaml did not set exit-code=0"

# The same file without the secret in the environment: a warning annotation, which --strict fails.
code=0; run_action validate "$work/log" INPUT_CONFIG=good.yaml || code=$?
expect_code 0 "$code" "$work/log" "validate good.yaml with a warning"
grep -q '^::warning file=good.yaml,line=7,col=20,title=SSO061 ' "$work/log" || { cat "$work/log" >&2; fail "no SSO061 warning annotation"; }
code=0; run_action validate "$work/log" INPUT_CONFIG=good.yaml INPUT_STRICT=true || code=$?
expect_code 1 "$code" "$work/log" "validate good.yaml with a warning, strict"

# A bad config: exit 1 and the finding as an error annotation at its line and column, in SARIF too.
: >"$work/runner/output"
code=0; run_action validate "$work/log" INPUT_CONFIG=bad.yaml GITHUB_CLIENT_SECRET=set INPUT_SARIF=out/bad.sarif || code=$?
expect_code 1 "$code" "$work/log" "validate bad.yaml"
grep -q '^::error file=bad.yaml,line=8,col=19,title=SSO014 ' "$work/log" || { cat "$work/log" >&2; fail "no SSO014 error annotation for bad.yaml"; }
grep -q '"ruleId": "SSO014"' "$work/run/out/bad.sarif" || fail "the SARIF log lacks SSO014"
grep -qx 'exit-code=1' "$work/runner/output" || fail "validate bad.yaml did not set exit-code=1"

# A file that does not parse: exit 2.
code=0; run_action validate "$work/log" INPUT_CONFIG=broken.yaml || code=$?
expect_code 2 "$code" "$work/log" "validate broken.yaml"

# An archive that does not match checksums.txt is refused, and nothing is put on the PATH.
new_runner
cp "$rel/checksums.txt" "$work/checksums.good"
# The same line with another first hex digit.
awk '{ print ($1 ~ /^0/ ? "1" : "0") substr($1, 2) "  " $2 }' "$work/checksums.good" >"$rel/checksums.txt"
cmp -s "$rel/checksums.txt" "$work/checksums.good" && fail "the tampered checksums.txt is the same"
code=0; run_action install "$work/log" INPUT_VERSION=0.0.0-test || code=$?
expect_code 2 "$code" "$work/log" "install with a wrong checksum"
grep -q "^::error title=ssoctl action::$archive does not match checksums.txt" "$work/log" || { cat "$work/log" >&2; fail "no checksum refusal"; }
[ ! -s "$work/runner/path" ] || fail "install put a binary that failed its checksum on the PATH"
# And so is an archive checksums.txt does not list.
grep -v "$archive" "$work/checksums.good" >"$rel/checksums.txt" || true
code=0; run_action install "$work/log" INPUT_VERSION=0.0.0-test || code=$?
expect_code 2 "$code" "$work/log" "install of an archive checksums.txt does not list"
grep -q "does not list $archive; refusing to install it" "$work/log" || { cat "$work/log" >&2; fail "no refusal of an unlisted archive"; }

echo "action: install (checksum verified), validate good/bad/strict/unreadable, checksum mismatch refused: ok"
