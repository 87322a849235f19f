package io.ringkv.cluster.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import org.junit.jupiter.api.Test;

class SiblingsPurgePolicyTest {
    private static final byte[] KEY = {1};
    private final SiblingsPurgePolicy policy = new SiblingsPurgePolicy(1_000);

    private static byte[] encode(Versioned... versions) {
        return SiblingsCodec.encode(Siblings.of(versions));
    }

    @Test
    void a_tombstone_only_set_is_purgeable_once_its_newest_tombstone_is_past_the_grace_period() {
        byte[] tombstones = encode(Versioned.tombstone(VectorClock.EMPTY, new Dot("a", 1), 100),
                Versioned.tombstone(VectorClock.EMPTY, new Dot("b", 1), 500));
        assertThat(policy.isPurgeable(KEY, tombstones, 1_500)).isFalse();
        assertThat(policy.isPurgeable(KEY, tombstones, 1_501)).isTrue();
    }

    @Test
    void a_set_with_any_live_version_is_never_purgeable() {
        byte[] mixed = encode(Versioned.tombstone(VectorClock.EMPTY, new Dot("a", 1), 100),
                Versioned.of(VectorClock.EMPTY, new Dot("b", 1), new byte[] {1}, 100));
        assertThat(policy.isPurgeable(KEY, mixed, Long.MAX_VALUE)).isFalse();
        assertThat(policy.isPurgeable(KEY, encode(), Long.MAX_VALUE)).isFalse();
    }

    @Test
    void unreadable_values_are_kept() {
        assertThat(policy.isPurgeable(KEY, new byte[] {42}, Long.MAX_VALUE)).isFalse();
        assertThatThrownBy(() -> new SiblingsPurgePolicy(-1)).hasMessageContaining("negative");
    }

    @Test
    void with_a_repair_horizon_a_tombstone_goes_only_when_both_the_grace_period_and_the_horizon_have_passed_it() {
        byte[] tombstone = encode(Versioned.tombstone(VectorClock.EMPTY, new Dot("a", 1), 100));
        java.util.concurrent.atomic.AtomicLong horizon = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
        SiblingsPurgePolicy withHorizon = new SiblingsPurgePolicy(1_000, key -> horizon.get());
        java.util.List<byte[]> purged = new java.util.ArrayList<>();
        withHorizon.purgeListener(purged::add);

        assertThat(withHorizon.isPurgeable(KEY, tombstone, 1_000_000)).as("never repaired").isFalse();
        horizon.set(100);
        assertThat(withHorizon.isPurgeable(KEY, tombstone, 1_000_000)).as("repaired, but not since the delete").isFalse();
        horizon.set(101);
        assertThat(withHorizon.isPurgeable(KEY, tombstone, 1_100)).as("repaired since, grace not over").isFalse();
        assertThat(purged).isEmpty();
        assertThat(withHorizon.isPurgeable(KEY, tombstone, 1_101)).as("both: the later of the two").isTrue();
        assertThat(purged).containsExactly(KEY);

        SiblingsPurgePolicy never = new SiblingsPurgePolicy(0, RepairHorizon.NEVER);
        assertThat(never.isPurgeable(KEY, tombstone, Long.MAX_VALUE)).isFalse();
    }
}
