#!/usr/bin/env bash
# Tests what a release ships, on this machine (scripts/test.sh runs it; CI as root):
#   1. the GitHub Action's steps against a local release (scripts/test-action.sh);
#   2. `goreleaser check` of .goreleaser.yaml, when GoReleaser is built (see below);
#   3. the three packages of .goreleaser.yaml's nfpms section, built by nFPM (the library GoReleaser
#      packages with) through tools/release/nfpmpkg; each must hold exactly the expected files, with
#      the expected modes and the bytes of their sources (check_tree):
#      - .apk: read with tar (an .apk is gzipped tar segments), as no apk-tools or kept Go apk library
#        is to be had here (Debian has no apk-tools; the Go proxy refuses Alpine's
#        gitlab.alpinelinux.org/alpine/go, and chainguard-dev/go-apk's README says it is no longer
#        maintained, folded into apko, which the proxy does not have); runs for anyone. Checks
#        .PKGINFO's datahash (with python3); not a signature (none: no nFPM key is configured,
#        hence README's apk add --allow-untrusted);
#      - as root with apt (Debian): the .deb installed with dpkg -i; `ssoctl version`,
#        `man ssoctl-validate` and bash completion must work, and dpkg -r must leave nothing behind;
#      - as root with apt: the .rpm installed with Debian's rpm into a scratch root with its own
#        database (never onto /, so no run, however it ends, leaves a file or an rpm database entry
#        on the machine); the installed `ssoctl version` runs chrooted there, and rpm -e must leave
#        nothing behind. Debian's rpm, when missing, is apt-installed in the background while the
#        binary builds: 12 packages, 11.9 MB, 24 s wall and 10 s CPU (5.9 user + 4.0 sys) cold at
#        load 6-8, 2026-12-08. The whole script took 47 s wall and 32 s CPU with that install cold,
#        73 s and 27 s with rpm installed (load 8-12: the wall is noise); the .rpm's own steps cost
#        2.6 s CPU (nfpmpkg 1.9 s, rpm -i 0.2 s, cmp 0.3 s, the rest under 0.1 s).
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

echo "== release: the GitHub Action's script, goreleaser check, the .apk, .deb and .rpm (scripts/test-packages.sh)"
work=$(mktemp -d)
deb_installed=
cleanup() {
	if [ -n "$deb_installed" ]; then dpkg -r ssoctl >/dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "test-packages: $*" >&2
	exit 1
}

arch=$(go env GOARCH)
version=0.0.0-ci

# The install tests need root and apt (Debian); the tools they use are installed in the background
# while the binary builds: man (man-db) to read the pages, bash-completion to load completions by
# command name, rpm for the .rpm.
install_tests=
tools_pid=
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
	echo "skipping the .deb and .rpm install tests: they need root, apt-get and dpkg (Debian)"
else
	install_tests=1
	if dpkg -s ssoctl >/dev/null 2>&1; then
		fail "a package named ssoctl is installed already; remove it (dpkg -r ssoctl) to run the .deb test"
	fi
	missing=()
	command -v man >/dev/null 2>&1 || missing+=(man-db)
	[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
	command -v rpm >/dev/null 2>&1 || missing+=(rpm)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "apt-get install ${missing[*]} in the background"
		(
			# Lock::Timeout: wait for another apt or dpkg run to finish instead of failing at once.
			apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq)
			export DEBIAN_FRONTEND=noninteractive
			"${apt[@]}" install --no-install-recommends "${missing[@]}" ||
				{ "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${missing[@]}"; }
		) >"$work/apt.log" 2>&1 &
		tools_pid=$!
	fi
fi

# One binary, built as .goreleaser.yaml builds it, for the action's archive and the packages.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/ssoctl/ssoctl/pkg/build.Version=$version" -o "$work/ssoctl" ./cmd/ssoctl

SSOCTL_BIN=$work/ssoctl scripts/test-action.sh

if [ -x "$goreleaser_bin" ]; then
	"$goreleaser_bin" check
else
	echo "goreleaser $GORELEASER_VERSION is not built: skipping goreleaser check (scripts/test-packages.sh --build-goreleaser builds it)"
fi

# build_package FORMAT: nfpmpkg's package of the binary, in $work/ssoctl.FORMAT.
build_package() {
	(cd tools/release && go run ./nfpmpkg -config "$root/.goreleaser.yaml" -binary "$work/ssoctl" \
		-version "$version" -arch "$arch" -format "$1" -out "$work/ssoctl.$1")
}

