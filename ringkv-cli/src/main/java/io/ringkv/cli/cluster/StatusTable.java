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
 * says of it, as seen by the first node that answered, and the hints the node itself holds for
 * others (hinted handoff); then whether the answering nodes agree,
 * and any node id claimed by two processes. A process that refused its id (another process
 * started first with it) has stopped gossiping: its view is stale, so it is neither the reference
 * nor part of the agreement check; its row says it refused.
 * {@link #renderView} shows one node's view alone, for {@code admin status}.
 * Pure (rows in, text out), so the rendering is tested without processes.
 */
public final class StatusTable {
    private static final String FORMAT = "%-7s %-8s %-24s %-8s %-9s %-10s %-6s %-6s %s%n";
    private static final String VIEW_FORMAT = "%-7s %-24s %-8s %-9s %-10s %-6s %s%n";

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
        out.append(String.format(Locale.ROOT, FORMAT, "NODE", "PID", "HTTP", "STATUS", "LIVENESS", "HEARTBEAT", "RING", "HINTS", "NOTE")
                .stripTrailing()).append('\n');
        List<Row> answering = rows.stream().filter(r -> r.view() != null).toList();
        List<Row> current = answering.stream().filter(r -> !refused(r.view())).toList();
        if (current.isEmpty()) {
            current = answering;
        }
        JsonNode reference = current.isEmpty() ? null : current.getFirst().view();
        Set<String> listed = new LinkedHashSet<>();
        for (Row row : rows) {
            listed.add(row.id());
            String note = row.note().isEmpty() && row.view() != null && refused(row.view())
                    ? "REFUSED: node id " + row.view().path("idConflict").path("nodeId").asText() + " is held by "
                    + row.view().path("idConflict").path("kept").path("peer").asText()
                    : row.note();
            line(out, row.id(), row.pid(), row.url(), reference == null ? null : member(reference, row.id()),
                    hintsHeld(row.view()), note);
        }
        if (reference != null) {
            for (JsonNode m : reference.path("members")) { // members that do not live in this directory
                String id = m.path("id").asText();
                if (!listed.contains(id)) {
                    line(out, id, "?", "http://" + m.path("http").asText(), m, "-", "not in this directory");
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
        List<String> disagreements = disagreements(current.stream().map(Row::view).toList());
        if (disagreements.isEmpty()) {
            out.append(current.size() == 1 ? "Only one node answered.\n"
                    : "All " + current.size() + " answering nodes agree on the membership.\n");
        } else {
            out.append("Nodes disagree about membership: ").append(String.join("; ", disagreements)).append('\n');
        }
        idConflicts(answering).forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /**
     * One node's view alone, for {@code admin status} (a node anywhere, reached by URL, with no
     * local processes to show): a row per member it knows, then whose view it is with N, R and W,
     * and the id conflict it reports, if any.
     */
    public static String renderView(String url, JsonNode view) {
        String self = view.path("self").asText();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, VIEW_FORMAT, "NODE", "HTTP", "STATUS", "LIVENESS", "HEARTBEAT", "RING", "NOTE")
                .stripTrailing()).append('\n');
        for (JsonNode m : view.path("members")) {
            String id = m.path("id").asText();
            out.append(String.format(Locale.ROOT, VIEW_FORMAT, id, "http://" + m.path("http").asText(), m.path("status").asText(),
                    m.path("liveness").asText(), age(m.path("heartbeatAgeMillis").asLong()), share(m),
                    id.equals(self) ? "this node" : "").stripTrailing()).append('\n');
        }
        out.append('\n');
        JsonNode replication = view.path("replication");
        out.append(String.format(Locale.ROOT, "Membership as seen by %s (N=%d R=%d W=%d).%n", self,
                replication.path("n").asInt(), replication.path("r").asInt(), replication.path("w").asInt()));
        idConflicts(List.of(new Row(self, "-", url, view, ""))).forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    private static String share(JsonNode member) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * member.path("ringShare").asDouble());
    }

    private static boolean refused(JsonNode view) {
        return view.path("idConflict").path("thisNode").asText().equals("refused");
    }

    /**
     * One line per node id two processes claim, whichever of them reported it (both usually do),
     * naming the one that keeps it, the one to stop, and the fix.
     */
    static List<String> idConflicts(List<Row> answering) {
        Map<String, List<String>> reporters = new LinkedHashMap<>();
        Map<String, JsonNode> conflicts = new LinkedHashMap<>();
        for (Row row : answering) {
            JsonNode c = row.view().path("idConflict");
            if (c.isMissingNode()) {
                continue;
            }
            String key = c.path("nodeId").asText() + " " + c.path("kept").path("peer").asText() + " "
                    + c.path("refused").path("peer").asText();
            conflicts.putIfAbsent(key, c);
            reporters.computeIfAbsent(key, k -> new ArrayList<>()).add(row.id());
        }
        List<String> out = new ArrayList<>();
        conflicts.forEach((key, c) -> {
            String refusedPeer = c.path("refused").path("peer").asText();
            out.add("Node id conflict: " + c.path("nodeId").asText() + " is claimed by two processes. "
                    + c.path("kept").path("peer").asText() + " started first and keeps it; " + refusedPeer
                    + " refuses to serve. Stop the process at " + refusedPeer + " and start it again with an empty"
                    + " data directory and a node id of its own (reported by " + String.join(", ", reporters.get(key)) + ").");
        });
        return out;
    }

    /** The hints a node holds for others, from its own view: "-" when it did not say. */
    private static String hintsHeld(JsonNode view) {
        JsonNode pending = view == null ? null : view.path("hints").path("pending");
        return pending == null || pending.isMissingNode() ? "-" : Long.toString(pending.asLong());
    }

    private static void line(StringBuilder out, String id, String pid, String url, JsonNode member, String hints,
                             String note) {
        String status = member == null ? "-" : member.path("status").asText();
        String liveness = member == null ? "-" : member.path("liveness").asText();
        String heartbeat = member == null ? "-" : age(member.path("heartbeatAgeMillis").asLong());
        String ring = member == null ? "-" : share(member);
        out.append(String.format(Locale.ROOT, FORMAT, id, pid, url, status, liveness, heartbeat, ring, hints, note).stripTrailing())
                .append('\n');
    }

    /** A duration as the tables show it: 999 ms, 59.9 s, 2 min. */
    public static String age(long millis) {
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
