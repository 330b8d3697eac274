#!/usr/bin/env bash
# test-login performance (issues 4 and 13), two ways, both against the local oidc-provider with the same
# scripted browser (pkg/login/logintest), target ssoctl ≤ 1.2× the bare client:
#
#   scripts/bench-login.sh            in process: ssoctl's login use case against a bare x/oauth2 +
#                                     go-oidc client doing the same flow. The two benchmarks run
#                                     alternately ROUNDS times from one compiled test binary, so machine
#                                     noise hits both alike; prints the median ns/op of each and the ratio.
#   scripts/bench-login.sh process    whole processes, with hyperfine (apt-get install hyperfine):
#                                     `ssoctl test-login` (with and without the pre-flight) against
#                                     bench/barelogin, each a fresh process that opens $BROWSER=testbrowser;
#                                     RUNS runs each (default 60) in ROUNDS rounds (default 6): hyperfine
#                                     runs one command's runs back to back, so each round runs every
#                                     command RUNS/ROUNDS times and a change of machine load between
#                                     rounds hits all commands alike; prints the medians over all runs,
#                                     the ratios, and the mean CPU time (user + system),
#                                     which a loaded machine disturbs less than wall time. Also timed, to
#                                     split ssoctl's overhead into start-up and login: `barelogin version`
#                                     and `ssoctl version` (start, print a line, exit); "login part" is
#                                     each login's CPU time less its binary's start-up CPU time.
#                                     BASE=<git revision> adds ssoctl built from that revision
#                                     (rows base-…), for a before/after comparison in one run.
#                                     Then FAULT_RUNS runs of each (default 10, interleaved) count
#                                     minor page faults (rusage ru_minflt, the browser's included
#                                     like its CPU time): a count machine load barely moves, where
#                                     CPU time moves by several ms on a busy machine. On a virtual
#                                     machine each fault costs microseconds, and most of ssoctl's
#                                     start-up overhead is faults (package initialisation, a larger
#                                     binary's pages). The load average is printed before and after.
#
# Needs node and testdata/oidcprovider/node_modules (npm ci there).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
provider_pid=
cleanup() {
	if [ -n "$provider_pid" ]; then kill "$provider_pid" 2>/dev/null || true; fi
	rm -rf "$out"
}
trap cleanup EXIT

if [ "${1:-}" = process ]; then
	command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
	go build -o "$out/ssoctl" ./cmd/ssoctl
	go build -o "$out/barelogin" ./bench/barelogin
	go build -o "$out/testbrowser" ./pkg/login/logintest/testbrowser
	base_cmds=()
	if [ -n "${BASE:-}" ]; then
		mkdir "$out/base"
		git archive "$BASE" | tar -x -C "$out/base"
		(cd "$out/base" && go build -o "$out/ssoctl-base" ./cmd/ssoctl)
		base_cmds=(-n base-skip-preflight "$out/ssoctl-base test-login local --skip-preflight"
			-n base "$out/ssoctl-base test-login local" -n base-startup "$out/ssoctl-base version")
	fi
	(cd testdata/oidcprovider && exec node server.mjs >"$out/provider.out" 2>"$out/provider.err") &
	provider_pid=$!
	for _ in $(seq 100); do grep -q '^ISSUER=' "$out/provider.out" 2>/dev/null && break; sleep 0.1; done
	issuer=$(sed -n 's/^ISSUER=//p' "$out/provider.out")
	[ -n "$issuer" ] || { echo "the test provider did not start: $(cat "$out/provider.err")" >&2; exit 1; }
	cat >"$out/ssoctl.yaml" <<YAML
version: 1
providers:
  - name: local
    type: oidc
    issuer: $issuer
    client_id: public-client
    redirect_url: http://127.0.0.1/callback
    scopes: [openid, profile, email, groups]
