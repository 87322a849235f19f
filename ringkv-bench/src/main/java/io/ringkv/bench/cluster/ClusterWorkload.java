package io.ringkv.bench.cluster;

import io.ringkv.client.ReadOptions;
import io.ringkv.client.RingkvClient;
import io.ringkv.client.RingkvException;
import io.ringkv.client.Versions;
import io.ringkv.client.WriteOptions;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The requests of a run, as an application would make them. Writes carry a context, so
 * versions supersede each other instead of piling up as siblings: the context last seen for
 * the key by any of the generator's threads (from a read or a write of it). Two threads that
 * write one key at the same moment with the same context do make siblings, as two real
 * clients would; the next read returns them with a merged context, and the next write with
 * that context resolves them. Reads that found siblings are counted and reported.
 */
final class ClusterWorkload {
    private final RingkvClient client;
    private final BenchKeys keys;
    private final ReadOptions readOptions;
    private final WriteOptions writeOptions;
    private final double readRatio;
    private final AtomicReferenceArray<String> contexts;

    ClusterWorkload(RingkvClient client, BenchKeys keys, ClusterBenchmarkParams params) {
        this.client = client;
        this.keys = keys;
        this.readOptions = params.r() == 0 ? ReadOptions.DEFAULT : ReadOptions.r(params.r());
        this.writeOptions = params.w() == 0 ? WriteOptions.DEFAULT : WriteOptions.w(params.w());
        this.readRatio = params.readRatio();
        this.contexts = new AtomicReferenceArray<>(keys.count());
    }

    /** Load step: operation {@code index} writes key {@code index} (callers bound the count by the key count). */
    void load(long index, SplittableRandom random, WorkerStats stats) {
        write((int) index, random, stats);
    }

    /** Mixed step: a read with probability readRatio, else a write; the key uniformly chosen. */
    void mixed(long index, SplittableRandom random, WorkerStats stats) {
        int key = random.nextInt(keys.count());
        if (random.nextDouble() < readRatio) {
            read(key, stats);
        } else {
            write(key, random, stats);
        }
    }

    private void read(int key, WorkerStats stats) {
        byte[] k = keys.key(key);
        long start = System.nanoTime();
        try {
            Versions versions = client.get(k, readOptions);
            stats.readDone(start);
            if (versions.isEmpty()) {
                stats.notFound++;
            } else if (versions.hasSiblings()) {
                stats.siblingReads++;
            }
            if (!versions.context().isEmpty()) {
                contexts.set(key, versions.context());
            }
        } catch (RingkvException e) {
            stats.failed("read", e);
        }
    }

    private void write(int key, SplittableRandom random, WorkerStats stats) {
        byte[] k = keys.key(key);
        byte[] value = keys.value(random);
        String known = contexts.get(key);
        long start = System.nanoTime();
        try {
            String context = client.put(k, known, value, writeOptions);
            stats.writeDone(start);
            contexts.set(key, context);
        } catch (RingkvException e) {
            stats.failed("write", e);
        }
    }
}
