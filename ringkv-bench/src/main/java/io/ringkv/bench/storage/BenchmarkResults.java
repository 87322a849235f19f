package io.ringkv.bench.storage;

import io.ringkv.bench.storage.BenchEngine.DiskUsage;
import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a run measured, collected as the engines run and printed at the end. Single-threaded use. */
final class BenchmarkResults {

    /**
     * Bytes written and held after one stage of the load.
     *
     * @param userBytes                 key + value bytes the benchmark wrote
     * @param osBytesWritten            bytes the process wrote to storage since the engine opened, by
     *                                  the kernel's count ({@link ProcessIo}); -1 where unknown
     * @param stageNanos                how long the stage's own step (flush or full compaction) took
     * @param engineOwnWriteAmplification ringkv's EngineStats.writeAmplification(); NaN for RocksDB
     */
    record Amplification(EngineKind engine, String stage, long userBytes, DiskUsage usage, long osBytesWritten,
                         long stageNanos, double engineOwnWriteAmplification) {

        /** Bytes written to storage per user byte, by the kernel's count (the same yardstick for every engine). */
        double writeAmplification() {
            return userBytes == 0 || osBytesWritten < 0 ? Double.NaN : (double) osBytesWritten / userBytes;
        }

        double spaceAmplification() {
            return userBytes == 0 ? Double.NaN : (double) usage.tableBytes() / userBytes;
        }
    }

    /** An engine failed in a phase; its rows are missing from the tables. */
    record Failure(EngineKind engine, String phase, Throwable error) {
    }

    private final List<RowResult> rows = new ArrayList<>();
    private final List<Amplification> amplifications = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();

    void add(RowResult result) {
        rows.add(result);
    }

    void addAmplification(Amplification amplification) {
        amplifications.add(amplification);
    }

    void addFailure(Failure failure) {
        failures.add(failure);
    }

    /** Adds everything {@code other} measured (db_bench's rows, gathered apart). */
    void addAll(BenchmarkResults other) {
        rows.addAll(other.rows);
        amplifications.addAll(other.amplifications);
        failures.addAll(other.failures);
    }

    Optional<RowResult> find(Row row, EngineKind engine) {
        return rows.stream().filter(r -> r.row() == row && r.engine() == engine).findFirst();
    }

    List<RowResult> rows() {
        return List.copyOf(rows);
    }

    List<Amplification> amplifications() {
        return List.copyOf(amplifications);
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    long wrongAnswers() {
        return rows.stream().mapToLong(RowResult::wrongAnswers).sum();
    }
}
