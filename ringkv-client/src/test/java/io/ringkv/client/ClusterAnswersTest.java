package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading {@code GET /api/v1/ring}: the replicas a node placed, their absence from an older node, and damaged lists. */
class ClusterAnswersTest {
    private static final String A = "\"40000000000000000000000000000000\"";
    private static final String B = "\"80000000000000000000000000000000\"";
    private static final String C = "\"c0000000000000000000000000000000\"";

    private static ClusterAnswers.Ring ring(String nodes) throws IOException {
        return ClusterAnswers.ring(("{\"node\":\"a\",\"version\":\"v\",\"tokens\":3,\"nodes\":" + nodes + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void each_tokens_replicas_are_read_in_token_order() throws IOException {
        ClusterAnswers.Ring ring = ring("[{\"id\":\"a\",\"tokens\":[" + A + "," + C + "],\"replicas\":[[0,1],[0,1]]},"
                + "{\"id\":\"b\",\"tokens\":[" + B + "],\"replicas\":[[1,0]]}]");
        assertThat(ring.nodeIds()).containsExactly("a", "b");
        assertThat(ring.owners()).containsExactly(0, 0, 1);
        assertThat(ring.replicas()).containsExactly(new int[] {0, 1}, new int[] {0, 1}, new int[] {1, 0});
    }

    @Test
    void an_older_node_serves_no_replicas_and_the_client_walks_the_ring() throws IOException {
        ClusterAnswers.Ring ring = ring("[{\"id\":\"a\",\"tokens\":[" + A + "," + C + "]},{\"id\":\"b\",\"tokens\":[" + B + "]}]");
        assertThat(ring.replicas()).isNull();
        assertThat(ring.tokens()).hasSize(3);
    }

    @Test
    void damaged_replica_lists_are_refused_rather_than_routed_by() {
        for (String bad : new String[] {"[[0,1]]", "[[0,1],[0,2]]", "[[0,1],[]]", "[[0,1],[1,1]]", "[[0,1],[\"b\"]]", "[[0,1],[-1]]"}) {
            assertThatThrownBy(() -> ring("[{\"id\":\"a\",\"tokens\":[" + A + "," + C + "],\"replicas\":" + bad + "},"
                    + "{\"id\":\"b\",\"tokens\":[" + B + "],\"replicas\":[[1,0]]}]")).as(bad).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> ring("[{\"id\":\"a\",\"tokens\":[" + A + "," + C + "],\"replicas\":[[0],[0]]},"
                + "{\"id\":\"b\",\"tokens\":[" + B + "]}]")).as("one node without").isInstanceOf(IOException.class);
    }
}
