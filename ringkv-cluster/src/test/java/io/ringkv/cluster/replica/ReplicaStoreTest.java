package io.ringkv.cluster.replica;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real LSM engine in a temporary directory. */
class ReplicaStoreTest {
    private static final byte[] KEY = "cart:42".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(1_000_000);

    private StorageOptions options() {
        return StorageOptions.builder(dir).syncPolicy(SyncPolicy.always()).tombstoneGracePeriodMillis(10_000).clock(clock).build();
    }

    private static ReplicaConfig siblings() {
        return new ReplicaConfig(ConflictPolicy.SIBLINGS, 8, SiblingCapListener.NONE);
    }

    private static Versioned v(VectorClock ctx, String node, long counter, String value, long ts) {
        return Versioned.of(ctx, new Dot(node, counter), value.getBytes(StandardCharsets.UTF_8), ts);
    }

    @Test
    void blind_writes_reconcile_in_the_engine() {
        try (ReplicaStore store = ReplicaStore.open(options(), siblings())) {
            assertThat(store.read(KEY)).isEqualTo(Siblings.EMPTY);
            Versioned a = v(VectorClock.EMPTY, "n1", 1, "a", 1);
            Versioned b = v(VectorClock.EMPTY, "n2", 1, "b", 2);
            store.apply(KEY, a);
            store.apply(KEY, b);
            assertThat(store.read(KEY).versions()).containsExactly(a, b);
            Versioned c = v(Siblings.of(a, b).readContext().past(), "n1", 2, "c", 3);
            store.apply(KEY, c);
            // a late replica of an old version changes nothing
            store.apply(KEY, a);
            assertThat(store.read(KEY).versions()).containsExactly(c);
        }
    }

    @Test
    void versions_survive_a_restart_flushes_and_compaction() {
        Versioned a = v(VectorClock.EMPTY, "n1", 1, "a", 1);
        Versioned b = v(VectorClock.EMPTY, "n2", 1, "b", 2);
        try (ReplicaStore store = ReplicaStore.open(options(), siblings())) {
            store.apply(KEY, a);
            store.engine().flush();
            store.apply(KEY, b);
        }
        try (ReplicaStore store = ReplicaStore.open(options(), siblings())) {
            assertThat(store.read(KEY).versions()).containsExactly(a, b);
            store.engine().flush();
            store.engine().compactAll();
            assertThat(store.read(KEY).versions()).containsExactly(a, b);
        }
    }

    @Test
    void old_tombstone_only_keys_are_purged_by_compaction_and_young_ones_kept() {
        try (ReplicaStore store = ReplicaStore.open(options(), siblings())) {
            Versioned live = v(VectorClock.EMPTY, "n1", 1, "x", clock.millis());
            store.apply(KEY, live);
            store.apply(KEY, Versioned.tombstone(live.history(), new Dot("n1", 2), clock.millis()));
            store.engine().flush();
            store.engine().compactAll();
            assertThat(store.read(KEY).isTombstoneOnly()).isTrue();

            clock.advanceMillis(10_001);
            store.engine().compactAll();
            assertThat(store.read(KEY)).isEqualTo(Siblings.EMPTY);
        }
    }

    @Test
    void an_unreadable_stored_value_is_reported_as_a_storage_failure() {
        try (ReplicaStore store = ReplicaStore.open(options(), siblings())) {
            store.engine().put(KEY, new byte[] {7, 7, 7});
            assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(UnreadableVersionsException.class)
                    .isInstanceOf(io.ringkv.storage.StorageException.class);
        }
    }

    @Test
    void the_cap_is_counted() {
        try (ReplicaStore store = ReplicaStore.open(options(), new ReplicaConfig(ConflictPolicy.SIBLINGS, 2, SiblingCapListener.NONE))) {
            for (int i = 1; i <= 4; i++) {
                store.apply(KEY, v(VectorClock.EMPTY, "n1", i, "v" + i, i));
            }
            assertThat(store.read(KEY).size()).isEqualTo(2);
            assertThat(store.siblingCapExceededCount()).isGreaterThanOrEqualTo(2);
        }
    }
}
