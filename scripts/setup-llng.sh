#!/usr/bin/env bash
# Installs the real LemonLDAP::NG 2.16 OpenID Connect provider that e2e/llng logs in against:
# Debian bookworm's portal, its FastCGI server and nginx-light, without recommends. Nothing is started
# or configured here: the test harness (pkg/login/logintest/llng.go) runs its own FastCGI server and
# nginx on free loopback ports from a temp dir, so no systemd and no init script is needed.
#
# Usage: setup-llng.sh    (as root; idempotent: a second run only checks the packages are installed)
#
# Without root or apt-get it prints one line and exits 0, and the e2e/llng tests skip; under CI=true
# that, and any install failure, is an error (exit 1).
# Cold cost, measured on the shared 2-core dev machine (2026-12-07, `time bash scripts/setup-llng.sh`):
# 96 new packages plus Debian's perl security update (100 in all), 21.9 MB to download (about 10 s), 92 MB
# installed; 3 min 27 s with the perl update (first run) and 4 min 33 s without it on a busier machine
# (user+sys about 45 s: the rest is dpkg's unpacking and syncing).
set -euo pipefail

# libgd-securityimage-perl and libimage-magick-perl are only Recommends, but the portal loads its captcha
# module at every start, captcha used or not (Lemonldap/NG/Portal/Main/Init.pm, 2.16.1, "Load Captcha
# module"), and that module does `use GD::SecurityImage use_magick => 1` (Portal/Captcha/SecurityImage.pm):
# without both, every request answers 500 "Initialization failed". libstring-random-perl, a Recommends of
# liblemonldap-ng-common-perl, is what the OpenID Connect issuer needs (Portal/Issuer/OpenIDConnect.pm:
# `use String::Random`), and libio-string-perl, a Recommends of the portal, what every issuer module
# needs (Portal/Main/Issuer.pm: `use IO::String`).
PACKAGES=(liblemonldap-ng-portal-perl lemonldap-ng-fastcgi-server nginx-light
	libgd-securityimage-perl libimage-magick-perl libstring-random-perl libio-string-perl)

log() { printf 'setup-llng.sh: %s\n' "$*" >&2; }
skip_or_fail() {
	if [ "${CI:-}" = true ]; then
		log "error: $* (CI=true: the LemonLDAP::NG tests must run)"
		exit 1
	fi
	log "$*; the LemonLDAP::NG tests (e2e/llng) will skip"
	exit 0
}

missing=()
for pkg in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$pkg")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	skip_or_fail "no apt-get to install ${missing[*]}"
fi
if [ "$(id -u)" != 0 ]; then
	skip_or_fail "not root: run 'apt-get install --no-install-recommends ${PACKAGES[*]}' to enable them"
fi

# The packages' maintainer scripts would start nginx and llng-fastcgi-server through invoke-rc.d; a
# policy-rc.d that answers 101 ("action forbidden") stops that in a container or CI machine. An existing
# policy (Docker images ship one) is left as it is.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	own_policy=1
fi
cleanup() { if [ -n "$own_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

install() {
	DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${PACKAGES[@]}" >&2
}
log "installing ${missing[*]}"
if ! install; then
	# A stale package list (a fresh CI image) is the usual cause: refresh once and retry.
	apt-get update -qq -o DPkg::Lock::Timeout=600 >&2 || true
	install || skip_or_fail "apt-get install ${PACKAGES[*]} failed (output above)"
fi
# If some init system started them anyway, stop them: the tests run their own instances.
for svc in nginx lemonldap-ng-fastcgi-server; do
	if [ -x "/etc/init.d/$svc" ]; then
		"/etc/init.d/$svc" stop >/dev/null 2>&1 || true
	fi
done
