package io.ringkv.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.server.RingkvNode;
import io.ringkv.server.TestNodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The design notes' API over real sockets against a real one-node cluster: {@code POST /api/v1/put}
 * with {@code {key, value}} and {@code GET /api/v1/getValue?key=K} (and the notes' spelling,
 * {@code getValye}) answering {@code {"key", "value"}}; concurrent versions surfaced as a 300
 * conflict, never one picked; bad input refused with a JSON body that names the problem.
 */
class DesignNotesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static RingkvNode node;
    private static TestHttp http;

    @BeforeAll
    static void start() throws InterruptedException {
        node = RingkvNode.start(TestNodes.single(dir.resolve("data")));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!node.membership().hasJoined()) { // a one-node cluster creates its ring after a few gossip rounds
            assertThat(System.nanoTime()).as("the node owns tokens within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        http = new TestHttp(node.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static TestHttp.Response put(String body) {
        return http.postJson("/api/v1/put", body);
    }

    @Test
    void a_string_a_list_and_an_object_put_as_the_notes_show_are_read_back_by_getValue_as_the_same_value() throws Exception {
        for (String value : List.of("\"hello\"", "[\"book\",\"pen\"]", "{\"name\":\"Ada\",\"items\":[1,2.50]}")) {
            String key = "notes:" + value.hashCode();
            TestHttp.Response written = put("{\"key\": \"" + key + "\", \"value\": " + value + "}");
            assertThat(written.status()).as(written.toString()).isEqualTo(200);

            TestHttp.Response read = http.get("/api/v1/getValue?key=" + key);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.header("Content-Type")).startsWith("application/json");
            assertThat(read.json().path("key").asText()).isEqualTo(key);
            assertThat(read.json().get("value")).as(read.toString()).isEqualTo(JSON.readTree(value));
            assertThat(read.json().has("conflict")).isFalse();
            assertThat(read.json().path("context").asText()).as("the context to write back with").isNotEmpty();
        }
    }

    @Test
    void the_notes_spelling_getValye_is_an_alias() {
        put("{\"key\": \"typo\", \"value\": \"same\"}");
        TestHttp.Response viaTypo = http.get("/api/v1/getValye?key=typo");
        assertThat(viaTypo.status()).isEqualTo(200);
        assertThat(viaTypo.json()).isEqualTo(http.get("/api/v1/getValue?key=typo").json());
    }

    @Test
    void two_puts_without_context_are_a_conflict_with_both_values_and_a_put_with_its_context_resolves_it() {
        put("{\"key\": \"cart:ada\", \"value\": [\"book\"]}");
        put("{\"key\": \"cart:ada\", \"value\": [\"pen\"]}");

        TestHttp.Response conflict = http.get("/api/v1/getValue?key=cart:ada");
        assertThat(conflict.status()).as(conflict.toString()).isEqualTo(300);
        assertThat(conflict.json().path("conflict").asBoolean()).isTrue();
        assertThat(conflict.json().has("value")).as("no single value is picked: %s", conflict).isFalse();
        assertThat(texts(conflict.json().path("values"))).containsExactlyInAnyOrder("[\"book\"]", "[\"pen\"]");
        assertThat(conflict.json().path("message").asText()).contains("2 concurrent versions");

        String context = conflict.json().path("context").asText();
        TestHttp.Response merged = put("{\"key\": \"cart:ada\", \"value\": [\"book\", \"pen\"], \"context\": \"" + context + "\"}");
        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        TestHttp.Response resolved = http.get("/api/v1/getValue?key=cart:ada");
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.json().path("value").toString()).isEqualTo("[\"book\",\"pen\"]");
    }

    @Test
    void an_absent_key_is_404_as_for_get() {
        TestHttp.Response absent = http.get("/api/v1/getValue?key=never-written");
        assertThat(absent.status()).isEqualTo(404);
        assertThat(absent.json().path("error").asText()).isEqualTo("not_found");
        assertThat(absent.json().path("key").asText()).isEqualTo("never-written");
    }

    @Test
    void bad_input_is_a_4xx_with_a_json_body_naming_the_problem() {
        expectError(http.get("/api/v1/getValue"), 400, "invalid_parameter", "\"key\" is required");
        expectError(http.get("/api/v1/getValue?key=k&colour=red"), 400, "invalid_parameter", "colour");
        expectError(http.get("/api/v1/getValue?key=k&r=9"), 400, "invalid_parameter", "r");
        expectError(http.get("/api/v1/getValue?key=" + "x".repeat(2000)), 413, "key_too_large", "key");
        expectError(http.postJson("/api/v1/getValue?key=k", "{}"), 405, "method_not_allowed", "GET");
        expectError(put("{\"key\": \"k\"}"), 400, "invalid_request", "\"value\" is required");
        expectError(put("{\"value\": \"v\"}"), 400, "invalid_request", "\"key\" is required");
        expectError(put("{\"key\": \"k\", \"value\": 42}"), 400, "invalid_request", "value");
        expectError(put("{\"key\": 7, \"value\": \"v\"}"), 400, "invalid_request", "key must be a non-empty string");
        expectError(put("{\"key\": \"k\", \"value\": \"v\", \"contxt\": \"c\"}"), 400, "invalid_request", "contxt");
        expectError(put("{key: xxx, value: xxx}"), 400, "invalid_json", "");
        expectError(http.get("/api/v1/getvalue?key=k"), 404, "no_route", "/api/v1/getValue");
    }

    private static void expectError(TestHttp.Response response, int status, String code, String messagePart) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().path("error").asText()).as(response.toString()).isEqualTo(code);
        assertThat(response.json().path("message").asText()).as(response.toString()).contains(messagePart);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.toString()));
        return out;
    }
}
