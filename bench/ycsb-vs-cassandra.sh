#!/usr/bin/env bash
# YCSB 0.17.0 against a 3-node Apache Cassandra 4.1 and a 3-node ringkv on this machine, interleaved
# (Cassandra, ringkv, Cassandra, ringkv, ...: PAIRS pairs, 3 by default) so that drift in the
# machine's state hits both; Redis once, for reference (docs/benchmarks.md, "YCSB against
# Cassandra and Redis"). Every setting is applied here, none by hand:
#   cassandra         the anchors' cluster (shared/anchors/cassandra, RF 3, QUORUM reads and
#                     writes, periodic commit log sync every 10 s), with its thread pools sized for
#                     its share of 2 cores: -Dcassandra.available_processors=1 per node (ringkv's
#                     local nodes get one core's worth of event loops too), concurrent_reads 16,
#                     concurrent_writes 8 (Cassandra's sizing rule: 16 x disks, 8 x cores)
#   cassandra-durable the same cluster with `commitlog_sync: batch`, Cassandra's mode that fsyncs
#                     the commit log before acknowledging a write (concurrent writes share an
#                     fsync), the durability ringkv's defaults give, so ringkv-durable is also
#                     compared at equal durability; only the workloads in DURABLE_WORKLOADS, and
#                     not at all with CASSANDRA_PROFILES=default
#   ringkv-durable    `bin/ringkv cluster start` with its defaults (N=3, R=W=2, batch fsync before
#                     each acknowledgement, siblings), YCSB updates as read-modify-write with context
#   ringkv-cassandra  Cassandra's semantics: periodic fsync every 10 s, last-write-wins, blind
#                     updates (cluster start --set storage.sync.policy=periodic
#                     --set storage.sync.intervalMillis=10000 --set versioning.conflictPolicy=lww,
#                     YCSB -p ringkv.update=blind)
#   redis             one redis-server without persistence (the anchors' redis/start.sh nopersist)
# Each system: load RECORDS records, then for each workload in WORKLOADS a warm-up of WARMUP_S
# seconds (kept in *-warm.txt, left out of the figures) and a measured run of MEASURE_S seconds
# (time-bounded: maxexecutiontime, no operation count to finish), then workload A at a fixed
# offered load (YCSB -target: TARGET_FRACTION of the first Cassandra run's measured A throughput,
# the same ops/s for every system) with measurement.interval=both, whose "intended" latencies
# count from when each operation should have started, so a stall is not hidden by the client
# waiting (coordinated omission); it runs FIXED_WARMUP_S + MEASURE_S seconds and records every
# operation (measurementtype=hdrhistogram+raw), so the report gives its percentiles both over the
# whole run (a fresh client JVM's cold start included) and after its first FIXED_WARMUP_S seconds.
# Both YCSB clients run on the same JDK (>= 21: ringkv's binding needs it); Cassandra 4.1 runs on
# the machine's JDK 17, the one the anchors were measured on (4.1 officially supports 11; this
# machine has no 11). Each node's RSS is sampled every second through every phase; ringkv's node
# logs are kept in the results. At the end, bench/ycsb_report.py checks every phase (each
# operation type's Return=OK count equals its operation count, no other return code) and prints
# medians and ranges.
#
# Usage: bench/ycsb-vs-cassandra.sh [PAIRS]
# env:   WORKLOADS ("a b c f d"; d inserts, so it goes last), WARMUP_S (15), MEASURE_S (30),
#        FIXED_WARMUP_S (10), THREADS (16), RECORDS (100000), PROFILES ("durable cassandra"),
#        CASSANDRA_PROFILES ("default durable"; "default" skips cassandra-durable, which always
#        runs after cassandra: the default's workload A sets the fixed load),
#        DURABLE_WORKLOADS ("a": the workloads cassandra-durable runs, its fixed load included),
#        TARGET_FRACTION (0.5), REDIS (1: one Redis run first), QUICK=1 (a smoke run: 1 pair,
#        2,000 records, 3 s + 5 s phases, 2 s + 5 s at the fixed load, workloads a and c),
#        RESULTS (default run/ycsb-vs-cassandra/<time>), RINGKV_PORT (9800: the ringkv cluster's base port), ANCHORS_DIR, ANCHORS_COPY
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PAIRS="${1:-3}"
if [[ "${QUICK:-0}" == 1 ]]; then
  PAIRS=1; RECORDS="${RECORDS:-2000}"; WARMUP_S="${WARMUP_S:-3}"; MEASURE_S="${MEASURE_S:-5}"
  FIXED_WARMUP_S="${FIXED_WARMUP_S:-2}"
  WORKLOADS="${WORKLOADS:-a c}"
