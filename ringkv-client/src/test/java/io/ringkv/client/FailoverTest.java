package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which node a request goes to when nodes are down, slow, or drop idle connections. */
class FailoverTest {
    private static final long BACKOFF_NANOS = Duration.ofSeconds(2).toNanos();

    @TempDir
    Path dir;

    private static URI closedPort() {
        return URI.create("http://127.0.0.1:" + InProcessNode.freePort());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_closed_first_node_is_skipped_and_the_request_served_by_the_next() {
        try (InProcessNode node = InProcessNode.start(dir);
             RingkvClient client = RingkvClient.builder().nodes(List.of(closedPort(), node.uri())).build()) {
            for (int i = 0; i < 10; i++) { // round robin starts half of these at the closed port
                client.put("k" + i, null, bytes("v"));
                assertThat(client.get("k" + i).values()).containsExactly(bytes("v"));
            }
        }
    }

    @Test
    void a_failed_node_is_left_alone_during_its_backoff_and_tried_again_after_it() throws Exception {
        AtomicLong ticker = new AtomicLong();
        try (InProcessNode node = InProcessNode.start(dir);
             HangUpServer hangUp = new HangUpServer();
             RingkvClient client = RingkvClient.builder().nodes(List.of(hangUp.uri(), node.uri()))
                     .nodeBackoff(Duration.ofNanos(BACKOFF_NANOS)).ticker(ticker::get).build()) {
            client.put("a", null, bytes("1")); // starts at the hang-up node: fails over, backs it off
            assertThat(hangUp.accepted()).isEqualTo(1);

            for (int i = 0; i < 6; i++) {
                client.get("a");
            }
            assertThat(hangUp.accepted()).as("no request goes to a node in back-off").isEqualTo(1);

            ticker.addAndGet(BACKOFF_NANOS);
            for (int i = 0; i < 2; i++) { // one of two consecutive requests starts at it again
                client.get("a");
            }
            assertThat(hangUp.accepted()).isEqualTo(2);
        }
    }

    @Test
    void when_every_node_is_down_the_error_names_each_of_them() {
        URI first = closedPort();
        URI second = closedPort();
        try (RingkvClient client = RingkvClient.builder().nodes(List.of(first, second)).build()) {
            assertThatThrownBy(() -> client.get("k"))
                    .isInstanceOfSatisfying(RingkvUnavailableException.class, e -> {
                        assertThat(e.failures()).hasSize(2);
                        assertThat(e.getMessage()).contains(first.toString()).contains(second.toString());
                    });
            // Both are in back-off now, yet still tried as a last resort rather than not at all.
            assertThatThrownBy(() -> client.get("k")).isInstanceOfSatisfying(RingkvUnavailableException.class,
                    e -> assertThat(e.failures()).hasSize(2));
        }
    }

    @Test
    void a_node_that_does_not_answer_in_time_is_given_up_for_the_next() throws Exception {
        try (InProcessNode node = InProcessNode.start(dir);
             SilentServer silent = new SilentServer();
             RingkvClient client = RingkvClient.builder().nodes(List.of(silent.uri(), node.uri()))
                     .nodeSelector((key, nodes) -> nodes) // always the silent node first
                     .timeout(Duration.ofMillis(300)).build()) {
            client.put("k", null, bytes("v"));
            assertThat(client.get("k").values()).containsExactly(bytes("v"));
        }
    }

    @Test
    void an_http_error_answer_is_returned_not_retried_on_another_node() {
        try (StubNode overloaded = StubNode.answering(503, "{\"error\":\"overloaded\",\"message\":\"too many requests in flight\"}");
             StubNode other = StubNode.answering(200, "{}");
             RingkvClient client = RingkvClient.builder().nodes(List.of(overloaded.uri(), other.uri()))
                     .nodeSelector((key, nodes) -> nodes).build()) {
            assertThatThrownBy(() -> client.get("k")).isInstanceOf(ServerOverloadedException.class);
            assertThat(other.targets()).isEmpty();
        }
    }

    @Test
    void an_idle_connection_the_node_closed_is_replaced_without_giving_up_the_node() throws Exception {
        try (OneAnswerPerConnectionServer server = new OneAnswerPerConnectionServer();
             RingkvClient client = RingkvClient.builder().nodes(List.of(server.uri())).build()) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.get("k").values()).containsExactly(bytes("ok"));
            }
            assertThat(server.accepted()).isEqualTo(3);
        }
    }

    /** Accepts connections (counting them) and closes each at once, before answering. */
    private static final class HangUpServer extends LoopbackServer {
        @Override
        void serve(Socket s) throws IOException {
            s.close();
        }
    }

    /** Accepts connections and never answers. */
    private static final class SilentServer extends LoopbackServer {
        @Override
        void serve(Socket s) throws IOException {
            s.getInputStream().read(new byte[1024]); // keep it open until the client gives up
        }
    }

    /**
     * Answers one request per connection, keep-alive by the headers, then closes the
     * connection: like a node that dropped a pooled connection while it sat idle.
     */
    private static final class OneAnswerPerConnectionServer extends LoopbackServer {
        @Override
        void serve(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            int crlfs = 0;
            int b;
            while (crlfs < 4 && (b = in.read()) >= 0) { // up to the blank line; a GET has no body
                crlfs = (b == '\r' || b == '\n') ? crlfs + 1 : 0;
            }
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 2\r\n\r\nok"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.close();
        }
    }

    private abstract static class LoopbackServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger accepted = new AtomicInteger();
        private final Thread acceptor;

        LoopbackServer() {
            try {
                socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        accepted.incrementAndGet();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                serve(s);
                            } catch (IOException ignored) {
                                // the client went away
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        abstract void serve(Socket s) throws IOException;

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(5_000);
        }
    }
}
