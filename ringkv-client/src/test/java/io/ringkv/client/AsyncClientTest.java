package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CompletableFuture variants against a real node; per-call quorums and timeouts. */
class AsyncClientTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void many_async_writes_in_flight_then_async_reads_see_them() throws Exception {
        try (InProcessNode node = InProcessNode.start(dir);
             RingkvClient client = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
            List<CompletableFuture<String>> writes = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                writes.add(client.putAsync("async-" + i, null, bytes("v" + i)));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 64; i++) {
                Versions read = client.getAsync("async-" + i).get(30, TimeUnit.SECONDS);
                assertThat(read.values()).containsExactly(bytes("v" + i));
                assertThat(read.context()).isEqualTo(writes.get(i).get());
            }
            String tombstone = client.deleteAsync("async-0", client.get("async-0").context()).get(30, TimeUnit.SECONDS);
            assertThat(client.get("async-0").isEmpty()).isTrue();
            assertThat(tombstone).isNotEmpty();

            TypedClient<String> text = client.typed(Codec.utf8());
            text.putAsync("async-typed", null, "hi").get(30, TimeUnit.SECONDS);
            assertThat(text.getAsync("async-typed").get(30, TimeUnit.SECONDS).value()).contains("hi");
        }
    }

    @Test
    void an_error_answer_completes_the_future_exceptionally_with_the_typed_exception() {
        try (InProcessNode node = InProcessNode.start(dir);
             RingkvClient client = RingkvClient.builder().nodes(List.of(node.uri())).build()) {
            CompletableFuture<String> tooMany = client.putAsync(bytes("k"), null, bytes("v"), WriteOptions.w(3)); // N = 1
            assertThatThrownBy(tooMany::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void a_per_call_timeout_bounds_the_wait_for_a_silent_node() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
             RingkvClient client = RingkvClient.builder().nodes("http://127.0.0.1:" + silent.getLocalPort())
                     .timeout(Duration.ofSeconds(30)).build()) {
            // The connection is accepted by the backlog and never answered; the call's 200 ms apply, not the client's 30 s.
            CompletableFuture<Versions> read = client.getAsync(bytes("k"), ReadOptions.timeout(Duration.ofMillis(200)));
            assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RingkvUnavailableException.class);
        }
    }
}
