#!/usr/bin/env bash
# Foreground latency with and without background anti-entropy (issue 11: "throttled so that
# foreground p99 stays within 1.5x of an idle cluster"; docs/benchmarks.md, "Foreground latency
# under background anti-entropy"). The same closed-loop load (bench cluster) runs on a fresh
# local 3-node cluster per mode:
#   off: antiEntropy.background: false (trees kept, no run ever starts: the idle cluster)
#   on:  antiEntropy.interval: 1s, initialDelay: 0ms: runs back to back through the whole load,
#        each refreshing the leaves the load dirtied and exchanging what differs
# REPS runs per mode, modes alternating (off, on, off, on, ...), each with its own keys.
# Prints each run's read/write p50 and p99, then per mode the median, and the on/off ratios.
# Usage: bench/antientropy-p99.sh [REPS] [DURATION_S] [KEYS] [THREADS] [PORT_BASE]
# Environment: AE_ON (default "interval: 1s, initialDelay: 0ms") is the on mode's antiEntropy
# settings, e.g. AE_ON="interval: 1s, initialDelay: 0ms, throttle: 1MiB"; MODES (default "off on").
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-3}"
duration="${2:-30}"
keys="${3:-200000}"
threads="${4:-16}"
port="${5:-8700}"
ae_on="${AE_ON:-interval: 1s, initialDelay: 0ms}"
modes="${MODES:-off on}"
nodes="http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))"
results="$(mktemp /tmp/ringkv-ae-p99-XXXXXX.tsv)"
dirs=()
cleanup() { for d in "${dirs[@]}"; do bin/ringkv cluster stop --dir "$d" >/dev/null 2>&1 || true; rm -rf "$d"; done; }
trap cleanup EXIT

start_cluster() { # $1 mode -> prints the cluster directory
    local mode="$1" dir
    dir="$(mktemp -d /tmp/ringkv-ae-p99-XXXXXX)"
    bin/ringkv cluster start --dir "$dir" --port "$port" >/dev/null
    bin/ringkv cluster stop --dir "$dir" >/dev/null
    for yaml in "$dir"/node*/ringkv.yaml; do
        if [ "$mode" = off ]; then
            printf 'antiEntropy: {background: false}\n' >> "$yaml"
        else
            printf 'antiEntropy: {%s}\n' "$ae_on" >> "$yaml"
        fi
    done
    bin/ringkv cluster start --dir "$dir" --port "$port" >/dev/null
    echo "$dir"
}

# "p50 p99" of op (read, write) in the measured phase's table: | op | ok | ops/s | p50 ms | p99 ms | ...
measured() {
    sed -n '/^measured:/,/^client:/p' "$1" | awk -F'|' -v op="$2" '
        { name = $2; gsub(/ /, "", name) }
        name == op { p50 = $5; p99 = $6; gsub(/[ ,]/, "", p50); gsub(/[ ,]/, "", p99); print p50, p99; exit }'
}

for rep in $(seq 1 "$reps"); do
    for mode in $modes; do
        echo "== rep $rep/$reps, anti-entropy $mode: fresh cluster, $keys keys, $threads threads, ${duration}s measured" >&2
        dir="$(start_cluster "$mode")"
        dirs+=("$dir")
        out="$results.$mode.$rep.out"
        bin/ringkv bench cluster --nodes "$nodes" --threads "$threads" --keys "$keys" --duration "$duration" --warmup 10 \
            > "$out" 2>&1 || { echo "bench failed:"; tail -20 "$out"; exit 1; }
        ae="$(for k in 1 2 3; do curl -s "http://127.0.0.1:$((port + k))/metrics"; done | awk '
            /^ringkv_antientropy_runs_total/ { runs += $NF }
            /^ringkv_antientropy_ranges_compared_total/ { ranges += $NF }
            /^ringkv_antientropy_keys_exchanged_total/ { keys += $NF }
            /^ringkv_antientropy_bytes_exchanged/ { bytes += $NF }
            /^ringkv_antientropy_leaves_rehashed/ { leaves += $NF }
            END { printf "%d runs, %d range comparisons, %d leaves rehashed, %d keys and %.1f MiB exchanged",
                  runs, ranges, leaves, keys, bytes / 1048576 }')"
        read -r rp50 rp99 <<< "$(measured "$out" read)"
        read -r wp50 wp99 <<< "$(measured "$out" write)"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$rep" "$rp50" "$rp99" "$wp50" "$wp99" "$ae" >> "$results"
        printf '   %-3s rep %d: read p50 %s p99 %s ms, write p50 %s p99 %s ms; anti-entropy (3 nodes): %s\n' \
            "$mode" "$rep" "$rp50" "$rp99" "$wp50" "$wp99" "$ae"
        bin/ringkv cluster stop --dir "$dir" >/dev/null
        rm -rf "$dir"
    done
done

echo "== medians over $reps runs per mode (ms), and on/off"
awk -F'\t' '
function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
{ n[$1]++; k = n[$1]; rp50[$1, k] = $3; rp99[$1, k] = $4; wp50[$1, k] = $5; wp99[$1, k] = $6 }
END {
    split("rp50 rp99 wp50 wp99", cols, " ")
    for (m in n) for (c = 1; c <= 4; c++) {
        delete a; for (k = 1; k <= n[m]; k++) { a[k] = (c == 1 ? rp50[m, k] : c == 2 ? rp99[m, k] : c == 3 ? wp50[m, k] : wp99[m, k]) + 0 }
        med[m, c] = median(a, n[m])
    }
    printf "%-8s %10s %10s %10s %10s\n", "", "read p50", "read p99", "write p50", "write p99"
    printf "%-8s %10.2f %10.2f %10.2f %10.2f\n", "off", med["off", 1], med["off", 2], med["off", 3], med["off", 4]
    printf "%-8s %10.2f %10.2f %10.2f %10.2f\n", "on", med["on", 1], med["on", 2], med["on", 3], med["on", 4]
    printf "%-8s %9.2fx %9.2fx %9.2fx %9.2fx\n", "on/off", med["on", 1] / med["off", 1], med["on", 2] / med["off", 2],
        med["on", 3] / med["off", 3], med["on", 4] / med["off", 4]
}' "$results"
echo "(per-run figures: $results)"
