package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real node in this JVM: every call goes over a real socket to the HTTP API. */
class RingkvClientTest {
    @TempDir
    Path dir;

    private InProcessNode node;
    private RingkvClient client;

    @BeforeEach
    void start() {
        node = InProcessNode.start(dir);
        client = RingkvClient.builder().nodes(List.of(node.uri())).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bytes_round_trip_with_the_context_of_the_write() {
        String written = client.put("greeting", null, bytes("hello"));

        Versions read = client.get("greeting");
        assertThat(read.versions()).containsExactly(new Version(bytes("hello"), false));
        assertThat(read.hasSiblings()).isFalse();
        assertThat(read.context()).isNotEmpty().isEqualTo(written);
    }

    @Test
    void any_key_bytes_reach_the_node_exactly() {
        byte[] awkward = {'a', '/', 'b', ' ', '%', '+', '?', '#', (byte) 0xFF, 0, 'z'};
        client.put(awkward, null, bytes("one"));
        client.put("a/b", null, bytes("two"));

        assertThat(client.get(awkward).values()).containsExactly(bytes("one"));
        assertThat(client.get("a/b").values()).containsExactly(bytes("two"));
        assertThat(client.get("a").isEmpty()).isTrue();
    }

    @Test
    void json_values_come_back_marked_as_json() {
        client.putJson("cart", null, "[\"apple\", \"pear\"]");

        Versions read = client.get("cart");
        assertThat(read.versions()).hasSize(1);
        assertThat(read.versions().getFirst().json()).isTrue();
        assertThat(read.versions().getFirst().text()).isEqualTo("[\"apple\",\"pear\"]");
    }

    /** Issue 10: the context a put returns, written back, supersedes that put and never another client's. */
    @Test
    void a_puts_context_written_back_keeps_another_clients_concurrent_write() {
        client.put("k", null, bytes("from-A"));
        String contextOfB = client.put("k", null, bytes("from-B"));
        client.put("k", contextOfB, bytes("from-B-again"));

        assertThat(client.get("k").values()).containsExactlyInAnyOrder(bytes("from-A"), bytes("from-B-again"));
    }

    // Dynamo §4.4: writes that do not know of each other become siblings; a write with the
    // merged context supersedes them all.
    @Test
    void concurrent_writes_are_siblings_with_one_context_and_a_write_with_it_resolves_them() {
        client.put("s", null, bytes("one"));
        client.putJson("s", null, "{\"n\": 1.50}");

        Versions siblings = client.get("s");
        assertThat(siblings.hasSiblings()).isTrue();
        assertThat(siblings.versions()).containsExactlyInAnyOrder(
                new Version(bytes("one"), false), new Version(bytes("{\"n\":1.50}"), true));
        assertThat(siblings.context()).isNotEmpty();

        client.put("s", siblings.context(), bytes("merged"));
        assertThat(client.get("s").values()).containsExactly(bytes("merged"));
    }

    @Test
    void a_write_with_the_context_of_the_previous_write_replaces_it() {
        String first = client.put("k", null, bytes("v1"));
        String second = client.put("k", first, bytes("v2"));

        Versions read = client.get("k");
        assertThat(read.values()).containsExactly(bytes("v2"));
        assertThat(read.context()).isEqualTo(second);
    }

    @Test
    void absent_and_deleted_keys_read_as_empty_and_a_delete_leaves_its_context() {
        Versions never = client.get("never-written");
        assertThat(never.isEmpty()).isTrue();
        assertThat(never.context()).isEmpty();

        String written = client.put("gone", null, bytes("x"));
        String tombstone = client.delete("gone", written);
        Versions deleted = client.get("gone");
        assertThat(deleted.isEmpty()).isTrue();
        assertThat(deleted.context()).isEqualTo(tombstone).isNotEmpty();

        client.put("gone", deleted.context(), bytes("back"));
        assertThat(client.get("gone").values()).containsExactly(bytes("back"));
    }

    @Test
    void a_refused_request_is_an_invalid_request_exception_with_the_servers_message() {
        // A single node has one replica of each key, so r=2 cannot be met: 400 invalid_parameter.
        assertThatThrownBy(() -> client.get(bytes("k"), ReadOptions.r(2)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("invalid_parameter");
                    assertThat(e.getMessage()).contains("r");
                    assertThat(e.node()).isEqualTo(node.uri());
                });
        assertThatThrownBy(() -> client.put(bytes("k"), null, new byte[20_000], WriteOptions.DEFAULT))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.errorCode()).isEqualTo("value_too_large");
                });
        assertThatThrownBy(() -> client.put(bytes("k"), "not a context!", bytes("v"), WriteOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.put(bytes("k"), "garbage", bytes("v"), WriteOptions.DEFAULT))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("invalid_request"));
        assertThat(client.get("k").isEmpty()).as("refused writes store nothing").isTrue();
    }

    @Test
    void quorum_parameters_within_range_are_passed_on() {
        String ctx = client.put(bytes("q"), null, bytes("v"), WriteOptions.w(1));
        assertThat(client.get(bytes("q"), ReadOptions.r(1)).context()).isEqualTo(ctx);
    }

    @Test
    void many_threads_share_one_client_and_its_connections() throws Exception {
        int threads = 8;
        int opsPerThread = 200;
        Thread[] workers = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = Thread.ofPlatform().start(() -> {
                try {
                    String ctx = null;
                    for (int i = 0; i < opsPerThread; i++) {
                        ctx = client.put("t" + id, ctx, bytes("v" + i));
                        assertThat(client.get("t" + id).values()).containsExactly(bytes("v" + i));
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
        }
        for (Thread w : workers) {
            w.join(60_000);
        }
        assertThat(failure[0]).isNull();
    }
}
