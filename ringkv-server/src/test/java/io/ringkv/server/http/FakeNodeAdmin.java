package io.ringkv.server.http;

import io.ringkv.cluster.admin.CompactionResult;
import io.ringkv.cluster.admin.HintQueue;
import io.ringkv.cluster.admin.NodeAdmin;
import io.ringkv.cluster.admin.RangeRoot;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.streaming.StreamProgress;
import io.ringkv.core.ring.TokenRange;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A NodeAdmin for the admin endpoints' tests: answers what the test put in its fields and records
 * what it was asked, so a test sees exactly what the HTTP layer passed through.
 */
final class FakeNodeAdmin implements NodeAdmin {
    volatile List<String> replicas = List.of("node2", "node3", "node1");
    final Map<ByteBuffer, GetResult> local = new ConcurrentHashMap<>();
    volatile List<HintQueue> hints = List.of();
    final Map<Long, RepairProgress> repairs = new ConcurrentHashMap<>();
    volatile List<RangeRoot> ranges = List.of();
    final AtomicInteger compactions = new AtomicInteger();
    /** Thrown by every method when set, to test the error mapping. */
    volatile RuntimeException failWith;
    volatile byte[] lastKey;
    volatile Optional<TokenRange> lastRange;
    final AtomicInteger calls = new AtomicInteger();
    /** What decommission() and streaming() answer; null: no streaming yet. */
    volatile StreamProgress streaming;
    /** Thrown by decommission() when set (a node that cannot leave now). */
    volatile IllegalStateException cannotLeave;

    @Override
    public StreamProgress decommission() {
        enter(null);
        if (cannotLeave != null) {
            throw cannotLeave;
        }
        streaming = new StreamProgress("decommission", StreamProgress.State.WAITING, 0, 0, 0, 0, 0, -1,
                1_700_000_000_000L, 5, 0, null);
        return streaming;
    }

    volatile String removed;

    @Override
    public void removeNode(String nodeId) {
        enter(null);
        if (cannotLeave != null) {
            throw cannotLeave;
        }
        removed = nodeId;
    }

    @Override
    public Optional<StreamProgress> streaming() {
        enter(null);
        return Optional.ofNullable(streaming);
    }

    @Override
    public List<String> replicas(byte[] key) {
        enter(key);
        return replicas;
    }

    @Override
    public Optional<GetResult> local(byte[] key) {
        enter(key);
        return Optional.ofNullable(local.get(ByteBuffer.wrap(key)));
    }

    @Override
    public List<HintQueue> hints() {
        enter(null);
        return hints;
    }

    @Override
    public RepairProgress startRepair(Optional<TokenRange> range) {
        enter(null);
        lastRange = range;
        long id = repairs.size() + 1;
        RepairProgress started = progress(id, range.map(TokenRange::toString).orElse("all ranges"), RepairProgress.State.RUNNING, 0, null);
        repairs.put(id, started);
        return started;
    }

    @Override
    public Optional<RepairProgress> repair(long id) {
        enter(null);
        return Optional.ofNullable(repairs.get(id));
    }

    @Override
    public List<RepairProgress> repairs() {
        enter(null);
        return repairs.values().stream().sorted((a, b) -> Long.compare(b.id(), a.id())).toList();
    }

    @Override
    public List<RangeRoot> ranges() {
        enter(null);
        return ranges;
    }

    @Override
    public CompactionResult compact() {
        enter(null);
        compactions.incrementAndGet();
        return new CompactionResult(3, 1, 42);
    }

    static RepairProgress progress(long id, String scope, RepairProgress.State state, int rangesDone, String error) {
        return new RepairProgress(id, "manual", scope, state, 4, rangesDone, rangesDone / 2, 10L * rangesDone,
                1000L * rangesDone, 1_700_000_000_000L, 250L * rangesDone, error);
    }

    private void enter(byte[] key) {
        calls.incrementAndGet();
        lastKey = key;
        RuntimeException failure = failWith;
        if (failure != null) {
            throw failure;
        }
    }
}
