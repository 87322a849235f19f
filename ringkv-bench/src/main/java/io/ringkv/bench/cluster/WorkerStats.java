package io.ringkv.bench.cluster;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.client.RingkvException;
import io.ringkv.client.RingkvServerException;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one worker thread saw: latency of successful reads and writes (HdrHistogram, ns),
 * failures by kind, and what reads found. Owned by one thread while it runs (no contention);
 * merged into a {@link PhaseResult} afterwards.
 */
final class WorkerStats {
    final Histogram reads = LatencySummary.newNanosHistogram();
    final Histogram writes = LatencySummary.newNanosHistogram();
    /** e.g. "write QuorumNotMetException" or "read RingkvServerException store_failure" -> count. */
    final Map<String, Long> errors = new TreeMap<>();
    long notFound;
    long siblingReads;

    void readDone(long startNanos) {
        LatencySummary.recordNanos(reads, System.nanoTime() - startNanos);
    }

    void writeDone(long startNanos) {
        LatencySummary.recordNanos(writes, System.nanoTime() - startNanos);
    }

    void failed(String op, RingkvException e) {
        String kind = e.getClass().getSimpleName();
        if (e instanceof RingkvServerException s && s.getClass() == RingkvServerException.class) {
            kind += " " + s.errorCode(); // the generic type says little; the server's code says what
        }
        errors.merge(op + " " + kind, 1L, Long::sum);
    }
}
