package io.ringkv.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dashboard's live rates and percentiles, on a clock the test moves. */
class RecentLatenciesTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final RecentLatencies recent = new RecentLatencies(now::get);

    @Test
    void rate_and_percentiles_cover_the_last_complete_seconds() {
        for (int s = 0; s < RecentLatencies.WINDOW_SECONDS; s++) {
            for (int i = 1; i <= 100; i++) { // 1 ms .. 100 ms, once each, every second
                recent.record("get", i * 1_000_000L, i != 100);
            }
            now.addAndGet(SECOND);
        }
        var get = recent.snapshot().get("get");
        assertThat(get.perSecond()).isEqualTo(100.0);
        assertThat(get.failedPerSecond()).isEqualTo(1.0);
        assertThat(get.p50Millis()).isCloseTo(50.0, within(50.0 * 0.07));
        assertThat(get.p99Millis()).isCloseTo(99.0, within(99.0 * 0.07));
    }

    @Test
    void the_second_being_filled_is_not_counted_and_old_seconds_drop_out() {
        recent.record("put", 2_000_000L, true);
        assertThat(recent.snapshot().get("put").perSecond()).as("only complete seconds count").isZero();

        now.addAndGet(SECOND);
        assertThat(recent.snapshot().get("put").perSecond()).isEqualTo(1.0 / RecentLatencies.WINDOW_SECONDS);
        assertThat(recent.snapshot().get("put").p50Millis()).isCloseTo(2.0, within(0.15));

        now.addAndGet(RecentLatencies.WINDOW_SECONDS * SECOND);
        assertThat(recent.snapshot().get("put")).isEqualTo(new RecentLatencies.OperationRate(0, 0, 0, 0));
    }

    @Test
    void a_slot_reused_after_the_ring_wraps_starts_empty() {
        recent.record("delete", 1_000_000L, true);
        now.addAndGet(7 * SECOND); // more than the ring of slots: the same slot again
        recent.record("delete", 8_000_000L, true);
        now.addAndGet(SECOND);
        var delete = recent.snapshot().get("delete");
        assertThat(delete.perSecond()).isEqualTo(1.0 / RecentLatencies.WINDOW_SECONDS);
        assertThat(delete.p99Millis()).isCloseTo(8.0, within(0.6));
    }

    @Test
    void buckets_are_contiguous_and_their_middles_within_seven_percent() {
        int previous = -1;
        for (long micros = 0; micros < 1 << 20; micros += 1 + micros / 64) {
            int bucket = RecentLatencies.bucketOf(micros);
            assertThat(bucket).isBetween(previous, previous + 1);
            previous = bucket;
            if (micros > 0) {
                assertThat(RecentLatencies.bucketMiddleMicros(bucket)).isCloseTo((double) micros, within(micros * 0.07 + 0.5));
            }
        }
        assertThat(RecentLatencies.bucketOf(Long.MAX_VALUE)).isLessThan(62 * 8);
    }
}
