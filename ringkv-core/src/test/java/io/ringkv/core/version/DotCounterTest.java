package io.ringkv.core.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class DotCounterTest {

    @Test
    void counters_increase_even_when_the_clock_stands_still_or_goes_back() {
        DotCounter c = new DotCounter("n1");
        long a = c.next(VectorClock.EMPTY, 1000).counter();
        long b = c.next(VectorClock.EMPTY, 1000).counter();
        long d = c.next(VectorClock.EMPTY, 10).counter();
        assertThat(a).isEqualTo(1000 * DotCounter.TICKS_PER_MILLI);
        assertThat(b).isEqualTo(a + 1);
        assertThat(d).isEqualTo(b + 1);
    }

    @Test
    void a_restarted_node_resumes_above_what_it_issued_before() {
        long before = new DotCounter("n1").next(VectorClock.EMPTY, 5_000).counter();
        long after = new DotCounter("n1").next(VectorClock.EMPTY, 5_001).counter();
        assertThat(after).isGreaterThan(before);
    }

    @Test
    void stays_above_the_contexts_counter_for_this_node() {
        DotCounter c = new DotCounter("n1");
        VectorClock ctx = VectorClock.of(new VectorClock.Entry("n1", 7_000_500, 0), new VectorClock.Entry("n2", 99_000_000, 0));
        assertThat(c.next(ctx, 7_000).counter()).isEqualTo(7_000_501);
        assertThat(c.next(VectorClock.EMPTY, 7_000).counter()).isEqualTo(7_000_502);
    }

    @Test
    void rejects_a_context_claiming_a_counter_far_in_the_future() {
        DotCounter c = new DotCounter("n1");
        VectorClock forged = VectorClock.of(new VectorClock.Entry("n1", Long.MAX_VALUE, 0));
        assertThatThrownBy(() -> c.next(forged, 1_000)).hasMessageContaining("far ahead");
    }

    @Test
    void concurrent_callers_never_get_the_same_dot() throws Exception {
        DotCounter c = new DotCounter("n1");
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        seen.add(c.next(VectorClock.EMPTY, 42).counter());
                    }
                });
            }
        }
        assertThat(seen).hasSize(40_000);
    }
}
