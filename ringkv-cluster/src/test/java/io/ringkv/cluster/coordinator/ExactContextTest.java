package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.RequestOptions;
import io.ringkv.core.version.ConflictPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context handed to a client claims exactly the versions that client saw, plus its own write
 * (docs/design/versioning.md, "Contexts are exact"): writing it back supersedes those and nothing
 * else, in particular never a concurrent write that another client made through the same node.
 */
class ExactContextTest {
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;
    static final RequestOptions ALL = new RequestOptions(3, 3, 0);

    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Issue 10's reproduction: the put reply's context used to claim every lower counter of its coordinator. */
    @Test
    void a_put_replys_context_does_not_claim_a_concurrent_write_through_the_same_coordinator() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("k");

        cluster.kv("n1").put(key, null, bytes("from-A"), DEFAULTS);
        String contextOfB = cluster.kv("n1").put(key, null, bytes("from-B"), DEFAULTS).context();
        cluster.kv("n1").put(key, contextOfB, bytes("from-B-again"), DEFAULTS);

        assertThat(strings(cluster.kv("n1").get(key, ALL))).containsExactly("from-A", "from-B-again");
    }

    @Test
    void a_chain_of_writes_each_on_the_last_reply_keeps_the_other_clients_write() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("chain");
        String context = cluster.kv("n2").put(key, null, bytes("B0"), DEFAULTS).context();
        cluster.kv("n2").put(key, null, bytes("A"), DEFAULTS);
        for (int i = 1; i <= 5; i++) {
            String coordinator = "n" + (1 + i % 3);
            context = cluster.kv(coordinator).put(key, context, bytes("B" + i), DEFAULTS).context();
        }

        assertThat(strings(cluster.kv("n3").get(key, ALL))).containsExactly("A", "B5");
    }

    @Test
    void a_delete_with_a_put_replys_context_removes_only_that_put() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("del");
        cluster.kv("n1").put(key, null, bytes("A"), DEFAULTS);
        String contextOfB = cluster.kv("n1").put(key, null, bytes("B"), DEFAULTS).context();

        cluster.kv("n1").delete(key, contextOfB, DEFAULTS);

        assertThat(strings(cluster.kv("n2").get(key, ALL))).containsExactly("A");
    }

    @Test
    void a_delete_replys_context_written_back_does_not_claim_a_concurrent_put() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("del2");
        String first = cluster.kv("n1").put(key, null, bytes("v0"), DEFAULTS).context();
        cluster.kv("n1").put(key, null, bytes("concurrent"), DEFAULTS);
        String afterDelete = cluster.kv("n1").delete(key, first, DEFAULTS).context();

        cluster.kv("n1").put(key, afterDelete, bytes("recreated"), DEFAULTS);

        assertThat(strings(cluster.kv("n3").get(key, ALL))).containsExactly("concurrent", "recreated");
    }

    /** Without concurrency a reply's context is as compact as a read's: the new dot folds into the clock. */
    @Test
    void a_single_writers_chain_of_replies_supersedes_each_previous_write() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("solo");
        String context = null;
        for (int i = 0; i < 6; i++) {
            context = cluster.kv("n" + (1 + i % 3)).put(key, context, bytes("v" + i), ALL).context();
        }
        assertThat(strings(cluster.kv("n1").get(key, ALL))).containsExactly("v5");
    }

    /** A read answered by R replicas that lack a sibling must not hand out a context covering it. */
    @Test
    void a_partial_reads_context_does_not_cover_a_sibling_it_did_not_see() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
        byte[] key = bytes("partial");
        cluster.isolate("n3");
        cluster.kv("n1").put(key, null, bytes("seen"), new RequestOptions(0, 2, 0));
        cluster.kv("n3").put(key, null, bytes("unseen"), new RequestOptions(0, 1, 0));
        cluster.kv("n3").put(key, null, bytes("unseen-2"), new RequestOptions(0, 1, 0));

        var partial = cluster.kv("n1").get(key, new RequestOptions(2, 0, 0));
        assertThat(strings(partial)).containsExactly("seen");
        cluster.kv("n1").put(key, partial.context(), bytes("replaces seen"), new RequestOptions(0, 2, 0));
        cluster.network.healAll();

        assertThat(strings(cluster.kv("n2").get(key, ALL))).containsExactly("replaces seen", "unseen", "unseen-2");
    }

    /**
     * Last write wins with a node whose clock runs an hour ahead: a write made with the context of
     * its version still wins, because a write's timestamp is after the newest its context saw.
     */
    @Test
    void under_lww_a_write_wins_over_the_version_its_context_saw_even_from_a_clock_far_ahead() {
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults()
                .withPolicy(ConflictPolicy.LWW).withClocks(Map.of("n1", ahead)));
        byte[] key = bytes("lww");
        cluster.kv("n1").put(key, null, bytes("from the future"), ALL);
        String context = cluster.kv("n2").get(key, ALL).context();

        cluster.kv("n2").put(key, context, bytes("newer"), ALL);

        assertThat(strings(cluster.kv("n3").get(key, ALL))).containsExactly("newer");
    }
}
