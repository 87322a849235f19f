package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.liveStrings;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.KvService;
import io.ringkv.cluster.api.PutResult;
import io.ringkv.cluster.api.QuorumNotMetException;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator never blocks its caller (docs/design/coordinator.md, "Threads"): a call returns
 * before its answer, and the steps that must wait for the disk run elsewhere and still give the
 * same answers as the in-memory ones.
 */
class NonBlockingCoordinatorTest {
    /** Far longer than any call takes to return, so a call that waited for its answer is noticed. */
    private static final RequestOptions SLOW_DEADLINE = new RequestOptions(0, 0, 3_000);

    @TempDir
    Path dir;
    TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults().withReadRepair(false)
                .withoutBlockCache());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void calls_return_before_their_answer_when_replicas_are_silent() {
        byte[] key = bytes("cart:ann");
        cluster.network.pause(cluster.node("n2").address());
        cluster.network.pause(cluster.node("n3").address());

        CompletableFuture<PutResult> put = cluster.kv("n1").putAsync(key, null, bytes("v1"), SLOW_DEADLINE);
        CompletableFuture<GetResult> get = cluster.kv("n1").getAsync(key, SLOW_DEADLINE);
        assertThat(put).as("W=2 with both other replicas silent: undecided until the deadline").isNotDone();
        assertThat(get).as("R=2 with both other replicas silent: undecided until the deadline").isNotDone();

        assertThatThrownBy(() -> KvService.await(put)).isInstanceOf(QuorumNotMetException.class)
                .hasMessageContaining("1 of 2");
        assertThatThrownBy(() -> KvService.await(get)).isInstanceOf(QuorumNotMetException.class);
    }

    @Test
    void a_write_whose_versions_are_only_on_disk_reads_them_off_the_callers_thread_and_supersedes_them() {
        byte[] key = bytes("cart:bob");
        ClusterKvService n1 = cluster.kv("n1");
        n1.put(key, null, bytes("book"), RequestOptions.DEFAULTS);
        n1.put(key, null, bytes("pen"), RequestOptions.DEFAULTS);
        String both = n1.get(key, RequestOptions.DEFAULTS).context();
        TestCluster.eventually("every replica holds both", () -> List.of("n1", "n2", "n3").stream()
                .allMatch(id -> cluster.stored(id, key).size() == 2));
        for (String id : List.of("n1", "n2", "n3")) {
            cluster.node(id).store().engine().flush(); // no block cache: the key's block is now only in a file
        }

        long missesBefore = n1BlockReads();
        n1.put(key, both, bytes("book, pen"), RequestOptions.DEFAULTS);
        assertThat(n1BlockReads() - missesBefore).as("n1 read the key's versions from disk to merge them").isEqualTo(1);
        assertThat(liveStrings(cluster.stored("n1", key))).containsExactly("book, pen");
        assertThat(strings(n1.get(key, new RequestOptions(3, 0, 0)))).containsExactly("book, pen");
    }

    @Test
    void a_get_whose_local_versions_are_only_on_disk_reads_them_off_the_callers_thread() {
        byte[] key = bytes("cart:cy");
        ClusterKvService n1 = cluster.kv("n1");
        n1.put(key, null, bytes("lamp"), RequestOptions.DEFAULTS);
        cluster.node("n1").store().engine().flush();

        long missesBefore = n1BlockReads();
        assertThat(strings(n1.get(key, RequestOptions.DEFAULTS))).containsExactly("lamp");
        assertThat(n1BlockReads() - missesBefore).as("n1 read its own answer from disk").isEqualTo(1);
    }

    private long n1BlockReads() {
        return cluster.node("n1").store().engine().stats().blockCacheMisses();
    }
}
