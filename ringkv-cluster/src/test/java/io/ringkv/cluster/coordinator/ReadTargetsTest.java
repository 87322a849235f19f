package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whom a get asks (docs/design/coordinator.md, "Whom a read asks"): R replicas, this node first,
 * a replacement for each one that fails, one more when the first R are slow, all N when
 * configured so.
 */
class ReadTargetsTest {
    private static final int READS = 40;

    @TempDir
    Path dir;
    TestCluster cluster;
    final AtomicInteger readsSentByN1 = new AtomicInteger();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(TestCluster.Settings settings) {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"),
                settings.withTransports((id, t) -> !id.equals("n1") ? t : new WatchedTransport(t, (to, type, payload) -> {
                    if (type == MessageTypes.REPLICA_READ) {
                        readsSentByN1.incrementAndGet();
                    }
                })));
    }

    @Test
    void a_get_on_a_replica_asks_itself_and_one_other_replica_for_r_2() {
        start(TestCluster.Settings.defaults().withSpeculativeRetryMillis(0));
        byte[] key = bytes("profile:ann");
        cluster.kv("n2").put(key, null, bytes("v1"), RequestOptions.DEFAULTS);

        for (int i = 0; i < READS; i++) {
            assertThat(strings(cluster.kv("n1").get(key, RequestOptions.DEFAULTS))).containsExactly("v1");
        }
        assertThat(readsSentByN1).as("REPLICA_READs sent by n1 for %d reads at R=2", READS).hasValue(READS);
    }

    @Test
    void read_from_all_asks_every_replica() {
        start(TestCluster.Settings.defaults().withSpeculativeRetryMillis(0).withReadFromAll(true));
        byte[] key = bytes("profile:bob");
        cluster.kv("n2").put(key, null, bytes("v1"), RequestOptions.DEFAULTS);

        for (int i = 0; i < READS; i++) {
            cluster.kv("n1").get(key, RequestOptions.DEFAULTS);
        }
        assertThat(readsSentByN1).hasValue(2 * READS);
    }

    @Test
    void a_replica_that_refuses_is_replaced_by_the_next_one() {
        start(TestCluster.Settings.defaults().withSpeculativeRetryMillis(0));
        byte[] key = bytes("profile:cy");
        cluster.kv("n1").put(key, null, bytes("v1"), RequestOptions.DEFAULTS);
        cluster.node("n3").transport().close(); // n3 is gone: connections to it are refused at once

        for (int i = 0; i < READS; i++) {
            assertThat(strings(cluster.kv("n1").get(key, RequestOptions.DEFAULTS))).containsExactly("v1");
        }
        assertThat(readsSentByN1.get()).as("n2 always, n3 about half the time").isBetween(READS + 1, 2 * READS);
    }

    @Test
    void a_silent_replica_is_covered_by_the_speculative_retry_and_fails_reads_without_it() {
        start(TestCluster.Settings.defaults());
        byte[] key = bytes("profile:dee");
        cluster.kv("n1").put(key, null, bytes("v1"), RequestOptions.DEFAULTS);
        cluster.network.pause(cluster.node("n3").address()); // SIGSTOP: requests to n3 go unanswered

        for (int i = 0; i < READS; i++) {
            assertThat(strings(cluster.kv("n1").get(key, RequestOptions.DEFAULTS))).containsExactly("v1");
        }
        cluster.close();

        cluster = null;
        readsSentByN1.set(0);
        start(TestCluster.Settings.defaults().withSpeculativeRetryMillis(0));
        byte[] other = bytes("profile:eve");
        cluster.kv("n1").put(other, null, bytes("v1"), RequestOptions.DEFAULTS);
        cluster.network.pause(cluster.node("n3").address());
        int failed = 0;
        for (int i = 0; i < 16; i++) { // each picks n3 with probability 1/2
            try {
                cluster.kv("n1").get(other, RequestOptions.DEFAULTS);
            } catch (QuorumNotMetException e) {
                failed++;
            }
        }
        assertThat(failed).as("reads that asked the silent n3 and nobody else").isPositive();
    }

    @Test
    void replicas_answer_from_memory_or_from_disk_alike() {
        start(TestCluster.Settings.defaults().withReadRepair(false).withoutBlockCache());
        byte[] inMemtable = bytes("profile:gus");
        byte[] onDisk = bytes("profile:hal");
        cluster.kv("n1").put(onDisk, null, bytes("flushed"), RequestOptions.DEFAULTS);
        TestCluster.eventually("every replica holds it", () -> List.of("n1", "n2", "n3").stream()
                .allMatch(id -> !cluster.stored(id, onDisk).isEmpty()));
        for (String id : List.of("n1", "n2", "n3")) {
            cluster.node(id).store().engine().flush(); // no block cache: its block is now only in a file
        }
        cluster.kv("n1").put(inMemtable, null, bytes("fresh"), RequestOptions.DEFAULTS);
        RequestOptions allThree = new RequestOptions(3, 0, 0);

        long missesBefore = blockReadsOfN2AndN3();
        assertThat(strings(cluster.kv("n1").get(onDisk, allThree))).containsExactly("flushed");
        assertThat(blockReadsOfN2AndN3() - missesBefore).as("n2 and n3 each read the flushed key's block from disk")
                .isEqualTo(2);
        assertThat(strings(cluster.kv("n1").get(inMemtable, allThree))).containsExactly("fresh");
    }

    private long blockReadsOfN2AndN3() {
        return cluster.node("n2").store().engine().stats().blockCacheMisses()
                + cluster.node("n3").store().engine().stats().blockCacheMisses();
    }

    @Test
    void r_3_with_one_replica_gone_fails_with_the_count_of_answers() {
        start(TestCluster.Settings.defaults());
        byte[] key = bytes("profile:fay");
        cluster.kv("n1").put(key, null, bytes("v1"), RequestOptions.DEFAULTS);
        cluster.node("n3").transport().close();

        assertThatThrownBy(() -> cluster.kv("n1").get(key, new RequestOptions(3, 0, 0)))
                .isInstanceOfSatisfying(QuorumNotMetException.class, e -> assertThat(e.acknowledged()).isEqualTo(2));
    }
}
