#!/usr/bin/env bash
# bench cluster on a fresh local cluster per sync policy, REPS repeats each, every setting applied
# here (docs/benchmarks.md, "Cluster load generator"). Usage: bench/cluster-bench.sh [THREADS] [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-16}"
reps="${2:-2}"
for policy in batch periodic; do
    dir="$(mktemp -d /tmp/ringkv-bench-XXXXXX)"
    bin/ringkv cluster start --dir "$dir" >/dev/null
    if [ "$policy" = periodic ]; then # 10 s periodic sync, as the recorded runs
        bin/ringkv cluster stop --dir "$dir" >/dev/null
        for yaml in "$dir"/node*/ringkv.yaml; do
            printf 'storage:\n  sync: {policy: periodic, intervalMillis: 10000}\n' >> "$yaml"
        done
        bin/ringkv cluster start --dir "$dir" >/dev/null
    fi
    for rep in $(seq 1 "$reps"); do
        echo "== sync $policy, $threads threads, rep $rep"
        bin/ringkv bench cluster --threads "$threads" --duration 30 --warmup 10 | sed -n '/^measured:/,/^client:/p'
    done
    bin/ringkv cluster stop --dir "$dir" >/dev/null
    rm -rf "$dir"
done
