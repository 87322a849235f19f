package io.ringkv.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Renders {@code GET /api/v1/admin/hints} (docs/http-api.md): the hints one node holds, a row per
 * target node (Dynamo §4.6: writes the target missed, delivered when it is up again). Pure.
 */
public final class HintsTable {
    private static final String FORMAT = "%-8s %-6s %-9s %-11s %-8s %-10s %s%n";

    private HintsTable() {
    }

    public static String render(JsonNode hints) {
        String node = hints.path("node").asText();
        JsonNode queues = hints.path("hints");
        if (queues.isEmpty()) {
            return node + " holds no hints for other nodes.\n";
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, FORMAT, "TARGET", "UP", "PENDING", "BYTES", "STORED",
                "DELIVERED", "EXPIRED").stripTrailing()).append('\n');
        for (JsonNode q : queues) {
            out.append(String.format(Locale.ROOT, FORMAT, q.path("target").asText(), q.path("targetUp").asBoolean() ? "yes" : "no",
                    q.path("pending").asLong(), ByteSize.readable(q.path("bytes").asLong()), q.path("stored").asLong(),
                    q.path("delivered").asLong(), q.path("expired").asLong()).stripTrailing()).append('\n');
        }
        out.append(String.format(Locale.ROOT, "%s holds %d hints pending (%s).%n", node, hints.path("pending").asLong(),
                ByteSize.readable(hints.path("bytes").asLong())));
        return out.toString();
    }
}