fi
WORKLOADS="${WORKLOADS:-a b c f d}"
WARMUP_S="${WARMUP_S:-15}"
MEASURE_S="${MEASURE_S:-30}"
FIXED_WARMUP_S="${FIXED_WARMUP_S:-10}"
THREADS="${THREADS:-16}"
RECORDS="${RECORDS:-100000}"
PROFILES="${PROFILES:-durable cassandra}"
CASSANDRA_PROFILES="${CASSANDRA_PROFILES:-default durable}"
DURABLE_WORKLOADS="${DURABLE_WORKLOADS:-a}"
TARGET_FRACTION="${TARGET_FRACTION:-0.5}"
RINGKV_PORT="${RINGKV_PORT:-9800}"
ANCHORS_DIR="${ANCHORS_DIR:-$here/../shared/anchors}"
ANCHORS_COPY="${ANCHORS_COPY:-/tmp/anchors-vs-cassandra}"
RESULTS="${RESULTS:-$here/run/ycsb-vs-cassandra/$(date -u +%Y%m%dT%H%M%SZ)}"
JAR="$here/ringkv-ycsb/target/ringkv-ycsb-binding.jar"

say() { echo "[ycsb-vs-cassandra $(date +%H:%M:%S)] $*" >&2; }
die() { echo "ycsb-vs-cassandra: $*" >&2; exit 1; }
[[ "$PAIRS" =~ ^[1-9][0-9]*$ ]] || die "PAIRS must be a positive number, got '$PAIRS'"
cassandra_durable=0
for profile in $CASSANDRA_PROFILES; do
  case $profile in
    default) ;;
    durable) cassandra_durable=1 ;;
    *) die "unknown Cassandra profile '$profile' (default or durable)" ;;
  esac
done

# shellcheck source=lib/ycsb-common.sh
source "$here/bench/lib/ycsb-common.sh"
YCSB_JDK="$(find_java)"
CASSANDRA_JDK="${CASSANDRA_JAVA:-java}"   # the anchors' Cassandra runs on the machine's default JDK 17
export YCSB_JAVA_OPTS="${YCSB_JAVA_OPTS:--Xmx2g}"
command -v python3 >/dev/null || die "python3 is needed for the report"

build_binding "$JAR"
(cd "$here" && [[ -n "$(ls ringkv-cli/target/lib/ringkv-cli-*.jar 2>/dev/null)" ]]) \
  || (cd "$here" && mvn -B -ntp -q -pl ringkv-cli -am package -DskipTests) >&2 || die "build failed"
copy_anchors "$JAR"
"$ANCHORS_COPY/cassandra/setup.sh" >&2
mkdir -p "$RESULTS"
RESULTS="$(cd "$RESULTS" && pwd)"
Y="$ANCHORS_COPY/ycsb"

# Cassandra sized for its share of the machine, in the private copy only.
sed -i -e 's/^concurrent_reads: .*/concurrent_reads: 16/' -e 's/^concurrent_writes: .*/concurrent_writes: 8/' \
    -e 's/^concurrent_counter_writes: .*/concurrent_counter_writes: 8/' "$ANCHORS_COPY/cassandra/conf/cassandra.yaml.tmpl"
