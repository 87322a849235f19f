package io.ringkv.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Renders {@code admin ring}: one row per member of a node's {@code GET /api/v1/cluster} with its
 * status, liveness, placement, tokens and share of the ring as primary owner; then, when given,
 * each node's tokens from {@code GET /api/v1/ring}. Pure: JSON in, text out.
 */
public final class RingTable {
    private static final String FORMAT = "%-10s %-8s %-9s %-6s %-6s %6s %6s %7s%n";

    private RingTable() {
    }

    /** @param ring the answer of {@code /api/v1/ring} to list every token, or null for the summary only */
    public static String render(JsonNode cluster, JsonNode ring) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, FORMAT, "NODE", "STATUS", "LIVENESS", "DC", "RACK", "WEIGHT", "TOKENS", "OWNS"));
        int tokens = 0;
        for (JsonNode m : cluster.path("members")) {
            tokens += m.path("tokens").asInt();
            out.append(String.format(Locale.ROOT, FORMAT, m.path("id").asText(), m.path("status").asText(),
                    m.path("liveness").asText(), m.path("dataCenter").asText(), m.path("rack").asText(),
                    trim(m.path("weight").asDouble()), m.path("tokens").asInt(),
                    String.format(Locale.ROOT, "%.1f%%", 100 * m.path("ringShare").asDouble())));
        }
        JsonNode replication = cluster.path("replication");
        out.append(String.format(Locale.ROOT, "%n%d tokens; N=%d R=%d W=%d, as seen by %s%n", tokens,
                replication.path("n").asInt(), replication.path("r").asInt(), replication.path("w").asInt(),
                cluster.path("self").asText()));
        if (ring != null) {
            for (JsonNode node : ring.path("nodes")) {
                out.append(String.format(Locale.ROOT, "%n%s (%d tokens):%n", node.path("id").asText(), node.path("tokens").size()));
                node.path("tokens").forEach(t -> out.append("  ").append(t.asText()).append('\n'));
            }
        }
        return out.toString();
    }

    private static String trim(double weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }
}