# expected_files FORMAT: "source destination mode" of every file a package must install, and no more.
# zsh and the license go where each system keeps them (see .goreleaser.yaml).
expected_files() {
	echo "$work/ssoctl /usr/bin/ssoctl 755"
	echo "completions/ssoctl.bash /usr/share/bash-completion/completions/ssoctl 644"
	echo "completions/ssoctl.fish /usr/share/fish/vendor_completions.d/ssoctl.fish 644"
	for page in docs/man/*.1; do echo "$page /usr/share/man/man1/${page#docs/man/} 644"; done
	case $1 in
	deb)
		echo "completions/_ssoctl /usr/share/zsh/vendor-completions/_ssoctl 644"
		echo "LICENSE /usr/share/doc/ssoctl/copyright 644"
		;;
	rpm | apk)
		echo "completions/_ssoctl /usr/share/zsh/site-functions/_ssoctl 644"
		echo "LICENSE /usr/share/licenses/ssoctl/LICENSE 644"
		;;
	esac
}

# check_tree FORMAT ROOT LISTED: the package's own list of its regular files (LISTED, one absolute path
# a line) is exactly expected_files FORMAT, and under ROOT each is a regular file with the expected
# mode, root's (when run as root: an unpacking by a user owns its files) and its source's bytes.
check_tree() {
	local format=$1 tree=$2 listed=$3 src dst mode got
	expected_files "$format" | awk '{print $2}' | sort >"$work/want.$format"
	sort -o "$listed" "$listed"
	diff "$work/want.$format" "$listed" >"$work/diff.$format" ||
		fail "the .$format's files differ from the expected ones (< expected, > in the package): $(cat "$work/diff.$format")"
	while read -r src dst mode; do
		[ -f "$tree$dst" ] && [ ! -L "$tree$dst" ] || fail "the .$format did not put a regular file at $dst"
		got=$(stat -c '%a %u:%g' "$tree$dst")
		[ "$(id -u)" = 0 ] || got="${got% *} 0:0"
		[ "$got" = "$mode 0:0" ] || fail "the .$format's $dst has mode and owner $got, want $mode 0:0"
		cmp -s "$src" "$tree$dst" || fail "the .$format's $dst differs from $src"
	done < <(expected_files "$format")
}

# test_apk: no apk-tools here, so the .apk is read, not installed. An .apk is gzipped tar segments
# (an optional signature, .PKGINFO, then the files) that tar reads as one archive.
test_apk() {
	local apk=$work/ssoctl.apk tar=(tar --warning=no-unknown-keyword)
	build_package apk
	mkdir "$work/apk"
	"${tar[@]}" -xpzf "$apk" -C "$work/apk"
	"${tar[@]}" -tzvf "$apk" >"$work/list.apk"
	# The files: every entry but the control ones (.PKGINFO, .SIGN.*, scripts), which start with a dot.
	awk '/^-/ && $NF !~ /^\./ {print "/" $NF}' "$work/list.apk" >"$work/files.apk"
	! awk '$NF !~ /^\./ {print $2}' "$work/list.apk" | grep -vx root/root ||
		fail "the .apk has entries not owned by root: $(cat "$work/list.apk")"
	check_tree apk "$work/apk" "$work/files.apk"
	local info=$work/apk/.PKGINFO want got
	for want in "pkgname = ssoctl" "pkgver = ${version//-/_}" "arch = $(uname -m)" "license = MIT"; do
		grep -qx "$want" "$info" || fail "the .apk's .PKGINFO has no line \"$want\": $(cat "$info")"
	done
	# apk add checks the files' segment against .PKGINFO's datahash (its sha256); so does this.
	if ! command -v python3 >/dev/null 2>&1; then
		echo "no python3: skipping the check of the .apk's datahash"
	else
		got=$(python3 - "$apk" <<-'EOF'
			import hashlib, sys, zlib
			rest, segments = open(sys.argv[1], "rb").read(), []
			while rest:  # each segment is one gzip stream: split where zlib's stream ends
			    d = zlib.decompressobj(wbits=31)
			    d.decompress(rest)
			    if not d.eof:
			        sys.exit("truncated gzip segment")
			    segments.append(rest[: len(rest) - len(d.unused_data)])
			    rest = d.unused_data
			print(hashlib.sha256(segments[-1]).hexdigest())
		EOF
		) || fail "the .apk's gzip segments could not be read (python3's message above)"
		grep -qx "datahash = $got" "$info" || fail "the .apk's files hash to $got, not .PKGINFO's $(grep datahash "$info")"
	fi
	echo "apk: files, modes, bytes, .PKGINFO and datahash: ok ($(wc -l <"$work/files.apk") files; not installed: no apk-tools on Debian)"
}

# test_deb: installed with dpkg -i onto this machine, used as a user would, and removed.
test_deb() {
	local deb=$work/ssoctl.deb
	build_package deb
	dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Architecture\|Maintainer\|Installed-Size\): /  deb \1: /p'
	dpkg -i "$deb" >/dev/null
	deb_installed=1
	# What the package put on the system, directories too.
	dpkg -L ssoctl >"$work/paths.deb"
	while read -r p; do if [ -f "$p" ]; then echo "$p"; fi; done <"$work/paths.deb" >"$work/files.deb"
	check_tree deb "" "$work/files.deb"

	# A login shell's view: what a user gets after apt install.
	local got page completions
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
	deb_installed=
	while read -r f; do
		if [ -f "$f" ] || [ -L "$f" ]; then fail "dpkg -r ssoctl left $f behind"; fi
	done <"$work/paths.deb"
	[ ! -e /usr/share/doc/ssoctl ] || fail "dpkg -r ssoctl left /usr/share/doc/ssoctl behind"
	! dpkg -s ssoctl >/dev/null 2>&1 || fail "dpkg -r ssoctl left the package installed"
	echo "deb: dpkg -i, files, modes, bytes, ssoctl version, man ssoctl-validate, bash completion, dpkg -r: ok ($(wc -l <"$work/files.deb") files)"
}

# test_rpm: installed with rpm into a scratch root with its own database, run there, and removed.
# The man pages and completions are the .deb's files (check_tree compares both with their sources);
# man and bash completion are tested with the .deb.
test_rpm() {
	local pkg=$work/ssoctl.rpm tree=$work/rpmroot got
	build_package rpm
	# Every rpm call, queries of the file too, uses the scratch root's database: Debian's rpm keeps
	# its own in ~/.rpmdb, which even rpm -qp creates. It warns on every install and erase that alien
	# is the Debian way; a scratch root is what rpm is for here.
	rpm_in() { rpm --root "$tree" --dbpath /var/lib/rpm "$@" 2> >(grep -v -e 'use Alien instead' -e 'assuming you know what you are doing' >&2); }
	mkdir "$tree"
	rpm_in --initdb
	rpm_in -qp --qf '  rpm %{NAME} %{VERSION}-%{RELEASE} %{ARCH}, requires: [%{REQUIRENAME} ]\n' "$pkg"
	# No --nodeps: the package must need nothing (a static binary), as nothing is installed there.
	rpm_in -i "$pkg" || fail "rpm -i of the .rpm failed"
	rpm_in -q ssoctl >/dev/null || fail "rpm -q ssoctl after rpm -i: not installed"
	rpm_in -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$pkg" | awk '/^-/ {print $2}' >"$work/files.rpm"
	check_tree rpm "$tree" "$work/files.rpm"
	# The scratch root holds nothing but the package: the binary must run with no system around it.
	got=$(env -i PATH=/usr/bin:/bin /usr/sbin/chroot "$tree" /usr/bin/ssoctl version)
	[ "$got" = "ssoctl version $version" ] || fail "the .rpm's ssoctl version printed \"$got\""

	rpm_in -e ssoctl || fail "rpm -e ssoctl failed"
	! rpm_in -q ssoctl >/dev/null 2>&1 || fail "rpm -e ssoctl left the package in the database"
	# Left may be only the database and the shared directories other packages own on a real system
	# (filesystem, bash-completion, fish, zsh, man-db): no file, nothing named ssoctl.
	got=$(find "$tree" -path "$tree/var/lib/rpm" -prune -o \( ! -type d -o -name '*ssoctl*' \) -print)
	[ -z "$got" ] || fail "rpm -e ssoctl left behind: ${got//$tree/}"
	echo "rpm: rpm -i into a scratch root, files, modes, bytes, ssoctl version, rpm -e: ok ($(wc -l <"$work/files.rpm") files)"
}

test_apk
if [ -z "$install_tests" ]; then exit 0; fi
if [ -n "$tools_pid" ] && ! wait "$tools_pid"; then
	cat "$work/apt.log" >&2
	fail "apt-get install ${missing[*]} failed (output above)"
fi
test_deb
test_rpm
