package io.ringkv.cluster.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.ringkv.cluster.api.Consistency;
import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.handoff.HandoffConfig;
import io.ringkv.cluster.handoff.HintStore;
import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.replica.SiblingCapListener;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.BalancedTokenAllocator;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.version.Actors;
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.ContextCodec;
import io.ringkv.core.version.Siblings;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Several coordinators over real replica stores (files in a temp dir), connected by the
 * in-memory network on a real-time scheduler (the coordinator blocks its caller, so the
 * network must run on its own thread). One fixed ring from the balanced allocator.
 */
final class TestCluster implements AutoCloseable {
    static final long TIMEOUT_MILLIS = 400;
    /** Every node's context codec: one key for the cluster. */
    static final ContextCodec CONTEXTS = ContextCodec.forSecret("test cluster secret");

    final InMemoryNetwork network;
    final Ring ring;
    final ReplicationStrategy strategy;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "in-memory-network");
        t.setDaemon(true);
        return t;
    });

    /** One node: its address, view, store, transport and coordinator. */
    record Node(String id, PeerAddress address, FixedView view, ReplicaStore store, HintStore hints, Transport transport,
                ClusterKvService service, RecordingListener listener) {
    }

    /** How to build the cluster; every node gets the same settings. */
    record Settings(int replicas, int r, int w, ConflictPolicy policy, boolean readRepair, boolean readFromAll,
                    long speculativeRetryMillis, Map<String, Clock> clocks, BiFunction<String, Transport, Transport> transports,
                    boolean blockCache, boolean actorsAreNodeIds, HandoffConfig handoff, DataCenters dataCenters) {
        /** As a node is configured by default: reads ask R replicas, speculative retry after 20 ms. */
        static Settings defaults() {
            return new Settings(3, 2, 2, ConflictPolicy.SIBLINGS, true, false,
                    CoordinatorConfig.DEFAULT_SPECULATIVE_RETRY_MILLIS, Map.of(), (id, t) -> t, true, false,
                    HandoffConfig.STRICT, DataCenters.NONE);
        }

        Settings withPolicy(ConflictPolicy p) {
            return new Settings(replicas, r, w, p, readRepair, readFromAll, speculativeRetryMillis, clocks, transports, blockCache, actorsAreNodeIds, handoff, dataCenters);
        }

        Settings withClocks(Map<String, Clock> c) {
            return new Settings(replicas, r, w, policy, readRepair, readFromAll, speculativeRetryMillis, c, transports, blockCache, actorsAreNodeIds, handoff, dataCenters);
        }

        Settings withReadRepair(boolean on) {
            return new Settings(replicas, r, w, policy, on, readFromAll, speculativeRetryMillis, clocks, transports, blockCache, actorsAreNodeIds, handoff, dataCenters);
        }

        /** Reads ask every replica (true) or R of them (false, the default). */
        Settings withReadFromAll(boolean all) {
            return new Settings(replicas, r, w, policy, readRepair, all, speculativeRetryMillis, clocks, transports, blockCache, actorsAreNodeIds, handoff, dataCenters);
        }

        Settings withSpeculativeRetryMillis(long millis) {
            return new Settings(replicas, r, w, policy, readRepair, readFromAll, millis, clocks, transports, blockCache, actorsAreNodeIds, handoff, dataCenters);
        }

        /**
         * Nodes without a block cache, so that a flushed key is only in a file (a flush otherwise
         * leaves the new table's blocks cached): to test the paths that read from disk.
         */
        Settings withoutBlockCache() {
            return new Settings(replicas, r, w, policy, readRepair, readFromAll, speculativeRetryMillis, clocks, transports, false, actorsAreNodeIds, handoff, dataCenters);
        }

        /**
         * Each node writes as an actor named exactly its node id, not a fresh incarnation: for tests
         * that read clocks literally, as the design notes write them.
         */
        Settings withActorsNamedAfterNodes() {
            return new Settings(replicas, r, w, policy, readRepair, readFromAll, speculativeRetryMillis, clocks, transports, blockCache, true, handoff, dataCenters);
        }

        /**
         * The sloppy quorum and hinted handoff's settings (default: strict, so tests of quorums
         * see only replicas count; every node keeps a hint store all the same).
         */
        Settings withHandoff(HandoffConfig h) {
            return new Settings(replicas, r, w, policy, readRepair, readFromAll, speculativeRetryMillis, clocks, transports, blockCache, actorsAreNodeIds, h, dataCenters);
        }

        /** Nodes in data centers, with replicas per data center and a default consistency. */
        Settings withDataCenters(DataCenters d) {
            return new Settings(replicas, r, w, policy, readRepair, readFromAll, speculativeRetryMillis, clocks, transports, blockCache, actorsAreNodeIds, handoff, d);
        }

        /** Each node's transport is {@code wrap(id, transport)}: to watch what a node sends. */
        Settings withTransports(BiFunction<String, Transport, Transport> wrap) {
            return new Settings(replicas, r, w, policy, readRepair, readFromAll, speculativeRetryMillis, clocks, wrap, blockCache, actorsAreNodeIds, handoff, dataCenters);
        }
    }

    /**
     * Where the nodes are: {@code ofNode} gives each node's data center (unlisted: dc1); with
     * {@code replicas} not empty, a key gets that many replicas in each data center
     * ({@link ReplicationStrategy.PerDataCenter}); {@code consistency} is the nodes' default.
     */
    record DataCenters(Map<String, String> ofNode, Map<String, Integer> replicas, Consistency consistency) {
        static final DataCenters NONE = new DataCenters(Map.of(), Map.of(), Consistency.COUNT);

        String of(String node) {
            return ofNode.getOrDefault(node, "dc1");
        }
    }

    TestCluster(Path dir, List<String> ids, Settings settings) {
        network = new InMemoryNetwork(Scheduler.realTime(scheduler), 7);
        BalancedTokenAllocator allocator = new BalancedTokenAllocator(16);
        Ring r = Ring.empty();
        Map<String, PeerAddress> addresses = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            r = allocator.join(r, new Member(id, settings.dataCenters().of(id), "rack1", 1));
            addresses.put(ids.get(i), new PeerAddress("127.0.0." + (i + 1), 9000));
        }
        ring = r;
        strategy = settings.dataCenters().replicas().isEmpty() ? new ReplicationStrategy.Simple(settings.replicas())
                : new ReplicationStrategy.PerDataCenter(settings.dataCenters().replicas());
        for (String id : ids) {
            Clock clock = settings.clocks().getOrDefault(id, Clock.systemUTC());
            FixedView view = new FixedView(id, ring, addresses);
            StorageOptions.Builder storageOptions = StorageOptions.builder(dir.resolve(id)).syncPolicy(SyncPolicy.periodic(1000)).clock(clock);
            StorageOptions storage = (settings.blockCache() ? storageOptions : storageOptions.blockCacheBytes(0)).build();
            ReplicaStore store = ReplicaStore.open(storage,
                    new ReplicaConfig(settings.policy(), ReplicaConfig.DEFAULT_SIBLING_CAP, SiblingCapListener.NONE));
            Transport transport = settings.transports().apply(id, network.endpoint(addresses.get(id)));
            RecordingListener listener = new RecordingListener();
            CoordinatorConfig config = new CoordinatorConfig(strategy, settings.r(), settings.w(), TIMEOUT_MILLIS, 10,
                    settings.policy(), settings.readRepair(), settings.readFromAll(), settings.speculativeRetryMillis(), clock,
                    CONTEXTS, settings.handoff(), settings.dataCenters().consistency());
            HintStore hints = HintStore.open(StorageOptions.builder(dir.resolve(id + "-hints"))
                    .syncPolicy(SyncPolicy.periodic(1000)).clock(clock).build(), settings.policy(), settings.handoff().maxBytes());
            ClusterKvService service = new ClusterKvService(view, transport, store, hints, config, listener,
                    CoordinatorRuntime.ownThreads(settings.actorsAreNodeIds() ? id : Actors.newIncarnation(id), 0, TIMEOUT_MILLIS));
            transport.start();
            nodes.put(id, new Node(id, addresses.get(id), view, store, hints, transport, service, listener));
        }
    }

    Node node(String id) {
        return nodes.get(id);
    }

    ClusterKvService kv(String id) {
        return nodes.get(id).service();
    }

    List<String> replicasOf(byte[] key) {
        return ring.preferenceList(key, strategy).replicas();
    }

    /** The first key "prefix-i" whose replica list passes {@code test}. */
    byte[] keyWhere(String prefix, Predicate<List<String>> test) {
        for (int i = 0; i < 100_000; i++) {
            byte[] key = (prefix + "-" + i).getBytes(UTF_8);
            if (test.test(replicasOf(key))) {
                return key;
            }
        }
        throw new IllegalStateException("no key found for " + prefix);
    }

    /** Cuts every link between {@code id} and the other nodes, both ways. */
    void isolate(String id) {
        for (Node other : nodes.values()) {
            if (!other.id().equals(id)) {
                network.partition(node(id).address(), other.address());
            }
        }
    }

    /** Cuts {@code id} off and has every other node's failure detector see it down, as gossip would. */
    void takeDown(String id) {
        isolate(id);
        nodes.values().forEach(n -> n.view().markDown(id));
    }

    /** Undoes every cut and every down mark. */
    void healAll() {
        network.healAll();
        for (Node n : nodes.values()) {
            nodes.keySet().forEach(n.view()::markUp);
        }
    }

    void partition(String a, String b) {
        network.partition(node(a).address(), node(b).address());
    }

    /** What {@code id}'s own store holds for {@code key}, read directly. */
    Siblings stored(String id, byte[] key) {
        return node(id).store().read(key);
    }

    static List<String> strings(GetResult result) {
        return result.values().stream().map(b -> new String(b, UTF_8)).sorted().toList();
    }

    static List<String> liveStrings(Siblings siblings) {
        return siblings.liveValues().stream().map(b -> new String(b, UTF_8)).sorted().toList();
    }

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    /** Waits (bounded, 5 s) for a condition that background work makes true. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Node node : nodes.values()) {
            try {
                node.service().close();
                node.transport().close();
                node.store().close();
                node.hints().close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        scheduler.shutdownNow();
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
