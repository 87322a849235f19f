package io.ringkv.storage.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class CompactionPickerPropertiesTest {
    static final int MIN = 4;
    static final int MAX = 8;
    static final int PRESSURE = 12;
    static final long SMALL = 1000;
    final CompactionPicker picker = new CompactionPicker(MIN, MAX, PRESSURE, SMALL);

    @Provide
    Arbitrary<List<TableInfo>> tables() {
        Arbitrary<Long> sizes = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 2 * SMALL),
                Arbitraries.longs().between(1, 1L << 30),
                Arbitraries.of(4_000L, 16_000L, 64_000L, 256_000L));
        return sizes.list().ofMaxSize(40).map(list -> {
            List<TableInfo> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(new TableInfo(100 + i, list.get(i)));
            }
            return out;
        });
    }

    @Property
    void aChoiceIsAnAdjacentRunOfAllowedLength(@ForAll("tables") List<TableInfo> tables) {
        picker.pick(tables).ifPresent(c -> {
            assertThat(c.tableIds().size()).isBetween(MIN, MAX);
            assertThat(c.firstIndex() + c.tableIds().size()).isLessThanOrEqualTo(tables.size());
            for (int i = 0; i < c.tableIds().size(); i++) {
                assertThat(c.tableIds().get(i)).isEqualTo(tables.get(c.firstIndex() + i).tableId());
            }
            assertThat(c.includesOldest()).isEqualTo(c.firstIndex() == 0);
        });
    }

    @Property
    void fewerTablesThanTheMinimumAreLeftAlone(@ForAll("tables") List<TableInfo> tables) {
        if (tables.size() < MIN) {
            assertThat(picker.pick(tables)).isEmpty();
        }
    }

    /** Liveness: writers stall at maxTablesBeforeStall > PRESSURE, so this is what unblocks them. */
    @Property
    void atThePressureCountSomethingIsAlwaysPicked(@ForAll("tables") List<TableInfo> tables) {
        if (tables.size() >= PRESSURE) {
            assertThat(picker.pick(tables)).isPresent();
        }
    }

    @Property
    void sizeTieredChoicesHoldTablesOfSimilarSize(@ForAll("tables") List<TableInfo> tables) {
        Optional<CompactionChoice> c = picker.pick(tables);
        if (c.isPresent() && c.get().reason().startsWith("size-tiered")) {
            List<TableInfo> run = tables.subList(c.get().firstIndex(), c.get().firstIndex() + c.get().tableIds().size());
            // A table joins within [0.5, 1.5] of the run's average at that moment, and that average
            // lies between the previous table and the average before it, which that table was
            // within [0.5, 1.5] of: so neighbours differ by at most 3x. The run as a whole does
            // not: the average drifts as tables join (400k, 210k, 160k, 130k is one run). A tiny
            // table joins only while the average is under SMALL too, so it and its neighbours are
            // under 1.5 SMALL.
            for (int i = 1; i < run.size(); i++) {
                long smaller = Math.min(run.get(i - 1).sizeBytes(), run.get(i).sizeBytes());
                long larger = Math.max(run.get(i - 1).sizeBytes(), run.get(i).sizeBytes());
                assertThat(larger <= 3 * smaller || larger < SMALL * 3 / 2)
                        .as("neighbours %d and %d in %s", smaller, larger, run).isTrue();
            }
        }
    }

    @Property
    void deterministic(@ForAll("tables") List<TableInfo> tables) {
        assertThat(picker.pick(tables)).isEqualTo(picker.pick(tables));
    }

    @Property
    void compactingRepeatedlyEndsBelowThePressureCount(@ForAll("tables") List<TableInfo> tables,
            @ForAll @IntRange(min = 0, max = 3) int unused) {
        List<TableInfo> live = new ArrayList<>(tables);
        long nextId = 10_000;
        for (int round = 0; round < 100; round++) {
            Optional<CompactionChoice> c = picker.pick(live);
            if (c.isEmpty()) {
                break;
            }
            int from = c.get().firstIndex();
            int n = c.get().tableIds().size();
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += live.get(from).sizeBytes();
                live.remove(from);
            }
            live.add(from, new TableInfo(nextId++, bytes));
        }
        assertThat(live.size()).isLessThan(PRESSURE);
    }

    @Example
    void equalFlushesAreMergedOnceThereAreEnough() {
        List<TableInfo> t = new ArrayList<>();
        t.add(new TableInfo(1, 400_000));
        for (int i = 2; i <= 4; i++) {
            t.add(new TableInfo(i, 100_000));
        }
        assertThat(picker.pick(t)).isEmpty();
        t.add(new TableInfo(5, 100_000));
        CompactionChoice c = picker.pick(t).orElseThrow();
        assertThat(c.tableIds()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(c.includesOldest()).isFalse();
    }

    @Example
    void theSmallestSimilarRunWins() {
        List<TableInfo> t = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            t.add(new TableInfo(i, 1_000_000));
        }
        for (int i = 5; i <= 8; i++) {
            t.add(new TableInfo(i, 50_000));
        }
        assertThat(picker.pick(t).orElseThrow().tableIds()).containsExactly(5L, 6L, 7L, 8L);
    }
}
