package io.ringkv.cluster.sim;

import io.ringkv.cluster.coordinator.ClusterKvService;
import io.ringkv.cluster.coordinator.CoordinatorConfig;
import io.ringkv.cluster.coordinator.CoordinatorListener;
import io.ringkv.cluster.coordinator.CoordinatorRuntime;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.node.ClusterMembership;
import io.ringkv.cluster.node.MembershipSettings;
import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.cluster.time.ManualScheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.version.Actors;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.file.Path;
import java.util.List;
import java.time.Clock;
import java.util.SplittableRandom;

/**
 * One node of a simulated cluster, wired as {@code RingkvNode} wires a real one - its LSM store on
 * real files, gossip membership with the ring joiner, the quorum coordinator - but on the
 * simulation's in-memory network and one virtual-time scheduler, so nothing runs on a thread of
 * its own except the storage engine's idle background threads (no flush or compaction happens in
 * a run this small). A crash is {@link #stop} (the page cache survives a process crash, so what
 * the engine wrote is still there) and a restart is a new {@code SimNode} on the same directory:
 * a new actor, a higher generation.
 */
final class SimNode {
    static final long EPOCH_MILLIS = 1_800_000_000_000L;
    static final long REQUEST_TIMEOUT_MILLIS = 500;

    final String id;
    final PeerAddress peer;
    final Path dir;
    private final ReplicaStore store;
    private final HintStore hints;
    private final Transport transport;
    private final ClusterMembership membership;
    final ClusterKvService kv;

    private SimNode(String id, PeerAddress peer, Path dir, ReplicaStore store, HintStore hints, Transport transport,
                    ClusterMembership membership, ClusterKvService kv) {
        this.hints = hints;
        this.id = id;
        this.peer = peer;
        this.dir = dir;
        this.store = store;
        this.transport = transport;
        this.membership = membership;
        this.kv = kv;
    }

    /** Starts node {@code index} (node1, node2...) with its data in {@code dir}; its clock is off by {@code skewMillis}. */
    static SimNode start(int index, Path dir, ManualScheduler scheduler, InMemoryNetwork network, GossipConfig gossip,
                         ContextCodec contexts, SplittableRandom random, long skewMillis) {
        String id = "node" + index;
        PeerAddress peer = peerAddress(index);
        Clock clock = scheduler.clock(EPOCH_MILLIS, skewMillis);
        StorageOptions storage = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(60_000)).clock(clock)
                .commitLogSegmentBytes(1 << 20).memtableFlushThresholdBytes(4 << 20).blockCacheBytes(1 << 20).build();
        ReplicaStore store = ReplicaStore.open(storage,
                new ReplicaConfig(ConflictPolicy.SIBLINGS, ReplicaConfig.DEFAULT_SIBLING_CAP, SiblingCapListener.NONE));
        Transport transport = network.endpoint(peer);
        MembershipSettings settings = MembershipSettings.of(id, new PeerAddress("127.0.0." + index, 8000 + index),
                "dc1", "rack1", 1, gossip, dir).withVnodesPerWeightUnit(16);
        ClusterMembership membership = ClusterMembership.open(settings, transport, scheduler, random.split(), clock::millis);
        CoordinatorConfig config = new CoordinatorConfig(new ReplicationStrategy.Simple(3), 2, 2, REQUEST_TIMEOUT_MILLIS,
                CoordinatorConfig.DEFAULT_MAX_CLOCK_ENTRIES, ConflictPolicy.SIBLINGS, true, false,
                CoordinatorConfig.DEFAULT_SPECULATIVE_RETRY_MILLIS, clock, contexts, HandoffConfig.DEFAULTS);
        HintStore hints = HintStore.open(StorageOptions.builder(dir.resolve("hints")).syncPolicy(SyncPolicy.periodic(60_000))
                .clock(clock).commitLogSegmentBytes(1 << 20).blockCacheBytes(1 << 20).build(), ConflictPolicy.SIBLINGS,
                HandoffConfig.DEFAULT_MAX_BYTES);
        ClusterKvService kv = new ClusterKvService(membership.clusterView(), transport, store, hints, config,
                CoordinatorListener.NONE, CoordinatorRuntime.simulated(Actors.newIncarnation(id, random), scheduler, random.split()));
        transport.start();
        membership.start();
        return new SimNode(id, peer, dir, store, hints, transport, membership, kv);
    }

    static PeerAddress peerAddress(int index) {
        return new PeerAddress("127.0.0." + index, 9000 + index);
    }

    /** Whether this node sees {@code count} members up with tokens. */
    boolean seesUp(int count) {
        var view = membership.clusterView();
        return view.ring().members().size() == count
                && view.ring().members().stream().allMatch(m -> view.isUp(m.nodeId()));
    }

    /** The live values this node's own store holds for {@code key} (for the trace). */
    List<String> stored(String key) {
        return store.read(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).liveValues().stream()
                .map(v -> new String(v, java.nio.charset.StandardCharsets.UTF_8)).sorted().toList();
    }

    /** The key's replicas in this node's view of the ring. */
    List<String> replicasOf(String key) {
        return membership.clusterView().ring().preferenceList(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new ReplicationStrategy.Simple(3)).replicas();
    }

    /** What this node holds and handed over as hints, per target. */
    String hintStats() {
        return hints.stats().toString();
    }

    /** The process ends: requests in flight fail, gossip stops, the store is closed with what it wrote. */
    void stop() {
        kv.close();
        membership.close();
        transport.close();
        store.close();
        hints.close();
    }
}
