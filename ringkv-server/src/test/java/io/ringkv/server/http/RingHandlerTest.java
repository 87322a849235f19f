package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring's answer on its own: each token's replicas as indexes into {@code nodes}, a size that
 * stays small at 6 nodes x 256 vnodes, and the entity tag: {@code If-None-Match} with the
 * version is a 304 without a body. (Over real sockets: DashboardEndpointsTest.)
 */
class RingHandlerTest {
    private final Random random = new Random(11);

    /** {@code nodeCount} owners of {@code vnodes} random tokens each, every range with {@code replicas} random distinct nodes. */
    private RingView view(int nodeCount, int vnodes, int replicas) {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= nodeCount; n++) {
            ids.add("node" + n);
        }
        List<RingView.NodeTokens> nodes = new ArrayList<>();
        for (String id : ids) {
            List<String> tokens = new ArrayList<>();
            List<List<String>> ranges = new ArrayList<>();
            for (int t = 0; t < vnodes; t++) {
                tokens.add(String.format("%016x%016x", random.nextLong(), random.nextLong()));
                List<String> others = new ArrayList<>(ids);
                others.remove(id);
                Collections.shuffle(others, random);
                List<String> range = new ArrayList<>(List.of(id));
                range.addAll(others.subList(0, replicas - 1));
                ranges.add(range);
            }
            Collections.sort(tokens);
            nodes.add(new RingView.NodeTokens(id, tokens, ranges));
        }
        return new RingView("node1", "0123456789abcdef", nodes);
    }

    private static ApiRequest get(String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return new ApiRequest(HttpMethod.GET, "/api/v1/ring", Map.of(), h, new byte[0]);
    }

    @Test
    void each_tokens_replicas_are_indexes_into_the_nodes_in_preference_list_order() {
        RingView view = view(4, 8, 3);
        JsonNode json = RingHandler.json(view);
        for (int n = 0; n < 4; n++) {
            JsonNode node = json.path("nodes").get(n);
            assertThat(node.path("replicas").size()).isEqualTo(node.path("tokens").size());
            for (int t = 0; t < 8; t++) {
                List<String> ids = new ArrayList<>();
                node.path("replicas").get(t).forEach(i -> ids.add(json.path("nodes").get(i.asInt()).path("id").asText()));
                assertThat(ids).isEqualTo(view.nodes().get(n).replicas().get(t));
            }
        }
    }

    @Test
    void six_nodes_of_256_vnodes_stay_well_under_200_kb() {
        for (int replicas : new int[] {3, 6}) {
            int bytes = JsonBodies.bytes(RingHandler.json(view(6, 256, replicas))).length;
            assertThat(bytes).as("N=%d", replicas).isLessThan(200 * 1024);
            System.out.printf("GET /api/v1/ring at 6 nodes x 256 vnodes, N=%d: %d bytes%n", replicas, bytes);
        }
    }

    @Test
    void if_none_match_with_the_version_is_a_304_without_a_body() {
        RingView view = view(3, 4, 2);
        RingHandler handler = new RingHandler(() -> view);
        Reply full = handler.handle(get()).join();
        assertThat(full.status().code()).isEqualTo(200);
        assertThat(full.headers()).containsEntry("ETag", "\"0123456789abcdef\"").containsEntry("Cache-Control", "no-cache");
        assertThat(full.body()).isNotEmpty();

        for (String matching : List.of("\"0123456789abcdef\"", "W/\"0123456789abcdef\"", "\"other\", \"0123456789abcdef\"", "*")) {
            Reply notModified = handler.handle(get("If-None-Match", matching)).join();
            assertThat(notModified.status().code()).as(matching).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
            assertThat(notModified.headers()).containsEntry("ETag", "\"0123456789abcdef\"");
        }
        assertThat(handler.handle(get("If-None-Match", "\"other\"", "If-None-Match", "\"0123456789abcdef\"")).join()
                .status().code()).as("a second header line counts too").isEqualTo(304);
        for (String other : List.of("\"0123456789abcde\"", "0123456789abcdef", "\"\"", "")) {
            assertThat(handler.handle(get("If-None-Match", other)).join().status().code()).as(other).isEqualTo(200);
        }
    }
}
