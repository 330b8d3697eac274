#!/usr/bin/env bash
# Startup benchmark: `ssoctl version` against a minimal cobra binary, both built now the way goreleaser
# builds releases (static, trimmed, stripped). Target (issue 3): ssoctl ≤ 1.5× the peer.
# Also timed: cobradeps, the peer linked with the libraries ssoctl must use and nothing else, whose
# package initialisation is a floor no ssoctl change can go under.
# Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for b in ssoctl:./cmd/ssoctl cobrahello:./bench/cobrahello cobradeps:./bench/cobradeps; do
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out/${b%%:*}" "${b#*:}"
done
# An empty HOME and a config path that does not exist: version must read nothing anyway.
export HOME="$out" SSOCTL_CONFIG="$out/none.yaml"
hyperfine -N --warmup 20 --runs "${RUNS:-300}" --export-json "$out/startup.json" \
	"$out/cobrahello version" "$out/cobradeps version" "$out/ssoctl version"
python3 - "$out/startup.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
peer, floor, ours = (x["mean"] for x in r)
print(f"ratio ssoctl/cobrahello = {ours/peer:.2f} (peer {peer*1e3:.2f} ms, ssoctl {ours*1e3:.2f} ms)")
print(f"floor cobradeps/cobrahello = {floor/peer:.2f} (cobradeps {floor*1e3:.2f} ms: required libraries only)")
PY
