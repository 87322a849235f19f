package io.ringkv.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterBenchmarkParamsTest {
    @Test
    void defaults_are_the_local_three_node_cluster_and_a_30_second_run() {
        ClusterBenchmarkParams p = ClusterBenchmarkParams.builder().build();
        assertThat(p.nodes()).isEqualTo(ClusterBenchmarkParams.LOCAL_CLUSTER).hasSize(3);
        assertThat(p.threads()).isEqualTo(16);
        assertThat(p.valueBytes()).isEqualTo(100);
        assertThat(p.readRatio()).isEqualTo(0.5);
        assertThat(p.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.ops()).isZero();
        assertThat(p.keyPrefix()).startsWith("bench-").endsWith("-");
    }

    @Test
    void an_op_count_alone_is_still_bounded_by_time() {
        ClusterBenchmarkParams p = ClusterBenchmarkParams.builder().ops(1_000).build();
        assertThat(p.ops()).isEqualTo(1_000);
        assertThat(p.duration()).isEqualTo(ClusterBenchmarkParams.MAX_DURATION);
    }

    @Test
    void node_lists_are_comma_separated_urls() {
        ClusterBenchmarkParams p = ClusterBenchmarkParams.builder().nodes("http://127.0.0.1:9, http://127.0.0.2:10").build();
        assertThat(p.nodes()).containsExactly(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.2:10"));
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().nodes(" , ")).hasMessageContaining("lists no URL");
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().nodes("127.0.0.1:8001"))
                .hasMessage("not a node URL (http://host:port): \"127.0.0.1:8001\"");
    }

    @Test
    void out_of_range_settings_say_what_was_wrong() {
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().threads(0)).hasMessage("threads must be between 1 and 1024, was 0");
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().readRatio(1.5)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().valueBytes(20_000)).hasMessageContaining("value size");
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().duration(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().duration(Duration.ofHours(2))).hasMessageContaining("at most 60 minutes");
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().ops(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ClusterBenchmarkParams.builder().r(0)).hasMessageContaining("r must be between 1");
        assertThat(ClusterBenchmarkParams.builder().warmup(Duration.ZERO).build().warmup()).isZero();
        assertThat(List.of(ClusterBenchmarkParams.builder().keys(1).build().keys())).containsExactly(1);
    }
}
