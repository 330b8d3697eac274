#!/usr/bin/env bash
# Startup benchmark: `ssoctl version` against a minimal cobra binary, both built now the way goreleaser
# builds releases (static, trimmed, stripped). Target (issue 3): ssoctl ≤ 1.5× the peer.
# Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out/ssoctl" ./cmd/ssoctl
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out/cobrahello" ./bench/cobrahello
# An empty HOME and a config path that does not exist: version must read nothing anyway.
export HOME="$out" SSOCTL_CONFIG="$out/none.yaml"
hyperfine -N --warmup 20 --runs "${RUNS:-300}" --export-json "$out/startup.json" \
	"$out/cobrahello version" "$out/ssoctl version"
python3 - "$out/startup.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
peer, ours = r[0]["mean"], r[1]["mean"]
print(f"ratio ssoctl/cobrahello = {ours/peer:.2f} (peer {peer*1e3:.2f} ms, ssoctl {ours*1e3:.2f} ms)")
PY
