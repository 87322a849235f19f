#!/usr/bin/env bash
# YCSB 0.17.0 against a RUNNING ringkv cluster, measured exactly as shared/anchors measures
# Cassandra and Redis: the anchors' own launcher, workload files and phase runner
# (ycsb_phases: load -> workload A -> workload C, 16 threads, recordcount 100000,
# operationcount 200000, fieldcount 1, fieldlength 100, zipfian, `timeout 400` and
# maxexecutiontime=300 per phase, client and server CPU-seconds, results/ycsb.csv rows).
#
# shared/anchors is treated as read-only: it is copied to $ANCHORS_COPY (/tmp/anchors-run),
# whose ycsb/setup.sh builds YCSB's classpath beside itself; our binding jar
# (ringkv-ycsb/target/ringkv-ycsb-binding.jar, built here when missing or stale) is added to
# that copy's ycsb/lib/. Results go to $RESULTS (default run/ycsb/<time> in this checkout).
#
# Usage: bench/ycsb-ringkv.sh [-p name=value ...]   (extra YCSB properties, e.g. for a quick smoke
#        run: -p recordcount=1000 -p operationcount=2000; the anchors' figures use none)
# env:   NODES      node URLs (default http://127.0.0.1:8001,http://127.0.0.1:8002,http://127.0.0.1:8003)
#        R, W       per-request quorums (default: the cluster's; the local cluster has N=3, R=W=2)
#        THREADS    YCSB threads (16), REPS (1: runs of A and C each), TAG (added to the config name)
#        FRESH=1    first stop the local cluster (bin/ringkv cluster), delete its data and start it
#                   again with 3 nodes: the load phase inserts without a context, so keys left by an
#                   earlier run would become siblings
#        AOT=1      warm node JVMs (JDK 25, docs/cli.md "Warm starts"): restart the local cluster with
#                   empty data and RINGKV_AOT=record, run the phases once as training (figures kept in
#                   $RESULTS/train), stop it (each node writes its cache), wipe the data again and start
#                   it from the caches; then the measured phases (implies FRESH=1)
#        PIDS       node pids whose CPU-seconds are counted (default: the local cluster's pid files)
#        ANCHORS_DIR  the anchors folder (default ../shared/anchors beside this checkout)
#        RINGKV_REBUILD=1  rebuild the binding jar
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ANCHORS_DIR="${ANCHORS_DIR:-$here/../shared/anchors}"
ANCHORS_COPY="${ANCHORS_COPY:-/tmp/anchors-run}"
NODES="${NODES:-http://127.0.0.1:8001,http://127.0.0.1:8002,http://127.0.0.1:8003}"
RESULTS="${RESULTS:-$here/run/ycsb/$(date +%Y%m%dT%H%M%S)}"
JAR="$here/ringkv-ycsb/target/ringkv-ycsb-binding.jar"

say() { echo "[ycsb-ringkv $(date +%H:%M:%S)] $*" >&2; }
die() { echo "ycsb-ringkv: $*" >&2; exit 1; }

# shellcheck source=lib/ycsb-common.sh
source "$here/bench/lib/ycsb-common.sh"
export JAVA="$(find_java)"
export YCSB_JAVA_OPTS="${YCSB_JAVA_OPTS:--Xmx2g}"

# 1. The binding jar.
build_binding "$JAR"

# 2. The local cluster, fresh if asked.
fresh_start() { # $1: RINGKV_AOT for the node JVMs ("" to use their caches if any)
  "$here/bin/ringkv" cluster stop >&2 || true
  rm -rf "$here"/run/cluster/node*/data
  RINGKV_AOT="$1" "$here/bin/ringkv" cluster start --nodes 3 >&2
}
if [[ "${AOT:-0}" == 1 ]]; then
  say "AOT=1: restarting the local cluster with empty data directories, recording AOT caches"
  fresh_start record
elif [[ "${FRESH:-0}" == 1 ]]; then
  say "FRESH=1: restarting the local cluster with empty data directories"
  fresh_start ""
fi
IFS=, read -r -a node_list <<< "$NODES"
for n in "${node_list[@]}"; do
  curl -sf -m 5 "$n/health" >/dev/null \
    || die "node $n does not answer /health; start the cluster first (bin/ringkv cluster start) or set NODES"
done

# 3. A private copy of the anchors (scripts refreshed every run; YCSB's lib/ and target/ kept).
copy_anchors "$JAR"

# 4. The phases, with the anchors' runner. Server CPU: the local cluster's node pids, if they run.
mkdir -p "$RESULTS"
export ANCHORS_RESULTS="$RESULTS"
# shellcheck source=/dev/null
source "$ANCHORS_COPY/common.sh"
# shellcheck source=/dev/null
source "$ANCHORS_COPY/ycsb/phases.sh"
local_pids() {
  local f p=""
  for f in "$here"/run/cluster/node*/ringkv.pid; do
    [[ -s "$f" && -d /proc/$(cat "$f") ]] && p="$p $(cat "$f")"
  done
  echo "$p"
}
props=(-p "ringkv.nodes=$NODES")
[[ -n "${R:-}" ]] && props+=(-p "ringkv.r=$R")
[[ -n "${W:-}" ]] && props+=(-p "ringkv.w=$W")
props+=("$@")
if [[ "${AOT:-0}" == 1 ]]; then
  say "AOT=1: training pass (figures in $RESULTS/train), then a restart from the caches it records"
  train_results="$RESULTS/train"
  mkdir -p "$train_results"
  RESULTS="$train_results" ANCHORS_RESULTS="$train_results" REPS=1 \
      ycsb_phases ringkv train io.ringkv.ycsb.RingkvDb "$(local_pids)" "${props[@]}"
  fresh_start ""
  ls "$here"/run/cluster/node*/node.aot >/dev/null 2>&1 \
      || die "no node wrote an AOT cache (it needs JDK 25 and a clean stop; see run/cluster/node*/node.log)"
fi
pids="${PIDS:-$(local_pids)}"
[[ -n "$pids" ]] || say "no node pids (PIDS, or run/cluster/node*/ringkv.pid): server CPU will read 0"
CFG="${#node_list[@]}node${R:+-r$R}${W:+-w$W}${TAG:+-$TAG}"
say "YCSB vs ringkv ($CFG) at $NODES; java $JAVA; results in $RESULTS"
ycsb_phases ringkv "$CFG" io.ringkv.ycsb.RingkvDb "$pids" "${props[@]}"

# 5. Summary: the YCSB figures of each phase, and the anchors' table.
for f in "$RESULTS/ycsb-ringkv-$CFG-load.txt" "$RESULTS/ycsb-ringkv-$CFG"-a*.txt "$RESULTS/ycsb-ringkv-$CFG"-c*.txt; do
  [[ -f "$f" ]] || continue
  echo "== $(basename "$f" .txt)"
  grep -E '^\[(OVERALL|READ|UPDATE|INSERT)[^]]*\], (RunTime|Throughput|Operations|50thPercentile|95thPercentile|99thPercentile|99\.9PercentileLatency|Return=)' "$f" || true
done
python3 "$ANCHORS_COPY/summarize.py" >/dev/null \
  && awk '/^## YCSB 0\.17/ {p = 1; print; next} /^## / {p = 0} p' "$RESULTS/summary.md"
