package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SiblingsTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void a_write_with_the_previous_clock_as_context_supersedes_it() {
        Versioned v1 = Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), b("one"), 10);
        Versioned v2 = Versioned.of(v1.history(), new Dot("n1", 2), b("two"), 20);
        assertThat(Siblings.of(v1).add(v2).versions()).containsExactly(v2);
        assertThat(Siblings.of(v2).add(v1).versions()).containsExactly(v2);
    }

    @Test
    void writes_without_context_through_one_node_stay_siblings() {
        // Dynamo's coordinator would give both the clock [n1:1] and lose one; distinct dots keep both.
        Versioned x = Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), b("x"), 10);
        Versioned y = Versioned.of(VectorClock.EMPTY, new Dot("n1", 2), b("y"), 11);
        Siblings both = Siblings.of(x, y);
        assertThat(both.liveValues()).extracting(SiblingsTest::s).containsExactly("x", "y");
        assertThat(both.readContext().toString()).isEqualTo("[n1:2]");
        Versioned resolved = Versioned.of(both.readContext(), new Dot("n1", 3), b("xy"), 12);
        assertThat(both.add(resolved).versions()).containsExactly(resolved);
    }

    @Test
    void a_stale_writer_does_not_supersede_a_version_it_never_saw() {
        Versioned a = Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), b("a"), 1);
        Versioned b = Versioned.of(a.history(), new Dot("n1", 2), b("b"), 2);
        Versioned staleC = Versioned.of(a.history(), new Dot("n1", 3), b("c"), 3);
        // c's writer saw only a: b survives as a sibling even though c's clock [n1:3] > [n1:2]
        assertThat(Siblings.of(a, b, staleC).versions()).containsExactly(b, staleC);
    }

    @Test
    void tombstones_are_versions_and_a_tombstone_only_set_reads_as_absent() {
        Versioned v = Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), b("v"), 1);
        Versioned del = Versioned.tombstone(v.history(), new Dot("n1", 2), 2);
        Siblings s = Siblings.of(v, del);
        assertThat(s.versions()).containsExactly(del);
        assertThat(s.isTombstoneOnly()).isTrue();
        assertThat(s.liveValues()).isEmpty();
        assertThat(Siblings.EMPTY.isTombstoneOnly()).isFalse();
    }

    @Test
    void a_delete_with_a_stale_context_leaves_the_unseen_write_as_a_sibling() {
        Versioned v1 = Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), b("v1"), 1);
        Versioned v2 = Versioned.of(v1.history(), new Dot("n1", 2), b("v2"), 2);
        Versioned staleDelete = Versioned.tombstone(v1.history(), new Dot("n1", 3), 3);
        Siblings s = Siblings.of(v1, v2, staleDelete);
        assertThat(s.versions()).containsExactly(v2, staleDelete);
        assertThat(s.isTombstoneOnly()).isFalse();
        assertThat(s.liveValues()).extracting(SiblingsTest::s).containsExactly("v2");
    }

    @Test
    void adding_a_present_or_superseded_version_returns_the_same_set() {
        Versioned v1 = Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), b("v1"), 1);
        Versioned v2 = Versioned.of(v1.history(), new Dot("n1", 2), b("v2"), 2);
        Siblings s = Siblings.of(v2);
        assertThat(s.add(v1)).isSameAs(s);
        assertThat(s.add(v2)).isSameAs(s);
    }

    @Test
    void cap_keeps_the_newest_by_timestamp_and_reports_how_many_were_dropped() {
        Siblings s = Siblings.EMPTY;
        for (int i = 1; i <= 5; i++) {
            s = s.add(Versioned.of(VectorClock.EMPTY, new Dot("n" + (6 - i), 1), b("v" + i), i * 10));
        }
        Siblings five = s;
        Siblings.Capped capped = s.cap(3);
        assertThat(capped.capExceeded()).isTrue();
        assertThat(capped.droppedVersions()).isEqualTo(2);
        assertThat(capped.siblings().liveValues()).extracting(SiblingsTest::s).containsExactlyInAnyOrder("v3", "v4", "v5");
        assertThat(s.cap(5).capExceeded()).isFalse();
        assertThat(s.cap(5).siblings()).isSameAs(s);
        assertThatThrownBy(() -> five.cap(0)).hasMessageContaining("at least 1");
    }

    @Test
    void lww_picks_the_highest_timestamp_and_breaks_ties_the_same_way_everywhere() {
        Versioned early = Versioned.of(VectorClock.EMPTY, new Dot("a", 1), b("early"), 5);
        Versioned lateA = Versioned.of(VectorClock.EMPTY, new Dot("a", 2), b("lateA"), 9);
        Versioned lateB = Versioned.of(VectorClock.EMPTY, new Dot("b", 1), b("lateB"), 9);
        assertThat(Siblings.of(early, lateA, lateB).resolveLww()).contains(lateB);
        assertThat(Siblings.of(lateB, early, lateA).resolveLww()).contains(lateB);
        assertThat(Siblings.EMPTY.resolveLww()).isEmpty();
    }

    @Test
    void versioned_copies_values_in_and_out() {
        byte[] value = b("abc");
        Versioned v = Versioned.of(VectorClock.EMPTY, new Dot("n1", 1), value, 1);
        value[0] = 'z';
        v.value()[1] = 'z';
        assertThat(s(v.value())).isEqualTo("abc");
    }

    @Test
    void versioned_rejects_inconsistent_fields() {
        VectorClock ctx = VectorClock.EMPTY.increment("n1", 1).increment("n1", 2);
        assertThatThrownBy(() -> Versioned.of(ctx, new Dot("n1", 2), b("x"), 1)).hasMessageContaining("must be a new event");
        assertThatThrownBy(() -> new Versioned(ctx, new Dot("n1", 3), b("x"), true, 1)).hasMessageContaining("tombstone carries no value");
        assertThatThrownBy(() -> Versioned.of(ctx, new Dot("n1", 3), b("x"), -1)).hasMessageContaining("negative");
    }

    @Test
    void new_write_truncates_the_context_but_never_the_coordinators_entry() {
        VectorClock ctx = VectorClock.of(
                new VectorClock.Entry("a", 1, 100),
                new VectorClock.Entry("b", 1, 200),
                new VectorClock.Entry("c", 1, 300),
                new VectorClock.Entry("me", 4, 50));
        Versioned v = Versioned.newWrite(CausalContext.of(ctx), new Dot("me", 5), b("x"), 400, 3);
        assertThat(v.history().toString()).isEqualTo("[b:1, c:1, me:5]");
        assertThat(v.context().past().counter("me")).isEqualTo(4);

        Versioned fresh = Versioned.newWrite(CausalContext.of(ctx.truncate(3)), new Dot("other", 1), null, 400, 3);
        assertThat(fresh.tombstone()).isTrue();
        assertThat(fresh.history().size()).isEqualTo(3);
        assertThat(fresh.history().past().counter("other")).isEqualTo(1);
        assertThat(Versioned.newWrite(CausalContext.of(ctx), new Dot("other", 1), b("x"), 400, 1).history().toString()).isEqualTo("[other:1]");
    }
}