cassandra_template="$ANCHORS_COPY/cassandra/conf/cassandra.yaml.tmpl"
grep -q '^commitlog_sync: periodic$' "$cassandra_template" && grep -q '^commitlog_sync_period: ' "$cassandra_template" \
  || die "the anchors' cassandra.yaml.tmpl no longer sets commitlog_sync: periodic (see its durable profile here)"
cp "$cassandra_template" "$cassandra_template.default"
# Batch mode refuses a commitlog_sync_period (Cassandra 4.1 checks it at start).
sed -e 's/^commitlog_sync: periodic$/commitlog_sync: batch/' -e '/^commitlog_sync_period: /d' \
    "$cassandra_template.default" > "$cassandra_template.durable"
cassandra_options="$ANCHORS_COPY/cassandra/conf/jvm17-server-share.options"
{ cat "$ANCHORS_COPY/cassandra/conf/jvm17-server.options"; echo "-Dcassandra.available_processors=1"; } > "$cassandra_options"

workload_file() { # a b c f d -> its properties file (the anchors' a and c, ours for the rest)
  if [[ -f "$Y/workloads/workload$1" ]]; then echo "$Y/workloads/workload$1"; else echo "$here/bench/ycsb-workloads/workload$1"; fi
}
for w in $WORKLOADS; do [[ -f "$(workload_file "$w")" ]] || die "no workload '$w' (ycsb-workloads/workload$w)"; done

# RSS sampler: every second, "epoch system pair phase pid rss_kb" for each pid in $RESULTS/.pids.
phase_file="$RESULTS/.phase"
sampler_pid=""
start_sampler() { # SYSTEM PAIR PIDS...
  local system=$1 pair=$2; shift 2
  echo "$*" > "$RESULTS/.pids"; set_phase start
  ( while [[ -f "$RESULTS/.pids" ]]; do
      for p in $(cat "$RESULTS/.pids" 2>/dev/null); do
        rss=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || true)
        [[ -n "$rss" ]] && echo "$(date +%s) $system $pair $(cat "$phase_file" 2>/dev/null) $p $rss"
      done
      sleep 1
    done >> "$RESULTS/rss.tsv" ) &
  sampler_pid=$!
}
set_phase() { echo "$1" > "$phase_file.tmp" && mv "$phase_file.tmp" "$phase_file"; } # atomic: the sampler never reads it empty
stop_sampler() {
  rm -f "$RESULTS/.pids"
  [[ -n "$sampler_pid" ]] && wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
}

# ycsb SYSTEM PAIR NAME PHASE(load|run) WORKLOAD SECONDS DBCLASS [-p k=v ...]: one YCSB run into
# $RESULTS/ycsb-SYSTEM-pPAIR-NAME.txt, bounded by maxexecutiontime and `timeout`.
ycsb() {
  local system=$1 pair=$2 name=$3 phase=$4 workload=$5 seconds=$6 db=$7; shift 7
  local out="$RESULTS/ycsb-$system-p$pair-$name.txt" count
  set_phase "$name"
  count=$([[ $phase == load ]] && echo "$RECORDS" || echo 1000000000)
  say "$system pair $pair: $name ($phase workload$workload, ${seconds}s max)"
  JAVA="$YCSB_JDK" timeout $((seconds + 120)) "$Y/ycsb.sh" "$phase" "$db" -P "$(workload_file "$workload")" \
      -threads "$THREADS" -p recordcount="$RECORDS" -p operationcount="$count" -p maxexecutiontime="$seconds" \
      -p status.interval=1 "$@" \
      > "$out" 2> "$out.status" || die "YCSB failed for $system $name (see $out.status)"
}

