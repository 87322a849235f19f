package io.ringkv.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.cluster.admin.HintQueue;
import io.ringkv.cluster.admin.NodeAdmin;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/stats}: this node's live figures for the dashboard (docs/http-api.md,
 * "Dashboard"): throughput and latency per operation over the last seconds, its store, the hints
 * it holds, and its latest repair and its join or decommission streaming when there are any.
 */
final class StatsHandler implements Handler {
    private final Supplier<NodeStats> stats;
    /** Hints, repairs and streaming; null when the server has no admin (then they are null too). */
    private final NodeAdmin admin;

    StatsHandler(Supplier<NodeStats> stats, NodeAdmin admin) {
        this.stats = stats;
        this.admin = admin;
    }

    @Override
    public CompletableFuture<Reply> handle(ApiRequest request) {
        AdminParameters.only(request, Set.of());
        return CompletableFuture.completedFuture(ErrorMapping.json(HttpResponseStatus.OK, localJson()));
    }

    /** The answer's body; also this node's entry in {@code /api/v1/stats/cluster}. */
    ObjectNode localJson() {
        NodeStats s = stats.get();
        ObjectNode root = JsonBodies.MAPPER.createObjectNode().put("node", s.node()).put("timeMillis", s.timeMillis())
                .put("windowSeconds", s.windowSeconds());
        ObjectNode operations = root.putObject("operations");
        new java.util.TreeMap<>(s.operations()).forEach((op, o) -> operations.putObject(op)
                .put("perSecond", rounded(o.perSecond())).put("failedPerSecond", rounded(o.failedPerSecond()))
                .put("p50Millis", rounded(o.p50Millis())).put("p99Millis", rounded(o.p99Millis())));
        NodeStats.Storage storage = s.storage();
        root.putObject("storage").put("sstables", storage.sstables()).put("sstableBytes", storage.sstableBytes())
                .put("memtables", storage.memtables()).put("memtableBytes", storage.memtableBytes()).put("entriesEstimate", storage.entriesEstimate())
                .put("diskBytes", storage.diskBytes());
        if (admin == null) {
            root.putNull("hints").putNull("repair").putNull("streaming");
            return root;
        }
        long pending = 0;
        long bytes = 0;
        for (HintQueue queue : admin.hints()) {
            pending += queue.pending();
            bytes += queue.bytes();
        }
        root.putObject("hints").put("pending", pending).put("bytes", bytes);
        var repairs = admin.repairs(); // newest first
        if (repairs.isEmpty()) {
            root.putNull("repair");
        } else {
            root.set("repair", AdminJson.repair(repairs.getFirst()));
        }
        admin.streaming().ifPresentOrElse(p -> root.set("streaming", AdminJson.streaming(p)), () -> root.putNull("streaming"));
        return root;
    }

    /** Three decimals: enough for ms and rates, and a compact answer for a page that polls every second. */
    private static double rounded(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
