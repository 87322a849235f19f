package io.ringkv.cli.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request counters read from a node's Prometheus text, their differences, and the p99 estimate from the buckets. */
class RequestCountersTest {
    /** As a node's /metrics prints it (captured from a running node, trimmed): data endpoints and others. */
    private static String metrics(long get, long put, long getUnder5ms, long putUnder25ms, long cluster) {
        return """
                # HELP ringkv_http_requests_seconds HTTP requests served, by endpoint, method and status
                # TYPE ringkv_http_requests_seconds histogram
                ringkv_http_requests_seconds_bucket{endpoint="cluster",method="GET",node="node1",status="200",le="0.005"} %5$d
                ringkv_http_requests_seconds_bucket{endpoint="cluster",method="GET",node="node1",status="200",le="+Inf"} %5$d
                ringkv_http_requests_seconds_count{endpoint="cluster",method="GET",node="node1",status="200"} %5$d
                ringkv_http_requests_seconds_bucket{endpoint="get",method="GET",node="node1",status="200",le="0.001"} 0
                ringkv_http_requests_seconds_bucket{endpoint="get",method="GET",node="node1",status="200",le="0.005"} %3$d
                ringkv_http_requests_seconds_bucket{endpoint="get",method="GET",node="node1",status="200",le="0.025"} %1$d
                ringkv_http_requests_seconds_bucket{endpoint="get",method="GET",node="node1",status="200",le="+Inf"} %1$d
                ringkv_http_requests_seconds_count{endpoint="get",method="GET",node="node1",status="200"} %1$d
                ringkv_http_requests_seconds_sum{endpoint="get",method="GET",node="node1",status="200"} 0.5
                ringkv_http_requests_seconds_bucket{endpoint="put",method="POST",node="node1",status="200",le="0.001"} 0
                ringkv_http_requests_seconds_bucket{endpoint="put",method="POST",node="node1",status="200",le="0.005"} 0
                ringkv_http_requests_seconds_bucket{endpoint="put",method="POST",node="node1",status="200",le="0.025"} %4$d
                ringkv_http_requests_seconds_bucket{endpoint="put",method="POST",node="node1",status="200",le="+Inf"} %2$d
                ringkv_http_requests_seconds_count{endpoint="put",method="POST",node="node1",status="200"} %2$d.0
                ringkv_storage_writes_total{node="node1"} 999
                """.formatted(get, put, getUnder5ms, putUnder25ms, cluster);
    }

    @Test
    void only_the_data_endpoints_count_as_requests() {
        RequestCounters c = RequestCounters.parse(metrics(100, 50, 80, 50, 7));
        assertThat(c.requests()).isEqualTo(150);
        assertThat(c.cumulativeByBound()).containsEntry(0.005, 80L).containsEntry(0.025, 150L)
                .containsEntry(Double.POSITIVE_INFINITY, 150L);
    }

    @Test
    void the_difference_of_two_samples_is_what_was_served_between_them_and_a_restart_gives_none() {
        RequestCounters before = RequestCounters.parse(metrics(100, 50, 80, 50, 7));
        RequestCounters after = RequestCounters.parse(metrics(300, 150, 260, 150, 70));
        RequestCounters served = after.since(before);
        assertThat(served.requests()).isEqualTo(300);
        assertThat(served.cumulativeByBound()).containsEntry(0.005, 180L).containsEntry(0.025, 300L);
        assertThat(before.since(after)).as("counters went down: the node restarted").isNull();
    }

    @Test
    void the_p99_is_interpolated_within_its_bucket_as_prometheus_does() {
        // 100 requests: 90 under 5 ms, 10 between 5 and 25 ms: rank 99 is 9/10 into (5, 25] ms = 23 ms
        RequestCounters c = new RequestCounters(100, Map.of(0.001, 0L, 0.005, 90L, 0.025, 100L, Double.POSITIVE_INFINITY, 100L));
        assertThat(c.quantileMillis(0.99)).isCloseTo(23.0, within(1e-9));
        // every request under 1 ms: somewhere in (0, 1] ms
        assertThat(new RequestCounters(10, Map.of(0.001, 10L, Double.POSITIVE_INFINITY, 10L)).quantileMillis(0.99))
                .isCloseTo(0.99, within(1e-9));
        // beyond the last finite bound: reported as that bound
        assertThat(new RequestCounters(10, Map.of(10.0, 5L, Double.POSITIVE_INFINITY, 10L)).quantileMillis(0.99))
                .isEqualTo(10_000.0);
        assertThat(RequestCounters.NONE.quantileMillis(0.99)).isNaN();
    }

    @Test
    void load_figures_need_the_same_nodes_in_both_samples() {
        RequestCounters a = RequestCounters.parse(metrics(100, 0, 100, 0, 0));
        RequestCounters b = RequestCounters.parse(metrics(300, 0, 300, 0, 0));
        LoadFigures f = LoadFigures.between(Map.of("n1", a, "n2", a), Map.of("n1", b, "n2", b), 2.0);
        assertThat(f.opsPerSecond()).isEqualTo(200.0);
        assertThat(f.opsPerNode()).isEqualTo(100.0);
        assertThat(f.p99Millis()).isBetween(1.0, 5.0);
        assertThat(LoadFigures.between(Map.of("n1", a), Map.of("n1", b, "n2", b), 2.0)).as("a node joined").isNull();
        assertThat(LoadFigures.between(Map.of("n1", a), Map.of("n1", RequestCounters.parse(metrics(110, 0, 110, 0, 0))), 1.0)
                .hasP99()).as("10 requests are too few for a p99").isFalse();
    }
}
