package io.ringkv.bench.antientropy;

import io.ringkv.bench.common.ProgressMeter;
import io.ringkv.cluster.admin.RepairProgress;
import io.ringkv.cluster.antientropy.AntiEntropy;
import io.ringkv.cluster.antientropy.AntiEntropyConfig;
import io.ringkv.cluster.antientropy.AntiEntropyListener;
import io.ringkv.cluster.replica.RepairHorizon;
import io.ringkv.cluster.replica.ReplicaConfig;
import io.ringkv.cluster.replica.ReplicaStore;
import io.ringkv.cluster.time.Scheduler;
import io.ringkv.cluster.transport.InMemoryNetwork;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.cluster.transport.Transport;
import io.ringkv.core.ring.BalancedTokenAllocator;
import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * {@code ringkv bench antientropy}: three replica stores in this process (N = 3, so each holds
 * every key), anti-entropy between them over the in-memory network, {@code divergedFraction} of
 * the keys diverged on node3 (half missing there, half with an extra concurrent version only
 * there). node3 runs one repair; the benchmark prints the bytes it exchanged, by message type,
 * against the bytes of the divergent entries (each diverged key and its converged sibling set,
 * once), the time to converge, the cost of a second repair when nothing differs, and what a full
 * compare (every key and digest listed) would cost. Convergence is checked key by key.
 */
public final class AntiEntropyBenchmark {
    /** A root request (37 bytes) and its reply (9 bytes), docs/design/anti-entropy.md. */
    private static final long ROOT_EXCHANGE_BYTES = 46;
    private static final List<String> NODES = List.of("node1", "node2", "node3");
    // ExchangeMessages' types (package-private in ringkv-cluster; docs/design/anti-entropy.md)
    private static final Map<Integer, String> TYPES = Map.of(0x5210, "tree levels", 0x5211, "leaf key lists",
            0x5212, "fetch (pull)", 0x5213, "push");

    private AntiEntropyBenchmark() {
    }

    /** What a run measured. */
    public record Result(int keys, int divergedKeys, long divergentBytes, long treeBuildMillis, RepairProgress repair,
                         RepairProgress idleRepair, Map<Integer, Long> bytesByType, long fullCompareBytes,
                         long fullCopyBytes, boolean converged) {
        public double ratio() {
            return (double) repair.bytesExchanged() / divergentBytes;
        }

        public long treeBytes() {
            return bytesByType.getOrDefault(0x5210, 0L);
        }
    }

    public static int run(PrintStream out, AntiEntropyBenchmarkParams params) {
        Result r = measure(out, params);
        return r.converged() ? 0 : 1;
    }

