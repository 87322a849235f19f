package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.core.version.Siblings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many writes of one key at once through one coordinator (docs/design/coordinator.md, "One write
 * of a key at a time per coordinator"): the set sent to the replicas with dot k must hold every
 * earlier dot the coordinator issued for the key, or a replica would hold a set whose context
 * claims versions it lacks, and a client reading it could overwrite them unseen.
 */
class ConcurrentWritesOfOneKeyTest {
    private static final int WRITERS = 8;
    private static final int WRITES_EACH = 3; // 24 blind writes stay siblings, below the cap of 32

    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @RepeatedTest(5)
    void everySetSentWithADotHoldsEveryEarlierDotOfThatKey() throws Exception {
        ConcurrentLinkedQueue<Siblings> sentByN1 = new ConcurrentLinkedQueue<>();
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults()
                .withTransports((id, t) -> !id.equals("n1") ? t : new WatchedTransport(t, (to, type, payload) -> {
                    if (type == MessageTypes.REPLICA_WRITE) {
                        sentByN1.add(ReplicaMessages.decodeWriteRequest(payload).siblings());
                    }
                })));
        byte[] key = bytes("cart:hot");

        List<Long> dots = writeConcurrentlyThroughN1(key);

        Set<Long> issued = new TreeSet<>(dots);
        assertThat(issued).hasSize(WRITERS * WRITES_EACH);
        assertThat(sentByN1).hasSize(2 * WRITERS * WRITES_EACH);
        for (Siblings sent : sentByN1) {
            Set<Long> held = sent.versions().stream().map(v -> v.dot().counter()).collect(Collectors.toSet());
            long newest = held.stream().mapToLong(Long::longValue).max().orElseThrow();
            Set<Long> earlier = issued.stream().filter(d -> d <= newest).collect(Collectors.toSet());
            assertThat(held).as("a set sent with dot n1:%d", newest).containsAll(earlier);
        }
    }

    /** Blind puts from {@link #WRITERS} threads released together; returns the dot each put got. */
    private List<Long> writeConcurrentlyThroughN1(byte[] key) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<Long>>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < WRITES_EACH; i++) {
                        PutResult put = cluster.kv("n1").put(key, null, bytes("w" + writer + "-" + i), RequestOptions.DEFAULTS);
                        mine.add(TestCluster.CONTEXTS.decode(put.context()).maxCounter(cluster.kv("n1").actor()));
                    }
                    return mine;
                }, pool));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (CompletableFuture<List<Long>> writer : writers) {
                all.addAll(writer.get());
            }
            return all;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