# phases SYSTEM PAIR DBCLASS [-p k=v ...]: load, warm-up + measured run per workload (those in
# $phase_workloads, WORKLOADS unless set), fixed load.
phases() {
  local system=$1 pair=$2 db=$3; shift 3
  ycsb "$system" "$pair" load load a 600 "$db" "$@"
  for w in ${phase_workloads:-$WORKLOADS}; do
    ycsb "$system" "$pair" "$w-warm" run "$w" "$WARMUP_S" "$db" "$@"
    ycsb "$system" "$pair" "$w" run "$w" "$MEASURE_S" "$db" "$@"
  done
  if [[ -z "${TARGET:-}" ]]; then
    local measured
    measured=$(python3 "$here/bench/ycsb_report.py" --steady-rate "$RESULTS/ycsb-$system-p$pair-a.txt.status")
    TARGET=$(python3 -c "print(int($measured * $TARGET_FRACTION))")
    [[ "$TARGET" -ge 1 ]] || die "$system's workload A measured $measured ops/s: no fixed load to offer"
    echo "$TARGET" > "$RESULTS/target"
    say "fixed offered load for every system: $TARGET ops/s ($TARGET_FRACTION x $system's workload A, $measured ops/s)"
  fi
  ycsb "$system" "$pair" "a-fixed" run a "$((FIXED_WARMUP_S + MEASURE_S))" "$db" -target "$TARGET" \
      -p measurement.interval=both -p measurementtype=hdrhistogram+raw "$@"
}

run_cassandra() { # PROFILE PAIR
  local profile=$1 pair=$2 pids system=cassandra phase_workloads="$WORKLOADS"
  if [[ $profile == durable ]]; then
    system=cassandra-durable phase_workloads="$DURABLE_WORKLOADS"
  fi
  cp "$cassandra_template.$profile" "$cassandra_template"
  ANCHORS_RESULTS="$RESULTS/$system-p$pair" JAVA="$CASSANDRA_JDK" JVM_OPTIONS_FILE="$cassandra_options" \
      NODES=3 "$ANCHORS_COPY/cassandra/start.sh" >&2
  pids=$(cat "$ANCHORS_COPY"/run/cassandra/node*/pid | tr '\n' ' ')
  grep -q "^commitlog_sync: $([[ $profile == durable ]] && echo batch || echo periodic)$" \
      "$ANCHORS_COPY"/run/cassandra/node1/conf/cassandra.yaml || die "$system started without its commit log setting"
  ANCHORS_RESULTS="$RESULTS/$system-p$pair" JAVA="$YCSB_JDK" RF=3 "$ANCHORS_COPY/cassandra/schema.sh" >&2
  start_sampler "$system" "$pair" $pids
  phases "$system" "$pair" ringkv.anchors.ycsb.CassandraDb -p hosts=127.0.0.1,127.0.0.2,127.0.0.3 \
      -p cassandra.readconsistencylevel=QUORUM -p cassandra.writeconsistencylevel=QUORUM
  stop_sampler
  ANCHORS_RESULTS="$RESULTS/$system-p$pair" "$ANCHORS_COPY/cassandra/stop.sh" >&2
}

ringkv_dir=""
run_ringkv() { # PROFILE PAIR
  local profile=$1 pair=$2 pids nodes
  local -a settings=() props=()
  case $profile in
    durable) ;;
    cassandra) settings=(--set storage.sync.policy=periodic --set storage.sync.intervalMillis=10000
                         --set versioning.conflictPolicy=lww); props=(-p ringkv.update=blind) ;;
    *) die "unknown ringkv profile '$profile' (durable or cassandra)" ;;
  esac
  ringkv_dir="$(mktemp -d /tmp/ringkv-ycsb-XXXXXX)"; ringkv_logs="ringkv-$profile-p$pair"
  "$here/bin/ringkv" cluster start --nodes 3 --dir "$ringkv_dir" --port "$RINGKV_PORT" "${settings[@]}" >&2
  pids=$(cat "$ringkv_dir"/node*/ringkv.pid | tr '\n' ' ')
  nodes="$(seq -s, -f "http://127.0.0.1:%.0f" $((RINGKV_PORT + 1)) $((RINGKV_PORT + 3)))"
  start_sampler "ringkv-$profile" "$pair" $pids
  phases "ringkv-$profile" "$pair" io.ringkv.ycsb.RingkvDb -p ringkv.nodes="$nodes" "${props[@]}"
  stop_sampler
  stop_ringkv
}
stop_ringkv() {
  [[ -n "$ringkv_dir" ]] || return 0
  "$here/bin/ringkv" cluster stop --dir "$ringkv_dir" >&2 || true
  # The nodes' logs are kept beside the figures, as the anchors keep Cassandra's.
  local logs="$RESULTS/${ringkv_logs:-ringkv}"
  mkdir -p "$logs"
  for log in "$ringkv_dir"/node*/node.log; do
    [[ -f "$log" ]] && cp "$log" "$logs/$(basename "$(dirname "$log")").log"
  done
  rm -rf "$ringkv_dir"; ringkv_dir=""
}

