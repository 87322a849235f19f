package io.ringkv.bench.cluster;

import io.ringkv.client.RingkvClient;
import io.ringkv.client.RingkvException;
import io.ringkv.client.RingkvUnavailableException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code bin/ringkv bench cluster}: a closed-loop load generator that drives a running cluster
 * through {@code ringkv-client} (so through the public HTTP API, as applications do) and prints
 * throughput and p50/p99/p99.9 latency of reads and writes, and failures by kind
 * (docs/benchmarks.md, "Cluster load generator").
 *
 * <p>Phases: load (every key written once, unless disabled), warm-up (the mixed workload,
 * not reported), measured (the mixed workload, reported).
 */
public final class ClusterBenchmark {
    /** Exit code: the run completed (failed requests are reported, not fatal). */
    public static final int OK = 0;
    /** Exit code: no node could be reached, or no request of the measured phase succeeded. */
    public static final int FAILED = 1;

    private ClusterBenchmark() {
    }

    public static int run(PrintStream out, ClusterBenchmarkParams params) {
        printHeader(out, params);
        try (RingkvClient client = RingkvClient.builder().nodes(params.nodes()).timeout(params.timeout())
                .maxIdleConnectionsPerNode(params.threads()).partitionAware(params.partitionAware()).build()) {
            try {
                client.get("bench-preflight"); // fail fast, with one clear line, if nothing answers
            } catch (RingkvUnavailableException e) {
                out.println("bench cluster: no node answered (is the cluster running? bin/ringkv cluster start): "
                        + e.getMessage());
                return FAILED;
            } catch (RingkvException e) {
                out.println("bench cluster: the first request failed: " + e.getMessage());
                return FAILED;
            }
            BenchKeys keys = new BenchKeys(params.keyPrefix(), params.keys(), params.valueBytes(), params.seed());
            ClusterWorkload workload = new ClusterWorkload(client, keys, params);
            ClusterReport report = new ClusterReport(out);

            if (params.load()) {
                out.printf(Locale.ROOT, "== load: writing %,d keys%n", params.keys());
                PhaseResult load = ClosedLoop.run(out, "load", params.threads(),
                        ClusterBenchmarkParams.LOAD_TIME_LIMIT, params.keys(), params.seed(),
                        params.progressInterval(), workload::load);
                report.phase(load);
                if (load.succeeded() < params.keys()) {
                    out.printf(Locale.ROOT, "  note: %,d of %,d keys were written; reads of the others find nothing%n",
                            load.succeeded(), params.keys());
                }
            }
            if (!params.warmup().isZero()) {
                out.printf(Locale.ROOT, "== warm-up: %.0f s (not reported)%n", params.warmup().toMillis() / 1e3);
                ClosedLoop.run(out, "warm-up", params.threads(), params.warmup(), 0, params.seed() + 1,
                        params.progressInterval(), workload::mixed);
            }
            out.printf(Locale.ROOT, "== measured: %s%n", describeLimit(params));
            PhaseResult measured = ClosedLoop.run(out, "measured", params.threads(), params.duration(), params.ops(),
                    params.seed() + 2, params.progressInterval(), workload::mixed);
            report.phase(measured);
            if (measured.succeeded() == 0) {
                out.println("bench cluster: FAILED: no request of the measured phase succeeded");
                return FAILED;
            }
            out.println("bench cluster: done");
            return OK;
        }
    }

    private static String describeLimit(ClusterBenchmarkParams p) {
        String time = String.format(Locale.ROOT, "%.0f s", p.duration().toMillis() / 1e3);
        return p.ops() > 0 ? String.format(Locale.ROOT, "%,d ops or %s, whichever comes first", p.ops(), time) : time;
    }

    private static void printHeader(PrintStream out, ClusterBenchmarkParams p) {
        out.printf(Locale.ROOT, "Cluster benchmark, %s%n", Instant.now());
        out.printf(Locale.ROOT, "nodes %s, %s%n", p.nodes(),
                p.partitionAware() ? "partition-aware (straight to a replica)" : "through any node (round robin)");
        out.printf(Locale.ROOT, "threads %d, keys %,d (prefix %s), values %d B, reads %.0f%%, r %s, w %s, timeout %s%n",
                p.threads(), p.keys(), p.keyPrefix(), p.valueBytes(), p.readRatio() * 100,
                ClusterBenchmarkParams.quorum(p.r()), ClusterBenchmarkParams.quorum(p.w()), p.timeout());
        out.printf(Locale.ROOT, "load %s, warm-up %s, measured %s, seed %d; java %s, %d cpus%n",
                p.load() ? "yes" : "no", p.warmup(), describeLimit(p), p.seed(), Runtime.version(),
                Runtime.getRuntime().availableProcessors());
    }
}
