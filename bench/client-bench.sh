#!/usr/bin/env bash
# The Java client's two modes against one 5-node local cluster (N=3, R=W=2; issue 13: "partition-
# aware vs through-any-node, throughput and p50/p99"; docs/benchmarks.md, "Partition-aware client"):
#   through any node: `bench cluster` spreads requests over the 5 nodes round robin; a node that
#                     is not one of the key's 3 replicas forwards a write (one more hop) and
#                     coordinates a read without a local copy (2 of 5 requests);
#   partition-aware:  `bench cluster --partition-aware` sends each request straight to a replica.
# The modes alternate (any, aware, any, aware, ...) on the same cluster and the same loaded keys,
# so drift in the machine's load hits both. Prints each run, then min / median / max per mode and
# the ratio of medians. HTTP on 127.0.0.1:PORT_BASE+1..+5 (peers on 127.0.0.k:PORT_BASE+1000+k).
# Usage: bench/client-bench.sh [REPS] [SECONDS] [THREADS] [KEYS] [PORT_BASE]
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-2}"
seconds="${2:-30}"
threads="${3:-16}"
keys="${4:-100000}"
port="${5:-9700}"
nodes="$(seq -s, -f "http://127.0.0.1:%.0f" $((port + 1)) $((port + 5)))"
prefix="client-bench-"
results="$(mktemp /tmp/ringkv-client-bench-XXXXXX.tsv)"
dir="$(mktemp -d /tmp/ringkv-client-bench-XXXXXX)"
cleanup() { bin/ringkv cluster stop --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT

# "ops/s read-p50 read-p99 write-p50 write-p99 failed" from a bench cluster report's measured table.
figures() {
    awk '/^measured:/ {m = 1} m && $2 == "read" {r50 = $8; r99 = $10} m && $2 == "write" {w50 = $8; w99 = $10}
         m && $2 == "total" {gsub(",", "", $6); gsub(",", "", $16); ops = $6; failed = $16}
         END {print ops, r50, r99, w50, w99, failed}' "$1"
}

bin/ringkv cluster start --nodes 5 --dir "$dir" --port "$port" >/dev/null
echo "== loading $keys keys into 5 nodes (N=3, R=W=2)"
bin/ringkv bench cluster --nodes "$nodes" --keys "$keys" --key-prefix "$prefix" --threads "$threads" \
    --duration 1 --warmup 0 > "$dir/load.txt"

for rep in $(seq 1 "$reps"); do
    for mode in any aware; do
        flag=""
        [ "$mode" = aware ] && flag="--partition-aware"
        out="$dir/$mode-$rep.txt"
        bin/ringkv bench cluster --nodes "$nodes" --keys "$keys" --key-prefix "$prefix" --threads "$threads" --no-load \
            --duration "$seconds" --warmup 5 $flag > "$out"
        read -r ops r50 r99 w50 w99 failed < <(figures "$out")
        printf '   rep %d %-5s: %8s ops/s, read p50 %s p99 %s ms, write p50 %s p99 %s ms, failed %s\n' \
            "$rep" "$mode" "$ops" "$r50" "$r99" "$w50" "$w99" "$failed"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$rep" "$ops" "$r50" "$r99" "$w50" "$w99" >> "$results"
    done
done

echo "== over $reps runs per mode: min / median / max (any = through any node, aware = partition-aware)"
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
cols = {"ops/s": 2, "read p50 ms": 3, "read p99 ms": 4, "write p50 ms": 5, "write p99 ms": 6}
med = {}
for mode in ("any", "aware"):
    for name, i in cols.items():
        v = sorted(float(r[i].replace(",", "")) for r in rows if r[0] == mode)
        med[mode, name] = statistics.median(v)
        print(f"{mode:>5} {name:>12}: {v[0]:,.2f} / {med[mode, name]:,.2f} / {v[-1]:,.2f}")
for name in cols:
    print(f"aware/any {name:>12}: {med['aware', name] / med['any', name]:.2f}x (medians)")
PY
echo "(per-run reports: $dir is removed at exit; figures: $results)"
