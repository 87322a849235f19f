#!/usr/bin/env bash
# A node joining a loaded cluster (issue 12: "join time and bytes moved for 1M keys, and
# foreground p99 during the join vs idle"; docs/benchmarks.md, "Joining a loaded cluster").
# Per repeat, on a fresh local cluster of 3 nodes (cluster start --port PORT_BASE, defaults):
#   1. load KEYS keys of 100 bytes (bench cluster's load phase, w = the cluster's default);
#   2. idle: the same closed-loop load (50 % reads of loaded keys) for WINDOW_S seconds;
#   3. join: `cluster start --nodes 4` starts node4, which streams every range it will replicate
#      and turns NORMAL, while the same load runs for WINDOW_S seconds from the same moment;
# and prints the join's time (node4's /api/v1/admin/streaming: elapsed, keys, bytes, ranges), the
# share of the cluster's replica copies it received (1/(n+1) = 25 % expected: N = 3 of 3 nodes
# becomes 3 of 4), and read/write p50/p99 idle and during the join with the ratios.
# Usage: bench/join-bench.sh [KEYS] [REPS] [THREADS] [WINDOW_S] [PORT_BASE]
set -euo pipefail
cd "$(dirname "$0")/.."
keys="${1:-1000000}"
reps="${2:-2}"
threads="${3:-16}"
window="${4:-60}"
port="${5:-8700}"
nodes="http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))"
results="$(mktemp /tmp/ringkv-join-bench-XXXXXX.tsv)"
dir=""
cleanup() { if [ -n "$dir" ]; then bin/ringkv cluster stop --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"; fi; }
trap cleanup EXIT

# "read p50 p99 write p50 p99" from a bench cluster report's measured table.
latencies() {
    awk '/^measured:/ {m = 1} m && $2 == "read" {r50 = $8; r99 = $10} m && $2 == "write" {w50 = $8; w99 = $10}
         END {print r50, r99, w50, w99}' "$1"
}

json_field() { # $1 json, $2 field
    python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}

for rep in $(seq 1 "$reps"); do
    dir="$(mktemp -d /tmp/ringkv-join-bench-XXXXXX)"
    bin/ringkv cluster start --dir "$dir" --port "$port" >/dev/null
    prefix="join-$rep-"
    echo "== rep $rep/$reps: loading $keys keys into 3 nodes"
    load_start=$(date +%s)
    bin/ringkv bench cluster --nodes "$nodes" --keys "$keys" --key-prefix "$prefix" --threads "$threads" \
        --duration 1 --warmup 0 > "$dir/load.txt"
    echo "   loaded in $(( $(date +%s) - load_start )) s"

    echo "== rep $rep/$reps: idle cluster, ${window} s of load"
    bin/ringkv bench cluster --nodes "$nodes" --keys "$keys" --key-prefix "$prefix" --threads "$threads" --no-load \
        --duration "$window" --warmup 5 > "$dir/idle.txt"
    read -r ir50 ir99 iw50 iw99 < <(latencies "$dir/idle.txt")

    echo "== rep $rep/$reps: node4 joins under the same load"
    bin/ringkv bench cluster --nodes "$nodes" --keys "$keys" --key-prefix "$prefix" --threads "$threads" --no-load \
        --duration "$window" --warmup 0 > "$dir/join.txt" &
    load_pid=$!
    join_start=$(date +%s%N)
    bin/ringkv cluster start --nodes 4 --dir "$dir" --port "$port" >/dev/null
    streaming=""
    state=""
    while [ "$state" != DONE ]; do
        streaming="$(curl -sf "http://127.0.0.1:$((port + 4))/api/v1/admin/streaming" || true)"
        if [ -n "$streaming" ]; then
            state="$(json_field "$streaming" state)"
            if [ "$state" = FAILED ]; then
                echo "join FAILED: $streaming" >&2
                exit 1
            fi
            printf '   .. %s: %s of %s ranges, %s keys, %s bytes\n' "$state" "$(json_field "$streaming" rangesDone)" \
                "$(json_field "$streaming" rangesTotal)" "$(json_field "$streaming" keys)" "$(json_field "$streaming" bytes)"
        fi
        sleep 2
    done
    join_ms=$(( ($(date +%s%N) - join_start) / 1000000 ))
    wait "$load_pid"
    read -r jr50 jr99 jw50 jw99 < <(latencies "$dir/join.txt")
    moved_keys="$(json_field "$streaming" keys)"
    moved_bytes="$(json_field "$streaming" bytes)"
    stream_ms="$(json_field "$streaming" elapsedMillis)"
    ranges="$(json_field "$streaming" rangesTotal)"
    share="$(awk -v m="$moved_keys" -v k="$keys" 'BEGIN {printf "%.1f", 100 * m / (3 * k)}')"
    if [ "$join_ms" -gt $(( window * 1000 )) ]; then
        echo "   note: the join took longer than the ${window} s load window; p99 covers only its first ${window} s"
    fi
    printf '   rep %d: join %d ms (streaming %s ms, %s ranges): %s keys, %s bytes moved = %s %% of the cluster'"'"'s replica copies\n' \
        "$rep" "$join_ms" "$stream_ms" "$ranges" "$moved_keys" "$moved_bytes" "$share"
    printf '   rep %d: idle read p50 %s p99 %s, write p50 %s p99 %s ms; during the join read p50 %s p99 %s, write p50 %s p99 %s ms\n' \
        "$rep" "$ir50" "$ir99" "$iw50" "$iw99" "$jr50" "$jr99" "$jw50" "$jw99"
    printf '%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$join_ms" "$moved_keys" "$moved_bytes" "$share" \
        "$ir99" "$iw99" "$jr99" "$jw99" "$ir50" "$iw50" "$jr50" "$jw50" >> "$results"
    cleanup
    dir=""
done

echo "== over $reps runs: min / median / max"
python3 - "$results" <<'EOF'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
cols = {"join ms": 1, "keys moved": 2, "bytes moved": 3, "% of replica copies": 4,
        "idle read p99": 5, "idle write p99": 6, "join read p99": 7, "join write p99": 8}
for name, i in cols.items():
    v = sorted(float(r[i]) for r in rows)
    print(f"{name:>22}: {v[0]:,.2f} / {statistics.median(v):,.2f} / {v[-1]:,.2f}")
for what, idle, join in (("read p99", 5, 7), ("write p99", 6, 8)):
    ratios = sorted(float(r[join]) / float(r[idle]) for r in rows)
    print(f"{what + ' join/idle':>22}: {ratios[0]:.2f}x / {statistics.median(ratios):.2f}x / {ratios[-1]:.2f}x")
EOF
echo "(per-run figures: $results)"
