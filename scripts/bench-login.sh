#!/usr/bin/env bash
# test-login performance (issue 4): a full headless login with ssoctl's login use case against the local
# oidc-provider, compared with a bare x/oauth2 + go-oidc client doing the same flow. The two benchmarks
# run alternately ROUNDS times from one compiled test binary, so machine noise hits both alike; the
# script prints the median ns/op of each and their ratio. Target: ssoctl ≤ 1.2× the bare client.
# Needs node and testdata/oidcprovider/node_modules (npm ci there).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-7}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go test -c -o "$out/login.test" ./pkg/login
cd pkg/login
for _ in $(seq "$rounds"); do
	for b in LoginSsoctl LoginBareClient; do
		"$out/login.test" -test.run '^$' -test.bench "^Benchmark$b\$" -test.benchtime 200x | awk -v b="$b" '$1 ~ /^Benchmark/ {print b, $3}' >>"$out/results"
	done
done
python3 - "$out/results" <<'PY'
import statistics, sys
r = {}
for line in open(sys.argv[1]):
    name, ns = line.split()
    r.setdefault(name, []).append(float(ns))
s, b = statistics.median(r["LoginSsoctl"]), statistics.median(r["LoginBareClient"])
print(f"median ns/op: ssoctl {s:.0f}, bare client {b:.0f}; ratio {s/b:.2f} over {len(r['LoginSsoctl'])} rounds")
PY
