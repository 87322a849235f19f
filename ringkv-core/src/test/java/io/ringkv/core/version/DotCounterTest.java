package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class DotCounterTest {
    static CausalContext claim(String actor, long counter) {
        return CausalContext.of(VectorClock.of(new VectorClock.Entry(actor, counter, 0)));
    }

    @Test
    void counters_start_at_one_and_increase() {
        DotCounter c = new DotCounter("n1~a");
        assertThat(c.next(CausalContext.EMPTY, 0)).isEqualTo(new Dot("n1~a", 1));
        assertThat(c.next(CausalContext.EMPTY, 0)).isEqualTo(new Dot("n1~a", 2));
        assertThat(c.issued()).isEqualTo(2);
    }

    @Test
    void stays_above_what_the_keys_stored_versions_name_for_this_actor() {
        DotCounter c = new DotCounter("n1~a");
        assertThat(c.next(CausalContext.EMPTY, 40).counter()).isEqualTo(41);
        assertThat(c.next(CausalContext.EMPTY, 3).counter()).isEqualTo(42);
    }

    @Test
    void accepts_a_context_claiming_what_this_actor_issued_and_rejects_one_claiming_more() {
        DotCounter c = new DotCounter("n1~a");
        c.next(CausalContext.EMPTY, 0);
        c.next(CausalContext.EMPTY, 0);
        assertThat(c.next(claim("n1~a", 2), 0).counter()).isEqualTo(3);
        assertThat(c.next(claim("n2~b", 1_000_000), 0).counter()).isEqualTo(4); // other actors are not this counter's business
        assertThatThrownBy(() -> c.next(claim("n1~a", 5), 0)).hasMessageContaining("has issued only 4");
        assertThatThrownBy(() -> c.next(claim("n1~a", Long.MAX_VALUE), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.next(CausalContext.EMPTY, 0).counter()).isEqualTo(5); // a refused context takes no counter
    }

    @Test
    void every_start_of_a_node_is_a_new_actor_of_that_node() {
        String first = Actors.newIncarnation("n1", new SplittableRandom(1));
        String second = Actors.newIncarnation("n1", new SplittableRandom(2));
        assertThat(first).isNotEqualTo(second).startsWith("n1~").hasSize("n1~".length() + 10);
        assertThat(Actors.nodeOf(first)).isEqualTo("n1");
        assertThat(Actors.nodeOf("n1")).isEqualTo("n1");
        assertThatThrownBy(() -> Actors.newIncarnation("n~1")).hasMessageContaining("must not contain");
    }

    @Test
    void concurrent_callers_never_get_the_same_dot() throws Exception {
        DotCounter c = new DotCounter("n1~a");
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        seen.add(c.next(CausalContext.EMPTY, 0).counter());
                    }
                });
            }
        }
        assertThat(seen).hasSize(40_000);
    }
}
