package io.ringkv.cluster.antientropy;

import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.coordinator.ClusterView;
import io.ringkv.cluster.replica.RepairHorizon;
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
import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.Siblings;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * Several nodes' replica stores (real files in a temp dir) with anti-entropy over the in-memory
 * network, on a real-time scheduler. No coordinators: tests put versions straight into the stores
 * they choose, to make replicas diverge exactly as a scenario needs. Background runs are off;
 * tests start repairs and wait for them.
 */
final class AeCluster implements AutoCloseable {
    final InMemoryNetwork network;
    final Ring ring;
    final ReplicationStrategy strategy;
    final AntiEntropyConfig config;
    final Clock clock;
    final long graceMillis;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Path dir;
    private final Map<String, PeerAddress> addresses = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ae-test-timer");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** A view whose ring a test may replace (a node whose ring differs from the others'). */
    static final class View implements ClusterView {
        private final String self;
        private final Map<String, PeerAddress> addresses;
        private volatile Ring ring;
        final Set<String> down = ConcurrentHashMap.newKeySet();

        View(String self, Ring ring, Map<String, PeerAddress> addresses) {
            this.self = self;
            this.ring = ring;
            this.addresses = addresses;
        }

        void ring(Ring newRing) {
            ring = newRing;
        }

        @Override
        public String localNodeId() {
            return self;
        }

        @Override
        public Ring ring() {
            return ring;
        }

        @Override
        public boolean isUp(String nodeId) {
            return ring.contains(nodeId) && !down.contains(nodeId);
        }

        @Override
        public Optional<PeerAddress> peerAddress(String nodeId) {
            return Optional.ofNullable(addresses.get(nodeId));
        }
    }

    record Node(String id, View view, ReplicaStore store, Transport transport, AntiEntropy antiEntropy) {
    }

    AeCluster(Path dir, List<String> ids, int replicas, AntiEntropyConfig config, Clock clock, long graceMillis) {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.graceMillis = graceMillis;
        network = new InMemoryNetwork(Scheduler.realTime(timer), 11);
        BalancedTokenAllocator allocator = new BalancedTokenAllocator(16);
        Ring r = Ring.empty();
        for (int i = 0; i < ids.size(); i++) {
            r = allocator.join(r, Member.of(ids.get(i)));
            addresses.put(ids.get(i), new PeerAddress("127.0.0." + (i + 1), 9000));
        }
        ring = r;
        strategy = new ReplicationStrategy.Simple(replicas);
        for (String id : ids) {
            start(id, new View(id, ring, addresses));
        }
    }

    static AeCluster of(Path dir, List<String> ids, int replicas) {
        return new AeCluster(dir, ids, replicas, AntiEntropyConfig.defaults().withBackground(false).withThrottle(0),
                Clock.systemUTC(), StorageOptions.builder(dir).build().tombstoneGracePeriodMillis());
    }

    private void start(String id, View view) {
        StorageOptions storage = StorageOptions.builder(dir.resolve(id)).syncPolicy(SyncPolicy.periodic(1000))
                .clock(clock).tombstoneGracePeriodMillis(graceMillis).build();
        ReplicaStore store = ReplicaStore.open(storage,
                new ReplicaConfig(ConflictPolicy.SIBLINGS, ReplicaConfig.DEFAULT_SIBLING_CAP, SiblingCapListener.NONE),
                RepairHorizon.NEVER);
        Transport transport = network.endpoint(addresses.get(id));
        AntiEntropy ae = new AntiEntropy(view, transport, store, strategy, config, Scheduler.realTime(timer), clock,
                executor, AntiEntropyListener.NONE);
        transport.start();
        ae.start();
        nodes.put(id, new Node(id, view, store, transport, ae));
    }

    Node node(String id) {
        return nodes.get(id);
    }

    ReplicaStore store(String id) {
        return nodes.get(id).store();
    }

    AntiEntropy ae(String id) {
        return nodes.get(id).antiEntropy();
    }

    List<String> replicasOf(byte[] key) {
        return ring.preferenceList(key, strategy).replicas();
    }

    /** Stops a node; with {@code wipe} its data directory is deleted; then starts it again. */
    void restart(String id, boolean wipe) {
        Node n = nodes.remove(id);
        n.antiEntropy().close();
        n.transport().close();
        n.store().close();
        if (wipe) {
            deleteTree(dir.resolve(id));
        }
        start(id, n.view());
    }

    /** Runs a repair on {@code id} now and waits (bounded) until it finished. */
    RepairProgress repair(String id) {
        return repair(id, Optional.empty());
    }

    RepairProgress repair(String id, Optional<io.ringkv.core.ring.TokenRange> range) {
        RepairProgress started = ae(id).startRepair(range);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            RepairProgress p = ae(id).repair(started.id()).orElseThrow();
            if (p.finished()) {
                return p;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("repair " + p + " did not finish within 30 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    Siblings stored(String id, byte[] key) {
        return store(id).read(key);
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Node n : nodes.values()) {
            try {
                n.antiEntropy().close();
                n.transport().close();
                n.store().close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        executor.shutdownNow();
        timer.shutdownNow();
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
