package io.ringkv.bench.cluster;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.bench.common.TextTable;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Prints a phase's figures: one table row per operation type (and the total) with ops/s and
 * p50/p99/p99.9/max latency in milliseconds of successful requests, then failures by kind,
 * what the reads found, and the client's own CPU per request (on a shared machine the client
 * competes with the nodes for the cores, so its cost is part of the picture).
 */
final class ClusterReport {
    private final PrintStream out;

    ClusterReport(PrintStream out) {
        this.out = out;
    }

    void phase(PhaseResult r) {
        out.printf(Locale.ROOT, "%n%s: %.1f s%n", r.name(), r.seconds());
        TextTable table = new TextTable("op", "ok", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "failed");
        long readErrors = errorsOf(r.errors(), "read ");
        long writeErrors = errorsOf(r.errors(), "write ");
        if (r.reads().getTotalCount() > 0 || readErrors > 0) {
            row(table, "read", r.reads(), readErrors, r.seconds());
        }
        if (r.writes().getTotalCount() > 0 || writeErrors > 0) {
            row(table, "write", r.writes(), writeErrors, r.seconds());
        }
        Histogram all = r.reads().copy();
        all.add(r.writes());
        row(table, "total", all, r.errorCount(), r.seconds());
        table.print(out);

        if (r.errors().isEmpty()) {
            out.println("failed requests: none");
        } else {
            TextTable errors = new TextTable("failed request", "count");
            r.errors().forEach((kind, n) -> errors.row(kind, TextTable.count(n)));
            errors.print(out);
        }
        if (r.reads().getTotalCount() > 0) {
            out.printf(Locale.ROOT, "reads: %s found nothing, %s found siblings%n",
                    TextTable.count(r.notFound()), TextTable.count(r.siblingReads()));
        }
        long requests = r.succeeded() + r.errorCount();
        if (r.meters().cpuNanos() >= 0 && requests > 0) {
            out.printf(Locale.ROOT, "client: %.1f us CPU per request, %s%n",
                    r.meters().cpuNanos() / 1e3 / requests, r.meters().describeGc());
        }
    }

    private static long errorsOf(Map<String, Long> errors, String prefix) {
        return errors.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    private static void row(TextTable table, String op, Histogram h, long failed, double seconds) {
        LatencySummary s = LatencySummary.of(h);
        boolean any = h.getTotalCount() > 0;
        table.row(op, TextTable.count(h.getTotalCount()), TextTable.number(h.getTotalCount() / seconds),
                any ? TextTable.number(s.p50Micros() / 1e3) : "-", any ? TextTable.number(s.p99Micros() / 1e3) : "-",
                any ? TextTable.number(s.p999Micros() / 1e3) : "-", any ? TextTable.number(s.maxMicros() / 1e3) : "-",
                TextTable.count(failed));
    }
}
