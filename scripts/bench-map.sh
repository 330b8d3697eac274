#!/usr/bin/env bash
# Bulk mapping benchmark (issues 5 and 15): `ssoctl map eval` against jq 1.6 on the same file, in the
# same run (the machine is shared: absolute times are noise, ratios are what we compare), on two
# inputs of 200,000 userinfo documents from bench/genusers:
#   github  GitHub's GET /user (about 85 MB, few username conflicts), mapped with the github preset;
#           peer: jq -c '{name: .login, email: .email}'
#   oidc    OpenID Connect userinfo with a groups claim and a quarter of the users taking a taken
#           username (about 87 MB), mapped by a provider with a groups map; peer:
#           jq -c '{name: .preferred_username, email: .email, groups: .groups}'
# then peak RSS (GNU time) at 200,000 and 2,000,000 lines of each, and of a 500 MB JSON array (an
# identity provider's export, one array, streamed from a pipe).
# Targets: ssoctl ≥ 10× jq's throughput on both, peak RSS ≤ 64 MiB and not growing with the input.
# Needs jq and GNU time; uses hyperfine when installed. RUNS (default 10) sets the number of runs.
# BASE=<revision> also builds ssoctl at that revision and times it in the same runs (before/after).
# Output goes to /dev/null for both tools, so the comparison is of the work, not of the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
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
	"$dir/genusers" -shape $shape -n 200000 >"$dir/$shape-200k.ndjson"
	"$dir/genusers" -shape $shape -n 2000000 >"$dir/$shape-2m.ndjson"
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

for shape in github oidc; do
	export SSOCTL_CONFIG
	SSOCTL_CONFIG=$(config $shape)
	in="$dir/$shape-200k.ndjson"
	printf '%s: ssoctl %s bytes out, jq %s bytes out\n' $shape "$($(ours $shape "$in") | wc -c)" "$($(peer $shape "$in") | wc -c)"
	if command -v hyperfine >/dev/null; then
		base=()
		if [ -n "${BASE:-}" ]; then
			base=("$(ours $shape "$in" | sed "s|$dir/ssoctl |$dir/ssoctl-base |")")
		fi
		hyperfine -N --warmup 2 --runs "$runs" --export-json "$dir/$shape.json" "$(peer $shape "$in")" "$(ours $shape "$in")" "${base[@]}" >&2
		python3 - "$dir/$shape.json" "$shape" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
peer, ours = r[0], r[1]
s = sys.argv[2]
if len(r) > 2:
    b = r[2]
    print(f"{s}: base   mean {b['mean']*1e3:7.1f} ms  min {b['min']*1e3:7.1f} ms  cpu {(b['user']+b['system'])*1e3:7.1f} ms"
          f"  ratio base/jq {peer['mean']/b['mean']:.1f}x (means), cpu {(peer['user']+peer['system'])/(b['user']+b['system']):.1f}x")
print(f"{s}: jq     mean {peer['mean']*1e3:7.1f} ms  min {peer['min']*1e3:7.1f} ms  cpu {(peer['user']+peer['system'])*1e3:7.1f} ms")
print(f"{s}: ssoctl mean {ours['mean']*1e3:7.1f} ms  min {ours['min']*1e3:7.1f} ms  cpu {(ours['user']+ours['system'])*1e3:7.1f} ms")
print(f"{s}: throughput ratio ssoctl/jq: {peer['mean']/ours['mean']:.1f}x (means), {peer['min']/ours['min']:.1f}x (best runs), "
      f"cpu ratio {(peer['user']+peer['system'])/(ours['user']+ours['system']):.1f}x")
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
	for n in 200k 2m; do
		for bin in ssoctl ${BASE:+ssoctl-base}; do
			# shellcheck disable=SC2046
			/usr/bin/time -v $(ours $shape "$dir/$shape-$n.ndjson" | sed "s|$dir/ssoctl |$dir/$bin |") 2>"$dir/time.$n" >/dev/null || true
			rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.$n")
			wall=$(awk -F': ' '/Elapsed/ {print $2}' "$dir/time.$n")
			printf '%s: %-11s peak RSS %-4s %6.1f MiB  (wall %s)\n' $shape $bin $n "$(echo "$rss / 1024" | bc -l)" "$wall"
		done
	done
	rm -f "$dir/$shape-2m.ndjson"
done

# A 500 MB export as one JSON array, generated into a pipe (no file of that size): the array is
# streamed element by element, so memory stays where NDJSON's is.
SSOCTL_CONFIG="$dir/oidc.yaml"
n=1150000
bytes=$("$dir/genusers" -shape oidc -array -n $n | wc -c)
/usr/bin/time -v sh -c "'$dir/genusers' -shape oidc -array -n $n | '$dir/ssoctl' map eval keycloak --input - | wc -l >'$dir/array.lines'" 2>"$dir/time.array" || true
# GNU time reports the largest child: ssoctl, since genusers and wc stay small.
rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.array")
printf 'array: %s bytes, %s users out, peak RSS %.1f MiB\n' "$bytes" "$(cat "$dir/array.lines")" "$(echo "$rss / 1024" | bc -l)"
uptime
