#!/usr/bin/env bash
# Bulk mapping benchmark (issue 5): `ssoctl map eval` over 200,000 synthetic GitHub /user documents
# (about 85 MB of NDJSON from bench/genusers) against `jq -c '{name: .login, email: .email}'` on the
# same file, in the same run; then peak RSS at 200,000 and 2,000,000 lines (/usr/bin/time -v).
# Targets: ssoctl ≥ 10× jq's throughput, peak RSS ≤ 64 MiB and not growing with the input.
# Needs jq and GNU time; uses hyperfine when installed. RUNS (default 10) sets the number of runs.
# Output goes to /dev/null for both tools, so the comparison is of the work, not of the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -trimpath -o "$dir/ssoctl" ./cmd/ssoctl
go build -trimpath -o "$dir/genusers" ./bench/genusers
"$dir/genusers" -n 200000 >"$dir/200k.ndjson"
"$dir/genusers" -n 2000000 >"$dir/2m.ndjson"
printf '200k: %s bytes, 2M: %s bytes\n' "$(wc -c <"$dir/200k.ndjson")" "$(wc -c <"$dir/2m.ndjson")"
# No config: the github preset alone, as an admin would try rules before writing them down.
export HOME="$dir" SSOCTL_CONFIG="$dir/none.yaml"
ours="$dir/ssoctl map eval --mapping-type github --input $dir/200k.ndjson"
peer="jq -c {name:.login,email:.email} $dir/200k.ndjson"

if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 2 --runs "$runs" --export-json "$dir/map.json" "$peer" "$ours" >&2
	python3 - "$dir/map.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
peer, ours = r[0], r[1]
print(f"jq     mean {peer['mean']*1e3:7.1f} ms  min {peer['min']*1e3:7.1f} ms")
print(f"ssoctl mean {ours['mean']*1e3:7.1f} ms  min {ours['min']*1e3:7.1f} ms")
print(f"throughput ratio ssoctl/jq: {peer['mean']/ours['mean']:.1f}x (means), {peer['min']/ours['min']:.1f}x (best runs)")
PY
else
	best() { # best wall time in ms of $runs runs of "$@"
		local b=999999 s e t
		for _ in $(seq "$runs"); do
			s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
			t=$(((e - s) / 1000000)); [ "$t" -lt "$b" ] && b=$t
		done
		echo "$b"
	}
	j=$(best jq -c '{name: .login, email: .email}' "$dir/200k.ndjson")
	o=$(best "$dir/ssoctl" map eval --mapping-type github --input "$dir/200k.ndjson")
	echo "jq ${j} ms, ssoctl ${o} ms: ratio $(python3 -c "print(f'{$j/$o:.1f}x')") (best of $runs)"
fi

for n in 200k 2m; do
	/usr/bin/time -v "$dir/ssoctl" map eval --mapping-type github --input "$dir/$n.ndjson" 2>"$dir/time.$n" >/dev/null
	rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.$n")
	wall=$(awk -F': ' '/Elapsed/ {print $2}' "$dir/time.$n")
	printf 'peak RSS %-4s %6.1f MiB  (wall %s)\n' "$n" "$(echo "$rss / 1024" | bc -l)" "$wall"
done
