package io.ringkv.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EngineMetrics metrics = new EngineMetrics(registry);

    @Test
    void engine_events_become_meters() {
        metrics.onFlush(100, 4096, 2_000_000);
        metrics.onFlush(50, 1024, 1_000_000);
        metrics.onCompaction(4, 10_000, 6_000, 5_000_000);
        metrics.onWriteStall(3_000_000);
        metrics.onCommitLogSync(7, 500_000);
        metrics.onCorruption(Path.of("000001.sst"), 42, "block checksum mismatch");
        metrics.onCommitLogTailTruncated(Path.of("000002.log"), 100, 17);

        assertThat(registry.get("ringkv.storage.flushes").timer().count()).isEqualTo(2);
        assertThat(registry.get("ringkv.storage.flushes").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
        assertThat(registry.get("ringkv.storage.flush.bytes").summary().totalAmount()).isEqualTo(5120);
        assertThat(registry.get("ringkv.storage.compactions").timer().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.storage.compaction.output.bytes").summary().totalAmount()).isEqualTo(6000);
        assertThat(registry.get("ringkv.storage.write.stalls").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
        assertThat(registry.get("ringkv.storage.commitlog.syncs").timer().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.storage.commitlog.syncs").timer().takeSnapshot().histogramCounts())
                .as("fsync durations are bucketed, so their tail can be read")
                .anySatisfy(bucket -> {
                    assertThat(bucket.bucket(TimeUnit.MICROSECONDS)).isEqualTo(500);
                    assertThat(bucket.count()).isEqualTo(1);
                });
        assertThat(registry.get("ringkv.storage.commitlog.sync.records").summary().totalAmount()).isEqualTo(7);
        assertThat(registry.get("ringkv.storage.corruptions").counter().count()).isEqualTo(1);
        assertThat(registry.get("ringkv.storage.commitlog.tail.truncations").counter().count()).isEqualTo(1);
    }
}
