package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Five nodes, N = 3, R = W = 2, one cluster for both tests (run in order: the second kills a
 * node). With more nodes than replicas, a node that is not among a key's replicas forwards
 * writes for it one hop (Dynamo §4.5).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FiveNodeClusterTest {
    private static final int WRITERS = 4;
    private static final int MAX_WRITES_PER_WRITER = 1_500;
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(60);
    private static final int VICTIM = 5;

    private static LocalClusterProcesses cluster;

    @RegisterExtension
    static final AfterEachCallback PRINT_LOGS_ON_FAILURE = context -> context.getExecutionException()
            .ifPresent(failure -> System.err.println("FAILED " + context.getDisplayName() + "; node logs follow\n"
                    + cluster.describe()));

    /** One write attempt: which node coordinated it, when it started and ended, and how. */
    private record Attempt(String key, int coordinator, long startNanos, long endNanos, int status, String failure) {
        boolean acknowledged() {
            return status == 200;
        }
    }

    @BeforeAll
    static void startFiveNodes() {
        cluster = LocalClusterProcesses.start(ClusterSettings.of(5));
    }

    @AfterAll
    static void stopFiveNodes() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * One client write must become one version, also when it is forwarded and the replica it
     * went to does not answer in time. A node that is not a replica of the key forwards the write
     * to one replica and, if that one stays silent, to the next; but silence does not mean the
     * write was not applied (the replica may be slow, or paused and about to resume and work
     * through what it was sent), so a retry after silence can apply the same write twice, as two
     * concurrent versions: a sibling the client never wrote. Which replica is tried first is not
     * visible from outside, so each of the other four nodes in turn is paused during one write.
     */
    @Test
    @Order(1)
    void aForwardedWriteIsAppliedOnceEvenWhenTheReplicaItWentToAnswersLate() {
        int forwarder = 1;
        Reply initial = writeOfAKeyForwardedBy(forwarder);
        String key = initial.field("key").asText();
        String context = initial.context();
        for (int paused = 2; paused <= 5; paused++) {
            String value = "written-while-node" + paused + "-paused";
            Reply put;
            cluster.pause(paused);
            try {
                put = cluster.client(forwarder).put(key, value, context);
            } finally {
                cluster.resume(paused);
            }
            assertThat(put.status()).as("put while node%d is paused: %s", paused, put).isIn(200, 503);
            // The resumed node works through its backlog within milliseconds; watch a while longer.
            Reply read = null;
            for (int poll = 0; poll < 10; poll++) {
                Await.sleep(200);
                read = cluster.client(forwarder).get(key, 3);
                assertThat(read.stringValues().stream().filter(value::equals).count())
                        .as("versions of the one write made while node%d was paused: %s", paused, read).isLessThanOrEqualTo(1);
            }
            if (put.status() == 200) {
                assertThat(read.stringValues()).as("after the write made while node%d was paused", paused).containsExactly(value);
            }
            context = read.context();
        }
        cluster.awaitConverged();
    }

    /** Writes fresh keys through node {@code k} until one is forwarded (node k is not its replica). */
    private static Reply writeOfAKeyForwardedBy(int k) {
        for (int i = 0; i < 100; i++) {
            double before = forwards(k);
            Reply put = cluster.client(k).put("forwarded-" + i, "initial");
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            if (forwards(k) > before) {
                return put;
            }
        }
        throw new AssertionError("none of 100 keys was forwarded by node" + k + "; with N=3 of 5 nodes about 40% should be");
    }

    private static double forwards(int k) {
        return Metrics.sum(cluster.client(k).metrics(), "ringkv_coordinator_forwards_total", "op=\"put\"");
    }

    /**
     * Several clients write through every node while node 5 is killed with kill -9. Durability
     * of acknowledged writes is the point: whatever a coordinator acknowledged (before, during
     * or after the crash) must be readable at R = 2 afterwards. And availability: once the
     * failure detector has marked node 5 DOWN, no write through a live node may fail, including
     * writes for keys whose preference list contains node 5 (which other nodes forward or
     * replicate around it).
     */
    @Test
    @Order(2)
    void everyAcknowledgedWriteSurvivesKillOfOneNodeUnderLoadThroughAllNodes() throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
            int writer = t;
            running.add(writers.submit(() -> write(writer, stop, acknowledged, attempts)));
        }
        long killNanos;
        long downNanos;
        try {
            Await.until(Duration.ofSeconds(30), "100 acknowledged writes before the crash", () -> acknowledged.size() >= 100);
            killNanos = System.nanoTime();
            cluster.kill9(VICTIM);
            for (int observer = 1; observer < VICTIM; observer++) {
                cluster.awaitLiveness(observer, VICTIM, "DOWN"::equals, "DOWN", Duration.ofSeconds(20));
            }
            downNanos = System.nanoTime();
            int atDown = acknowledged.size();
            Await.until(Duration.ofSeconds(30), "200 more acknowledged writes after node5 is DOWN everywhere",
                    () -> acknowledged.size() >= atDown + 200);
        } finally {
            stop.set(true);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).as("writers stopped").isTrue();
        }
        for (Future<?> f : running) {
            f.get();
        }

        List<Attempt> all = List.copyOf(attempts);
        // Requests in flight at the kill may fail (the victim dies mid-request); none finished before it.
        List<Attempt> failedBeforeCrash = all.stream().filter(a -> a.endNanos() < killNanos && !a.acknowledged()).toList();
        assertThat(failedBeforeCrash).as("writes that failed before the crash").isEmpty();
        List<Attempt> failedThroughLiveNodesAfterDown = all.stream()
                .filter(a -> a.startNanos() > downNanos && a.coordinator() != VICTIM && !a.acknowledged()).toList();
        assertThat(failedThroughLiveNodesAfterDown).as("writes through live nodes failed after node5 was marked DOWN").isEmpty();
        for (int k = 1; k < VICTIM; k++) {
            int coordinator = k;
            assertThat(all).as("node%d acknowledged writes after the crash", k)
                    .anyMatch(a -> a.coordinator() == coordinator && a.startNanos() > killNanos && a.acknowledged());
        }

        List<String> lost = new ArrayList<>();
        int duplicated = 0;
        int i = 0;
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            KvClient reader = cluster.client(1 + i++ % (VICTIM - 1));
            Reply get = reader.get(e.getKey(), 2);
            if (get.status() != 200 || get.stringValues().isEmpty()
                    || !get.stringValues().stream().allMatch(e.getValue()::equals)) {
                lost.add(e.getKey() + " through " + reader.baseUrl() + " -> " + get);
            } else if (get.stringValues().size() > 1) {
                // One write applied twice (a forward retried after a timeout): the value is there;
                // ForwardedWriteTest checks that this does not happen.
                duplicated++;
            }
        }
        assertThat(lost).as("acknowledged writes not readable at R=2 after the crash").isEmpty();
        long failedInWindow = all.stream().filter(a -> a.startNanos() >= killNanos && a.startNanos() <= downNanos
                && a.coordinator() != VICTIM && !a.acknowledged()).count();
        System.out.printf("5 nodes: %d writes acknowledged and read back; %d attempts; node5 DOWN everywhere %d ms after"
                        + " kill -9; failures through live nodes between kill and DOWN: %d; written twice: %d%n",
                acknowledged.size(), all.size(), (downNanos - killNanos) / 1_000_000, failedInWindow, duplicated);
    }

    /** Writes fresh keys, each through the next node in turn (the killed one included). */
    private static void write(int writer, AtomicBoolean stop, Map<String, String> acknowledged, ConcurrentLinkedQueue<Attempt> attempts) {
        long deadline = System.nanoTime() + LOAD_LIMIT.toNanos();
        for (int i = 0; i < MAX_WRITES_PER_WRITER && !stop.get() && System.nanoTime() < deadline; i++) {
            int coordinator = 1 + (writer + i) % 5;
            String key = "load-" + writer + "-" + i;
            String value = "value-" + writer + "-" + i;
            long start = System.nanoTime();
            try {
                Reply put = cluster.client(coordinator).put(key, value);
                if (put.status() == 200) {
                    acknowledged.put(key, value);
                }
                attempts.add(new Attempt(key, coordinator, start, System.nanoTime(), put.status(),
                        put.status() == 200 ? null : put.body()));
            } catch (RuntimeException e) {
                attempts.add(new Attempt(key, coordinator, start, System.nanoTime(), -1, e.toString()));
            }
        }
    }
}