YAML
	export ISSUER="$issuer" SSOCTL_CONFIG="$out/ssoctl.yaml" BROWSER="$out/testbrowser" SSOCTL_TEST_LOGIN_HINT=alice \
		XDG_STATE_HOME="$out/state" XDG_CONFIG_HOME="$out/config" NO_COLOR=1
	rounds=${ROUNDS:-6}
	per_round=$(( (${RUNS:-60} + rounds - 1) / rounds ))
	cmds=(-n bare "$out/barelogin"
		-n ssoctl-skip-preflight "$out/ssoctl test-login local --skip-preflight"
		-n ssoctl "$out/ssoctl test-login local"
		-n bare-startup "$out/barelogin version"
		-n ssoctl-startup "$out/ssoctl version" "${base_cmds[@]}")
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	for i in $(seq "$rounds"); do
		hyperfine -N --warmup 2 --runs "$per_round" --export-json "$out/h$i.json" "${cmds[@]}" >&2
	done
	python3 - "${FAULT_RUNS:-10}" "${cmds[@]}" >"$out/faults.json" <<'PY'
import json, os, shlex, statistics, subprocess, sys
# Interleaved runs of each command ("-n NAME CMD" triples), counting the minor page faults of the
# process and of the children it waited for, as getrusage counts the CPU time hyperfine reports.
runs, args = int(sys.argv[1]), sys.argv[2:]
cmds = {args[i + 1]: args[i + 2] for i in range(0, len(args), 3)}
faults = {name: [] for name in cmds}
with open(os.devnull, "w") as null:
    for _ in range(runs):
        for name, cmd in cmds.items():
            p = subprocess.Popen(shlex.split(cmd), stdout=null, stderr=null)
            _, status, usage = os.wait4(p.pid, 0)
            if status != 0:
                sys.exit(f"{name} failed (wait status {status})")
            faults[name].append(usage.ru_minflt)
json.dump({name: statistics.median(f) for name, f in faults.items()}, sys.stdout)
PY
	echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	python3 - "$out/faults.json" "$out"/h*.json <<'PY'
import json, statistics, sys
faults = json.load(open(sys.argv[1]))
times, user, system = {}, {}, {}
for f in sys.argv[2:]:
    for x in json.load(open(f))["results"]:
        times.setdefault(x["command"], []).extend(x["times"])
        user.setdefault(x["command"], []).append(x["user"])
        system.setdefault(x["command"], []).append(x["system"])
r = {name: {"median": statistics.median(t), "min": min(t)} for name, t in times.items()}
bare = r["bare"]["median"]
# Each round's mean CPU time over the same number of runs: their mean is the mean over all runs.
cpu = {name: (statistics.mean(user[name]) + statistics.mean(system[name])) * 1000 for name in r}
names = ["bare", "ssoctl-skip-preflight", "ssoctl", "bare-startup", "ssoctl-startup"]
if "base" in r:
    names += ["base-skip-preflight", "base", "base-startup"]
for name in names:
    x = r[name]
    ratio = f"ratio {x['median']/bare:.2f}" if not name.endswith("startup") else " " * 10
    print(f"{name:22} median {x['median']*1000:6.1f} ms  min {x['min']*1000:6.1f} ms  {ratio}  cpu (user+sys, mean) {cpu[name]:5.1f} ms  page faults {faults[name]:5.0f}")
bl = cpu["bare"] - cpu["bare-startup"]
for name in [n for n in names if not n.endswith("startup") and n != "bare"]:
    start = cpu["base-startup" if name.startswith("base") else "ssoctl-startup"]
    print(f"cpu {name:21}: start-up {start:5.1f} ms (bare {cpu['bare-startup']:.1f}), login part {cpu[name] - start:5.1f} ms (bare {bl:.1f}); cpu ratio {cpu[name]/cpu['bare']:.2f}, page faults ratio {faults[name]/faults['bare']:.2f}")
PY
	exit 0
fi

rounds=${ROUNDS:-7}
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
