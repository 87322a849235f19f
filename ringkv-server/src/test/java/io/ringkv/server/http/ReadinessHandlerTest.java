package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code GET /health/ready}: ready only when serving and NORMAL in the node's own view (docs/kubernetes.md). */
class ReadinessHandlerTest {
    private static ClusterStatus viewWithSelf(String status, int tokens) {
        return new ClusterStatus("node4", List.of(
                new ClusterStatus.Member("node1", "NORMAL", "UP", 1, 10, 0, "127.0.0.1:9001", "127.0.0.1:8001", "dc1", "rack1", 1.0, 16, 0.5),
                new ClusterStatus.Member("node4", status, "UP", 1, 10, 0, "127.0.0.4:9004", "127.0.0.1:8004", "dc1", "rack1", 1.0, tokens, 0.0)),
                3, 2, 2, null);
    }

    private static JsonNode body(Reply reply) throws Exception {
        return JsonBodies.MAPPER.readTree(reply.body());
    }

    private static Reply ask(boolean serving, ClusterStatus view, Optional<ClusterStatus.IdConflict> conflict) {
        return ReadinessHandler.ready("node4", () -> serving, () -> view, () -> conflict).handle(null).join();
    }

    @Test
    void a_normal_node_with_tokens_is_ready() throws Exception {
        Reply reply = ask(true, viewWithSelf("NORMAL", 16), Optional.empty());
        assertThat(reply.status().code()).isEqualTo(200);
        assertThat(body(reply).path("status").asText()).isEqualTo("ready");
    }

    @Test
    void a_joining_or_leaving_node_is_alive_but_not_ready() throws Exception {
        for (String status : List.of("JOINING", "LEAVING", "LEFT")) {
            Reply reply = ask(true, viewWithSelf(status, 16), Optional.empty());
            assertThat(reply.status().code()).as(status).isEqualTo(503);
            assertThat(body(reply).path("status").asText()).isEqualTo("not_ready");
            assertThat(body(reply).path("reason").asText()).isEqualTo(status);
        }
    }

    @Test
    void a_node_not_yet_in_a_ring_a_stopping_node_and_a_refused_node_are_not_ready() throws Exception {
        ClusterStatus withoutSelf = new ClusterStatus("node4", List.of(), 3, 2, 2, null);
        assertThat(body(ask(true, withoutSelf, Optional.empty())).path("reason").asText()).isEqualTo("not_a_member");
        assertThat(body(ask(true, viewWithSelf("NORMAL", 0), Optional.empty())).path("reason").asText()).isEqualTo("no_tokens");
        assertThat(body(ask(false, viewWithSelf("NORMAL", 16), Optional.empty())).path("reason").asText()).isEqualTo("stopping");
        var refused = new ClusterStatus.IdConflict("node4", true, "a", "b", "c", "d", "copied directory");
        Reply reply = ask(true, viewWithSelf("NORMAL", 16), Optional.of(refused));
        assertThat(reply.status().code()).isEqualTo(503);
        assertThat(body(reply).path("reason").asText()).isEqualTo("refused");
    }
}
