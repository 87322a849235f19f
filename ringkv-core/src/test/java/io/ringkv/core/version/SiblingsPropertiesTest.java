package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Siblings.merge is a join (the property the storage merge operator and replication rely on). */
class SiblingsPropertiesTest {

    @Provide
    Arbitrary<Siblings> siblings() {
        return VersionArbitraries.siblings();
    }

    @Provide
    Arbitrary<List<Versioned>> versionLists() {
        return VersionArbitraries.versions().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Versioned>> histories() {
        return VersionArbitraries.causalHistories();
    }

    @Property
    void merge_is_commutative(@ForAll("siblings") Siblings a, @ForAll("siblings") Siblings b) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property
    void merge_is_associative(@ForAll("siblings") Siblings a, @ForAll("siblings") Siblings b, @ForAll("siblings") Siblings c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property
    void merge_is_idempotent(@ForAll("siblings") Siblings a, @ForAll("siblings") Siblings b) {
        assertThat(a.merge(a)).isEqualTo(a);
        assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
    }

    @Property
    void merged_clock_descends_from_both_inputs(@ForAll("siblings") Siblings a, @ForAll("siblings") Siblings b) {
        Set<String> m = events(a.merge(b).readContext());
        for (Versioned v : a.merge(b).versions()) {
            assertThat(m).containsAll(history(v));
        }
        // Whatever was dropped from either side is covered by something that was kept.
        for (Versioned v : concat(a.versions(), b.versions())) {
            assertThat(a.merge(b).versions().stream().anyMatch(kept -> kept.covers(v))).isTrue();
        }
    }

    @Property
    void order_of_adds_does_not_matter(@ForAll("versionLists") List<Versioned> versions) {
        Siblings forward = Siblings.EMPTY;
        for (Versioned v : versions) {
            forward = forward.add(v);
        }
        Siblings backward = Siblings.EMPTY;
        for (int i = versions.size() - 1; i >= 0; i--) {
            backward = backward.add(versions.get(i));
        }
        assertThat(forward).isEqualTo(backward).isEqualTo(Siblings.of(versions));
    }

    /** Oracle: versions kept are exactly those whose event set no other version's event set strictly contains. */
    @Property
    void keeps_exactly_the_versions_whose_history_is_maximal(@ForAll("versionLists") List<Versioned> versions) {
        Set<Versioned> expected = new HashSet<>();
        for (Versioned v : versions) {
            boolean dominated = false;
            for (Versioned w : versions) {
                Set<String> hv = history(v);
                Set<String> hw = history(w);
                if (hw.containsAll(hv) && !hv.containsAll(hw)) {
                    dominated = true;
                }
            }
            if (!dominated) {
                expected.add(v);
            }
        }
        assertThat(Siblings.of(versions).versions()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Property
    void in_causal_histories_a_version_written_with_a_context_supersedes_everything_that_context_covers(
            @ForAll("histories") List<Versioned> written) {
        Siblings all = Siblings.of(written);
        for (Versioned v : written) {
            boolean kept = all.versions().contains(v);
            boolean seenByALaterWrite = written.stream().anyMatch(w -> w != v && events(w.context()).contains(event(v.dot())));
            assertThat(kept).isEqualTo(!seenByALaterWrite);
        }
    }

    /**
     * The reply to a write claims, of this key's writes, exactly those the writer's context held
     * plus its own: never a concurrent write through the same node (issue 10's lost update).
     */
    @Property
    void a_write_replys_context_claims_exactly_the_writers_context_and_its_write(@ForAll("histories") List<Versioned> written) {
        Set<String> keyEvents = new HashSet<>();
        written.forEach(v -> keyEvents.add(event(v.dot())));
        for (int i = 0; i < written.size(); i++) {
            Versioned w = written.get(i);
            CausalContext reply = Siblings.of(written.subList(0, i + 1)).contextAfterWriting(w);
            Set<String> claimed = events(reply);
            claimed.retainAll(keyEvents);
            Set<String> expected = history(w);
            expected.retainAll(keyEvents);
            assertThat(claimed).isEqualTo(expected);
        }
    }

    /** A read (even a stale one, of an earlier state) claims only writes of versions it returned or their pasts. */
    @Property
    void a_read_context_claims_only_what_the_returned_versions_have_seen(@ForAll("histories") List<Versioned> written) {
        Set<String> keyEvents = new HashSet<>();
        written.forEach(v -> keyEvents.add(event(v.dot())));
        for (int i = 0; i <= written.size(); i++) {
            Siblings read = Siblings.of(written.subList(0, i));
            Set<String> seen = new HashSet<>();
            read.versions().forEach(v -> seen.addAll(history(v)));
            Set<String> claimed = events(read.readContext());
            claimed.retainAll(keyEvents);
            assertThat(seen).containsAll(claimed);
        }
    }

    @Property
    void no_kept_version_supersedes_another(@ForAll("siblings") Siblings s) {
        for (Versioned a : s.versions()) {
            for (Versioned b : s.versions()) {
                assertThat(a.supersedes(b)).isFalse();
            }
        }
    }

    @Property
    void lww_picks_the_newest_and_is_order_independent(@ForAll("siblings") Siblings a, @ForAll("siblings") Siblings b) {
        var winner = a.merge(b).resolveLww();
        assertThat(winner.isPresent()).isEqualTo(!a.merge(b).isEmpty());
        winner.ifPresent(w -> {
            assertThat(w.timestampMillis()).isEqualTo(a.merge(b).newestTimestampMillis());
            assertThat(b.merge(a).resolveLww()).contains(w);
        });
    }

    @Property
    void lww_merge_is_a_join_and_keeps_the_newest(@ForAll("siblings") Siblings a, @ForAll("siblings") Siblings b,
            @ForAll("siblings") Siblings c) {
        assertThat(a.lwwMerge(b)).isEqualTo(b.lwwMerge(a));
        assertThat(a.lwwMerge(b).lwwMerge(c)).isEqualTo(a.lwwMerge(b.lwwMerge(c)));
        assertThat(a.lwwMerge(a).lwwMerge(a)).isEqualTo(a.lwwMerge(Siblings.EMPTY));
        assertThat(a.lwwMerge(b).size()).isLessThanOrEqualTo(1);
        assertThat(a.lwwMerge(b).newestTimestampMillis()).isEqualTo(Math.max(a.newestTimestampMillis(), b.newestTimestampMillis()));
    }

    /** The oracle: a version's history as an explicit set of events, written out from the definition. */
    static Set<String> history(Versioned v) {
        Set<String> events = events(v.context());
        events.add(event(v.dot()));
        return events;
    }

    /** Every event of a context: each clock entry's counters from 1 up, and each exact event. */
    static Set<String> events(CausalContext c) {
        Set<String> events = new HashSet<>();
        for (VectorClock.Entry e : c.past().entries()) {
            for (long k = 1; k <= e.counter(); k++) {
                events.add(e.nodeId() + "#" + k);
            }
        }
        for (VectorClock.Entry d : c.dots()) {
            events.add(d.nodeId() + "#" + d.counter());
        }
        return events;
    }

    static String event(Dot dot) {
        return dot.nodeId() + "#" + dot.counter();
    }

    private static List<Versioned> concat(List<Versioned> a, List<Versioned> b) {
        List<Versioned> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