    public static Result measure(PrintStream out, AntiEntropyBenchmarkParams params) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory(params.dir(), "ringkv-ae-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory in " + params.dir(), e);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("ae-bench-timer").factory());
        ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
        Map<String, ReplicaStore> stores = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            out.printf(Locale.ROOT, "anti-entropy benchmark: %,d keys of %d bytes on 3 replicas (N=3), %.3f%% diverged"
                            + " on node3, %d vnodes per node, tree depth %d, scratch %s%n", params.keys(), params.valueBytes(),
                    params.divergedFraction() * 100, params.vnodesPerNode(), params.depth(), scratch);
            for (String id : NODES) {
                StorageOptions options = StorageOptions.builder(scratch.resolve(id)).syncPolicy(SyncPolicy.periodic(1000)).build();
                ReplicaStore store = ReplicaStore.open(options, ReplicaConfig.defaults(), RepairHorizon.NEVER);
                stores.put(id, store);
                open.add(store);
            }
            List<byte[]> diverged = load(out, params, stores);

            BalancedTokenAllocator allocator = new BalancedTokenAllocator(params.vnodesPerNode());
            Ring ring = Ring.empty();
            Map<String, PeerAddress> addresses = new LinkedHashMap<>();
            for (int i = 0; i < NODES.size(); i++) {
                ring = allocator.join(ring, Member.of(NODES.get(i)));
                addresses.put(NODES.get(i), new PeerAddress("127.0.0." + (i + 1), 9000));
            }
            InMemoryNetwork network = new InMemoryNetwork(Scheduler.realTime(timer), params.seed());
            AntiEntropyConfig config = AntiEntropyConfig.defaults().withBackground(false).withThrottle(0).withDepth(params.depth());
            Map<String, AntiEntropy> ae = new LinkedHashMap<>();
            CountingTransport node3 = null;
            long buildStart = System.nanoTime();
            for (String id : NODES) {
                Transport transport = network.endpoint(addresses.get(id));
                if (id.equals("node3")) {
                    node3 = new CountingTransport(transport);
                    transport = node3;
                }
                open.add(transport);
                AntiEntropy a = new AntiEntropy(new BenchView(id, ring, addresses), transport, stores.get(id),
                        new ReplicationStrategy.Simple(3), config, Scheduler.realTime(timer), Clock.systemUTC(), work,
                        AntiEntropyListener.NONE);
                open.add(a);
                transport.start();
                a.start();
                ae.put(id, a);
            }
            awaitTrees(out, ae);
            long treeBuildMillis = (System.nanoTime() - buildStart) / 1_000_000;

            out.println("repair of node3 (it compares each of its ranges with node1, then node2):");
            RepairProgress repair = repair(out, ae.get("node3"));
            Map<Integer, Long> bytesByType = node3.bytesByType();
            Map<Integer, Long> messagesByType = node3.messagesByType();
            boolean converged = converged(stores, diverged);
            node3.reset();
            out.println("repair of node3 again, nothing differing:");
            RepairProgress idle = repair(out, ae.get("node3"));

            long divergentBytes = 0;
            for (byte[] key : diverged) {
                divergentBytes += key.length + SiblingsCodec.encode(stores.get("node1").read(key)).length;
            }
            long[] full = fullCompare(stores.get("node1"));
            Result result = new Result(params.keys(), diverged.size(), divergentBytes, treeBuildMillis, repair, idle,
                    bytesByType, 2 * full[0], 2 * full[1], converged && idle.keysExchanged() == 0);
            print(out, result, messagesByType);
            return result;
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    out.println("closing failed: " + e);
                }
            }
            work.shutdownNow();
            timer.shutdownNow();
            deleteTree(scratch);
        }
    }

    /** Writes every key to the three stores, diverging node3; returns the diverged keys. */
    private static List<byte[]> load(PrintStream out, AntiEntropyBenchmarkParams params, Map<String, ReplicaStore> stores) {
        SplittableRandom choose = new SplittableRandom(params.seed());
        List<byte[]> diverged = new ArrayList<>();
        long start = System.nanoTime();
        try (ProgressMeter meter = ProgressMeter.start(out, "load", params.keys(), Duration.ofSeconds(5))) {
            for (int i = 0; i < params.keys(); i++) {
                byte[] key = String.format(Locale.ROOT, "key-%09d", i).getBytes(StandardCharsets.UTF_8);
                byte[] value = new byte[params.valueBytes()];
                new SplittableRandom(params.seed() * 31 + i).nextBytes(value);
                Versioned version = Versioned.of(CausalContext.EMPTY, new Dot("bench~a", i + 1L), value, 1_800_000_000_000L);
                boolean diverges = choose.nextDouble() < params.divergedFraction();
                stores.get("node1").apply(key, version);
                stores.get("node2").apply(key, version);
                if (!diverges) {
                    stores.get("node3").apply(key, version);
                } else {
                    diverged.add(key);
                    if (diverged.size() % 2 == 0) { // node3 holds a concurrent version of its own as well
                        stores.get("node3").apply(key, version);
                        stores.get("node3").apply(key, Versioned.of(CausalContext.EMPTY, new Dot("bench~c", i + 1L),
                                value, 1_800_000_000_001L));
                    } // else node3 missed the key altogether
                }
                meter.add(1);
            }
        }
        stores.values().forEach(s -> s.engine().flush());
        out.printf(Locale.ROOT, "loaded and flushed in %.1f s: %,d keys diverged on node3 (%d missing, %d with an extra"
                        + " concurrent version)%n", (System.nanoTime() - start) / 1e9, diverged.size(),
                (diverged.size() + 1) / 2, diverged.size() / 2);
        return diverged;
    }

    private static void awaitTrees(PrintStream out, Map<String, AntiEntropy> ae) {
        long lastPrint = System.nanoTime();
        while (true) {
            int built = ae.values().stream().mapToInt(AntiEntropy::treesBuilt).sum();
            int total = ae.values().stream().mapToInt(AntiEntropy::trees).sum();
            if (total > 0 && built == total) {
                out.printf(Locale.ROOT, "built %,d Merkle trees (3 nodes) from the stores%n", total);
                return;
            }
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                lastPrint = System.nanoTime();
                out.printf(Locale.ROOT, "  .. building trees: %,d of %,d%n", built, total);
            }
            pause();
        }
    }

    private static RepairProgress repair(PrintStream out, AntiEntropy ae) {
        long id = ae.startRepair(java.util.Optional.empty()).id();
        long lastPrint = System.nanoTime();
        while (true) {
            RepairProgress p = ae.repair(id).orElseThrow();
            if (p.finished()) {
                out.printf(Locale.ROOT, "  %s in %,d ms: %d of %d ranges, %d differed, %,d keys and %,d bytes exchanged%s%n",
                        p.state(), p.elapsedMillis(), p.rangesDone(), p.rangesTotal(), p.rangesDiffering(), p.keysExchanged(),
                        p.bytesExchanged(), p.error() == null ? "" : " (" + p.error() + ")");
                return p;
            }
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                lastPrint = System.nanoTime();
                out.printf(Locale.ROOT, "  .. %d of %d ranges, %,d keys and %,d bytes exchanged%n", p.rangesDone(),
                        p.rangesTotal(), p.keysExchanged(), p.bytesExchanged());
            }
            pause();
        }
    }

    private static boolean converged(Map<String, ReplicaStore> stores, List<byte[]> diverged) {
        for (byte[] key : diverged) {
            Siblings one = stores.get("node1").read(key);
            if (!one.equals(stores.get("node2").read(key)) || !one.equals(stores.get("node3").read(key))) {
                return false;
            }
        }
        return true;
    }

    /** Per replica pair: {every key and an 8-byte digest listed, every key and its set copied}. */
    private static long[] fullCompare(ReplicaStore store) {
        long listed = 0;
        long copied = 0;
        byte[] min = new byte[16];
        try (var it = store.engine().scan(min, min)) {
            while (it.hasNext()) {
                var kv = it.next();
                listed += varintBytes(kv.key().length) + kv.key().length + 8;
                copied += varintBytes(kv.key().length) + kv.key().length + varintBytes(kv.value().length) + kv.value().length;
            }
        }
        return new long[] {listed, copied};
    }

    private static void print(PrintStream out, Result r, Map<Integer, Long> messages) {
        RepairProgress p = r.repair();
        out.println();
        out.printf(Locale.ROOT, "divergent entries: %,d keys, %,d bytes (each key and its converged sibling set, once)%n",
                r.divergedKeys(), r.divergentBytes());
        out.printf(Locale.ROOT, "repair of node3: %,d bytes exchanged in %,d ms = %.2f x the divergent bytes; converged: %s%n",
                p.bytesExchanged(), p.elapsedMillis(), r.ratio(), r.converged() ? "yes" : "NO");
        for (Map.Entry<Integer, Long> e : r.bytesByType().entrySet()) {
            out.printf(Locale.ROOT, "  %-16s %,12d bytes in %,7d round trips (%.2f x)%n", TYPES.getOrDefault(e.getKey(), "?"),
                    e.getValue(), messages.getOrDefault(e.getKey(), 0L), (double) e.getValue() / r.divergentBytes());
        }
        long withoutTree = p.bytesExchanged() - r.treeBytes();
        long roots = p.rangesTotal() * 2L * ROOT_EXCHANGE_BYTES;
        out.printf(Locale.ROOT, "  without the tree walk: %.2f x; the walk is %,d bytes: %,d for the roots of every range"
                        + " with both peers, %,d below the roots of the %d ranges that differed%n",
                (double) withoutTree / r.divergentBytes(), r.treeBytes(), roots, r.treeBytes() - roots, p.rangesDiffering());
        out.printf(Locale.ROOT, "nothing differing: %,d bytes in %,d ms (%d ranges x 2 peers, roots only)%n",
                r.idleRepair().bytesExchanged(), r.idleRepair().elapsedMillis(), r.idleRepair().rangesTotal());
        out.printf(Locale.ROOT, "full compare instead (node3 with 2 peers): every key + digest listed %,d bytes (%.0f x the"
                        + " repair), every entry copied %,d bytes%n", r.fullCompareBytes(),
                (double) r.fullCompareBytes() / p.bytesExchanged(), r.fullCopyBytes());
        out.printf(Locale.ROOT, "trees built from the stores in %,d ms%n", r.treeBuildMillis());
    }

    private static int varintBytes(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
