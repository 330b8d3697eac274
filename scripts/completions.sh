#!/usr/bin/env bash
# Regenerates completions/ from `ssoctl completion <shell>`; with --check, fails when they drift.
# .goreleaser.yaml's before hook runs it too, so release archives ship current scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
out=completions
if [ "${1:-}" = "--check" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
bin=$(mktemp -d)/ssoctl
go build -o "$bin" ./cmd/ssoctl
"$bin" completion bash >"$out/ssoctl.bash"
"$bin" completion zsh >"$out/_ssoctl"
"$bin" completion fish >"$out/ssoctl.fish"
"$bin" completion powershell >"$out/ssoctl.ps1"
rm -rf "$(dirname "$bin")"
if [ "${1:-}" = "--check" ]; then
	if ! diff -r completions "$out" >/dev/null; then
		echo "completions/ is out of date: run scripts/completions.sh and commit the result" >&2
		diff -r completions "$out" | head -20 >&2
		exit 1
	fi
fi
