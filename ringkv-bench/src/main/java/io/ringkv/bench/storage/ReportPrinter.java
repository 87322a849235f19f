package io.ringkv.bench.storage;

import io.ringkv.bench.common.TextTable;
import io.ringkv.bench.storage.BenchmarkResults.Amplification;
import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Prints a run's results: after each repeat, its throughput per row and engine; at the end, per
 * row the median and min-max over the repeats of every engine's throughput, of ringkv's ratio to
 * each RocksDB (per repeat, then the median: above 1 means ringkv is faster), of CPU per op and
 * of latency; the bar (the worst row's median ratio); write and space amplification of the first
 * repeat; the counters that explain each row of the last.
 */
final class ReportPrinter {
    private static final double MIB = 1 << 20;

    private final StorageBenchmarkParams params;
    private final PrintStream out;

    ReportPrinter(StorageBenchmarkParams params, PrintStream out) {
        this.params = params;
        this.out = out;
    }

    /** One repeat's throughput, printed as soon as it is done. */
    void printRepeat(int repeat, BenchmarkResults results) {
        List<String> header = new ArrayList<>(List.of("repeat " + repeat));
        for (EngineKind e : params.engines()) {
            header.add(e.id() + " ops/s");
        }
        for (EngineKind other : comparedWith()) {
            header.add("ringkv/" + other.id());
        }
        TextTable table = new TextTable(header.toArray(String[]::new));
        for (Row row : rows()) {
            List<String> cells = new ArrayList<>(List.of(title(row)));
            for (EngineKind e : params.engines()) {
                cells.add(results.find(row, e).map(ReportPrinter::opsCell).orElse("failed"));
            }
            for (EngineKind other : comparedWith()) {
                cells.add(TextTable.number(ratio(results, row, other)));
            }
            table.row(cells.toArray(String[]::new));
        }
        out.println();
        table.print(out);
        out.println();
    }

    void print(List<BenchmarkResults> repeats) {
        List<EngineKind> engines = params.engines();
        out.println();
        out.printf(Locale.ROOT, "Summary over %d repeat(s): median (min-max). Throughput in ops/s; ringkv/X is the%n",
                repeats.size());
        out.println("per-repeat ratio of throughputs (above 1: ringkv faster); process CPU per op (all threads,");
        out.println("incl. background and native); latency of one engine call in microseconds, p50 / p99 (medians).");
        List<String> header = new ArrayList<>(List.of("row"));
        for (EngineKind e : engines) {
            header.add(e.id() + " ops/s");
        }
        for (EngineKind other : comparedWith()) {
            header.add("ringkv/" + other.id());
        }
        TextTable throughput = new TextTable(header.toArray(String[]::new));
        List<String> costHeader = new ArrayList<>(List.of("row"));
        for (EngineKind e : engines) {
            costHeader.add(e.id() + " CPU us/op");
        }
        for (EngineKind e : engines) {
            costHeader.add(e.id() + " p50/p99 us");
        }
        TextTable cost = new TextTable(costHeader.toArray(String[]::new));
        for (Row row : rows()) {
            List<String> cells = new ArrayList<>(List.of(title(row)));
            for (EngineKind e : engines) {
                cells.add(spread(repeats, row, e, RowResult::opsPerSecond).format());
            }
            for (EngineKind other : comparedWith()) {
                cells.add(Spread.of(repeats.stream().map(r -> ratio(r, row, other)).toList()).format());
            }
            throughput.row(cells.toArray(String[]::new));
            List<String> costCells = new ArrayList<>(List.of(title(row)));
            for (EngineKind e : engines) {
                costCells.add(TextTable.number(spread(repeats, row, e, RowResult::cpuMicrosPerOp).median()));
            }
            for (EngineKind e : engines) {
                costCells.add(TextTable.number(spread(repeats, row, e, r -> r.latency().p50Micros()).median()) + " / "
                        + TextTable.number(spread(repeats, row, e, r -> r.latency().p99Micros()).median()));
            }
            cost.row(costCells.toArray(String[]::new));
        }
        throughput.print(out);
        out.println();
        cost.print(out);
        for (EngineKind other : comparedWith()) {
            printBar(repeats, other);
        }

        List<Amplification> amplifications = repeats.isEmpty() ? List.of() : repeats.get(0).amplifications();
        if (!amplifications.isEmpty()) {
            out.println();
            out.println("Write and space amplification, first repeat (user bytes = keys + values written, incl. warm-up;");
            out.println("write amp = bytes the kernel counted as written by the process / user bytes; log, flush and");
            out.println("compaction as the engine counts them, n/a where it does not)");
            TextTable amp = new TextTable("engine / stage", "user MiB", "written MiB", "write amp", "log MiB",
                    "flush MiB", "compaction MiB", "tables MiB", "dir MiB", "space amp", "step s");
            for (Amplification a : amplifications) {
                BenchEngine.DiskUsage u = a.usage();
                amp.row(a.engine().id() + " " + a.stage(), mib(a.userBytes()), mib(a.osBytesWritten()),
                        TextTable.number(a.writeAmplification()), mib(u.logBytesWritten()), mib(u.flushBytesWritten()),
                        mib(u.compactionBytesWritten()), mib(u.tableBytes()), mib(u.directoryBytes()),
                        TextTable.number(a.spaceAmplification()), String.format(Locale.ROOT, "%.2f", a.stageNanos() / 1e9));
            }
            amp.print(out);
            for (Amplification a : amplifications) {
                if (!Double.isNaN(a.engineOwnWriteAmplification())) {
                    out.printf(Locale.ROOT, "%s %s: EngineStats.writeAmplification() = %.2f%n",
                            a.engine().id(), a.stage(), a.engineOwnWriteAmplification());
                }
            }
        }

        out.println();
        out.println("Notes per row (last repeat)");
        BenchmarkResults last = repeats.isEmpty() ? new BenchmarkResults() : repeats.get(repeats.size() - 1);
        for (RowResult r : last.rows()) {
            String gc = r.engine().inProcess() ? r.process().describeGc() : "native process";
            out.printf(Locale.ROOT, "  %-34s %-10s %s, %s%n", title(r.row()), r.engine().id(), r.note(), gc);
        }
        for (int i = 0; i < repeats.size(); i++) {
            for (RowResult r : repeats.get(i).rows()) {
                if (r.hitTimeLimit()) {
                    out.printf(Locale.ROOT, "  repeat %d: %s %s: TIME LIMIT: %,d of %,d ops%n", i + 1, r.engine().id(),
                            title(r.row()), r.opsDone(), r.opsPlanned());
                }
                if (r.wrongAnswers() > 0) {
                    out.printf(Locale.ROOT, "  repeat %d: %s %s: WRONG ANSWERS: %,d%n", i + 1, r.engine().id(),
                            title(r.row()), r.wrongAnswers());
                }
            }
            for (BenchmarkResults.Failure f : repeats.get(i).failures()) {
                out.printf(Locale.ROOT, "FAILED: %s in %s: %s%n", f.engine().id(), f.phase(), f.error());
            }
        }
    }

    /** The figure the issue sets its target on: the lowest of the rows' median ratios. */
    private void printBar(List<BenchmarkResults> repeats, EngineKind other) {
        Row worst = null;
        double worstMedian = Double.NaN;
        for (Row row : rows()) {
            double median = Spread.of(repeats.stream().map(r -> ratio(r, row, other)).toList()).median();
            if (!Double.isNaN(median) && (worst == null || median < worstMedian)) {
                worst = row;
                worstMedian = median;
            }
        }
        if (worst != null) {
            out.printf(Locale.ROOT, "bar vs %s: worst row's median ratio %.2f (%s)%n", other.id(), worstMedian,
                    title(worst));
        }
    }

    /** The engines ringkv's throughput is divided by: the others that ran, ringkv itself not. */
    private List<EngineKind> comparedWith() {
        if (!params.engines().contains(EngineKind.RINGKV)) {
            return List.of();
        }
        return params.engines().stream().filter(e -> e != EngineKind.RINGKV).toList();
    }

    private List<Row> rows() {
        return Arrays.stream(Row.values()).filter(params::runs).toList();
    }

    private static Spread spread(List<BenchmarkResults> repeats, Row row, EngineKind engine,
                                 ToDoubleFunction<RowResult> figure) {
        return Spread.of(repeats.stream()
                .map(r -> r.find(row, engine).map(figure::applyAsDouble).orElse(Double.NaN)).toList());
    }

    private static double ratio(BenchmarkResults results, Row row, EngineKind other) {
        Optional<RowResult> ringkv = results.find(row, EngineKind.RINGKV);
        Optional<RowResult> them = results.find(row, other);
        if (ringkv.isEmpty() || them.isEmpty() || them.get().opsPerSecond() == 0) {
            return Double.NaN;
        }
        return ringkv.get().opsPerSecond() / them.get().opsPerSecond();
    }

    private String title(Row row) {
        return row == Row.SYNC_WRITE ? row.title() + " (" + params.syncWriters() + " writers)" : row.title();
    }

    private static String opsCell(RowResult r) {
        return TextTable.number(r.opsPerSecond()) + (r.hitTimeLimit() ? "*" : "");
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / MIB);
    }
}
