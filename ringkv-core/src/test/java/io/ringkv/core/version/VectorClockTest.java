package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VectorClockTest {

    static VectorClock clock(Object... nodeCounterPairs) {
        VectorClock c = VectorClock.EMPTY;
        java.util.List<VectorClock.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < nodeCounterPairs.length; i += 2) {
            entries.add(new VectorClock.Entry((String) nodeCounterPairs[i], ((Number) nodeCounterPairs[i + 1]).longValue(), 0));
        }
        return entries.isEmpty() ? c : VectorClock.of(entries);
    }

    @Test
    void design_notes_ancestor_example() {
        // D([s0,1],[s1,1]) is an ancestor of D([s0,1],[s1,2])
        assertThat(clock("s0", 1, "s1", 1).compare(clock("s0", 1, "s1", 2))).isEqualTo(Occurred.BEFORE);
        assertThat(clock("s0", 1, "s1", 2).compare(clock("s0", 1, "s1", 1))).isEqualTo(Occurred.AFTER);
        assertThat(clock("s0", 1, "s1", 2).descends(clock("s0", 1, "s1", 1))).isTrue();
    }

    @Test
    void design_notes_sibling_example() {
        // D([s0,1],[s1,2]) and D([s0,2],[s1,1]) conflict
        assertThat(clock("s0", 1, "s1", 2).compare(clock("s0", 2, "s1", 1))).isEqualTo(Occurred.CONCURRENT);
        assertThat(clock("s0", 1, "s1", 2).descends(clock("s0", 2, "s1", 1))).isFalse();
    }

    @Test
    void missing_entries_count_as_zero() {
        assertThat(VectorClock.EMPTY.compare(clock("a", 1))).isEqualTo(Occurred.BEFORE);
        assertThat(clock("a", 1).compare(clock("b", 1))).isEqualTo(Occurred.CONCURRENT);
        assertThat(clock("a", 1).counter("zz")).isZero();
        assertThat(VectorClock.EMPTY.compare(VectorClock.EMPTY)).isEqualTo(Occurred.EQUAL);
    }

    @Test
    void increment_records_the_time_and_counts_up() {
        VectorClock c = VectorClock.EMPTY.increment("Sx", 100).increment("Sx", 200).increment("Sy", 300);
        assertThat(c.toString()).isEqualTo("[Sx:2, Sy:1]");
        assertThat(c.entries()).containsExactly(new VectorClock.Entry("Sx", 2, 200), new VectorClock.Entry("Sy", 1, 300));
        assertThat(c.maxTimestampMillis()).isEqualTo(300);
    }

    @Test
    void merge_takes_the_pointwise_maximum_and_the_timestamp_of_the_winning_counter() {
        VectorClock a = VectorClock.of(new VectorClock.Entry("a", 3, 10), new VectorClock.Entry("b", 1, 50));
        VectorClock b = VectorClock.of(new VectorClock.Entry("a", 2, 99), new VectorClock.Entry("c", 4, 5));
        assertThat(a.merge(b).entries()).containsExactly(
                new VectorClock.Entry("a", 3, 10), new VectorClock.Entry("b", 1, 50), new VectorClock.Entry("c", 4, 5));
    }

    @Test
    void truncate_drops_the_oldest_entries_first() {
        VectorClock c = VectorClock.of(
                new VectorClock.Entry("a", 5, 400),
                new VectorClock.Entry("b", 1, 100),
                new VectorClock.Entry("c", 9, 300),
                new VectorClock.Entry("d", 2, 200));
        assertThat(c.truncate(2).toString()).isEqualTo("[a:5, c:9]");
        assertThat(c.truncate(4)).isSameAs(c);
        assertThat(c.truncate(2, "b").toString()).isEqualTo("[a:5, b:1]");
    }

    @Test
    void truncate_breaks_timestamp_ties_by_node_id() {
        VectorClock c = VectorClock.of(new VectorClock.Entry("b", 1, 7), new VectorClock.Entry("a", 1, 7), new VectorClock.Entry("c", 1, 7));
        assertThat(c.truncate(1).toString()).isEqualTo("[c:1]");
    }

    @Test
    void rejects_bad_entries_with_a_reason() {
        assertThatThrownBy(() -> new VectorClock.Entry("", 1, 0)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new VectorClock.Entry("a", 0, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new VectorClock.Entry("a", 1, -1)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> new VectorClock.Entry("x".repeat(256), 1, 0)).hasMessageContaining("255 UTF-8 bytes");
        assertThatThrownBy(() -> VectorClock.of(new VectorClock.Entry("a", 1, 0), new VectorClock.Entry("a", 2, 0)))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> clock("a", 1).truncate(0)).hasMessageContaining("at least 1 entry");
    }

    @Test
    void equality_includes_timestamps_but_compare_ignores_them() {
        VectorClock a = VectorClock.of(new VectorClock.Entry("a", 1, 1));
        VectorClock b = VectorClock.of(new VectorClock.Entry("a", 1, 2));
        assertThat(a).isNotEqualTo(b);
        assertThat(a.compare(b)).isEqualTo(Occurred.EQUAL);
    }
}
