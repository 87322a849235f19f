package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringkv.cluster.admin.CompactionResult;
import io.ringkv.cluster.admin.HintQueue;
import io.ringkv.cluster.admin.RangeRoot;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.streaming.StreamProgress;
import java.util.List;

/**
 * The JSON shapes of the admin answers (docs/http-api.md, "Admin"). Field names are the record
 * components' names, so the doc, the records and {@code bin/ringkv admin} use one vocabulary.
 */
final class AdminJson {
    private AdminJson() {
    }

    static ObjectNode repair(RepairProgress p) {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode()
                .put("id", p.id())
                .put("trigger", p.trigger())
                .put("scope", p.scope())
                .put("state", p.state().name())
                .put("rangesTotal", p.rangesTotal())
                .put("rangesDone", p.rangesDone())
                .put("rangesDiffering", p.rangesDiffering())
                .put("keysExchanged", p.keysExchanged())
                .put("bytesExchanged", p.bytesExchanged())
                .put("startedAtMillis", p.startedAtMillis())
                .put("elapsedMillis", p.elapsedMillis());
        if (p.error() == null) {
            json.putNull("error");
        } else {
            json.put("error", p.error());
        }
        return json;
    }

    static ObjectNode streaming(StreamProgress p) {
        ObjectNode json = JsonBodies.MAPPER.createObjectNode()
                .put("kind", p.kind())
                .put("state", p.state().name())
                .put("rangesTotal", p.rangesTotal())
                .put("rangesDone", p.rangesDone())
                .put("keys", p.keys())
                .put("bytes", p.bytes())
                .put("bytesPerSecond", p.bytesPerSecond())
                .put("etaMillis", p.etaMillis())
                .put("startedAtMillis", p.startedAtMillis())
                .put("elapsedMillis", p.elapsedMillis())
                .put("unverified", p.unverified());
        if (p.error() == null) {
            json.putNull("error");
        } else {
            json.put("error", p.error());
        }
        return json;
    }

    static ObjectNode repairs(List<RepairProgress> runs) {
        ObjectNode root = JsonBodies.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("repairs");
        runs.forEach(p -> list.add(repair(p)));
        return root;
    }

    /** Every queue, plus the totals a convergence check waits on (all pending hints delivered: 0). */
    static ObjectNode hints(String nodeId, List<HintQueue> queues) {
        ObjectNode root = JsonBodies.MAPPER.createObjectNode().put("node", nodeId);
        long pending = 0;
        long bytes = 0;
        ArrayNode list = root.putArray("hints");
        for (HintQueue q : queues) {
            list.addObject()
                    .put("target", q.target())
                    .put("targetUp", q.targetUp())
                    .put("pending", q.pending())
                    .put("bytes", q.bytes())
                    .put("stored", q.stored())
                    .put("delivered", q.delivered())
                    .put("expired", q.expired());
            pending += q.pending();
            bytes += q.bytes();
        }
        root.put("pending", pending).put("bytes", bytes);
        return root;
    }

    /**
     * {@code {"node", "ranges": [{"from", "to", "replicas", "root"}]}}: tokens as 32 hex digits
     * (as {@code admin/replicas} gives them), the root as 16 (a u64).
     */
    static ObjectNode ranges(String nodeId, List<RangeRoot> ranges) {
        ObjectNode root = JsonBodies.MAPPER.createObjectNode().put("node", nodeId);
        ArrayNode list = root.putArray("ranges");
        for (RangeRoot r : ranges) {
            ObjectNode range = list.addObject()
                    .put("from", r.range().fromExclusive().toString())
                    .put("to", r.range().toInclusive().toString());
            ArrayNode replicas = range.putArray("replicas");
            r.replicas().forEach(replicas::add);
            range.put("root", String.format("%016x", r.root()));
        }
        return root;
    }

    static ObjectNode compaction(String nodeId, CompactionResult c) {
        return JsonBodies.MAPPER.createObjectNode()
                .put("node", nodeId)
                .put("tablesBefore", c.tablesBefore())
                .put("tablesAfter", c.tablesAfter())
                .put("elapsedMillis", c.elapsedMillis());
    }
}
