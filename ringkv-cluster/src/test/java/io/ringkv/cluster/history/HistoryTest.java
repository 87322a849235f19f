package io.ringkv.cluster.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.history.History.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker on hand-written histories: it must see the anomalies a store can commit. */
class HistoryTest {

    /**
     * Issue 10's reproduction as the store answered it before exact contexts: B's reply context,
     * written back, superseded A's write, and the final read shows B's second write alone.
     */
    @Test
    void finds_the_lost_write_of_issue_10() {
        History h = new History();
        h.write("k", "from-A", false, null, Outcome.OK, "ctxA");
        h.write("k", "from-B", false, null, Outcome.OK, "ctxB");
        h.write("k", "from-B-again", false, "ctxB", Outcome.OK, "ctxB2");

        assertThat(h.check(Map.of("k", List.of("from-B-again"))))
                .extracting(History.Anomaly::kind).containsExactly("lost write");
        assertThat(h.check(Map.of("k", List.of("from-A", "from-B-again")))).isEmpty();
    }

    @Test
    void a_write_with_a_context_that_saw_a_value_may_replace_it() {
        History h = new History();
        h.write("k", "a", false, null, Outcome.OK, "c1");
        h.read("k", List.of("a"), "r1");
        h.write("k", "b", false, "r1", Outcome.UNKNOWN, null); // not acknowledged, but it may have landed

        assertThat(h.check(Map.of("k", List.of("b")))).isEmpty();
    }

    @Test
    void what_a_reader_saw_includes_what_the_writers_of_its_values_saw() {
        History h = new History();
        h.write("k", "a", false, null, Outcome.OK, "c1");
        h.write("k", "b", false, "c1", Outcome.OK, "c2"); // b's writer saw a
        h.read("k", List.of("b"), "r1");
        h.delete("k", "d1", "r1");

        assertThat(h.check(Map.of("k", List.of()))).isEmpty();
    }

    @Test
    void finds_phantoms_and_false_siblings() {
        History h = new History();
        h.write("k", "a", false, null, Outcome.OK, "c1");
        h.write("k", "b", false, "c1", Outcome.OK, "c2");
        h.read("k", List.of("a", "b"), "r1");

        assertThat(h.check(Map.of("k", List.of("b", "never-written"))))
                .extracting(History.Anomaly::kind).containsExactlyInAnyOrder("false sibling", "phantom");
    }
}
