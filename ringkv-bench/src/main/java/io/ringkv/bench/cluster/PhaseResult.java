package io.ringkv.bench.cluster;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.bench.common.ProcessMeters;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One phase's figures, merged over its worker threads.
 *
 * @param elapsedNanos wall time of the phase
 * @param meters       this process's CPU and GC during the phase (the client's cost)
 */
record PhaseResult(String name, Histogram reads, Histogram writes, Map<String, Long> errors, long notFound,
                   long siblingReads, long elapsedNanos, ProcessMeters meters) {

    static PhaseResult merge(String name, List<WorkerStats> workers, long elapsedNanos, ProcessMeters meters) {
        Histogram reads = LatencySummary.newNanosHistogram();
        Histogram writes = LatencySummary.newNanosHistogram();
        Map<String, Long> errors = new TreeMap<>();
        long notFound = 0;
        long siblings = 0;
        for (WorkerStats w : workers) {
            reads.add(w.reads);
            writes.add(w.writes);
            w.errors.forEach((kind, n) -> errors.merge(kind, n, Long::sum));
            notFound += w.notFound;
            siblings += w.siblingReads;
        }
        return new PhaseResult(name, reads, writes, Collections.unmodifiableMap(errors), notFound, siblings, elapsedNanos,
                meters);
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long succeeded() {
        return reads.getTotalCount() + writes.getTotalCount();
    }

    double seconds() {
        return elapsedNanos / 1e9;
    }
}
