package io.ringkv.bench.storage;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.bench.common.ProcessMeters;
import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;

/**
 * One engine's figures for one row.
 *
 * @param opsPlanned   ops the row was asked to do
 * @param opsDone      ops done before the row's time limit
 * @param wrongAnswers reads that returned the wrong value (or found a missing key); must be 0
 * @param elapsedNanos wall time of the whole timed loop
 * @param userBytes    key + value bytes written (0 for read rows)
 * @param latency      per-op latency of the engine call alone
 * @param process      process CPU time and GC during the row (includes the engine's background threads)
 * @param note         counters that explain the figure (bloom skips, fsyncs per write...)
 */
record RowResult(Row row, EngineKind engine, long opsPlanned, long opsDone, long wrongAnswers, long elapsedNanos,
                 long userBytes, LatencySummary latency, ProcessMeters process, String note) {

    double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : opsDone * 1e9 / elapsedNanos;
    }

    /** Process CPU microseconds per op (all threads, native ones too), or NaN if unknown. */
    double cpuMicrosPerOp() {
        return process.cpuNanos() < 0 || opsDone == 0 ? Double.NaN : process.cpuNanos() / 1e3 / opsDone;
    }

    boolean hitTimeLimit() {
        return opsDone < opsPlanned;
    }

    /** The same figures with {@code nanos} more wall time (work the row must include, e.g. a final flush). */
    RowResult plusNanos(long nanos) {
        return new RowResult(row, engine, opsPlanned, opsDone, wrongAnswers, elapsedNanos + nanos, userBytes, latency,
                process, note);
    }

    RowResult withNote(String newNote) {
        return new RowResult(row, engine, opsPlanned, opsDone, wrongAnswers, elapsedNanos, userBytes, latency, process,
                newNote);
    }
}
