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
# Needs jq and GNU time; uses hyperfine when installed. RUNS (default 10) sets the number of runs.
# BASE=<revision> also builds ssoctl at that revision and times it in the same runs (before/after).
# Output goes to /dev/null for both tools, so the comparison is of the work, not of the disk.
# Throughput is MB/s (10^6 bytes of input a second of wall time) and documents a second; the CPU
# time (user + system) is printed beside it, since jq uses one core and ssoctl both: on a loaded
# machine compare ratios taken in the same run, and say the load average (printed before and after).
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

# timed LABEL BYTES DOCS CMD...: one run under GNU time; prints wall, CPU, peak RSS and throughput.
timed() {
	local label=$1 bytes=$2 docs=$3
	shift 3
	/usr/bin/time -v "$@" 2>"$dir/time.out" >/dev/null || true
	python3 - "$dir/time.out" "$label" "$bytes" "$docs" <<'PY'
import sys
t = {}
for line in open(sys.argv[1]):
    k, _, v = line.strip().rpartition(": ")
    t[k] = v
label, size, docs = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
parts = t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
wall = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(t["User time (seconds)"]) + float(t["System time (seconds)"])
rss = int(t["Maximum resident set size (kbytes)"]) / 1024
print(f"{label:<28} wall {wall:7.2f} s  cpu {cpu:7.2f} s  peak RSS {rss:6.1f} MiB  {size/1e6/wall:7.1f} MB/s  {docs/wall:9.0f} docs/s  ({docs/cpu:9.0f} docs per CPU second)")
PY
}

for shape in github oidc; do
	export SSOCTL_CONFIG
	SSOCTL_CONFIG=$(config $shape)
	in="$dir/$shape-200k.ndjson"
	bytes=$(wc -c <"$in")
	printf '%s: ssoctl %s bytes out, jq %s bytes out\n' $shape "$($(ours $shape "$in") | wc -c)" "$($(peer $shape "$in") | wc -c)"
	if command -v hyperfine >/dev/null; then
		base=()
		if [ -n "${BASE:-}" ]; then
			base=("$(ours $shape "$in" | sed "s|$dir/ssoctl |$dir/ssoctl-base |")")
		fi
		hyperfine -N --warmup 2 --runs "$runs" --export-json "$dir/$shape.json" "$(peer $shape "$in")" "$(ours $shape "$in")" "${base[@]}" >&2
		python3 - "$dir/$shape.json" "$shape" "$bytes" "$small" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
s, size, docs = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
peer = r[0]
cpu = lambda x: x["user"] + x["system"]
for name, x in [("jq", r[0]), ("ssoctl", r[1])] + ([("base", r[2])] if len(r) > 2 else []):
    line = (f"{s} {docs} lines: {name:<6} mean {x['mean']*1e3:7.1f} ms  min {x['min']*1e3:7.1f} ms  cpu {cpu(x)*1e3:7.1f} ms"
            f"  {size/1e6/x['mean']:7.1f} MB/s  {docs/x['mean']:9.0f} docs/s")
    if x is not peer:
        line += f"  ratio to jq {peer['mean']/x['mean']:.1f}x (means), {peer['min']/x['min']:.1f}x (best runs), cpu {cpu(peer)/cpu(x):.1f}x"
    print(line)
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
		# shellcheck disable=SC2046
		j=$(best $(peer $shape "$in"))
		# shellcheck disable=SC2046
		o=$(best $(ours $shape "$in"))
		echo "$shape: jq ${j} ms, ssoctl ${o} ms: ratio $(python3 -c "print(f'{$j/$o:.1f}x')") (best of $runs)"
	fi
	for bin in ssoctl ${BASE:+ssoctl-base}; do
		# shellcheck disable=SC2046
		timed "$shape $small $bin" "$bytes" "$small" $(ours $shape "$in" | sed "s|$dir/ssoctl |$dir/$bin |")
	done
	# 2M lines: one run of each, in turn (jq takes half a minute).
	in="$dir/$shape-2m.ndjson"
	bytes=$(wc -c <"$in")
	# shellcheck disable=SC2046
	timed "$shape $large jq" "$bytes" "$large" $(peer $shape "$in")
	for bin in ssoctl ${BASE:+ssoctl-base}; do
		# shellcheck disable=SC2046
		timed "$shape $large $bin" "$bytes" "$large" $(ours $shape "$in" | sed "s|$dir/ssoctl |$dir/$bin |")
	done
	rm -f "$dir/$shape-2m.ndjson"
done

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
