package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.history.History;
import io.ringkv.cluster.history.History.Outcome;
import io.ringkv.core.version.CausalContext;
import io.ringkv.core.version.ContextCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10's history checker over real node processes: concurrent clients on few keys, each
 * through a random node with a random r or w in 1..N, each write carrying a context chosen at
 * random among none, the client's last read of the key, its last write reply and any context any
 * client was given for the key; every value unique. A nemesis, one fault at a time and healed in
 * between, kills a node with -9 and restarts it, freezes one with SIGSTOP, cuts it off or cuts one
 * link with iptables, and once per run kills one, wipes its data directory and restarts it (the
 * kv679 case). At the end everything is healed, each key is read with r = N, and {@link History}
 * judges what the clients were told: no acknowledged write lost, no phantom, siblings only for
 * concurrent writes.
 *
 * <p>Outcomes as the client saw them: 200 is OK; a 400 proves nothing was written (FAILED); a 503,
 * a timeout or a broken connection is UNKNOWN (it may have been applied). Partition faults need
 * root and iptables, as {@link NetworkPartitionTest}; without them only those faults are skipped,
 * and the output says so.
 *
 * <p><b>Seeds.</b> The workload and the faults come from one seed ({@code -Dringkv.history.seed},
 * default {@link #DEFAULT_SEED}): a seed replays the same operation choices per client and the
 * same faults, victims and durations, but timing is real, so the interleavings, the number of
 * operations in the time given and their outcomes differ from run to run. Load time:
 * {@code -Dringkv.history.seconds} (default 50); nodes: {@code -Dringkv.history.nodes} (default 3).
 *
 * <p><b>Three nodes by default.</b> With N = 3 every node is a replica of every key, so every fault
 * touches every key and nothing is forwarded. With five nodes writes are forwarded, and a forwarded
 * write whose first receiver coordinated it but whose answer was lost to a partition is coordinated
 * again by the next replica (docs/design/coordinator.md, "Forwarding"): one client write, two
 * versions ("writes stored twice" in the summary). A client that read one copy and wrote over it
 * then sees the other come back beside its own write. Writes sent through a node outside the
 * key's replicas are therefore marked {@link History#forwarded}, and such siblings are counted
 * apart ("duplicate siblings"), as in ClusterSimulationTest; any other false sibling fails. A
 * wiped node would rejoin with new tokens, moving the ring without moving data (range transfer is
 * not built), so with five nodes the wipe is a plain kill.
 *
 * <p><b>What the workload respects</b> (documented limits that are not bugs):
 * <ul>
 *   <li>clock truncation ({@code versioning.maxVectorClockEntries}): each unclean start of a node is
 *       a new actor, one more clock entry, so at most {@link #MAX_RESTARTS} restarts per run (the
 *       wipe included), far below the limit;</li>
 *   <li>the sibling cap (32): a client whose read of a key returned {@link #MERGE_AT} values or more
 *       writes that key with that read's context as its next operation (and any later write of the
 *       key until a read shows fewer), and the node logs are checked for the cap's warning;</li>
 *   <li>a w = 1 write is durable on one replica only, and a wipe is a lost disk: from the moment the
 *       wipe is decided until the node is back, no client writes with w = 1 (those in flight are
 *       waited for), and an r = N read of every key first copies what the victim alone held to the
 *       others (read repair).</li>
 * </ul>
 */
class ProcessHistoryTest {
    static final long DEFAULT_SEED = 20_261_206L;
    private static final long SEED = Long.getLong("ringkv.history.seed", DEFAULT_SEED);
    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("ringkv.history.seconds", 50));
    private static final int NODE_COUNT = Integer.getInteger("ringkv.history.nodes", 3);
    private static final List<String> KEYS = List.of("h0", "h1", "h2", "h3");
    private static final int CLIENTS = 6;
    /** Upper bound of a client's random pause between operations. */
    private static final int THINK_MILLIS = 20;
    /** A client request's own timeout: the coordinator's 2 s deadline plus slack for a paused node. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    private static final int MERGE_AT = 6;
    /** Restarts of a node (kill -9 and the wipe), each a new actor in the keys' clocks. */
    private static final int MAX_RESTARTS = 3;
    private static final int FINAL_READ_ATTEMPTS = 10;

    enum Fault { KILL, PAUSE, ISOLATE, CUT_LINK, WIPE }

    /** One client operation as the client saw it, for the history file and the anomaly report. */
    record Op(long atMillis, long endMillis, int client, int node, String kind, String key, String value, int quorum, String contextFrom,
              String contextIn, String outcome, String contextOut, List<String> values) {
    }

    private final History history = new History();
    private final ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> faultLog = new ConcurrentLinkedQueue<>();
    private final Contexts shared = new Contexts();
    private final AtomicInteger failedReads = new AtomicInteger();
    private final AtomicInteger maxSiblingsRead = new AtomicInteger();
    /** Per key, the nodes that are not its replicas (they forward writes); empty when N is the node count. */
    private final Map<String, Set<Integer>> forwarders = new HashMap<>();
    /** Values a read returned more than once: one client write stored as two versions (two dots). */
    private final Set<String> duplicated = ConcurrentHashMap.newKeySet();
    /** The wipe's durability barrier: while set, clients write with w >= 2 only. */
    private volatile boolean noW1Writes;
    private final AtomicInteger w1WritesInFlight = new AtomicInteger();
    private long startNanos;
    private long loadDeadlineNanos;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void randomHistoriesUnderKillsPausesPartitionsAndAWipeLoseNoAcknowledgedWrite() throws Exception {
        long wallStart = System.nanoTime();
        Optional<String> noPartitions = Iptables.unavailableReason();
        if (noPartitions.isPresent()) {
            System.out.println("ProcessHistoryTest: partition faults SKIPPED (the rest runs): " + noPartitions.get());
        }
        SplittableRandom root = new SplittableRandom(SEED);
        List<SplittableRandom> clientRandoms = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clientRandoms.add(root.split());
        }
        SplittableRandom nemesisRandom = root.split();

        Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
        Map<String, List<String>> finalValues = new LinkedHashMap<>();
        long droppedPackets;
        int skippedPartitions;
        long loadMillis;
        try (LocalClusterProcesses cluster = LocalClusterProcesses.start(ClusterSettings.of(NODE_COUNT))) {
            findForwarders(cluster);
            NetworkPartition partition = noPartitions.isEmpty() ? NetworkPartition.install(cluster) : null;
            Nemesis nemesis = new Nemesis(cluster, partition, nemesisRandom, faults);
            ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
            try {
                startNanos = System.nanoTime();
                loadDeadlineNanos = startNanos + LOAD.toNanos();
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    running.add(threads.submit(() -> client(cluster, client, clientRandoms.get(client))));
                }
                running.add(threads.submit(() -> {
                    nemesis.run();
                    return null;
                }));
                for (Future<?> f : running) {
                    // Clients stop at the deadline (their last request within CLIENT_TIMEOUT); the
                    // nemesis finishes and heals its current fault.
                    f.get(LOAD.toSeconds() + 90, TimeUnit.SECONDS);
                }
                loadMillis = (System.nanoTime() - startNanos) / 1_000_000;
            } catch (Exception | Error e) {
                throw failure(cluster, "the load or the nemesis failed: " + e, e);
            } finally {
                threads.shutdownNow();
                threads.awaitTermination(30, TimeUnit.SECONDS);
                if (partition != null) {
                    partition.close();
                    assertThat(partition.isInstalled()).as("the firewall chain is gone after close").isFalse();
                }
            }
            droppedPackets = nemesis.droppedPackets;
            skippedPartitions = nemesis.skippedPartitions;

            // Heal everything, let writes still in flight land or expire, then read each key at r = N.
            try {
                cluster.restoreAll();
                Thread.sleep(cluster.settings().requestTimeoutMillis() + 1_000);
                for (String key : KEYS) {
                    List<String> values = finalRead(cluster, key);
                    finalValues.put(key, values);
                    values.stream().filter(v -> values.indexOf(v) != values.lastIndexOf(v)).forEach(duplicated::add);
                }
            } catch (Exception | Error e) {
                throw failure(cluster, "healing or the final reads failed: " + e, e);
            }

            List<History.Anomaly> anomalies = history.check(finalValues);
            long capWarnings = countInLogs(cluster, "sibling cap of");
            Path historyFile = writeHistoryFile(cluster, anomalies, finalValues);
            long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
            String summary = summary(faults, droppedPackets, skippedPartitions, noPartitions, anomalies, capWarnings,
                    loadMillis, wallMillis, cluster);
            System.out.println(summary);
            System.out.println("ProcessHistoryTest: history, faults and contexts in " + historyFile);
            List<String> problems = new ArrayList<>();
            anomalies.forEach(a -> problems.add(a + "\n" + involvedOps(a, cluster.settings().contexts())));
            unexpected.forEach(u -> problems.add("unexpected answer: " + u));
            if (capWarnings > 0) {
                problems.add("the workload reached the sibling cap (" + capWarnings + " warnings in the node logs): "
                        + "lost writes may be the cap's, not a bug; make clients merge more often");
            }
            if (!problems.isEmpty()) {
                System.err.println("ProcessHistoryTest FAILED; node logs follow\n" + cluster.describe());
            }
            assertThat(problems).as("%s%nrerun: mvn -B -ntp -pl ringkv-it -am verify -Dtest=ProcessHistoryTest"
                            + " -Dsurefire.failIfNoSpecifiedTests=false -Dringkv.history.seed=%d (same operations and faults;"
                            + " timing, hence interleavings, differ); history file %s; node logs under %s",
                    summary, SEED, historyFile, historyFile.getParent())
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------- clients

    /** One client: random operations until the load deadline, each recorded as the client saw it. */
    private void client(LocalClusterProcesses cluster, int client, SplittableRandom random) {
        int nodes = cluster.nodes().size();
        int n = cluster.settings().n();
        KvClient[] http = new KvClient[nodes + 1];
        for (int k = 1; k <= nodes; k++) {
            http[k] = new KvClient(cluster.node(k).httpBaseUrl(), CLIENT_TIMEOUT);
        }
        Map<String, String> lastRead = new HashMap<>();
        Map<String, Integer> lastReadSize = new HashMap<>();
        Map<String, String> lastReply = new HashMap<>();
        String mergeNext = null;
        try {
            for (int i = 0; System.nanoTime() - loadDeadlineNanos < 0 && !Thread.currentThread().isInterrupted(); i++) {
                // Every choice is drawn on every iteration, so a seed replays the same choices.
                String key = KEYS.get(random.nextInt(KEYS.size()));
                int node = 1 + random.nextInt(nodes);
                int quorum = 1 + random.nextInt(n);
                int roll = random.nextInt(10);
                int contextChoice = random.nextInt(8);
                int think = random.nextInt(THINK_MILLIS + 1);
                long sharedPick = random.nextLong();
                if (mergeNext != null) {
                    // The last read showed many siblings: resolve them at once, as an application would.
                    key = mergeNext;
                    roll = 4;
                    mergeNext = null;
                }
                if (roll < 4) {
                    mergeNext = read(http, client, node, key, quorum, lastRead, lastReadSize) >= MERGE_AT ? key : null;
                } else {
                    String from;
                    String context;
                    if (lastReadSize.getOrDefault(key, 0) >= MERGE_AT) {
                        from = "lastRead(merge)";
                        context = lastRead.get(key);
                    } else {
                        switch (contextChoice) {
                            case 0, 1 -> {
                                from = "none";
                                context = null;
                            }
                            case 2, 3, 4 -> {
                                from = "lastRead";
                                context = lastRead.get(key);
                            }
                            case 5, 6 -> {
                                from = "lastReply";
                                context = lastReply.get(key);
                            }
                            default -> {
                                from = "shared";
                                context = shared.pick(key, sharedPick);
                            }
                        }
                    }
                    boolean delete = roll == 9;
                    String value = (delete ? "d" : "c") + client + "-" + i;
                    write(http, client, node, key, value, delete, quorum, from, context, lastReply);
                }
                if (think > 0) {
                    Thread.sleep(think);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (int k = 1; k <= nodes; k++) {
                http[k].close();
            }
        }
    }

    /** Returns how many values the read returned, -1 if it failed. */
    private int read(KvClient[] http, int client, int node, String key, int r, Map<String, String> lastRead,
                     Map<String, Integer> lastReadSize) {
        long at = elapsedMillis();
        Reply reply;
        try {
            reply = http[node].get(key, r);
        } catch (UncheckedIOException e) {
            reconnect(http, node);
            failedReads.incrementAndGet();
            ops.add(new Op(at, elapsedMillis(), client, node, "get", key, null, r, null, null, "ERROR " + e.getCause(), null, null));
            return -1;
        }
        if (reply.status() == 200 || reply.status() == 404 && reply.json() != null && "not_found".equals(reply.error())) {
            List<String> values = reply.status() == 200 ? reply.stringValues() : List.of();
            String context = reply.json().has("context") ? reply.context() : null;
            // Recorded before the context is offered to anyone: the history knows what it stands for first.
            history.read(key, values, context);
            ops.add(new Op(at, elapsedMillis(), client, node, "get", key, null, r, null, null, Integer.toString(reply.status()), context, values));
            maxSiblingsRead.accumulateAndGet(values.size(), Math::max);
            if (new HashSet<>(values).size() < values.size()) {
                values.stream().filter(v -> values.indexOf(v) != values.lastIndexOf(v)).forEach(duplicated::add);
            }
            if (context != null) {
                lastRead.put(key, context);
                shared.add(key, context);
            } else {
                lastRead.remove(key);
            }
            lastReadSize.put(key, values.size());
            return values.size();
        }
        failedReads.incrementAndGet();
        ops.add(new Op(at, elapsedMillis(), client, node, "get", key, null, r, null, null, reply.toString(), null, null));
        if (reply.status() != 503) {
            unexpected.add("get " + key + " r=" + r + " through node" + node + ": " + reply);
        }
        return -1;
    }

    private void write(KvClient[] http, int client, int node, String key, String value, boolean delete, int quorum,
                       String from, String context, Map<String, String> lastReply) {
        int w = quorum;
        boolean countedW1 = false;
        if (w == 1) {
            // Announce first, then look at the barrier: the nemesis sets the barrier, then waits for zero.
            w1WritesInFlight.incrementAndGet();
            countedW1 = true;
            if (noW1Writes) {
                w1WritesInFlight.decrementAndGet();
                countedW1 = false;
                w = 2;
            }
        }
        if (forwarders.getOrDefault(key, Set.of()).contains(node)) {
            history.forwarded(value);
        }
        long at = elapsedMillis();
        String kind = delete ? "delete" : "put";
        try {
            Reply reply;
            try {
                reply = delete ? http[node].delete(key, context, w) : http[node].put(key, value, context, w);
            } catch (UncheckedIOException e) {
                reconnect(http, node);
                history.write(key, value, delete, context, Outcome.UNKNOWN, null);
                ops.add(new Op(at, elapsedMillis(), client, node, kind, key, value, w, from, context, "UNKNOWN " + e.getCause(), null, null));
                return;
            }
            if (reply.status() == 200) {
                String out = reply.context();
                history.write(key, value, delete, context, Outcome.OK, out);
                ops.add(new Op(at, elapsedMillis(), client, node, kind, key, value, w, from, context, "OK", out, null));
                lastReply.put(key, out);
                shared.add(key, out);
            } else if (reply.status() == 400) {
                history.write(key, value, delete, context, Outcome.FAILED, null);
                ops.add(new Op(at, elapsedMillis(), client, node, kind, key, value, w, from, context, "FAILED " + reply, null, null));
                // A valid client's context is never refused: a 400 here is a finding in itself.
                unexpected.add(kind + " " + key + "=" + value + " w=" + w + " through node" + node + ": " + reply);
            } else {
                history.write(key, value, delete, context, Outcome.UNKNOWN, null);
                ops.add(new Op(at, elapsedMillis(), client, node, kind, key, value, w, from, context, "UNKNOWN " + reply, null, null));
                if (reply.status() != 503) {
                    unexpected.add(kind + " " + key + "=" + value + " w=" + w + " through node" + node + ": " + reply);
                }
            }
        } finally {
            if (countedW1) {
                w1WritesInFlight.decrementAndGet();
            }
        }
    }

    /**
     * With more nodes than replicas, learns which nodes forward writes of each key: a recorded
     * blind put of the key through every node, whose reply context names the actor that
     * coordinated it. Writes later sent through a forwarder are marked {@link History#forwarded},
     * so a duplicate after a lost answer (the class comment) is counted apart, as
     * ClusterSimulationTest counts it.
     */
    private void findForwarders(LocalClusterProcesses cluster) {
        if (cluster.settings().n() == cluster.nodes().size()) {
            return;
        }
        ContextCodec codec = cluster.settings().contexts();
        for (String key : KEYS) {
            Set<Integer> forwarding = new HashSet<>();
            for (NodeSpec node : cluster.nodes()) {
                String value = "p" + node.index() + "-" + key;
                Reply reply = cluster.client(node.index()).put(key, value, null, cluster.settings().w());
                if (reply.status() != 200) {
                    throw new AssertionError("probe put of " + key + " through " + node.id() + ": " + reply);
                }
                history.write(key, value, false, null, Outcome.OK, reply.context());
                ops.add(new Op(0, 0, -1, node.index(), "put", key, value, cluster.settings().w(), "none", null, "OK",
                        reply.context(), null));
                CausalContext written = codec.decode(reply.context());
                String actor = written.dots().isEmpty() ? written.past().entries().get(0).nodeId() : written.dots().get(0).nodeId();
                if (!actor.startsWith(node.id() + "~")) {
                    forwarding.add(node.index());
                }
            }
            forwarders.put(key, forwarding);
        }
        System.out.println("ProcessHistoryTest: nodes that forward writes, per key: " + forwarders);
    }

    /** A killed node's connections are dead: the next request gets a fresh client. */
    private static void reconnect(KvClient[] http, int node) {
        String url = http[node].baseUrl();
        http[node].close();
        http[node] = new KvClient(url, CLIENT_TIMEOUT);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    // ---------------------------------------------------------------- nemesis

    /**
     * Faults one at a time from its own random stream, each healed (and the cluster converged)
     * before a quiet spell and the next. The wipe comes once, among the first three faults; plain
     * kills only while the restart budget allows.
     */
    private final class Nemesis {
        private final LocalClusterProcesses cluster;
        private final NetworkPartition partition;
        private final SplittableRandom random;
        private final Map<Fault, Integer> injected;
        private final int nodes;
        long droppedPackets;
        int skippedPartitions;

        Nemesis(LocalClusterProcesses cluster, NetworkPartition partition, SplittableRandom random, Map<Fault, Integer> injected) {
            this.cluster = cluster;
            this.partition = partition;
            this.random = random;
            this.injected = injected;
            this.nodes = cluster.nodes().size();
        }

        void run() {
            int wipeAt = random.nextInt(3);
            int restarts = 0;
            for (int i = 0; ; i++) {
                sleepMillis(500 + random.nextInt(1_500));
                // No fault may start that could outlast the load by much: the longest takes ~5 s plus a restart.
                if (System.nanoTime() - (loadDeadlineNanos - Duration.ofSeconds(6).toNanos()) >= 0) {
                    return;
                }
                Fault fault;
                if (i == wipeAt) {
                    // With more nodes than replicas a wiped node rejoins with new tokens and the ring
                    // moves, and ranges are not transferred yet (docs/design/coordinator.md, "Deferred"):
                    // a plain kill there.
                    fault = nodes == cluster.settings().n() ? Fault.WIPE : Fault.KILL;
                } else {
                    fault = List.of(Fault.KILL, Fault.PAUSE, Fault.PAUSE, Fault.ISOLATE, Fault.CUT_LINK).get(random.nextInt(5));
                    if (fault == Fault.KILL && restarts >= MAX_RESTARTS - 1) {
                        fault = Fault.PAUSE; // keep one restart for the wipe, and few actors per clock
                    }
                }
                int victim = 1 + random.nextInt(nodes);
                int other = 1 + (victim + random.nextInt(nodes - 1)) % nodes; // != victim
                long duration = 1_000 + random.nextInt(3_000);
                if ((fault == Fault.ISOLATE || fault == Fault.CUT_LINK) && partition == null) {
                    skippedPartitions++;
                    log("skipped " + fault + " (no iptables) of node" + victim);
                    sleepMillis(duration);
                    continue;
                }
                if (fault == Fault.KILL || fault == Fault.WIPE) {
                    restarts++;
                }
                inject(fault, victim, other, duration);
                injected.merge(fault, 1, Integer::sum);
            }
        }

        private void inject(Fault fault, int victim, int other, long durationMillis) {
            switch (fault) {
                case KILL -> {
                    log("kill -9 node" + victim + " for " + durationMillis + " ms");
                    cluster.kill9(victim);
                    sleepMillis(durationMillis);
                    cluster.restart(victim);
                    log("restarted node" + victim);
                }
                case PAUSE -> {
                    log("SIGSTOP node" + victim + " for " + durationMillis + " ms");
                    cluster.pause(victim);
                    sleepMillis(durationMillis);
                    cluster.resume(victim);
                    log("SIGCONT node" + victim);
                }
                case ISOLATE -> {
                    log("isolate node" + victim + " for " + durationMillis + " ms");
                    partition.isolate(victim);
                    sleepMillis(durationMillis);
                    heal();
                }
                case CUT_LINK -> {
                    log("cut node" + victim + " <-> node" + other + " for " + durationMillis + " ms");
                    partition.cut(victim, other);
                    sleepMillis(durationMillis);
                    heal();
                }
                case WIPE -> wipe(victim, durationMillis);
            }
            cluster.awaitConverged();
            log("converged");
        }

        private void heal() {
            droppedPackets += partition.droppedPackets();
            partition.healAll();
            log("healed");
        }

        /**
         * kill -9, wipe the data directory, restart: the node comes back empty and writes as a new
         * actor. First the durability barrier (class comment): no new w = 1 write, none in flight,
         * and an r = N read of every key so that what only the victim held is on the others.
         */
        private void wipe(int victim, long downMillis) {
            noW1Writes = true;
            try {
                Await.until(CLIENT_TIMEOUT.plusSeconds(5), "w=1 writes in flight to finish before the wipe",
                        () -> w1WritesInFlight.get() == 0);
                int reader = victim % nodes + 1;
                for (String key : KEYS) {
                    Await.until(Duration.ofSeconds(20), "an r=N read of " + key + " before the wipe",
                            () -> cluster.client(reader).get(key, cluster.settings().n()).status() != 503);
                }
                sleepMillis(1_000); // read repair writes after answering
                log("wipe: kill -9 node" + victim + ", delete its data, down " + downMillis + " ms");
                cluster.kill9(victim);
                cluster.wipeData(victim);
                sleepMillis(downMillis);
                cluster.restart(victim);
                log("restarted node" + victim + " with an empty data directory");
                cluster.awaitConverged();
            } finally {
                noW1Writes = false;
            }
        }
    }

    private void log(String event) {
        faultLog.add(String.format("%8.3f s  %s", (System.nanoTime() - startNanos) / 1e9, event));
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---------------------------------------------------------------- the end

    private static List<String> finalRead(LocalClusterProcesses cluster, String key) {
        int n = cluster.settings().n();
        String last = "";
        for (int attempt = 0; attempt < FINAL_READ_ATTEMPTS; attempt++) {
            int node = attempt % cluster.nodes().size() + 1;
            try {
                Reply reply = cluster.client(node).get(key, n);
                if (reply.status() == 200) {
                    return reply.stringValues();
                }
                if (reply.status() == 404 && "not_found".equals(reply.error())) {
                    return List.of();
                }
                last = reply.toString();
            } catch (UncheckedIOException e) {
                last = e.toString();
            }
            sleepMillis(500);
        }
        throw new AssertionError("the final r=" + n + " read of " + key + " failed " + FINAL_READ_ATTEMPTS + " times; last: " + last);
    }

    private String summary(Map<Fault, Integer> faults, long droppedPackets, int skippedPartitions, Optional<String> noPartitions,
                           List<History.Anomaly> anomalies, long capWarnings, long loadMillis, long wallMillis,
                           LocalClusterProcesses cluster) {
        long reads = history.readCount();
        String faultText = faults.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        String partitions = noPartitions.isPresent() ? "; partition faults skipped (" + skippedPartitions + "): " + noPartitions.get()
                : "; firewall dropped " + droppedPackets + " packets";
        ContextStats stats = contextStats(cluster.settings().contexts());
        return String.format("ProcessHistoryTest seed=%d nodes=%d keys=%d clients=%d: %d ops in %.1f s of load"
                        + " (%d writes: %d ok, %d unknown, %d failed; %d reads ok, %d failed);"
                        + " faults: %s%s; max siblings read %d, max clock entries %d, max exact events %d;"
                        + " writes stored twice %d; duplicate siblings of forwarded writes %d (counted apart);"
                        + " sibling cap warnings %d; unexpected answers %d; anomalies %d; wall %.1f s",
                SEED, cluster.nodes().size(), KEYS.size(), CLIENTS, ops.size(), loadMillis / 1e3,
                history.writeCount(), history.count(Outcome.OK), history.count(Outcome.UNKNOWN), history.count(Outcome.FAILED),
                reads, failedReads.get(), faultText.isEmpty() ? "none" : faultText, partitions, maxSiblingsRead.get(),
                stats.maxClockEntries, stats.maxExactEvents, duplicated.size(), history.duplicateSiblings(), capWarnings, unexpected.size(), anomalies.size(), wallMillis / 1e3);
    }

    private record ContextStats(int maxClockEntries, int maxExactEvents) {
    }

    /** How close the contexts came to the clock truncation (10) and exact-event (64) limits. */
    private ContextStats contextStats(ContextCodec codec) {
        int clock = 0;
        int exact = 0;
        for (Op op : ops) {
            for (String c : new String[] {op.contextIn(), op.contextOut()}) {
                if (c != null) {
                    CausalContext decoded = codec.decode(c);
                    clock = Math.max(clock, decoded.past().size());
                    exact = Math.max(exact, decoded.dots().size());
                }
            }
        }
        return new ContextStats(clock, exact);
    }

    /** Every operation that wrote or read a value an anomaly names, in time order. */
    private String involvedOps(History.Anomaly anomaly, ContextCodec codec) {
        List<String> named = new ArrayList<>();
        for (Op op : ops) {
            boolean involved = op.value() != null && names(anomaly, op.value())
                    || op.values() != null && op.values().stream().anyMatch(v -> names(anomaly, v));
            if (involved && op.key().equals(anomaly.key())) {
                named.add("    " + describe(op, codec));
            }
        }
        return String.join("\n", named);
    }

    /** Whether the anomaly's text names {@code value} as a whole word (c1-5 is not c1-50). */
    private static boolean names(History.Anomaly anomaly, String value) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(value) + "(?![\\w-])").matcher(anomaly.detail()).find();
    }

    private static String describe(Op op, ContextCodec codec) {
        StringBuilder s = new StringBuilder(String.format("%9.3f-%.3f s c%d node%d %s %s", op.atMillis() / 1e3,
                op.endMillis() / 1e3, op.client(), op.node(), op.kind(), op.key()));
        if (op.value() != null) {
            s.append('=').append(op.value());
        }
        s.append(op.kind().equals("get") ? " r=" : " w=").append(op.quorum());
        if (!op.kind().equals("get")) {
            s.append(" ctx(").append(op.contextFrom()).append(")=").append(show(op.contextIn(), codec));
        }
        s.append(" -> ").append(op.outcome());
        if (op.values() != null) {
            s.append(' ').append(op.values());
        }
        if (op.contextOut() != null) {
            s.append(" ctx=").append(show(op.contextOut(), codec));
        }
        return s.toString();
    }

    private static String show(String context, ContextCodec codec) {
        if (context == null) {
            return "none";
        }
        String id = "#" + Integer.toHexString(context.hashCode());
        return codec == null ? id : id + " " + codec.decode(context);
    }

    /** Writes the run's faults, operations (contexts decoded) and final reads next to the node directories. */
    private Path writeHistoryFile(LocalClusterProcesses cluster, List<History.Anomaly> anomalies, Map<String, List<String>> finalValues) {
        ContextCodec codec = cluster.settings().contexts();
        Path file = cluster.node(1).dir().getParent().resolve("history.txt");
        List<String> lines = new ArrayList<>();
        lines.add("seed " + SEED + ", cluster " + cluster.settings().clusterName());
        lines.add("== faults");
        lines.addAll(faultLog);
        lines.add("== operations (time since load start; ctx #hash and decoded clock + {exact events})");
        ops.stream().sorted((a, b) -> Long.compare(a.atMillis(), b.atMillis())).forEach(op -> lines.add(describe(op, codec)));
        lines.add("== final reads (r = N)");
        finalValues.forEach((k, v) -> lines.add(k + " " + v));
        lines.add("== writes a read returned twice (stored as two versions)");
        lines.add(duplicated.stream().sorted().collect(Collectors.joining(" ")));
        lines.add("== node counters at the end (since each node's last start)");
        for (NodeSpec node : cluster.nodes()) {
            lines.add(node.id() + " " + nodeCounters(cluster.client(node.index())));
        }
        lines.add("== anomalies");
        anomalies.forEach(a -> lines.add(a.toString()));
        lines.add("== unexpected answers");
        lines.addAll(unexpected);
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The coordinator and transport counters that explain duplicates and unknown outcomes. */
    private static String nodeCounters(KvClient node) {
        try {
            String text = node.metrics();
            return List.of("ringkv_coordinator_forwards_total", "ringkv_coordinator_forwards_expired_total",
                            "ringkv_coordinator_quorum_not_met_total", "ringkv_coordinator_read_repairs_total",
                            "ringkv_transport_request_timeouts_total", "ringkv_transport_late_responses_total")
                    .stream().map(m -> m.replace("ringkv_", "") + "=" + (long) Metrics.sum(text, m, ""))
                    .collect(Collectors.joining(" "));
        } catch (RuntimeException e) {
            return "(no metrics: " + e + ")";
        }
    }

    private static long countInLogs(LocalClusterProcesses cluster, String text) {
        long count = 0;
        for (NodeSpec node : cluster.nodes()) {
            try (var lines = Files.lines(node.logFile(), StandardCharsets.ISO_8859_1)) {
                count += lines.filter(l -> l.contains(text)).count();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + node.logFile(), e);
            }
        }
        return count;
    }

    private AssertionError failure(LocalClusterProcesses cluster, String what, Throwable cause) {
        AssertionError error = new AssertionError("seed " + SEED + ": " + what + "\nfaults so far:\n"
                + String.join("\n", faultLog) + "\n" + cluster.describe(), cause);
        return error;
    }

    /** Every context any client was given, per key: what a client copying another's context would pass. */
    static final class Contexts {
        private final Map<String, List<String>> byKey = new HashMap<>();

        synchronized void add(String key, String context) {
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(context);
        }

        synchronized String pick(String key, long draw) {
            List<String> known = byKey.getOrDefault(key, List.of());
            return known.isEmpty() ? null : known.get((int) Math.floorMod(draw, (long) known.size()));
        }
    }
}
