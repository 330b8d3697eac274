#!/usr/bin/env bash
# Tests what a release ships, on this machine (scripts/test.sh runs it; CI as root):
#   1. the GitHub Action's steps against a local release (scripts/test-action.sh);
#   2. `goreleaser check` of .goreleaser.yaml, when GoReleaser is built (see below);
#   3. as root on Debian: the .deb of .goreleaser.yaml's nfpms section, built by nFPM (the library
#      GoReleaser packages with) through tools/release/nfpmpkg, installed with dpkg -i; then
#      `ssoctl version`, `man ssoctl-validate` and bash completion must work, and dpkg -r must
#      leave nothing behind.
# GoReleaser is not built here unless asked: building v2.17.0 with empty caches downloaded 1.9 GB of
# modules and took 792 s of CPU (585 user + 207 sys; 1.2 GB of build cache, 1.6 GB peak memory), at
# least 6.6 minutes on two idle cores, against nFPM's 207 s and 0.3 GB (the nFPM command, a superset
# of tools/release/nfpmpkg). Run
#   scripts/test-packages.sh --build-goreleaser
# once to build it into ~/.cache/ssoctl-goreleaser/<version>; every later run then checks the file
# (0.4 s).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

GORELEASER_VERSION=v2.17.0 # the newest release whose go.mod asks for no newer Go than go.mod here
goreleaser_bin=${XDG_CACHE_HOME:-$HOME/.cache}/ssoctl-goreleaser/$GORELEASER_VERSION/goreleaser

if [ "${1:-}" = --build-goreleaser ]; then
	mkdir -p "$(dirname "$goreleaser_bin")"
	GOBIN=$(dirname "$goreleaser_bin") go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
	exit 0
fi

echo "== release: the GitHub Action's script, goreleaser check, the .deb (scripts/test-packages.sh)"
work=$(mktemp -d)
installed=
cleanup() {
	if [ -n "$installed" ]; then dpkg -r ssoctl >/dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "test-packages: $*" >&2
	exit 1
}

# One binary, built as .goreleaser.yaml builds it, for the action's archive and the package.
version=0.0.0-ci
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/ssoctl/ssoctl/pkg/build.Version=$version" -o "$work/ssoctl" ./cmd/ssoctl

SSOCTL_BIN=$work/ssoctl scripts/test-action.sh

if [ -x "$goreleaser_bin" ]; then
	"$goreleaser_bin" check
else
	echo "goreleaser $GORELEASER_VERSION is not built: skipping goreleaser check (scripts/test-packages.sh --build-goreleaser builds it)"
fi

if [ "$(id -u)" != 0 ] || ! command -v dpkg >/dev/null 2>&1; then
	echo "skipping the .deb install test: it needs root and dpkg"
	exit 0
fi
if dpkg -s ssoctl >/dev/null 2>&1; then
	fail "a package named ssoctl is installed already; remove it (dpkg -r ssoctl) to run the .deb test"
fi
# man (man-db) to read the pages, bash-completion to load completions by command name.
missing=()
command -v man >/dev/null 2>&1 || missing+=(man-db)
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
if [ ${#missing[@]} -gt 0 ]; then
	# Lock::Timeout: wait for another apt or dpkg run to finish instead of failing at once.
	apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq)
	export DEBIAN_FRONTEND=noninteractive
	"${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null ||
		{ "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${missing[@]}" >/dev/null; }
fi

deb=$work/ssoctl_${version}_$(go env GOARCH).deb
(cd tools/release && go run ./nfpmpkg -config "$root/.goreleaser.yaml" -binary "$work/ssoctl" \
	-version "$version" -arch "$(go env GOARCH)" -format deb -out "$deb")
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Architecture\|Maintainer\|Installed-Size\): /  deb \1: /p'
dpkg -i "$deb" >/dev/null
installed=1
# What the package put on the system: every path must be one of these.
dpkg -L ssoctl >"$work/files"
for want in /usr/bin/ssoctl /usr/share/bash-completion/completions/ssoctl /usr/share/zsh/vendor-completions/_ssoctl \
	/usr/share/fish/vendor_completions.d/ssoctl.fish /usr/share/doc/ssoctl/copyright \
	/usr/share/man/man1/ssoctl.1 /usr/share/man/man1/ssoctl-validate.1 /usr/share/man/man1/ssoctl-test-login.1; do
	grep -qx "$want" "$work/files" || fail "the .deb does not install $want"
done
[ "$(grep -c '^/usr/share/man/man1/ssoctl.*\.1$' "$work/files")" = "$(ls docs/man | wc -l)" ] ||
	fail "the .deb does not install every page of docs/man"

# A login shell's view: what a user gets after apt install.
got=$(env -i PATH=/usr/bin:/bin ssoctl version)
[ "$got" = "ssoctl version $version" ] || fail "ssoctl version printed \"$got\""
page=$(env -i PATH=/usr/bin:/bin MANWIDTH=80 man ssoctl-validate 2>&1) || fail "man ssoctl-validate failed: $(head -n 5 <<<"$page")"
grep -q 'ssoctl-validate *- Check the config file' <<<"$page" || fail "man ssoctl-validate shows no NAME line: $(head -n 5 <<<"$page")"
grep -q 'SSO014  error    redirect scheme, host or port differs' <<<"$page" || fail "man ssoctl-validate lost the code list's lines"
env -i PATH=/usr/bin:/bin MANWIDTH=80 man ssoctl >/dev/null 2>&1 || fail "man ssoctl failed"
# bash-completion loads /usr/share/bash-completion/completions/ssoctl on the first <Tab> after "ssoctl".
completions=$(env -i PATH=/usr/bin:/bin bash --norc --noprofile -c '
	. /usr/share/bash-completion/bash_completion
	_completion_loader ssoctl
	complete -p ssoctl >&2
	COMP_WORDS=(ssoctl vali); COMP_CWORD=1; COMP_LINE="ssoctl vali"; COMP_POINT=${#COMP_LINE}
	$(complete -p ssoctl | sed "s/.*-F \([^ ]*\) .*/\1/") ssoctl vali ssoctl
	printf "%s\n" "${COMPREPLY[@]}"' 2>"$work/complete") || { cat "$work/complete" >&2; fail "bash completion failed"; }
grep -qx 'validate' <<<"$completions" || { cat "$work/complete" >&2; fail "bash completion of \"ssoctl vali\" gave: $completions"; }

dpkg -r ssoctl >/dev/null
installed=
while read -r f; do
	if [ -f "$f" ] || [ -L "$f" ]; then fail "dpkg -r ssoctl left $f behind"; fi
done <"$work/files"
[ ! -e /usr/share/doc/ssoctl ] || fail "dpkg -r ssoctl left /usr/share/doc/ssoctl behind"
! dpkg -s ssoctl >/dev/null 2>&1 || fail "dpkg -r ssoctl left the package installed"
echo "deb: dpkg -i, ssoctl version, man ssoctl-validate, bash completion, dpkg -r: ok ($(wc -l <"$work/files") paths)"
