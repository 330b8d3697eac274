#!/usr/bin/env bash
# Bulk mapping benchmark (issues 5 and 15): `ssoctl map eval` against jq 1.6 on the same file, in the
# same run (the machine is shared: absolute times are noise, ratios are what we compare), on two
# inputs of 200,000 userinfo documents from bench/genusers:
#   github  GitHub's GET /user (about 85 MB, few username conflicts), mapped with the github preset;
#           peer: jq -c '{name: .login, email: .email}'
#   oidc    OpenID Connect userinfo with a groups claim and a quarter of the users taking a taken
#           username (about 87 MB), mapped by a provider with a groups map; peer:
#           jq -c '{name: .preferred_username, email: .email, groups: .groups}'
# then one run of each tool on 2,000,000 lines of each (GNU time: wall, CPU, peak RSS), peak RSS at
# 200,000 lines, and a 500 MB export as one JSON array and as an array inside an object (a Keycloak
# realm export's users, map eval --array-path '$.users'), both streamed from a pipe.
# Targets: ssoctl ≥ 10× jq's throughput on both, peak RSS ≤ 64 MiB and not growing with the input.
# Needs jq and GNU time. RUNS (default 10) sets the number of runs at 200,000 lines.
# BASE=<revision> also builds ssoctl at that revision and times it in the same runs (before/after).
# Output goes to /dev/null for both tools, so the comparison is of the work, not of the disk.
# Throughput is MB/s (10^6 bytes of input a second of wall time) and documents a second; the CPU
# time (user + system) is printed beside it, since jq uses one core and ssoctl both: on a loaded
# machine compare ratios taken in the same run, and say the load average (printed as it goes).
#
#   RUNS=5 BASE=e2c3549 scripts/bench-map.sh     # issue 15's before/after table
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
# SMALL and LARGE are the two input sizes in lines, ARRAY the users of the 500 MB export: smaller
# values only to try the script out.
small=${SMALL:-200000} large=${LARGE:-2000000} array=${ARRAY:-1150000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -trimpath -o "$dir/ssoctl" ./cmd/ssoctl
go build -trimpath -o "$dir/genusers" ./bench/genusers
if [ -n "${BASE:-}" ]; then
	mkdir "$dir/base"
	git archive "$BASE" | tar -x -C "$dir/base"
	(cd "$dir/base" && go build -trimpath -o "$dir/ssoctl-base" ./cmd/ssoctl)
fi
for shape in github oidc; do
	"$dir/genusers" -shape $shape -n "$small" >"$dir/$shape-200k.ndjson"
	"$dir/genusers" -shape $shape -n "$large" >"$dir/$shape-2m.ndjson"
	printf '%s: 200k %s bytes, 2M %s bytes\n' $shape "$(wc -c <"$dir/$shape-200k.ndjson")" "$(wc -c <"$dir/$shape-2m.ndjson")"
done
cat >"$dir/oidc.yaml" <<'EOF'
version: 1
providers:
  - name: keycloak
    type: oidc
    issuer: https://sso.example.com/realms/staff
    client_id: files
    client_secret: env:KC_SECRET
    redirect_url: https://files.example.com/callback
    groups:
      claim: groups
      map: {"/staff": users, "/admins": admins, "/files/writers": writers, "/files/readers": readers}
    registration:
      enabled: true
EOF
export HOME="$dir"
uptime
# ours SHAPE FILE: the ssoctl command line for an input
ours() {
	case $1 in
	github) echo "$dir/ssoctl map eval --mapping-type github --input $2" ;; # the preset alone, no config
	oidc) echo "$dir/ssoctl map eval keycloak --input $2" ;;
	esac
}
peer() {
	case $1 in
	github) echo "jq -c {name:.login,email:.email} $2" ;;
	oidc) echo "jq -c {name:.preferred_username,email:.email,groups:.groups} $2" ;;
	esac
}
config() {
	case $1 in
	github) echo "$dir/none.yaml" ;;
	oidc) echo "$dir/oidc.yaml" ;;
	esac
}

