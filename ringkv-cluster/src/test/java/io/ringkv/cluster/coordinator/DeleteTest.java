package io.ringkv.cluster.coordinator;

import static io.ringkv.cluster.coordinator.TestCluster.bytes;
import static io.ringkv.cluster.coordinator.TestCluster.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.api.GetResult;
import io.ringkv.cluster.api.RequestOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delete is a versioned tombstone under the same quorum; the key reads as absent once it dominates. */
class DeleteTest {
    static final RequestOptions DEFAULTS = RequestOptions.DEFAULTS;

    @TempDir
    Path dir;
    TestCluster cluster;
    final byte[] key = bytes("session:42");

    @BeforeEach
    void start() {
        cluster = new TestCluster(dir, List.of("n1", "n2", "n3"), TestCluster.Settings.defaults());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void a_delete_with_the_read_context_makes_the_key_absent_everywhere() {
        cluster.kv("n1").put(key, null, bytes("v1"), DEFAULTS);
        String context = cluster.kv("n2").get(key, DEFAULTS).context();

        assertThat(cluster.kv("n3").delete(key, context, DEFAULTS).acknowledgements()).isEqualTo(2);

        for (String id : List.of("n1", "n2", "n3")) {
            GetResult got = cluster.kv(id).get(key, DEFAULTS);
            assertThat(got.isAbsent()).isTrue();
            assertThat(got.context()).as("the tombstone's context, so a later put supersedes it").isNotNull();
        }
        String afterDelete = cluster.kv("n1").get(key, DEFAULTS).context();
        cluster.kv("n1").put(key, afterDelete, bytes("v2"), DEFAULTS);
        assertThat(strings(cluster.kv("n2").get(key, DEFAULTS))).containsExactly("v2");
    }

    @Test
    void a_delete_with_a_stale_context_leaves_the_newer_write_it_never_saw() {
        String v1 = cluster.kv("n1").put(key, null, bytes("v1"), DEFAULTS).context();
        cluster.kv("n2").put(key, v1, bytes("v2"), DEFAULTS);

        cluster.kv("n3").delete(key, v1, DEFAULTS);

        assertThat(strings(cluster.kv("n1").get(key, DEFAULTS))).containsExactly("v2");
    }

    @Test
    void a_delete_without_context_is_concurrent_with_what_exists() {
        cluster.kv("n1").put(key, null, bytes("v1"), DEFAULTS);
        cluster.kv("n2").delete(key, null, DEFAULTS);

        assertThat(strings(cluster.kv("n3").get(key, DEFAULTS))).containsExactly("v1");
    }
}
