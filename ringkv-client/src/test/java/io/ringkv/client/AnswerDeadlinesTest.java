package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpConnection}'s deadlines, kept by {@link AnswerDeadlines} closing the connection,
 * against real loopback sockets: a node that accepted the connection (its backlog did) and
 * never answers, and one that answers at once. Without its deadlines a read here would block
 * for good: the class timeout turns that into a failure.
 */
@Timeout(60)
class AnswerDeadlinesTest {
    private final AnswerDeadlines deadlines = new AnswerDeadlines();

    @AfterEach
    void close() {
        deadlines.close();
    }

    private HttpConnection connect(ServerSocket server) throws Exception {
        return connect(server.getLocalPort());
    }

    private HttpConnection connect(int port) throws Exception {
        return HttpConnection.open(URI.create("http://127.0.0.1:" + port),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000, deadlines);
    }

    private static ServerSocket silentNode() throws Exception {
        return new ServerSocket(0, 16, InetAddress.getLoopbackAddress()); // accepts by its backlog, never reads
    }

    private static HttpConnection.Exchange get(HttpConnection c, Duration timeout) throws Exception {
        return c.exchange("GET", "/health", "127.0.0.1", null, null, null, System.nanoTime() + timeout.toNanos());
    }

    /** Runs {@code get} with {@code timeout}; returns how long it took to fail with a timeout. */
    private static long millisToTimeOut(HttpConnection c, Duration timeout) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> get(c, timeout)).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("no answer from").hasMessageContaining("in time");
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void a_silent_node_fails_the_exchange_once_its_deadline_passes_and_the_connection_is_closed() throws Exception {
        try (ServerSocket node = silentNode(); HttpConnection c = connect(node)) {
            assertThat(millisToTimeOut(c, Duration.ofMillis(300))).isBetween(290L, 5_000L);
            assertThat(c.peerClosed()).as("closed under the exchange, never reused").isTrue();
        }
    }

    @Test
    void an_exchange_due_before_the_one_the_thread_sleeps_for_still_times_out_on_time() throws Exception {
        try (ServerSocket node = silentNode(); HttpConnection patient = connect(node); HttpConnection hasty = connect(node)) {
            CompletableFuture<Long> slow = CompletableFuture.supplyAsync(() -> millisToTimeOut(patient, Duration.ofSeconds(20)));
            Thread.sleep(200); // the thread now sleeps until the patient exchange's deadline
            assertThat(millisToTimeOut(hasty, Duration.ofMillis(300))).isBetween(290L, 5_000L);
            assertThat(slow).isNotDone();
            patient.close(); // ends the patient exchange: closed by its owner, so not a timeout
            assertThat(slow).failsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void a_virtual_thread_times_out_too() throws Exception {
        try (ServerSocket node = silentNode(); HttpConnection c = connect(node)) {
            CompletableFuture<Long> took = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> took.complete(millisToTimeOut(c, Duration.ofMillis(300))));
            assertThat(took.get(10, TimeUnit.SECONDS)).isBetween(290L, 5_000L);
        }
    }

    @Test
    void a_connection_answered_in_time_is_not_closed_when_its_deadline_later_passes() throws Exception {
        try (StubNode node = StubNode.answering(200, "{\"status\":\"ok\"}");
             HttpConnection c = connect(node.uri().getPort())) {
            HttpConnection.Exchange first = get(c, Duration.ofMillis(300));
            assertThat(first.response().status()).isEqualTo(200);
            assertThat(first.keepAlive()).isTrue();
            Thread.sleep(600); // past the first exchange's deadline
            assertThat(c.peerClosed()).isFalse();
            assertThat(get(c, Duration.ofSeconds(5)).response().status()).isEqualTo(200);
            assertThat(c.exchanges()).isEqualTo(2);
        }
    }

    @Test
    void a_closed_client_still_bounds_the_calls_made_after_it_closed() throws Exception {
        deadlines.close();
        Thread.sleep(100); // its thread has ended: nothing was in progress
        try (ServerSocket node = silentNode(); HttpConnection c = connect(node)) {
            assertThat(millisToTimeOut(c, Duration.ofMillis(300))).isBetween(290L, 5_000L);
        }
    }

    @Test
    void a_deadline_already_past_fails_before_anything_is_sent() throws Exception {
        try (ServerSocket node = silentNode(); HttpConnection c = connect(node)) {
            assertThatThrownBy(() -> c.exchange("GET", "/health", "127.0.0.1", null, null, null, System.nanoTime() - 1))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(c.requestSent()).isFalse();
        }
    }
}
