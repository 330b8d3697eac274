#!/usr/bin/env bash
# The steps of this repository's GitHub Action (action.yml), which runs them as
#   scripts/action.sh install    download the released ssoctl for this runner, verify its checksum,
#                                put it on the PATH
#   scripts/action.sh validate   ssoctl validate with workflow annotations, then the same as SARIF;
#                                exits with validate's exit code (0 ok, 1 findings, 2 unreadable)
# scripts/test-action.sh runs them here against a local archive (SSOCTL_DOWNLOAD_URL=file://…).
#
# Inputs (environment, as action.yml passes them):
#   INPUT_VERSION  a release tag (v1.2.0 or 1.2.0) or "latest"           (install)
#   INPUT_CONFIG   the config file; empty: validate's own lookup          (validate)
#   INPUT_ONLINE   "true": also check every provider against the provider (validate)
#   INPUT_STRICT   "true": warnings fail too                              (validate)
#   INPUT_SARIF    where to write the SARIF log (default ssoctl.sarif)    (validate)
#   SSOCTL_DOWNLOAD_URL  where the release assets are, <url>/<tag>/<file>
#                  (default https://github.com/ssoctl/ssoctl/releases/download)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH, GITHUB_OUTPUT: set by the runner
set -euo pipefail

repo_url=https://github.com/ssoctl/ssoctl
download_url=${SSOCTL_DOWNLOAD_URL:-$repo_url/releases/download}

fail() {
	# An annotation on the run, and the same sentence in the log.
	echo "::error title=ssoctl action::$*"
	exit 2
}

# platform sets os, arch and ext to goreleaser's names for this runner and its archive extension.
platform() {
	ext=tar.gz
	case "${RUNNER_OS:-$(uname -s)}" in
	Linux) os=linux ;;
	macOS | Darwin) os=darwin ;;
	Windows | MINGW* | MSYS*) os=windows ext=zip ;;
	*) fail "ssoctl has no release for the runner OS ${RUNNER_OS:-$(uname -s)}: it ships Linux, macOS and Windows builds" ;;
	esac
	case "${RUNNER_ARCH:-$(uname -m)}" in
	X64 | x86_64 | amd64) arch=amd64 ;;
	ARM64 | arm64 | aarch64) arch=arm64 ;;
	*) fail "ssoctl has no release for the runner architecture ${RUNNER_ARCH:-$(uname -m)}: it ships amd64 and arm64 builds" ;;
	esac
}

# latest_tag sets tag to the latest release's, from where GitHub's /releases/latest redirects.
latest_tag() {
	local url
	url=$(curl -sSfL -o /dev/null -w '%{url_effective}' "$repo_url/releases/latest") ||
		fail "cannot ask GitHub for ssoctl's latest release; set the action's version input to a tag such as v1.0.0"
	case "$url" in
	*/releases/tag/*) tag=${url##*/} ;;
	*) fail "GitHub did not name ssoctl's latest release ($url); set the action's version input to a tag such as v1.0.0" ;;
	esac
}

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d' ' -f1
	else
		shasum -a 256 "$1" | cut -d' ' -f1
	fi
}

install() {
	local version=${INPUT_VERSION:-latest} tag os arch ext archive dir want got
	if [ "$version" = latest ]; then latest_tag; else tag=v${version#v}; fi
	platform
	# goreleaser's archive name (.goreleaser.yaml: archives.name_template), without the tag's "v".
	archive=ssoctl_${tag#v}_${os}_${arch}.${ext}
	dir=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/ssoctl.XXXXXX")
	echo "downloading $archive ($tag)"
	curl -sSfL -o "$dir/checksums.txt" "$download_url/$tag/checksums.txt" ||
		fail "cannot download checksums.txt of ssoctl $tag from $download_url/$tag: is $tag a released version?"
	curl -sSfL -o "$dir/$archive" "$download_url/$tag/$archive" ||
		fail "cannot download $archive from $download_url/$tag: is there a $os/$arch build of ssoctl $tag?"
	# checksums.txt holds "<sha256>  <file>" per line.
	want=$(awk -v f="$archive" '$2 == f { print $1 }' "$dir/checksums.txt")
	[ -n "$want" ] || fail "checksums.txt of ssoctl $tag does not list $archive; refusing to install it"
	got=$(sha256 "$dir/$archive")
	[ "$got" = "$want" ] ||
		fail "$archive does not match checksums.txt (sha256 $got, expected $want); refusing to install it"
	mkdir -p "$dir/bin"
	if [ "$ext" = zip ]; then
		unzip -q -o "$dir/$archive" -d "$dir/unpacked"
		cp "$dir/unpacked/ssoctl.exe" "$dir/bin/"
	else
		tar -xzf "$dir/$archive" -C "$dir/bin" ssoctl
	fi
	rm -rf "$dir/unpacked" "$dir/$archive"
	echo "$dir/bin" >>"${GITHUB_PATH:-/dev/null}"
	"$dir/bin/ssoctl" version
	echo "path=$dir/bin" >>"${GITHUB_OUTPUT:-/dev/null}"
}

validate() {
	local args=() sarif=${INPUT_SARIF:-ssoctl.sarif} code=0
	[ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")
	[ "${INPUT_ONLINE:-false}" != true ] || args+=(--online)
	[ "${INPUT_STRICT:-false}" != true ] || args+=(--strict)
	# Annotations first: the runner turns "::error file=…,line=…::" lines into notes on the diff.
	ssoctl validate ${args[@]+"${args[@]}"} --format github || code=$?
	# Then the SARIF log for code scanning (written even when validate fails, and for an
	# unreadable file too, where it holds the SSO000 finding).
	mkdir -p "$(dirname "$sarif")"
	ssoctl validate ${args[@]+"${args[@]}"} --format sarif >"$sarif" || true
	echo "sarif=$sarif" >>"${GITHUB_OUTPUT:-/dev/null}"
	echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
	return "$code"
}

case "${1:-}" in
install) install ;;
validate) validate ;;
*)
	echo "usage: scripts/action.sh install|validate" >&2
	exit 2
	;;
esac
