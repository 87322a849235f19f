package io.ringkv.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.client.InProcessNode;
import io.ringkv.client.RingkvClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator end to end, with tiny counts, against a real node in this JVM. */
class ClusterBenchmarkTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void loads_every_key_then_runs_a_bounded_mix_and_reports_both_operation_types() {
        try (InProcessNode node = InProcessNode.start(dir)) {
            ClusterBenchmarkParams params = ClusterBenchmarkParams.builder()
                    .nodes(List.of(node.uri())).threads(3).keys(40).valueBytes(64).readRatio(0.5)
                    .ops(300).duration(Duration.ofSeconds(60)).warmup(Duration.ofMillis(200))
                    .keyPrefix("t-").r(1).w(1).progressInterval(Duration.ofMillis(100)).build();

            int exit = ClusterBenchmark.run(out, params);

            assertThat(exit).as(output()).isEqualTo(ClusterBenchmark.OK);
            assertThat(output()).contains("== load: writing 40 keys", "== measured: 300 ops", "bench cluster: done",
                    "failed requests: none", "reads: 0 found nothing");
            assertThat(output()).containsPattern("\\| read +\\| +\\d");
            assertThat(output()).containsPattern("\\| write +\\| +\\d");
            assertThat(output()).containsPattern("\\| total +\\| +300 \\|");
            try (RingkvClient client = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
                for (int i = 0; i < 40; i++) {
                    // Two threads writing one key with the same context at once leave siblings: at least one version.
                    assertThat(client.get("t-" + i).versions()).as("key t-%d", i).isNotEmpty()
                            .allSatisfy(v -> assertThat(v.value()).hasSize(64));
                }
                assertThat(client.get("t-40").isEmpty()).isTrue();
            }
        }
    }

    @Test
    void a_run_without_load_is_bounded_by_time() {
        try (InProcessNode node = InProcessNode.start(dir)) {
            ClusterBenchmarkParams params = ClusterBenchmarkParams.builder()
                    .nodes(List.of(node.uri())).threads(2).keys(10).readRatio(1.0).load(false)
                    .duration(Duration.ofMillis(300)).warmup(Duration.ZERO).keyPrefix("absent-").build();

            assertThat(ClusterBenchmark.run(out, params)).as(output()).isEqualTo(ClusterBenchmark.OK);
            assertThat(output()).doesNotContain("== load").doesNotContain("| write");
            assertThat(output()).containsPattern("reads: [\\d,]+ found nothing");
        }
    }

    @Test
    void a_partition_aware_run_says_so_and_completes() {
        try (InProcessNode node = InProcessNode.start(dir)) {
            ClusterBenchmarkParams params = ClusterBenchmarkParams.builder()
                    .nodes(List.of(node.uri())).threads(2).keys(20).partitionAware(true)
                    .duration(Duration.ofMillis(300)).warmup(Duration.ZERO).keyPrefix("aware-").build();

            assertThat(ClusterBenchmark.run(out, params)).as(output()).isEqualTo(ClusterBenchmark.OK);
            assertThat(output()).contains("partition-aware (straight to a replica)").contains("failed requests: none");
        }
    }

    @Test
    void no_reachable_node_is_one_clear_line_and_a_failure() {
        URI nobody = URI.create("http://127.0.0.1:" + InProcessNode.freePort());
        ClusterBenchmarkParams params = ClusterBenchmarkParams.builder().nodes(List.of(nobody)).ops(10).build();

        assertThat(ClusterBenchmark.run(out, params)).isEqualTo(ClusterBenchmark.FAILED);
        assertThat(output()).contains("bench cluster: no node answered", nobody.toString());
    }
}
