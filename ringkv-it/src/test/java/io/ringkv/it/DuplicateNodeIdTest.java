package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The duplicate-id mistake with real processes: node 3's data directory copied (while node 3 was
 * paused, so the copy is consistent) for a fourth process on 127.0.0.4 that also says it is
 * node3. The copy started later, so it must refuse: stay up, answer 503 "refused" on /health with
 * what to do, and serve nothing, while node 3 keeps its place in every view and every write
 * still reaches all three real replicas.
 */
@ExtendWith(SharedThreeNodeCluster.class)
class DuplicateNodeIdTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void aProcessStartedOnACopyOfNode3sDataDirectoryRefusesAndNode3KeepsItsId(LocalClusterProcesses cluster) {
        String node3Peer = cluster.node(3).peerAddress();
        try (CopiedNodeProcess copy = cluster.startCopyOf(3)) {
            JsonNode health = Await.until(LIMIT, "the copy on " + copy.spec().host() + " to answer 503 refused on /health",
                    () -> {
                        if (!copy.isAlive()) {
                            throw new AssertionError("the copy exited instead of staying up refused; log:\n" + copy.logTail());
                        }
                        Reply reply = copy.client().send("GET", "/health", null, Duration.ofSeconds(2)); // throws until it listens
                        return reply.status() == 503 ? Optional.of(reply.json()) : Optional.empty();
                    });
            assertThat(health.path("status").asText()).isEqualTo("refused");
            assertThat(health.path("node").asText()).isEqualTo("node3");
            assertThat(health.path("idConflict").path("kept").path("peer").asText()).isEqualTo(node3Peer);
            assertThat(health.path("idConflict").path("message").asText())
                    .contains("node id node3 is already in use by the process at " + node3Peer)
                    .contains(copy.spec().dataDir().toString()).contains("empty data directory");
            assertThat(copy.logTail()).contains("ERROR").contains("node id node3 is already in use");

            Reply put = copy.client().put("dup-through-copy", "x");
            assertThat(put.status()).as("%s", put).isEqualTo(503);
            assertThat(put.error()).isEqualTo("node_refused");

            Await.until(LIMIT, "node3 to report the conflict and keep serving", () -> {
                Reply h = cluster.client(3).send("GET", "/health", null);
                return h.status() == 200 && h.json().path("idConflict").path("thisNode").asText().equals("kept");
            });
            for (int observer = 1; observer <= 2; observer++) {
                int o = observer;
                Await.until(LIMIT, "node" + o + " to see node3 at " + node3Peer, () ->
                        cluster.client(o).cluster().member("node3").map(m -> m.peer().equals(node3Peer)).orElse(false));
            }
            assertThat(cluster.client(1).cluster().member("node3").orElseThrow().isServing()).isTrue();

            // Every replica is a real node: w = 3 through node 1 succeeds, and node 3 itself has the value.
            Reply all = cluster.client(1).put("dup-after-refusal", "v", null, 3);
            assertThat(all.status()).as("%s", all).isEqualTo(200);
            assertThat(cluster.client(3).get("dup-after-refusal", 1).stringValues()).containsExactly("v");
            assertThat(copy.isAlive()).as("refused, not crashed").isTrue();
        }
    }
}
