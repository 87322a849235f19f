package io.ringkv.cluster.admin;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.StoreFailureException;
import io.ringkv.cluster.coordinator.ClusterView;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.service.GuardedStore;
import io.ringkv.cluster.service.ReadResults;
import io.ringkv.cluster.streaming.StreamProgress;
import io.ringkv.cluster.streaming.Streaming;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Siblings;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link NodeAdmin} of a cluster node, over the parts it reports on: the ring view, the replica
 * store (read directly, as no client request can, and compacted on demand), the hint store, the
 * anti-entropy service's repair runs and Merkle roots, and range streaming (joins, decommissions).
 */
public final class ClusterNodeAdmin implements NodeAdmin {
    private final ClusterView view;
    private final ReplicationStrategy strategy;
    private final ReplicaStore replicaStore;
    private final GuardedStore store;
    private final HintStore hints;
    private final ConflictPolicy policy;
    private final ContextCodec contexts;
    private final Repairs repairs;
    private final Streaming streaming;

    public ClusterNodeAdmin(ClusterView view, ReplicationStrategy strategy, ReplicaStore store, HintStore hints,
                            ConflictPolicy policy, ContextCodec contexts, Repairs repairs, Streaming streaming) {
        this.streaming = streaming;
        this.view = view;
        this.strategy = strategy;
        this.replicaStore = store;
        this.store = new GuardedStore(store);
        this.hints = hints;
        this.policy = policy;
        this.contexts = contexts;
        this.repairs = repairs;
    }

    @Override
    public List<String> replicas(byte[] key) {
        return view.ring().preferenceList(key, strategy).replicas();
    }

    @Override
    public Optional<GetResult> local(byte[] key) {
        Siblings stored = store.read(key);
        return stored.isEmpty() ? Optional.empty() : Optional.of(ReadResults.of(stored, policy, contexts));
    }

    @Override
    public List<HintQueue> hints() {
        List<HintQueue> queues = new ArrayList<>();
        for (Map.Entry<String, HintStore.TargetStats> e : hints.stats().entrySet()) {
            HintStore.TargetStats s = e.getValue();
            queues.add(new HintQueue(e.getKey(), view.isUp(e.getKey()), s.pending(), s.bytes(), s.stored(), s.delivered(),
                    s.expired()));
        }
        return queues;
    }

    @Override
    public RepairProgress startRepair(Optional<TokenRange> range) {
        return repairs.startRepair(range);
    }

    @Override
    public Optional<RepairProgress> repair(long id) {
        return repairs.repair(id);
    }

    @Override
    public List<RepairProgress> repairs() {
        return repairs.repairs();
    }

    @Override
    public StreamProgress decommission() {
        return streaming.decommission();
    }

    @Override
    public Optional<StreamProgress> streaming() {
        return streaming.progress();
    }

    @Override
    public void removeNode(String nodeId) {
        streaming.removeNode(nodeId);
    }

    @Override
    public List<RangeRoot> ranges() {
        try {
            return repairs.ranges();
        } catch (StorageException e) {
            throw new StoreFailureException("refreshing the Merkle trees failed: " + e.getMessage(), e);
        }
    }

    @Override
    public CompactionResult compact() {
        long start = System.nanoTime();
        try {
            StorageEngine engine = replicaStore.engine();
            engine.flush();
            int before = engine.stats().liveTables();
            engine.compactAll();
            return new CompactionResult(before, engine.stats().liveTables(), (System.nanoTime() - start) / 1_000_000);
        } catch (StorageException e) {
            throw new StoreFailureException("compaction failed: " + e.getMessage(), e);
        }
    }
}
