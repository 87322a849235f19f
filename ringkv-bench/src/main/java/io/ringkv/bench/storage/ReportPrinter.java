package io.ringkv.bench.storage;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.bench.common.TextTable;
import io.ringkv.bench.storage.BenchmarkResults.Amplification;
import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints a run's results: one line per row with each engine's throughput, the ringkv/RocksDB
 * ratio (above 1 means ringkv is faster) and latency percentiles; then write and space
 * amplification after the load; then the counters that explain each row.
 */
final class ReportPrinter {
    private static final double MIB = 1 << 20;

    private final StorageBenchmarkParams params;
    private final PrintStream out;

    ReportPrinter(StorageBenchmarkParams params, PrintStream out) {
        this.params = params;
        this.out = out;
    }

    void print(BenchmarkResults results) {
        List<EngineKind> engines = params.engines();
        out.println();
        out.println("Throughput (ops/s), process CPU per op (all threads, incl. background and native) and");
        out.println("latency of the engine call (microseconds, p50 / p99 / p99.9)");
        List<String> header = new ArrayList<>(List.of("row"));
        for (EngineKind e : engines) {
            header.add(e.id() + " ops/s");
        }
        header.add("ringkv/rocksdb");
        for (EngineKind e : engines) {
            header.add(e.id() + " CPU us/op");
        }
        for (EngineKind e : engines) {
            header.add(e.id() + " p50/p99/p99.9 us");
        }
        TextTable throughput = new TextTable(header.toArray(String[]::new));
        for (Row row : Row.values()) {
            if (!params.runs(row)) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(title(row)));
            for (EngineKind e : engines) {
                cells.add(results.find(row, e).map(ReportPrinter::opsCell).orElse("failed"));
            }
            cells.add(ratio(results.find(row, EngineKind.RINGKV), results.find(row, EngineKind.ROCKSDB)));
            for (EngineKind e : engines) {
                cells.add(results.find(row, e).map(r -> TextTable.number(r.cpuMicrosPerOp())).orElse("-"));
            }
            for (EngineKind e : engines) {
                cells.add(results.find(row, e).map(r -> latencyCell(r.latency())).orElse("-"));
            }
            throughput.row(cells.toArray(String[]::new));
        }
        throughput.print(out);

        if (!results.amplifications().isEmpty()) {
            out.println();
            out.println("Write and space amplification (user bytes = keys + values written, incl. warm-up)");
            TextTable amp = new TextTable("engine / stage", "user MiB", "log MiB", "flush MiB", "compaction MiB",
                    "write amp", "tables MiB", "dir MiB", "space amp", "step s");
            for (Amplification a : results.amplifications()) {
                BenchEngine.DiskUsage u = a.usage();
                amp.row(a.engine().id() + " " + a.stage(), mib(a.userBytes()), mib(u.logBytesWritten()),
                        mib(u.flushBytesWritten()), mib(u.compactionBytesWritten()),
                        TextTable.number(a.writeAmplification()), mib(u.tableBytes()), mib(u.directoryBytes()),
                        TextTable.number(a.spaceAmplification()), String.format(Locale.ROOT, "%.2f", a.stageNanos() / 1e9));
            }
            amp.print(out);
            for (Amplification a : results.amplifications()) {
                if (!Double.isNaN(a.engineOwnWriteAmplification())) {
                    out.printf(Locale.ROOT, "%s %s: EngineStats.writeAmplification() = %.2f%n",
                            a.engine().id(), a.stage(), a.engineOwnWriteAmplification());
                }
            }
        }

        out.println();
        out.println("Notes per row");
        for (RowResult r : results.rows()) {
            out.printf(Locale.ROOT, "  %-28s %-8s %s, %s%s%s%n", title(r.row()), r.engine().id(), r.note(),
                    r.process().describeGc(),
                    r.hitTimeLimit() ? String.format(Locale.ROOT, "; TIME LIMIT: %,d of %,d ops", r.opsDone(), r.opsPlanned()) : "",
                    r.wrongAnswers() > 0 ? String.format(Locale.ROOT, "; WRONG ANSWERS: %,d", r.wrongAnswers()) : "");
        }
        for (BenchmarkResults.Failure f : results.failures()) {
            out.printf(Locale.ROOT, "FAILED: %s in %s: %s%n", f.engine().id(), f.phase(), f.error());
        }
    }

    private String title(Row row) {
        return row == Row.SYNC_WRITE ? row.title() + " (" + params.syncWriters() + " writers)" : row.title();
    }

    private static String opsCell(RowResult r) {
        return TextTable.number(r.opsPerSecond()) + (r.hitTimeLimit() ? "*" : "");
    }

    private static String latencyCell(LatencySummary l) {
        return TextTable.number(l.p50Micros()) + " / " + TextTable.number(l.p99Micros()) + " / "
                + TextTable.number(l.p999Micros());
    }

    private static String ratio(Optional<RowResult> ringkv, Optional<RowResult> rocksdb) {
        if (ringkv.isEmpty() || rocksdb.isEmpty() || rocksdb.get().opsPerSecond() == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", ringkv.get().opsPerSecond() / rocksdb.get().opsPerSecond());
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / MIB);
    }
}
