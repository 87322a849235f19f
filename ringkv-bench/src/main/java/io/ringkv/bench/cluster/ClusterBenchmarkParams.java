package io.ringkv.bench.cluster;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link ClusterBenchmark} runs. Build with {@link #builder()}; the defaults are those
 * docs/benchmarks.md reports (the local 3-node cluster, 16 threads, 100,000 keys, 100-byte
 * values, half reads, 30 s measured after 5 s of warm-up).
 *
 * <p>Every phase is bounded by time: the measured phase stops after {@code duration} or after
 * {@code ops} operations, whichever comes first ({@code ops} 0: time only); the load stops
 * after {@link #LOAD_TIME_LIMIT} even if not every key was written.
 *
 * @param nodes         node URLs the client spreads requests over
 * @param threads       client threads, each in a closed loop (next request as soon as the last is answered)
 * @param keys          distinct keys, chosen uniformly
 * @param valueBytes    size of every value written
 * @param readRatio     fraction of operations that are reads (0..1); the rest are writes
 * @param duration      longest the measured phase runs
 * @param ops           operations in the measured phase (0: no count limit)
 * @param warmup        unmeasured mixed load before the measured phase (JIT, connections, caches)
 * @param load          whether every key is written once before the warm-up, so reads find values
 * @param keyPrefix     every key is this prefix plus the key's number
 * @param r             read quorum per request (0: the cluster's default)
 * @param w             write quorum per request (0: the cluster's default)
 * @param timeout       how long the client waits for one node's answer
 * @param seed          seeds key choice and values
 * @param progressInterval how often a progress line is printed
 * @param partitionAware   whether the client sends each request straight to a replica of its key
 *                         (learning the ring from the nodes) rather than spreading requests over the nodes
 */
public record ClusterBenchmarkParams(
        List<URI> nodes,
        int threads,
        int keys,
        int valueBytes,
        double readRatio,
        Duration duration,
        long ops,
        Duration warmup,
        boolean load,
        String keyPrefix,
        int r,
        int w,
        Duration timeout,
        long seed,
        Duration progressInterval,
        boolean partitionAware) {

    /** The local cluster of {@code bin/ringkv cluster start} (3 nodes, HTTP ports 8001..8003). */
    public static final List<URI> LOCAL_CLUSTER = List.of(
            URI.create("http://127.0.0.1:8001"), URI.create("http://127.0.0.1:8002"), URI.create("http://127.0.0.1:8003"));
    /** The load writes every key once; it gives up after this long. */
    public static final Duration LOAD_TIME_LIMIT = Duration.ofMinutes(10);
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final int MAX_THREADS = 1024;
    static final int MAX_KEYS = 10_000_000;
    /** The node's default {@code limits.maxKeyValueSize} is 10,240 bytes for key and value together. */
    static final int MAX_VALUE_BYTES = 10_000;

    public ClusterBenchmarkParams {
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(keyPrefix, "keyPrefix");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** "default" for 0, else the number. */
    static String quorum(int q) {
        return q == 0 ? "cluster default" : Integer.toString(q);
    }

    public static final class Builder {
        private final List<URI> nodes = new ArrayList<>();
        private int threads = 16;
        private int keys = 100_000;
        private int valueBytes = 100;
        private double readRatio = 0.5;
        private Duration duration;
        private long ops;
        private Duration warmup = Duration.ofSeconds(5);
        private boolean load = true;
        private String keyPrefix;
        private int r;
        private int w;
        private Duration timeout = Duration.ofSeconds(5);
        private long seed = 42;
        private Duration progressInterval = Duration.ofSeconds(1);
        private boolean partitionAware;

        private Builder() {
        }

        /** Comma-separated URLs, e.g. {@code http://127.0.0.1:8001,http://127.0.0.1:8002}. */
        public Builder nodes(String commaSeparated) {
            nodes.clear();
            for (String part : commaSeparated.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                nodes.add(nodeUrl(part.strip()));
            }
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("--nodes lists no URL");
            }
            return this;
        }

        private static URI nodeUrl(String text) {
            try {
                URI uri = new URI(text);
                if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new IllegalArgumentException("not a node URL (http://host:port): \"" + text + "\"");
        }

        public Builder nodes(List<URI> uris) {
            nodes.clear();
            nodes.addAll(uris);
            return this;
        }

        public Builder threads(int threads) {
            this.threads = check(threads, 1, MAX_THREADS, "threads");
            return this;
        }

        public Builder keys(int keys) {
            this.keys = check(keys, 1, MAX_KEYS, "keys");
            return this;
        }

        public Builder valueBytes(int valueBytes) {
            this.valueBytes = check(valueBytes, 1, MAX_VALUE_BYTES, "value size");
            return this;
        }

        public Builder readRatio(double readRatio) {
            if (!(readRatio >= 0 && readRatio <= 1)) {
                throw new IllegalArgumentException("read ratio must be between 0 and 1, was " + readRatio);
            }
            this.readRatio = readRatio;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = checkDuration(duration, false, "duration");
            return this;
        }

        public Builder ops(long ops) {
            if (ops < 1) {
                throw new IllegalArgumentException("ops must be at least 1, was " + ops);
            }
            this.ops = ops;
            return this;
        }

        public Builder warmup(Duration warmup) {
            this.warmup = checkDuration(warmup, true, "warm-up");
            return this;
        }

        public Builder load(boolean load) {
            this.load = load;
            return this;
        }

        public Builder keyPrefix(String keyPrefix) {
            if (keyPrefix.isEmpty() || keyPrefix.length() > 200) {
                throw new IllegalArgumentException("key prefix must be 1 to 200 characters");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder r(int r) {
            this.r = check(r, 1, 64, "r");
            return this;
        }

        public Builder w(int w) {
            this.w = check(w, 1, 64, "w");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = checkDuration(timeout, false, "timeout");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder progressInterval(Duration progressInterval) {
            this.progressInterval = checkDuration(progressInterval, false, "progress interval");
            return this;
        }

        public Builder partitionAware(boolean partitionAware) {
            this.partitionAware = partitionAware;
            return this;
        }

        /**
         * Without {@code duration}: 30 s, or, when an op count was given, the op count bounded
         * by {@link #MAX_DURATION}. Without a key prefix: {@code bench-<run id>-}, so a run never
         * writes over an earlier run's keys without their context (which would make siblings).
         */
        public ClusterBenchmarkParams build() {
            Duration d = duration != null ? duration : ops > 0 ? MAX_DURATION : Duration.ofSeconds(30);
            String prefix = keyPrefix != null ? keyPrefix
                    : "bench-" + Long.toString(System.currentTimeMillis(), 36).toLowerCase(Locale.ROOT) + "-";
            return new ClusterBenchmarkParams(nodes.isEmpty() ? LOCAL_CLUSTER : nodes, threads, keys, valueBytes,
                    readRatio, d, ops, warmup, load, prefix, r, w, timeout, seed, progressInterval, partitionAware);
        }

        private static int check(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }

        private static Duration checkDuration(Duration d, boolean zeroAllowed, String name) {
            if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", was " + d);
            }
            if (d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION.toMinutes() + " minutes, was " + d);
            }
            return d;
        }
    }
}
