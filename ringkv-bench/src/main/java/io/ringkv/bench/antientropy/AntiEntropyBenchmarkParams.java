package io.ringkv.bench.antientropy;

import java.nio.file.Path;

/**
 * What {@code ringkv bench antientropy} runs: {@code keys} keys of {@code valueBytes} on three
 * replicas (N = 3, so every node holds every key), {@code divergedFraction} of them diverged on
 * the third (half missing there, half holding an extra concurrent version there only).
 *
 * @param vnodesPerNode tokens per node: 256 as a node takes by default, so 768 ranges
 * @param depth         Merkle tree depth (antiEntropy.depth)
 * @param dir           parent of the scratch directory, deleted afterwards
 */
public record AntiEntropyBenchmarkParams(int keys, int valueBytes, double divergedFraction, int vnodesPerNode,
                                         int depth, long seed, Path dir) {
    public AntiEntropyBenchmarkParams {
        if (keys < 100 || keys > 100_000_000) {
            throw new IllegalArgumentException("keys must be between 100 and 100000000, got " + keys);
        }
        if (valueBytes < 1 || valueBytes > 1 << 20) {
            throw new IllegalArgumentException("value bytes must be between 1 and 1048576, got " + valueBytes);
        }
        if (!(divergedFraction > 0 && divergedFraction <= 0.5)) {
            throw new IllegalArgumentException("diverged fraction must be in (0, 0.5], got " + divergedFraction);
        }
        if (vnodesPerNode < 1 || vnodesPerNode > 4096) {
            throw new IllegalArgumentException("vnodes per node must be between 1 and 4096, got " + vnodesPerNode);
        }
        if (depth < 1 || depth > 20) {
            throw new IllegalArgumentException("depth must be between 1 and 20, got " + depth);
        }
    }

    /** 1M keys of 100 bytes, 0.1 % diverged, 256 vnodes per node, depth 10. */
    public static AntiEntropyBenchmarkParams defaults() {
        return new AntiEntropyBenchmarkParams(1_000_000, 100, 0.001, 256, 10, 42,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * {@link #defaults} overridden by system properties {@code -Dkeys=}, {@code -DvalueBytes=},
     * {@code -Ddiverged=}, {@code -Dvnodes=}, {@code -Ddepth=}, {@code -Dseed=}; {@code -Dsmall}
     * is 10,000 keys and 16 vnodes per node (a test-sized run).
     */
    public static AntiEntropyBenchmarkParams fromSystemProperties() {
        AntiEntropyBenchmarkParams d = defaults();
        boolean small = System.getProperty("small") != null;
        return new AntiEntropyBenchmarkParams(
                Integer.getInteger("keys", small ? 10_000 : d.keys()),
                Integer.getInteger("valueBytes", d.valueBytes()),
                Double.parseDouble(System.getProperty("diverged", Double.toString(d.divergedFraction()))),
                Integer.getInteger("vnodes", small ? 16 : d.vnodesPerNode()),
                Integer.getInteger("depth", d.depth()),
                Long.getLong("seed", d.seed()),
                d.dir());
    }

    public AntiEntropyBenchmarkParams withKeys(int n) {
        return new AntiEntropyBenchmarkParams(n, valueBytes, divergedFraction, vnodesPerNode, depth, seed, dir);
    }

    public AntiEntropyBenchmarkParams withVnodesPerNode(int n) {
        return new AntiEntropyBenchmarkParams(keys, valueBytes, divergedFraction, n, depth, seed, dir);
    }

    public AntiEntropyBenchmarkParams withDir(Path d) {
        return new AntiEntropyBenchmarkParams(keys, valueBytes, divergedFraction, vnodesPerNode, depth, seed, d);
    }
}