# timed LABEL CMD...: one run under GNU time, appended to $dir/runs as "LABEL wall cpu rss".
timed() {
	local label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time.out" "$@" >/dev/null 2>&1 || true
	awk -v l="$label" '{printf "%s %s %s %s\n", l, $1, $2 + $3, $4 / 1024}' "$dir/time.out" >>"$dir/runs"
}

# summary SHAPE LINES BYTES: the median of each tool's runs, throughput and ratios to jq.
summary() {
	python3 - "$dir/runs" "$1" "$2" "$3" <<'PY'
import statistics, sys
path, shape, docs, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
runs = {}
for line in open(path):
    label, wall, cpu, rss = line.split()
    runs.setdefault(label, []).append((float(wall), float(cpu), float(rss)))
med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in runs.items()}
jq = med["jq"]
for label in ["jq", "ssoctl", "base"]:
    if label not in med:
        continue
    wall, cpu, rss = med[label]
    line = (f"{shape} {docs} lines  {label:<6} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak RSS {rss:5.1f} MiB"
            f"  {size/1e6/wall:6.1f} MB/s  {docs/wall:8.0f} docs/s")
    if label != "jq":
        line += f"  ratio to jq: wall {jq[0]/wall:4.1f}x, cpu {jq[1]/cpu:4.1f}x"
    print(line + f"  (median of {len(runs[label])})")
PY
}

# Each size: the tools in turn, run after run (jq, ssoctl, base, jq, ...), so that the load's drift
# falls on all of them alike; the medians are compared. RUNS runs at 200,000 lines, LARGE_RUNS
# (default 1) at 2,000,000, where jq takes most of a minute.
for shape in github oidc; do
	export SSOCTL_CONFIG
	SSOCTL_CONFIG=$(config $shape)
	in="$dir/$shape-200k.ndjson"
	printf '%s: ssoctl %s bytes out, jq %s bytes out\n' $shape "$($(ours $shape "$in") | wc -c)" "$($(peer $shape "$in") | wc -c)"
	for size in small large; do
		in="$dir/$shape-200k.ndjson" lines=$small n=$runs
		if [ $size = large ]; then
			in="$dir/$shape-2m.ndjson" lines=$large n=${LARGE_RUNS:-1}
		fi
		: >"$dir/runs"
		for _ in $(seq "$n"); do
			# shellcheck disable=SC2046
			timed jq $(peer $shape "$in")
			# shellcheck disable=SC2046
			timed ssoctl $(ours $shape "$in")
			if [ -n "${BASE:-}" ]; then
				# shellcheck disable=SC2046
				timed base $(ours $shape "$in" | sed "s|$dir/ssoctl |$dir/ssoctl-base |")
			fi
		done
		summary $shape "$lines" "$(wc -c <"$in")"
	done
	rm -f "$dir/$shape-2m.ndjson"
done
uptime

# A 500 MB export as one JSON array, and as the users of a realm export (an object holding the
# array, --array-path '$.users'), generated into a pipe (no file of that size): the array is
# streamed element by element, so memory stays where NDJSON's is.
SSOCTL_CONFIG="$dir/oidc.yaml"
n=$array
for form in array wrapped; do
	gen="'$dir/genusers' -shape oidc -array -n $n"
	flags=""
	if [ $form = wrapped ]; then
		gen="$gen -wrap users"
		flags="--array-path '\$.users'"
	fi
	bytes=$(sh -c "$gen" | wc -c)
	/usr/bin/time -v sh -c "$gen | '$dir/ssoctl' map eval keycloak --input - $flags | wc -l >'$dir/array.lines'" 2>"$dir/time.array" || true
	# GNU time reports the largest child: ssoctl, since genusers and wc stay small.
	rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.array")
	wall=$(awk -F': ' '/Elapsed/ {print $2}' "$dir/time.array")
	printf '%s: %s bytes, %s users out, peak RSS %.1f MiB (wall %s, generator included)\n' $form "$bytes" "$(cat "$dir/array.lines")" "$(echo "$rss / 1024" | bc -l)" "$wall"
done
uptime
