package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers only a cluster (or a broken node) gives, served by a stub over a real socket. */
class ResponseMappingTest {
    private static RingkvClient clientFor(StubNode stub) {
        return RingkvClient.builder().nodes(List.of(stub.uri())).build();
    }

    @Test
    void quorum_not_met_carries_required_and_acknowledged() {
        try (StubNode stub = StubNode.answering(503,
                "{\"error\":\"quorum_not_met\",\"message\":\"put: 1 of 2 replicas acknowledged\",\"required\":2,\"acknowledged\":1}");
             RingkvClient client = clientFor(stub)) {
            assertThatThrownBy(() -> client.put("k", null, new byte[] {1}))
                    .isInstanceOfSatisfying(QuorumNotMetException.class, e -> {
                        assertThat(e.required()).isEqualTo(2);
                        assertThat(e.acknowledged()).isEqualTo(1);
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("1 of 2 replicas acknowledged");
                    });
            assertThat(stub.targets()).containsExactly("PUT /api/v1/kv/k");
        }
    }

    @Test
    void other_server_errors_keep_their_status_and_code() {
        try (StubNode stub = StubNode.answering(500, "{\"error\":\"store_failure\",\"message\":\"disk on fire\"}");
             RingkvClient client = clientFor(stub)) {
            assertThatThrownBy(() -> client.get("k")).isExactlyInstanceOf(RingkvServerException.class)
                    .satisfies(e -> {
                        RingkvServerException s = (RingkvServerException) e;
                        assertThat(s.status()).isEqualTo(500);
                        assertThat(s.errorCode()).isEqualTo("store_failure");
                        assertThat(s.getMessage()).contains("disk on fire");
                    });
        }
    }

    @Test
    void an_unknown_path_is_not_mistaken_for_an_absent_key() {
        try (StubNode stub = StubNode.answering(404, "{\"error\":\"no_route\",\"message\":\"no endpoint\"}");
             RingkvClient client = clientFor(stub)) {
            assertThatThrownBy(() -> client.get("k")).isInstanceOfSatisfying(RingkvServerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo("no_route"));
        }
    }

    @Test
    void a_non_json_error_body_becomes_the_message() {
        try (StubNode stub = StubNode.answeringChunked(502, "text/plain", "bad gateway");
             RingkvClient client = clientFor(stub)) {
            assertThatThrownBy(() -> client.get("k")).isInstanceOfSatisfying(RingkvServerException.class, e -> {
                assertThat(e.status()).isEqualTo(502);
                assertThat(e.errorCode()).isEqualTo("http_502");
                assertThat(e.getMessage()).contains("bad gateway");
            });
        }
    }

    @Test
    void chunked_bodies_are_read_whole() {
        String big = "x".repeat(100_000);
        try (StubNode stub = StubNode.answeringChunked(200, "application/octet-stream", big);
             RingkvClient client = clientFor(stub)) {
            assertThat(client.get("k").values()).containsExactly(big.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void quorum_parameters_go_in_the_query() {
        try (StubNode stub = StubNode.answering(200, "{\"key\":\"k\",\"context\":\"abc\"}");
             RingkvClient client = clientFor(stub)) {
            assertThat(client.put("k".getBytes(StandardCharsets.UTF_8), null, new byte[0], WriteOptions.w(3))).isEqualTo("abc");
            client.delete("k".getBytes(StandardCharsets.UTF_8), "abc", WriteOptions.w(2));
            assertThat(stub.targets()).containsExactly("PUT /api/v1/kv/k?w=3", "DELETE /api/v1/kv/k?w=2");
        }
    }
}
