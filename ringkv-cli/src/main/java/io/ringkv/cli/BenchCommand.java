package io.ringkv.cli;

import io.ringkv.bench.antientropy.AntiEntropyBenchmark;
import io.ringkv.bench.antientropy.AntiEntropyBenchmarkParams;
import io.ringkv.bench.cluster.ClusterBenchmark;
import io.ringkv.bench.cluster.ClusterBenchmarkParams;
import io.ringkv.bench.storage.StorageBenchmark;
import io.ringkv.bench.storage.StorageBenchmarkParams;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringkv bench storage|cluster|antientropy}: benchmarks that print figures (docs/benchmarks.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Runs a benchmark and prints its figures.",
        subcommands = {BenchCommand.Storage.class, BenchCommand.Cluster.class, BenchCommand.AntiEntropyCost.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Main.missingSubcommand(spec);
    }

    /** ringkv's LSM engine against RocksDB, same workloads (docs/benchmarks.md). */
    @Command(name = "storage", mixinStandardHelpOptions = true,
            description = {"ringkv's storage engine against RocksDB on the same workloads (docs/benchmarks.md):",
                    "RocksDB through rocksdbjni and as its own db_bench (Debian's rocksdb-tools), every row",
                    "--repeat times in rotating engine order; prints median and min-max per row."})
    static final class Storage implements Callable<Integer> {
        @Option(names = "--keys", paramLabel = "N", description = "keys loaded (default: 1000000)")
        Integer keys;
        @Option(names = "--value-bytes", paramLabel = "B", description = "value size (default: 100)")
        Integer valueBytes;
        @Option(names = "--reads", paramLabel = "N", description = "random reads of existing keys (default: 1000000)")
        Long reads;
        @Option(names = "--missing-reads", paramLabel = "N", description = "reads of absent keys (default: 1000000)")
        Long missingReads;
        @Option(names = "--sync-writers", paramLabel = "T", description = "durable-write threads (default: 16)")
        Integer syncWriters;
        @Option(names = "--sync-writes", paramLabel = "N", description = "writes per durable-write thread (default: 2000)")
        Integer syncWrites;
        @Option(names = "--seed", paramLabel = "S", description = "random seed")
        Long seed;
        @Option(names = "--rows", paramLabel = "LIST",
                description = "rows: write,read,missing,sync-write,big-read,big-mixed (default: all)")
        String rows;
        @Option(names = "--engines", paramLabel = "LIST",
                description = "engines in order: ringkv,rocksdbjni,db_bench (default: all three)")
        String engines;
        @Option(names = "--repeat", paramLabel = "N", description = "runs of every row per engine (default: 5)")
        Integer repeat;
        @Option(names = "--big-keys", paramLabel = "N",
                description = "keys of the larger-than-cache data set (default: 3000000)")
        Integer bigKeys;
        @Option(names = "--big-cache-mib", paramLabel = "MIB",
                description = "block cache of the big rows; the data must be 4x larger (default: 64)")
        Long bigCacheMib;
        @Option(names = "--results", paramLabel = "DIR",
                description = "where RocksDB's options files and db_bench's logs are kept (default: storage-bench-results/<UTC time>)")
        Path results;
        @Option(names = "--dir", paramLabel = "DIR", description = "parent of the scratch directory (default: system temp)")
        Path dir;
        @Option(names = "--row-time-limit-seconds", paramLabel = "S", description = "stop a row after this long (default: 300)")
        Long rowTimeLimitSeconds;

        @Override
        public Integer call() {
            StorageBenchmarkParams params;
            try {
                StorageBenchmarkParams.Builder b = StorageBenchmarkParams.builder();
                if (keys != null) b.keys(keys);
                if (valueBytes != null) b.valueBytes(valueBytes);
                if (reads != null) b.readOps(reads);
                if (missingReads != null) b.missingReadOps(missingReads);
                if (syncWriters != null) b.syncWriters(syncWriters);
                if (syncWrites != null) b.syncWritesPerWriter(syncWrites);
                if (seed != null) b.seed(seed);
                if (rows != null) b.rows(rows);
                if (engines != null) b.engines(engines);
                if (dir != null) b.dir(dir);
                if (rowTimeLimitSeconds != null) b.rowTimeLimit(Duration.ofSeconds(rowTimeLimitSeconds));
                if (repeat != null) b.repeats(repeat);
                if (bigKeys != null) b.bigKeys(bigKeys);
                if (bigCacheMib != null) b.bigCacheBytes(bigCacheMib << 20);
                b.resultsDir(results != null ? results : Path.of("storage-bench-results",
                        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC).format(Instant.now())));
                params = b.build();
            } catch (IllegalArgumentException e) {
                throw new CliException("bench storage: " + e.getMessage(), CliException.USAGE);
            }
            return StorageBenchmark.run(System.out, params);
        }
    }

    /** A closed-loop load generator against a running cluster (docs/benchmarks.md, "Cluster load generator"). */
    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = "Closed-loop load against a running cluster through ringkv-client; prints throughput and "
                    + "p50/p99/p99.9 latency of reads and writes (docs/benchmarks.md).")
    static final class Cluster implements Callable<Integer> {
        @Option(names = "--nodes", paramLabel = "URLS",
                description = "comma-separated node URLs (default: the local cluster, http://127.0.0.1:8001..8003)")
        String nodes;
        @Option(names = "--threads", paramLabel = "T", description = "client threads in a closed loop (default: 16)")
        Integer threads;
        @Option(names = "--keys", paramLabel = "N", description = "distinct keys, chosen uniformly (default: 100000)")
        Integer keys;
        @Option(names = "--value-size", paramLabel = "B", description = "bytes per value written (default: 100)")
        Integer valueSize;
        @Option(names = "--read-ratio", paramLabel = "F", description = "fraction of reads, 0..1 (default: 0.5)")
        Double readRatio;
        @Option(names = "--duration", paramLabel = "S", description = "seconds measured (default: 30; with --ops: at most 3600)")
        Long durationSeconds;
        @Option(names = "--ops", paramLabel = "N", description = "operations measured; the run stops at --ops or --duration, whichever comes first")
        Long ops;
        @Option(names = "--warmup", paramLabel = "S", description = "seconds of unmeasured load first (default: 5)")
        Long warmupSeconds;
        @Option(names = "--no-load", description = "skip writing every key once before the warm-up (then reads may find nothing)")
        boolean noLoad;
        @Option(names = "--key-prefix", paramLabel = "P", description = "key prefix (default: bench-<run id>-, new keys every run)")
        String keyPrefix;
        @Option(names = "--r", paramLabel = "R", description = "read quorum per request (default: the cluster's)")
        Integer r;
        @Option(names = "--w", paramLabel = "W", description = "write quorum per request (default: the cluster's)")
        Integer w;
        @Option(names = "--timeout-ms", paramLabel = "MS", description = "how long to wait for one node's answer (default: 5000)")
        Long timeoutMillis;
        @Option(names = "--seed", paramLabel = "S", description = "random seed (default: 42)")
        Long seed;

        @Option(names = "--partition-aware", description = "send each request straight to a replica of its key (the client learns the ring); default: spread over --nodes")
        boolean partitionAware;

        @Override
        public Integer call() {
            ClusterBenchmarkParams params;
            try {
                ClusterBenchmarkParams.Builder b = ClusterBenchmarkParams.builder();
                if (nodes != null) b.nodes(nodes);
                if (threads != null) b.threads(threads);
                if (keys != null) b.keys(keys);
                if (valueSize != null) b.valueBytes(valueSize);
                if (readRatio != null) b.readRatio(readRatio);
                if (durationSeconds != null) b.duration(Duration.ofSeconds(durationSeconds));
                if (ops != null) b.ops(ops);
                if (warmupSeconds != null) b.warmup(Duration.ofSeconds(warmupSeconds));
                b.load(!noLoad);
                if (keyPrefix != null) b.keyPrefix(keyPrefix);
                if (r != null) b.r(r);
                if (w != null) b.w(w);
                if (timeoutMillis != null) b.timeout(Duration.ofMillis(timeoutMillis));
                if (seed != null) b.seed(seed);
                b.partitionAware(partitionAware);
                params = b.build();
            } catch (IllegalArgumentException e) {
                throw new CliException("bench cluster: " + e.getMessage(), CliException.USAGE);
            }
            return ClusterBenchmark.run(System.out, params);
        }
    }

    /** Merkle-tree anti-entropy's cost with 0.1 % of keys diverged on one of three replicas (docs/benchmarks.md). */
    @Command(name = "antientropy", mixinStandardHelpOptions = true,
            description = "Anti-entropy between three in-process replicas with a fraction of keys diverged on one: bytes"
                    + " exchanged against the divergent bytes, time to converge, cost when nothing differs, and a full"
                    + " compare's cost (docs/benchmarks.md). -Dsmall (or --small) runs 10,000 keys.")
    static final class AntiEntropyCost implements Callable<Integer> {
        @Option(names = "--keys", paramLabel = "N", description = "keys on each replica (default: 1000000; -Dkeys=)")
        Integer keys;
        @Option(names = "--value-bytes", paramLabel = "B", description = "value size (default: 100)")
        Integer valueBytes;
        @Option(names = "--diverged", paramLabel = "F", description = "fraction of keys diverged on node3 (default: 0.001)")
        Double diverged;
        @Option(names = "--vnodes", paramLabel = "V", description = "vnodes per node (default: 256)")
        Integer vnodes;
        @Option(names = "--depth", paramLabel = "D", description = "Merkle tree depth (default: 10)")
        Integer depth;
        @Option(names = "--seed", paramLabel = "S", description = "random seed (default: 42)")
        Long seed;
        @Option(names = "--dir", paramLabel = "DIR", description = "parent of the scratch directory (default: system temp)")
        Path dir;
        @Option(names = "--small", description = "a test-sized run: 10,000 keys, 16 vnodes per node")
        boolean small;

        @Override
        public Integer call() {
            AntiEntropyBenchmarkParams params;
            try {
                AntiEntropyBenchmarkParams p = AntiEntropyBenchmarkParams.fromSystemProperties();
                if (small) {
                    p = p.withKeys(10_000).withVnodesPerNode(16);
                }
                params = new AntiEntropyBenchmarkParams(keys != null ? keys : p.keys(),
                        valueBytes != null ? valueBytes : p.valueBytes(), diverged != null ? diverged : p.divergedFraction(),
                        vnodes != null ? vnodes : p.vnodesPerNode(), depth != null ? depth : p.depth(),
                        seed != null ? seed : p.seed(), dir != null ? dir : p.dir());
            } catch (IllegalArgumentException e) {
                throw new CliException("bench antientropy: " + e.getMessage(), CliException.USAGE);
            }
            return AntiEntropyBenchmark.run(System.out, params);
        }
    }
}
