package io.ringkv.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@code admin stats}: per node, the requests it coordinated per second with p50/p99
 * over the last seconds, and its storage (SSTables, memtables, disk) and hints, from {@code GET /api/v1/stats} (one node) or
 * {@code /api/v1/stats/cluster} (every member). Pure: JSON in, text out.
 */
public final class StatsTable {
    private static final String FORMAT = "%-10s %-7s %9s %8s %9s %9s%n";
    private static final String STORAGE = "%-10s %9s %13s %9s %14s %12s %11s %10s%n";

    private StatsTable() {
    }

    /** @param nodes node id to its stats, or to {@code {"error": ...}} when it did not answer */
    public static String render(Map<String, JsonNode> nodes) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, FORMAT, "NODE", "OP", "PER SEC", "FAILED", "P50 MS", "P99 MS"));
        for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
            JsonNode ops = e.getValue().path("operations");
            if (!ops.isObject()) {
                out.append(String.format(Locale.ROOT, "%-10s %s%n", e.getKey(), "no answer: " + e.getValue().path("error").asText()));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ops.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                JsonNode o = op.getValue();
                out.append(String.format(Locale.ROOT, FORMAT, e.getKey(), op.getKey(), fixed(o.path("perSecond")),
                        fixed(o.path("failedPerSecond")), fixed(o.path("p50Millis")), fixed(o.path("p99Millis"))));
            }
        }
        out.append('\n').append(String.format(Locale.ROOT, STORAGE, "NODE", "SSTABLES", "SSTABLE BYTES", "MEMTABLES",
                "MEMTABLE BYTES", "DISK", "HINTS", "HINT BYTES"));
        for (Map.Entry<String, JsonNode> e : nodes.entrySet()) {
            JsonNode s = e.getValue().path("storage");
            if (!s.isObject()) {
                continue;
            }
            JsonNode h = e.getValue().path("hints");
            out.append(String.format(Locale.ROOT, STORAGE, e.getKey(), s.path("sstables").asLong(),
                    ByteSize.readable(s.path("sstableBytes").asLong()), s.path("memtables").asLong(),
                    ByteSize.readable(s.path("memtableBytes").asLong()),
                    ByteSize.readable(s.path("diskBytes").asLong()), h.path("pending").asLong(),
                    ByteSize.readable(h.path("bytes").asLong())));
        }
        long windowSeconds = nodes.values().stream().mapToLong(n -> n.path("windowSeconds").asLong()).max().orElse(0);
        out.append(String.format(Locale.ROOT, "%nRates and latencies over the last %d s.%n", windowSeconds));
        return out.toString();
    }

    private static String fixed(JsonNode number) {
        return String.format(Locale.ROOT, "%.1f", number.asDouble());
    }
}
