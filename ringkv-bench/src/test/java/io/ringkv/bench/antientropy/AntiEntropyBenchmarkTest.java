package io.ringkv.bench.antientropy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark at test size (10,000 keys, 16 vnodes per node): it converges and prints its figures. */
class AntiEntropyBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void a_small_run_converges_and_costs_a_few_times_the_divergent_bytes() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        AntiEntropyBenchmarkParams params = AntiEntropyBenchmarkParams.defaults().withKeys(10_000).withVnodesPerNode(16).withDir(dir);

        AntiEntropyBenchmark.Result r = AntiEntropyBenchmark.measure(new PrintStream(text, true, StandardCharsets.UTF_8), params);

        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(r.converged()).as(printed).isTrue();
        assertThat(r.divergedKeys()).isBetween(3, 30);
        assertThat(r.repair().keysExchanged()).isGreaterThanOrEqualTo(r.divergedKeys());
        assertThat(r.idleRepair().bytesExchanged()).as("roots only").isEqualTo(r.idleRepair().rangesTotal() * 2L * 46);
        assertThat(r.fullCompareBytes()).isGreaterThan(10 * r.repair().bytesExchanged());
        assertThat(printed).contains("divergent entries:", "repair of node3:", "nothing differing:", "full compare instead");
        assertThat(dir.toFile().list()).as("scratch deleted").isEmpty();
    }
}
