#!/usr/bin/env bash
# Peak RSS of each node of a fresh local 3-node cluster through the anchors' YCSB phases (load
# 100k records, workload A, workload C; 16 threads; shared/anchors' launcher and workload files),
# for one or more memory setups, alternating them REPS times; prints per setup and run: each
# phase's throughput, p99 and the nodes' CPU-seconds, the peak RSS of each node in each phase
# (VmRSS sampled every SAMPLE_SECONDS from /proc/PID/status) and each node's VmHWM at the end
# (docs/benchmarks.md, "Node memory"). A phase in which any operation did not return OK stops it.
#
# Usage: bench/memory-bench.sh [SETUP ...]
#   SETUP: one setup, quoted: `bin/ringkv cluster start` options, e.g. "--heap 1g" or "--memory 300m"
#          ("" is the default), then optionally `-- JVM options` for the nodes (added to
#          RINGKV_NODE_JAVA_OPTS, e.g. "-- -XX:+UseG1GC"); "@DIR ..." starts the cluster with DIR's
#          bin/ringkv instead (another build, e.g. an older commit's checkout, built).
#          Default setups: "--heap 1g" "" (the heap every node had before node.memory, against
#          today's default).
# env: REPS (2)            runs of each setup, alternating: A B A B
#      BASE_PORT (12100)   node K serves HTTP on 127.0.0.1:BASE_PORT+K and talks to peers on
#                          127.0.0.K:BASE_PORT+50+K (the script writes the nodes' ringkv.yaml itself,
#                          so that one block of 100 ports suffices)
#      SYNC (periodic)     the nodes' commit log sync: `periodic` (fsync every 10 s, as Cassandra's
#                          commitlog_sync in the anchors and the ringkv-cassandra profile of
#                          bench/ycsb-vs-cassandra.sh)
#                          or `batch` (the node's default)
#      NMT=1               run the nodes with -XX:NativeMemoryTracking=summary and save
#                          `jcmd PID VM.native_memory summary` and the resident size by mapping
#                          (/proc/PID/smaps) of node1 NMT_AT seconds (5) into phase NMT_PHASE (c;
#                          the heap is all touched by then) (NMT costs a little memory and CPU: not
#                          for the compared runs)
#      SAMPLE_SECONDS (0.5), YCSB_PROPS (extra -p options for every phase, e.g. for a smoke run:
#      "-p recordcount=1000 -p operationcount=2000"), RESULTS (run/memory-bench/<time>),
#      ANCHORS_DIR (../shared/anchors beside this checkout), ANCHORS_COPY (/tmp/anchors-memory-bench)
# Bounded: each YCSB phase by `timeout 400` (and the workloads' maxexecutiontime=300), cluster
# start by its --timeout-seconds; the cluster is stopped and its directory deleted on any exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="${REPS:-2}"
SYNC="${SYNC:-periodic}"
[[ "$SYNC" == periodic || "$SYNC" == batch ]] || { echo "memory-bench: SYNC must be periodic or batch" >&2; exit 2; }
BASE_PORT="${BASE_PORT:-12100}"
SAMPLE_SECONDS="${SAMPLE_SECONDS:-0.5}"
NMT_AT="${NMT_AT:-5}"
NMT_PHASE="${NMT_PHASE:-c}"
ANCHORS_DIR="${ANCHORS_DIR:-$here/../shared/anchors}"
ANCHORS_COPY="${ANCHORS_COPY:-/tmp/anchors-memory-bench}"
RESULTS="${RESULTS:-$here/run/memory-bench/$(date +%Y%m%dT%H%M%S)}"
JAR="$here/ringkv-ycsb/target/ringkv-ycsb-binding.jar"
(( $# )) || set -- "--heap 1g" ""
setups=("$@")

say() { echo "[memory-bench $(date +%H:%M:%S)] $*" >&2; }
die() { echo "memory-bench: $*" >&2; exit 1; }

[[ -n "$(ls "$here"/ringkv-cli/target/lib/ringkv-cli-*.jar 2>/dev/null)" ]] \
  || die "build first: mvn -B -ntp -o -q -pl ringkv-cli -am package -DskipTests"

# The JDK the nodes run on (bin/ringkv's choice) also runs YCSB and jcmd; the binding jar; a
# private copy of the anchors with YCSB's classpath (bench/lib/ycsb-common.sh).
# shellcheck source=lib/ycsb-common.sh
source "$here/bench/lib/ycsb-common.sh"
JAVA="$(find_java)"
export JAVA RINGKV_JAVA="$JAVA" YCSB_JAVA_OPTS="${YCSB_JAVA_OPTS:--Xmx2g}"
build_binding "$JAR"
copy_anchors "$JAR"
Y="$ANCHORS_COPY/ycsb"
mkdir -p "$RESULTS"
say "results in $RESULTS"

# The nodes' configuration: cluster start's layout (docs/cli.md), with peer ports 50 above HTTP.
write_configs() { # $1: cluster directory
  local dir=$1 k secret
  secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  for k in 1 2 3; do
    mkdir -p "$dir/node$k"
    cat > "$dir/node$k/ringkv.yaml" <<EOF
node:
  id: node$k
  dataDir: "$dir/node$k/data"
http:
  host: 127.0.0.1
  port: $((BASE_PORT + k))
cluster:
  name: memory-bench
  peerHost: 127.0.0.$k
  peerPort: $((BASE_PORT + 50 + k))
  seeds: ["127.0.0.1:$((BASE_PORT + 51))", "127.0.0.2:$((BASE_PORT + 52))"]
  ioThreads: 1
  secret: $secret
replication:
  n: 3
  r: 2
  w: 2
EOF
    if [[ "$SYNC" == periodic ]]; then
      printf 'storage:\n  sync: {policy: periodic, intervalMillis: 10000}\n' >> "$dir/node$k/ringkv.yaml"
    fi
  done
}

cluster_dir=""
stop_with="$here/bin/ringkv"
sampler=""
tag=""
cleanup() {
  [[ -n "$sampler" ]] && kill "$sampler" 2>/dev/null || true
  if [[ -n "$cluster_dir" && -d "$cluster_dir" ]]; then
    "$stop_with" cluster stop --dir "$cluster_dir" >&2 || true
    keep_logs
    rm -rf "$cluster_dir"
  fi
}
keep_logs() { # the nodes' logs of the current run, into the results
  local k
  for k in 1 2 3; do
    [[ -f "$cluster_dir/node$k/node.log" ]] && cp "$cluster_dir/node$k/node.log" "$RESULTS/$tag-node$k.log"
  done
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every SAMPLE_SECONDS: "phase epoch_s node VmRSS_kB VmHWM_kB" for each node, to $1.
sample_rss() { # $1: output file, $2: phase file, $3...: node pids
  local out=$1 phase_file=$2; shift 2
  local files=() p
  for p in "$@"; do files+=("/proc/$p/status"); done
  while :; do
    awk -v phase="$(cat "$phase_file")" -v now="$(date +%s.%N)" \
      'FNR == 1 {node++} /^VmRSS/ {rss = $2} /^VmHWM/ {print phase, now, "node" node, rss, $2}' "${files[@]}" \
      >> "$out" 2>/dev/null || true
    sleep "$SAMPLE_SECONDS"
  done
}

# "ops/s p99(ms) of each operation" of one YCSB output, after checking every operation returned OK.
phase_figures() { # $1: YCSB output, $2: expected operations
  awk -F', ' -v want="$2" -v file="$1" '
    $1 == "[OVERALL]" && $2 == "Throughput(ops/sec)" {tput = $3}
    $1 ~ /^\[(READ|UPDATE|INSERT)\]$/ && $2 == "Operations" {ops[$1] = $3; total += $3}
    $1 ~ /^\[(READ|UPDATE|INSERT)\]$/ && $2 == "Return=OK" {ok[$1] = $3; oks += $3}
    $1 ~ /^\[/ && $2 ~ /^Return=/ && $2 != "Return=OK" {bad = bad " " $1 $2 "=" $3}
    $1 ~ /-FAILED\]$/ {bad = bad " " $1}
    $1 ~ /^\[(READ|UPDATE|INSERT)\]$/ && $2 == "99thPercentileLatency(us)" {p99[$1] = $3 / 1000}
    END {
      if (total != want || oks != want || bad != "") {
        printf "FAILED: %s: %d operations, %d OK, expected %d%s\n", file, total, oks, want, bad > "/dev/stderr"; exit 1
      }
      line = sprintf("%.0f", tput)
      for (op in p99) line = line sprintf(" %s_p99=%.2f", tolower(substr(op, 2, length(op) - 2)), p99[op])
      print line
    }' "$1"
}

# CPU-seconds the processes $@ have used (user + system).
cpu_seconds() {
  local p total=0 ticks
  ticks=$(getconf CLK_TCK)
  for p in "$@"; do
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  awk -v t="$total" -v hz="$ticks" 'BEGIN {printf "%.1f", t / hz}'
}

ycsb_phase() { # $1: load|run, $2: workload, $3: output; YCSB_PROPS and the node URLs
  # shellcheck disable=SC2086
  timeout 400 "$Y/ycsb.sh" "$1" io.ringkv.ycsb.RingkvDb -P "$Y/workloads/$2" -threads 16 \
    -p "ringkv.nodes=$urls" ${YCSB_PROPS:-} > "$3" 2> "$3.status"
}

# One setup, one run: fresh cluster, phases, RSS; one summary line per phase on stdout.
run_setup() { # $1: setup label, $2: run number
  local setup=$1 run=$2 pids=() k phase out want records ops figures cpu0 cpu1
  tag="$(echo "${setup:-default}" | tr -c 'A-Za-z0-9' '_' | sed 's/^_*//; s/_*$//')-r$run"
  cluster_dir="$(mktemp -d /tmp/ringkv-memory-bench-XXXXXX)"
  stop_with="$here/bin/ringkv"
  write_configs "$cluster_dir"
  local ringkv="$here/bin/ringkv" start_opts="$setup" java_opts="${RINGKV_NODE_JAVA_OPTS:-}"
  if [[ "$start_opts" == @* ]]; then
    ringkv="${start_opts%% *}"; ringkv="${ringkv#@}/bin/ringkv"
    [[ "$start_opts" == *" "* ]] && start_opts="${start_opts#* }" || start_opts=""
  fi
  local padded=" $start_opts "
  if [[ "$padded" == *" -- "* ]]; then
    java_opts="$java_opts ${padded#* -- }"
    start_opts="${padded%% -- *}"
  fi
  [[ "${NMT:-0}" == 1 ]] && java_opts="$java_opts -XX:NativeMemoryTracking=summary"
  stop_with="$ringkv"
  say "$tag: starting 3 nodes ($ringkv cluster start $start_opts; node JVM options: ${java_opts:-none})"
  # shellcheck disable=SC2086
  RINGKV_NODE_JAVA_OPTS="$java_opts" RINGKV_AOT=off "$ringkv" cluster start --dir "$cluster_dir" --nodes 3 \
    $start_opts > "$RESULTS/$tag-start.txt"
  for k in 1 2 3; do pids+=("$(cat "$cluster_dir/node$k/ringkv.pid")"); done
  urls="http://127.0.0.1:$((BASE_PORT + 1)),http://127.0.0.1:$((BASE_PORT + 2)),http://127.0.0.1:$((BASE_PORT + 3))"
  grep -h ' memory ' "$cluster_dir"/node1/node.log > "$RESULTS/$tag-node1-memory.txt" 2>/dev/null || true
  tr '\0' ' ' < "/proc/${pids[0]}/cmdline" | sed 's/ -cp [^ ]*/ -cp .../' > "$RESULTS/$tag-node1-cmdline.txt"
  echo idle > "$cluster_dir/phase"
  sample_rss "$RESULTS/$tag-rss.tsv" "$cluster_dir/phase" "${pids[@]}" &
  sampler=$!
  sleep 2
  records=$(awk -F= '$1 == "recordcount" {print $2}' "$Y/workloads/workloada")
  ops=$(awk -F= '$1 == "operationcount" {print $2}' "$Y/workloads/workloada")
  [[ "${YCSB_PROPS:-}" =~ recordcount=([0-9]+) ]] && records=${BASH_REMATCH[1]}
  [[ "${YCSB_PROPS:-}" =~ operationcount=([0-9]+) ]] && ops=${BASH_REMATCH[1]}
  for phase in load:workloada:load a:workloada:run c:workloadc:run; do
    IFS=: read -r name workload kind <<< "$phase"
    out="$RESULTS/$tag-ycsb-$name.txt"
    echo "$name" > "$cluster_dir/phase"
    if [[ "${NMT:-0}" == 1 && $name == "$NMT_PHASE" ]]; then
      (sleep "$NMT_AT"; "$(dirname "$JAVA")/jcmd" "${pids[0]}" VM.native_memory summary > "$RESULTS/$tag-nmt-node1.txt" 2>&1
       { cat "/proc/${pids[0]}/smaps_rollup"; echo "resident by mapping (kB):"
         awk '/^[0-9a-f]+-[0-9a-f]+ / {name = NF >= 6 ? $6 : "[anonymous]"} /^Rss:/ {rss[name] += $2}
              END {for (n in rss) if (rss[n] >= 256) printf "%8d %s\n", rss[n], n}' "/proc/${pids[0]}/smaps" | sort -rn
       } > "$RESULTS/$tag-smaps-node1.txt") &
    fi
    cpu0=$(cpu_seconds "${pids[@]}")
    ycsb_phase "$kind" "$workload" "$out" || die "$tag: YCSB $name failed (exit $?); see $out.status"
    cpu1=$(cpu_seconds "${pids[@]}")
    want=$([[ $name == load ]] && echo "$records" || echo "$ops")
    figures=$(phase_figures "$out" "$want") || die "$tag: YCSB $name: not every operation returned OK"
    echo "$name $figures server_cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {printf "%.1f", b - a}')" >> "$RESULTS/$tag-phases.txt"
    # node1's store after the phase: block cache hits and misses, tables, flushes, write stalls
    { echo "== after $name"; curl -s -m 5 "http://127.0.0.1:$((BASE_PORT + 1))/metrics" \
        | grep -E '^ringkv_storage_(block_cache_(hits|misses)_total|live_tables|flushes_seconds_count|compactions_seconds_count|write_stall_seconds_total)' \
        || true; } >> "$RESULTS/$tag-node1-storage.txt"
  done
  echo done > "$cluster_dir/phase"
  sleep 1
  kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=""
  wait # the NMT snapshot
  for k in 1 2 3; do
    awk -v node="node$k" '/^VmHWM/ {print node, $2}' "/proc/${pids[k-1]}/status" >> "$RESULTS/$tag-hwm.txt"
  done
  "$ringkv" cluster stop --dir "$cluster_dir" >&2
  keep_logs
  rm -rf "$cluster_dir"; cluster_dir=""
  # One line per phase: setup, run, phase, ops/s, p99s (ms), the nodes' CPU-seconds, peak RSS (MiB) of node1..3 in the phase.
  while read -r name rest; do
    printf '%-16s %s %-5s %s' "${setup:-default}" "$run" "$name" "$rest"
    awk -v phase="$name" '$1 == phase && $4 > max[$3] {max[$3] = $4}
      END {printf "  rss_MiB=%.0f/%.0f/%.0f", max["node1"] / 1024, max["node2"] / 1024, max["node3"] / 1024}' \
      "$RESULTS/$tag-rss.tsv"
    echo
  done < "$RESULTS/$tag-phases.txt" | tee -a "$RESULTS/table.txt"
  printf '%-16s %s hwm   ' "${setup:-default}" "$run" | tee -a "$RESULTS/table.txt"
  awk '{printf " %s=%.0fMiB", $1, $2 / 1024} END {print ""}' "$RESULTS/$tag-hwm.txt" | tee -a "$RESULTS/table.txt"
}

for run in $(seq 1 "$REPS"); do
  for setup in "${setups[@]}"; do
    run_setup "$setup" "$run"
  done
done
say "done: $RESULTS/table.txt"
