package io.ringkv.server;

import io.ringkv.server.http.NodeStats;
import io.ringkv.server.metrics.RecentLatencies;
import io.ringkv.storage.EngineStats;
import io.ringkv.storage.StorageEngine;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Builds {@code GET /api/v1/stats} from the coordinator's recent latencies, the engine's stats and
 * the size of the data directory. The directory is walked on each call: a node holds tens of
 * files, and the dashboard asks about once a second.
 */
final class NodeStatsSource implements Supplier<NodeStats> {
    /** Reported even before their first request, so every node's answer has the same shape. */
    private static final String[] OPERATIONS = {"get", "put", "delete"};

    private final String nodeId;
    private final RecentLatencies recent;
    private final StorageEngine engine;
    private final Path dataDirectory;
    private final Clock clock;

    NodeStatsSource(String nodeId, RecentLatencies recent, StorageEngine engine, Path dataDirectory, Clock clock) {
        this.nodeId = nodeId;
        this.recent = recent;
        this.engine = engine;
        this.dataDirectory = dataDirectory;
        this.clock = clock;
    }

    @Override
    public NodeStats get() {
        Map<String, NodeStats.Operation> operations = new TreeMap<>();
        for (String op : OPERATIONS) {
            operations.put(op, new NodeStats.Operation(0, 0, 0, 0));
        }
        recent.snapshot().forEach((op, r) -> operations.put(op,
                new NodeStats.Operation(r.perSecond(), r.failedPerSecond(), r.p50Millis(), r.p99Millis())));
        EngineStats e = engine.stats();
        NodeStats.Storage storage = new NodeStats.Storage(e.liveTables(), e.liveTableBytes(), e.memtables(), e.memtableBytes(),
                e.liveEntriesEstimate(), bytesUnder(dataDirectory));
        return new NodeStats(nodeId, clock.millis(), RecentLatencies.WINDOW_SECONDS, operations, storage);
    }

    /** Every regular file's size under {@code root}; files vanishing meanwhile (compaction) are skipped. */
    static long bytesUnder(Path root) {
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return total[0]; // a partial sum beats no figure on a page that refreshes every second
        }
        return total[0];
    }
}
