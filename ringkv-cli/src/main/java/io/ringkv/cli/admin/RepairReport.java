package io.ringkv.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.cli.cluster.StatusTable;
import java.util.Locale;

/**
 * Renders repair runs as the node reports them ({@code GET /api/v1/admin/repair?id=N}, docs/http-api.md):
 * one progress line per report for {@code admin repair}, a table of recent runs for {@code admin status}.
 * Pure (JSON in, text out).
 */
public final class RepairReport {
    private static final String FORMAT = "%-5s %-10s %-14s %-8s %-9s %-9s %-9s %-11s %-9s %s%n";

    private RepairReport() {
    }

    /** {@code repair 7 running: 3/12 ranges (1 differing), 42 keys and 18.4 KiB exchanged, 2.1 s}. */
    public static String progressLine(JsonNode p) {
        String state = p.path("state").asText().toLowerCase(Locale.ROOT);
        return String.format(Locale.ROOT, "repair %d %s: %d/%d ranges (%d differing), %d keys and %s exchanged, %s",
                p.path("id").asLong(), state, p.path("rangesDone").asInt(), p.path("rangesTotal").asInt(),
                p.path("rangesDiffering").asInt(), p.path("keysExchanged").asLong(),
                ByteSize.readable(p.path("bytesExchanged").asLong()), StatusTable.age(p.path("elapsedMillis").asLong()));
    }

    /** What an operator compares between two reports: a line is worth printing when any of it changed. */
    public static String movement(JsonNode p) {
        return p.path("state").asText() + " " + p.path("rangesDone").asInt() + " " + p.path("keysExchanged").asLong() + " "
                + p.path("bytesExchanged").asLong();
    }

    /** One row per run, newest first as the node lists them; at most {@code limit} rows. */
    public static String table(JsonNode repairs, int limit) {
        if (repairs.isEmpty()) {
            return "No repairs since the node started.\n";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, FORMAT, "ID", "TRIGGER", "SCOPE", "STATE", "RANGES",
                "DIFFERING", "KEYS", "BYTES", "ELAPSED", "ERROR").stripTrailing()).append('\n');
        int shown = 0;
        for (JsonNode p : repairs) {
            if (shown++ == limit) {
                out.append("(").append(repairs.size() - limit).append(" older not shown)\n");
                break;
            }
            String error = p.path("error").isTextual() ? p.path("error").asText() : "";
            out.append(String.format(Locale.ROOT, FORMAT, p.path("id").asLong(), p.path("trigger").asText(), scope(p),
                    p.path("state").asText(), p.path("rangesDone").asInt() + "/" + p.path("rangesTotal").asInt(),
                    p.path("rangesDiffering").asInt(), p.path("keysExchanged").asLong(),
                    ByteSize.readable(p.path("bytesExchanged").asLong()), StatusTable.age(p.path("elapsedMillis").asLong()),
                    error).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** A token range's text is 70 characters: shortened to its ends so the table stays one line per run. */
    private static String scope(JsonNode p) {
        String scope = p.path("scope").asText();
        return scope.length() <= 14 ? scope : scope.substring(0, 6) + ".." + scope.substring(scope.length() - 6);
    }
}
