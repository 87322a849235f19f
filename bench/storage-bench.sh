#!/usr/bin/env bash
# The storage engine against RocksDB, as docs/benchmarks.md records it ("Storage engine vs RocksDB"):
# ringkv, RocksDB through rocksdbjni and RocksDB's own db_bench, every row 5 times in rotating engine
# order, median and min-max per row, the bar (worst row's median ratio) at the end.
# Installs db_bench (Debian's rocksdb-tools) when it is missing, which needs root.
# Usage: bench/storage-bench.sh [extra `bin/ringkv bench storage` options, e.g. --repeat=3]
# Results (RocksDB's options files, db_bench's logs, this run's output) go to storage-bench-results/<UTC time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"
if ! [ -x "${RINGKV_DB_BENCH:-/usr/bin/db_bench}" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "storage-bench: db_bench is missing: run 'apt-get install rocksdb-tools' as root (or set RINGKV_DB_BENCH)" >&2
        exit 1
    fi
    echo "storage-bench: installing rocksdb-tools for db_bench" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q rocksdb-tools >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q rocksdb-tools >&2; }
fi
results="storage-bench-results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$results"
# The bench JVM gets a fixed, pre-touched heap, as a database server's JVM has: no engine pays page faults or
# heap growth the others did not.
RINGKV_JAVA_OPTS="${RINGKV_JAVA_OPTS:--Xms4g -Xmx4g -XX:+AlwaysPreTouch}" bin/ringkv bench storage --results="$results" "$@" \
    2>&1 | tee "$results/output.txt"
