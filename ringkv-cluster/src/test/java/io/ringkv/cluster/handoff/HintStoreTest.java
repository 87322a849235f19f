package io.ringkv.cluster.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hint store over a real engine in a temp directory: merging, conditional removal, limits, reopening. */
class HintStoreTest {
    @TempDir
    Path dir;

    private HintStore open(long maxBytes) {
        return HintStore.open(StorageOptions.builder(dir).syncPolicy(SyncPolicy.always()).build(), ConflictPolicy.SIBLINGS, maxBytes);
    }

    private static Siblings version(String actor, long counter, String value) {
        return Siblings.of(Versioned.of(VectorClock.EMPTY, new Dot(actor, counter), value.getBytes(StandardCharsets.UTF_8), 100));
    }

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hints_for_one_target_and_key_merge_into_one_record_and_survive_reopening() {
        try (HintStore store = open(1 << 20)) {
            store.add("n2", key("cart"), version("a", 1, "book"), 1_000);
            store.add("n2", key("cart"), version("b", 1, "pen"), 2_000);
            store.add("n3", key("cart"), version("a", 1, "book"), 1_000);
            assertThat(store.stats().get("n2").pending()).isEqualTo(1);
            assertThat(store.stats().get("n2").stored()).isEqualTo(2);
        }
        try (HintStore store = open(1 << 20)) {
            assertThat(store.stats().get("n2").pending()).as("recounted from the records").isEqualTo(1);
            assertThat(store.stats().get("n3").pending()).isEqualTo(1);
            List<Hint> forN2 = store.pendingFor("n2", 10);
            assertThat(forN2).hasSize(1);
            assertThat(forN2.getFirst().siblings().liveValues()).hasSize(2);
            assertThat(forN2.getFirst().hintedAtMillis()).as("the window runs from the newest hint").isEqualTo(2_000);
            assertThat(store.pendingFor("n9", 10)).isEmpty();
        }
    }

    @Test
    void a_delivered_hint_is_removed_only_if_nothing_was_merged_into_it_meanwhile() {
        try (HintStore store = open(1 << 20)) {
            store.add("n2", key("cart"), version("a", 1, "book"), 1_000);
            Hint read = store.pendingFor("n2", 10).getFirst();
            store.add("n2", key("cart"), version("b", 1, "pen"), 1_001); // arrives while `read` is on its way

            assertThat(store.removeDelivered(read)).isFalse();
            assertThat(store.get("n2", key("cart")).orElseThrow().liveValues()).hasSize(2);

            Hint again = store.pendingFor("n2", 10).getFirst();
            assertThat(store.removeDelivered(again)).isTrue();
            assertThat(store.get("n2", key("cart"))).isEmpty();
            assertThat(store.stats().get("n2")).isEqualTo(new HintStore.TargetStats(0, 0, 2, 1, 0));
            assertThat(store.totalBytes()).isZero();
        }
    }

    @Test
    void a_full_store_refuses_new_hints_but_still_merges_into_held_ones() {
        try (HintStore store = open(200)) {
            store.add("n2", key("k1"), version("a", 1, "x".repeat(60)), 1);
            assertThatThrownBy(() -> store.add("n2", key("k2"), version("a", 2, "y".repeat(150)), 1))
                    .isInstanceOf(HintStoreFullException.class).hasMessageContaining("limit is 200 bytes");
            store.add("n2", key("k1"), version("b", 1, "z"), 2);
            assertThat(store.stats().get("n2").pending()).isEqualTo(1);
            assertThat(store.get("n2", key("k2"))).isEmpty();
        }
    }

    @Test
    void expiry_is_counted_apart_from_delivery() {
        try (HintStore store = open(1 << 20)) {
            store.add("n4", key("old"), version("a", 1, "v"), 5);
            assertThat(store.removeExpired(store.pendingFor("n4", 1).getFirst())).isTrue();
            assertThat(store.stats().get("n4")).isEqualTo(new HintStore.TargetStats(0, 0, 1, 0, 1));
            assertThat(store.hasHintsFor("n4")).isFalse();
        }
    }
}
