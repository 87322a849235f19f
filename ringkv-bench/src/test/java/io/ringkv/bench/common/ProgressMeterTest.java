package io.ringkv.bench.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    @Test
    void printsOpsDoneAndRateWhileOpen() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressMeter meter = ProgressMeter.start(out, "load", 1_000, Duration.ofMillis(5))) {
            meter.add(600);
            meter.add(34);
            assertThat(meter.done()).isEqualTo(634);
            // Poll (bounded) for the printer thread's first line.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!bytes.toString(StandardCharsets.UTF_8).contains("load: 634 / 1,000 ops")
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("load: 634 / 1,000 ops", "ops/s");
    }

    @Test
    void anUnknownPlanShowsOpsDoneWithoutATotal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressMeter meter = ProgressMeter.start(out, "timed", 0, Duration.ofMillis(5))) {
            meter.add(42);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!bytes.toString(StandardCharsets.UTF_8).contains("timed: 42 ops") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("timed: 42 ops,").doesNotContain(" / ");
    }

    @Test
    void aNonPositiveIntervalIsRejected() {
        assertThatThrownBy(() -> ProgressMeter.start(System.out, "x", 1, Duration.ZERO))
                .hasMessage("progress interval must be positive, was PT0S");
    }
}