run_redis() {
  local port pid
  if ! command -v redis-server >/dev/null; then
    if [[ "$(id -u)" == 0 ]]; then
      say "installing redis-server (Debian) for the Redis run"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server >&2 || die "cannot install redis-server"
      systemctl disable --now redis-server >/dev/null 2>&1 || true   # the package's own service: not ours
    else
      say "no redis-server and not root: skipping the Redis run (REDIS=0 to silence)"; return 0
    fi
  fi
  port=$(ANCHORS_RESULTS="$RESULTS/redis" "$ANCHORS_COPY/redis/start.sh" nopersist | tail -n 1)
  pid=$(cat "$ANCHORS_COPY/run/redis/redis.pid")
  start_sampler redis 1 "$pid"
  phases redis 1 ringkv.anchors.ycsb.RedisDb -p redis.host=127.0.0.1 -p redis.port="$port"
  stop_sampler
  ANCHORS_RESULTS="$RESULTS/redis" "$ANCHORS_COPY/redis/stop.sh" >&2
}

cleanup() {
  stop_sampler
  stop_ringkv
  "$ANCHORS_COPY/cassandra/stop.sh" >/dev/null 2>&1 || true
  "$ANCHORS_COPY/redis/stop.sh" >/dev/null 2>&1 || true
}
trap cleanup EXIT

say "$PAIRS pair(s), workloads [$WORKLOADS], ${WARMUP_S}s warm-up + ${MEASURE_S}s measured, $RECORDS records, $THREADS threads"
say "YCSB on $YCSB_JDK; Cassandra on $CASSANDRA_JDK; results in $RESULTS"
{
  echo "pairs=$PAIRS workloads=$WORKLOADS warmup_s=$WARMUP_S measure_s=$MEASURE_S records=$RECORDS threads=$THREADS"
  echo "profiles=$PROFILES target_fraction=$TARGET_FRACTION fixed_warmup_s=$FIXED_WARMUP_S"
  echo "cassandra_profiles=$CASSANDRA_PROFILES durable_workloads=$DURABLE_WORKLOADS"
  echo "ycsb_java=$("$YCSB_JDK" -version 2>&1 | head -n 1) cassandra_java=$("$CASSANDRA_JDK" -version 2>&1 | head -n 1)"
  echo "ringkv=$(git -C "$here" rev-parse --short HEAD) machine=$(nproc) cpus, $(free -g | awk '/Mem:/ {print $2}') GiB"
} > "$RESULTS/settings.txt"
t0=$(date +%s)
# Cassandra goes first: its workload A throughput sets the fixed offered load for everyone.
for pair in $(seq 1 "$PAIRS"); do
  run_cassandra default "$pair"
  if [[ $cassandra_durable == 1 ]]; then run_cassandra durable "$pair"; fi
  for profile in $PROFILES; do
    run_ringkv "$profile" "$pair"
  done
  if [[ "$pair" == 1 && "${REDIS:-1}" == 1 ]]; then
    run_redis
  fi
done
say "all runs done in $(( ($(date +%s) - t0) / 60 )) min"
python3 "$here/bench/ycsb_report.py" "$RESULTS" | tee "$RESULTS/report.txt"
exit "${PIPESTATUS[0]}"
