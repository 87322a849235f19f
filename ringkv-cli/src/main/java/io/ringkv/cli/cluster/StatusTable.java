package io.ringkv.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders {@code cluster status}: one row per local node with its process and what the cluster
 * says of it, as seen by the first node that answered; then whether the answering nodes agree.
 * Pure (rows in, text out), so the rendering is tested without processes.
 */
public final class StatusTable {
    private static final String FORMAT = "%-7s %-8s %-24s %-8s %-9s %-10s %-6s %s%n";

    /**
     * One local node.
     *
     * @param pid  the live process id, {@code 123?} for a stale pid file, {@code -} when not running
     * @param view its answer to GET /api/v1/cluster, or null
     * @param note why there is no view ("not running", "no answer"...), or empty
     */
    public record Row(String id, String pid, String url, JsonNode view, String note) {
    }

    private StatusTable() {
    }

    public static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, FORMAT, "NODE", "PID", "HTTP", "STATUS", "LIVENESS", "HEARTBEAT", "RING", "NOTE")
                .stripTrailing()).append('\n');
        List<Row> answering = rows.stream().filter(r -> r.view() != null).toList();
        JsonNode reference = answering.isEmpty() ? null : answering.getFirst().view();
        Set<String> listed = new LinkedHashSet<>();
        for (Row row : rows) {
            listed.add(row.id());
            line(out, row.id(), row.pid(), row.url(), reference == null ? null : member(reference, row.id()), row.note());
        }
        if (reference != null) {
            for (JsonNode m : reference.path("members")) { // members that do not live in this directory
                String id = m.path("id").asText();
                if (!listed.contains(id)) {
                    line(out, id, "?", "http://" + m.path("http").asText(), m, "not in this directory");
                }
            }
        }
        out.append('\n');
        if (reference == null) {
            out.append("No node answered GET /api/v1/cluster.\n");
            return out.toString();
        }
        JsonNode replication = reference.path("replication");
        out.append(String.format(Locale.ROOT, "Membership as seen by %s (N=%d R=%d W=%d).%n", reference.path("self").asText(),
                replication.path("n").asInt(), replication.path("r").asInt(), replication.path("w").asInt()));
        List<String> disagreements = disagreements(answering.stream().map(Row::view).toList());
        if (disagreements.isEmpty()) {
            out.append(answering.size() == 1 ? "Only one node answered.\n"
                    : "All " + answering.size() + " answering nodes agree on the membership.\n");
        } else {
            out.append("Nodes disagree about membership: ").append(String.join("; ", disagreements)).append('\n');
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String id, String pid, String url, JsonNode member, String note) {
        String status = member == null ? "-" : member.path("status").asText();
        String liveness = member == null ? "-" : member.path("liveness").asText();
        String heartbeat = member == null ? "-" : age(member.path("heartbeatAgeMillis").asLong());
        String ring = member == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * member.path("ringShare").asDouble());
        out.append(String.format(Locale.ROOT, FORMAT, id, pid, url, status, liveness, heartbeat, ring, note).stripTrailing())
                .append('\n');
    }

    static String age(long millis) {
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return millis / 60_000 + " min";
    }

    private static JsonNode member(JsonNode view, String id) {
        for (JsonNode m : view.path("members")) {
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
        return null;
    }

    /**
     * For every member the views do not agree on: who says what. Views agree when they hold the
     * same members with the same announced status and, for members other than the viewer itself
     * (always UP in its own view), the same liveness. Heartbeat ages always differ and are ignored.
     */
    static List<String> disagreements(List<JsonNode> views) {
        Set<String> ids = new LinkedHashSet<>();
        views.forEach(v -> v.path("members").forEach(m -> ids.add(m.path("id").asText())));
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            Map<String, String> opinions = new LinkedHashMap<>();
            Set<String> statuses = new LinkedHashSet<>();
            Set<String> livenesses = new LinkedHashSet<>();
            for (JsonNode view : views) {
                String viewer = view.path("self").asText();
                JsonNode m = member(view, id);
                if (m == null) {
                    statuses.add("(absent)");
                    opinions.put(viewer, "does not know it");
                    continue;
                }
                statuses.add(m.path("status").asText());
                if (!viewer.equals(id)) {
                    livenesses.add(m.path("liveness").asText());
                }
                opinions.put(viewer, "sees " + m.path("status").asText() + "/" + m.path("liveness").asText());
            }
            if (statuses.size() > 1 || livenesses.size() > 1) {
                List<String> parts = new ArrayList<>();
                opinions.forEach((viewer, opinion) -> parts.add(viewer + " " + opinion));
                out.add(id + ": " + String.join(", ", parts));
            }
        }
        return out;
    }
}
