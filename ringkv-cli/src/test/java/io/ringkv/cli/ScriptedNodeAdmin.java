package io.ringkv.cli;

import io.ringkv.cluster.admin.CompactionResult;
import io.ringkv.cluster.admin.HintQueue;
import io.ringkv.cluster.admin.NodeAdmin;
import io.ringkv.cluster.admin.RangeRoot;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.streaming.StreamProgress;
import io.ringkv.core.ring.TokenRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A NodeAdmin whose one repair moves a range further each time it is asked for (4 ranges), and
 * ends DONE, or FAILED after {@link #failAfterRanges} when set: what {@code admin repair} follows.
 */
final class ScriptedNodeAdmin implements NodeAdmin {
    static final int RANGES = 4;

    volatile Integer failAfterRanges;
    volatile List<HintQueue> hints = List.of();
    volatile Optional<TokenRange> lastRange;
    /** Called once the decommission reports {@link #stopAtRanges} ranges (the test stops the server, as the node would stop). */
    volatile Runnable onLeft = () -> { };
    /** 3 (DONE) for a node whose last answer is DONE; fewer for one the watcher never sees DONE from. */
    volatile int stopAtRanges = 3;
    private final AtomicInteger decommissionPolls = new AtomicInteger(-1);

    volatile String removed;

    @Override
    public void removeNode(String nodeId) {
        if (nodeId.equals("node1")) {
            throw new IllegalStateException("node node1 cannot remove itself; decommission it instead");
        }
        removed = nodeId;
    }

    @Override
    public StreamProgress decommission() {
        decommissionPolls.set(0);
        return decommissionAt(0);
    }

    /** Each poll moves the decommission one range further, out of 3; the last says DONE. */
    @Override
    public Optional<StreamProgress> streaming() {
        if (decommissionPolls.get() < 0) {
            return Optional.empty();
        }
        int done = Math.min(decommissionPolls.incrementAndGet(), 3);
        StreamProgress p = decommissionAt(done);
        if (done == stopAtRanges) {
            onLeft.run();
        }
        return Optional.of(p);
    }

    private static StreamProgress decommissionAt(int done) {
        StreamProgress.State state = done == 3 ? StreamProgress.State.DONE : StreamProgress.State.STREAMING;
        return new StreamProgress("decommission", state, 3, done, 100L * done, 10_240L * done, 2_048, done == 3 ? 0 : 5_000L * (3 - done),
                1_700_000_000_000L, 5_000L * done, 0, null);
    }
    final AtomicInteger polls = new AtomicInteger();
    private final List<RepairProgress> finished = new ArrayList<>();
    private volatile boolean started;

    @Override
    public List<String> replicas(byte[] key) {
        return List.of("node1");
    }

    @Override
    public Optional<GetResult> local(byte[] key) {
        return Optional.empty();
    }

    @Override
    public List<HintQueue> hints() {
        return hints;
    }

    @Override
    public synchronized RepairProgress startRepair(Optional<TokenRange> range) {
        lastRange = range;
        started = true;
        return at(0);
    }

    @Override
    public synchronized Optional<RepairProgress> repair(long id) {
        if (!started || id != 7) {
            return Optional.empty();
        }
        return Optional.of(at(Math.min(polls.incrementAndGet(), RANGES)));
    }

    @Override
    public synchronized List<RepairProgress> repairs() {
        List<RepairProgress> all = new ArrayList<>();
        if (started) {
            all.add(at(Math.min(polls.get(), RANGES)));
        }
        all.addAll(finished);
        return all;
    }

    @Override
    public List<RangeRoot> ranges() {
        return List.of();
    }

    @Override
    public CompactionResult compact() {
        return new CompactionResult(0, 0, 0);
    }

    /** An earlier run, listed by {@link #repairs()} after the current one. */
    synchronized void addFinished(RepairProgress p) {
        finished.add(p);
    }

    private RepairProgress at(int rangesDone) {
        Integer failAt = failAfterRanges;
        String scope = lastRange.map(TokenRange::toString).orElse("all ranges");
        if (failAt != null && rangesDone >= failAt) {
            return progress(RepairProgress.State.FAILED, failAt, scope, "node3 did not answer within 10000 ms");
        }
        return progress(rangesDone == RANGES ? RepairProgress.State.DONE : RepairProgress.State.RUNNING, rangesDone, scope, null);
    }

    private static RepairProgress progress(RepairProgress.State state, int done, String scope, String error) {
        return new RepairProgress(7, "manual", scope, state, RANGES, done, done / 2, 40L * done, 2048L * done,
                1_700_000_000_000L, 1_500L * done, error);
    }
}
