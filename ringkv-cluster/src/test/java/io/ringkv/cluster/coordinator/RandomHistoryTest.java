package io.ringkv.cluster.coordinator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.cluster.history.History;
import io.ringkv.cluster.history.History.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's history checker over an in-process cluster: concurrent clients on few keys, each
 * write carrying a context taken at random from the client's earlier reads and write replies,
 * any client's context of that key, or none; random coordinators, random r and w; a nemesis that
 * cuts links and isolates nodes. Every operation is recorded as the client saw it and judged by
 * {@link History} (no lost acknowledged write, no phantom, siblings only for concurrent writes).
 *
 * <p>The workload and the faults are drawn from one seed, printed on failure with the command
 * that reruns it; thread scheduling and the network's timing are real, so a seed replays the
 * same operations and faults but not always the same interleaving (the deterministic simulation
 * of issue 10 is not built yet, see docs/testing.md). Seeds: {@code -Dringkv.history.seeds=N}
 * (default 6) starting at {@code -Dringkv.history.seed=S} (default: a fixed list plus one new).
 */
class RandomHistoryTest {
    static final List<String> NODES = List.of("n1", "n2", "n3");
    static final List<String> KEYS = List.of("h0", "h1", "h2");
    static final int CLIENTS = 4;
    static final int OPS_PER_CLIENT = 40;

    @TempDir
    Path dir;

    @Test
    void random_histories_under_partitions_lose_no_acknowledged_write() throws Exception {
        List<Long> seeds = new ArrayList<>();
        Long fixed = Long.getLong("ringkv.history.seed");
        int count = Integer.getInteger("ringkv.history.seeds", 6);
        for (int i = 0; i < count; i++) {
            seeds.add(fixed != null ? fixed + i : i < count - 1 ? 1000L + i : System.nanoTime());
        }
        for (long seed : seeds) {
            Run run = run(seed);
            assertThat(run.anomalies)
                    .as("seed %d: %d writes (%d ok, %d unknown), %d reads, %d faults; rerun with"
                                    + " mvn -pl ringkv-cluster -am test -Dtest=RandomHistoryTest -Dringkv.history.seed=%d"
                                    + " -Dringkv.history.seeds=1 -Dsurefire.failIfNoSpecifiedTests=false",
                            seed, run.history.writeCount(), run.history.count(Outcome.OK), run.history.count(Outcome.UNKNOWN),
                            run.history.readCount(), run.faults, seed)
                    .isEmpty();
        }
    }

    record Run(History history, List<History.Anomaly> anomalies, int faults) {
    }

    private Run run(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        History history = new History();
        Map<String, List<String>> finalValues = new LinkedHashMap<>();
        int faults;
        try (TestCluster cluster = new TestCluster(dir.resolve("seed-" + seed), NODES, TestCluster.Settings.defaults())) {
            Contexts shared = new Contexts();
            AtomicBoolean clientsDone = new AtomicBoolean();
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            CompletableFuture<Integer> nemesis;
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < CLIENTS; c++) {
                    SplittableRandom own = random.split();
                    int client = c;
                    clients.add(CompletableFuture.runAsync(() -> client(cluster, history, shared, own, client), threads));
                }
                SplittableRandom faultRandom = random.split();
                nemesis = CompletableFuture.supplyAsync(() -> nemesis(cluster, faultRandom, clientsDone), threads);
                CompletableFuture.allOf(clients.toArray(new CompletableFuture[0])).get();
                clientsDone.set(true);
                faults = nemesis.get();
            }
            cluster.network.healAll();
            Thread.sleep(TestCluster.TIMEOUT_MILLIS); // replica writes of timed-out requests still in flight land or expire
            for (String key : KEYS) {
                GetResult all = readAll(cluster, key);
                finalValues.put(key, all.values().stream().map(b -> new String(b, UTF_8)).toList());
            }
        }
        return new Run(history, history.check(finalValues), faults);
    }

    /** One client: OPS_PER_CLIENT operations, each on a random key through a random node. */
    private static void client(TestCluster cluster, History history, Contexts shared, SplittableRandom random, int client) {
        Map<String, String> lastRead = new HashMap<>();
        Map<String, String> lastReply = new HashMap<>();
        for (int i = 0; i < OPS_PER_CLIENT; i++) {
            String key = KEYS.get(random.nextInt(KEYS.size()));
            KvService node = cluster.kv(NODES.get(random.nextInt(NODES.size())));
            int quorum = 1 + random.nextInt(3);
            int roll = random.nextInt(10);
            if (roll < 4) {
                try {
                    GetResult got = node.get(key.getBytes(UTF_8), new RequestOptions(quorum, 0, 0));
                    history.read(key, got.values().stream().map(b -> new String(b, UTF_8)).toList(), got.context());
                    if (got.context() != null) {
                        lastRead.put(key, got.context());
                        shared.add(key, got.context());
                    }
                } catch (RuntimeException e) {
                    requireQuorumFailure(e);
                }
                continue;
            }
            String context = switch (random.nextInt(8)) {
                case 0, 1 -> null;
                case 2, 3, 4 -> lastRead.get(key);
                case 5, 6 -> lastReply.get(key);
                default -> shared.pick(key, random);
            };
            boolean delete = roll == 9;
            String value = (delete ? "del-" : "put-") + client + "-" + i;
            RequestOptions options = new RequestOptions(0, quorum, 0);
            try {
                PutResult put = delete ? node.delete(key.getBytes(UTF_8), context, options)
                        : node.put(key.getBytes(UTF_8), context, value.getBytes(UTF_8), options);
                history.write(key, value, delete, context, Outcome.OK, put.context());
                lastReply.put(key, put.context());
                shared.add(key, put.context());
            } catch (RuntimeException e) {
                requireQuorumFailure(e);
                history.write(key, value, delete, context, Outcome.UNKNOWN, null); // may have reached some replicas
            }
        }
    }

    /** Cuts links and isolates nodes for 20-120 ms at a time until the clients are done; returns the faults injected. */
    private static int nemesis(TestCluster cluster, SplittableRandom random, AtomicBoolean clientsDone) {
        int faults = 0;
        while (!clientsDone.get() && faults < 1_000) {
            switch (random.nextInt(3)) {
                case 0 -> cluster.partition(NODES.get(random.nextInt(3)), NODES.get(random.nextInt(3)));
                case 1 -> cluster.isolate(NODES.get(random.nextInt(3)));
                default -> cluster.network.healAll();
            }
            faults++;
            sleep(20 + random.nextInt(100));
            cluster.network.healAll();
            sleep(random.nextInt(100));
        }
        return faults;
    }

    private static GetResult readAll(TestCluster cluster, String key) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return cluster.kv(NODES.get(attempt % 3)).get(key.getBytes(UTF_8), new RequestOptions(3, 0, 0));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new AssertionError("the final read of " + key + " with r = 3 kept failing", last);
    }

    /** Only a missed quorum or a timeout is an expected failure; anything else fails the test. */
    private static void requireQuorumFailure(RuntimeException e) {
        if (!(KvService.unwrap(e) instanceof QuorumNotMetException)) {
            throw e;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every context any client was given, per key: what a client copying another's context would pass. */
    static final class Contexts {
        private final Map<String, List<String>> byKey = new HashMap<>();

        synchronized void add(String key, String context) {
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(context);
        }

        synchronized String pick(String key, SplittableRandom random) {
            List<String> known = byKey.getOrDefault(key, List.of());
            return known.isEmpty() ? null : known.get(random.nextInt(known.size()));
        }
    }
}
