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
            client.get("a"); // starts at the hang-up node: fails over, backs it off
            assertThat(hangUp.accepted()).isEqualTo(1);
            client.put("a", null, bytes("1")); // the hang-up node is in back-off: straight to the real node

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
    void a_read_the_node_does_not_answer_in_time_goes_to_the_next_node() throws Exception {
        try (InProcessNode node = InProcessNode.start(dir);
             SilentServer silent = new SilentServer();
             RingkvClient client = RingkvClient.builder().nodes(List.of(silent.uri(), node.uri()))
                     .nodeSelector((key, nodes) -> nodes) // always the silent node first
                     .nodeBackoff(Duration.ofMillis(1)).timeout(Duration.ofMillis(300)).build()) {
            assertThat(client.get("k").isEmpty()).isTrue();
        }
    }

    @Test
    void a_write_that_reached_a_node_and_got_no_answer_is_not_sent_to_another() throws Exception {
        try (InProcessNode node = InProcessNode.start(dir);
             SilentServer silent = new SilentServer();
             RingkvClient client = RingkvClient.builder().nodes(List.of(silent.uri(), node.uri()))
                     .nodeSelector((key, nodes) -> nodes)
                     .nodeBackoff(Duration.ofMillis(1)).timeout(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(() -> client.put("k", null, bytes("v")))
                    .isInstanceOfSatisfying(WriteOutcomeUnknownException.class, e -> assertThat(e.node()).isEqualTo(silent.uri()));
            try (RingkvClient direct = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
                assertThat(direct.get("k").isEmpty()).as("the write was not repeated on the real node").isTrue();
            }
        }
    }

    @Test
    void a_write_goes_to_the_next_node_when_the_first_refused_the_connection() {
        try (InProcessNode node = InProcessNode.start(dir);
             RingkvClient client = RingkvClient.builder().nodes(List.of(closedPort(), node.uri()))
                     .nodeSelector((key, nodes) -> nodes).build()) {
            client.put("k", null, bytes("v"));
            assertThat(client.get("k").values()).containsExactly(bytes("v"));
        }
    }

    @Test
    void a_write_over_an_idle_connection_the_node_closed_goes_out_on_a_fresh_one() throws Exception {
        try (OneAnswerPerConnectionServer server = new OneAnswerPerConnectionServer();
             RingkvClient client = RingkvClient.builder().nodes(List.of(server.uri())).build()) {
            for (int i = 0; i < 3; i++) {
                server.awaitClosed(i);
                client.put("k", null, bytes("v" + i));
            }
            assertThat(server.accepted()).isEqualTo(3);
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
    @Test
    void connect_primes_connections_that_requests_then_reuse_and_skips_a_node_that_is_down() throws Exception {
        URI down = closedPort();
        try (InProcessNode node = InProcessNode.start(dir);
             ForwardingServer proxy = new ForwardingServer(node.uri());
             RingkvClient client = RingkvClient.builder().nodes(List.of(down, proxy.uri())).build()) {
            assertThat(client.connect(4)).containsExactly(proxy.uri());
            assertThat(proxy.accepted()).isEqualTo(4);

            List<Thread> writers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) { // at most 4 requests in flight: the 4 primed connections suffice
                int id = t;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 25; i++) {
                        client.put("k" + id + "-" + i, null, bytes("v"));
                    }
                }));
            }
            for (Thread w : writers) {
                w.join();
            }
            assertThat(client.get("k3-24").values()).containsExactly(bytes("v"));
            assertThat(proxy.accepted()).as("no request opened a connection, none went to the node that is down").isEqualTo(4);
        }
    }

    @Test
    void connect_with_no_node_answering_names_each_of_them() {
        URI first = closedPort();
        URI second = closedPort();
        try (RingkvClient client = RingkvClient.builder().nodes(List.of(first, second)).build()) {
            assertThatThrownBy(() -> client.connect(2))
                    .isInstanceOfSatisfying(RingkvUnavailableException.class, e -> assertThat(e.failures()).hasSize(2));
            assertThatThrownBy(() -> client.connect(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Passes every connection through to {@code target}, counting them. */
    private static final class ForwardingServer extends LoopbackServer {
        private final URI target;

        ForwardingServer(URI target) {
            this.target = target;
        }

        @Override
        void serve(Socket s) throws IOException {
            try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                Thread back = Thread.ofVirtual().start(() -> {
                    try {
                        upstream.getInputStream().transferTo(s.getOutputStream());
                    } catch (IOException ignored) {
                        // either side closed
                    }
                });
                s.getInputStream().transferTo(upstream.getOutputStream());
                upstream.shutdownOutput();
                try {
                    back.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

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
        private final AtomicInteger closed = new AtomicInteger();

        @Override
        void serve(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int crlfs = 0;
            int b;
            while (crlfs < 4 && (b = in.read()) >= 0) { // up to the blank line
                crlfs = (b == '\r' || b == '\n') ? crlfs + 1 : 0;
                head.append((char) b);
            }
            int at = head.indexOf("Content-Length: ");
            if (at >= 0) { // a write: read its body, so the close is a clean FIN
                int length = Integer.parseInt(head.substring(at + 16, head.indexOf("\r", at)));
                in.readNBytes(length);
            }
            OutputStream out = s.getOutputStream();
            String answer = at >= 0
                    ? "HTTP/1.1 200 OK\r\nX-Ringkv-Context: ctx\r\nContent-Length: 0\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 2\r\n\r\nok";
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.close();
            closed.incrementAndGet();
        }

        /** Waits until the server closed its {@code n}th connection (so the client's pooled one is surely stale). */
        void awaitClosed(int n) throws InterruptedException {
            for (int i = 0; i < 500 && closed.get() < n; i++) {
                Thread.sleep(10);
            }
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
