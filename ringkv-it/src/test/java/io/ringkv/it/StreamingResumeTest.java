package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A join's streaming survives kill -9 of either side (docs/design/membership.md, "Failures"):
 * the joiner, killed mid-stream, restarts JOINING and resumes from its checkpoint rather than from
 * scratch; a source killed mid-stream is replaced by another replica of the range. The joiner is
 * throttled so that the stream lasts long enough to be cut twice.
 */
class StreamingResumeTest {
    private static final int KEYS = 1_200;
    private static final String VALUE_PADDING = "x".repeat(1_000);

    private LocalClusterProcesses cluster;

    @RegisterExtension
    final OwnCluster own = new OwnCluster();

    @Test
    void aJoinResumesAfterKillNineOfTheJoinerAndOfASource() {
        cluster = own.start(ClusterSettings.of(4), 3);
        Map<String, String> written = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "resume-" + i;
            String value = i + VALUE_PADDING;
            Reply put = cluster.client(1 + i % 3).put(key, value);
            assertThat(put.status()).as("put %s: %s", key, put).isEqualTo(200);
            written.put(key, value);
        }
        cluster.appendConfig(4, "streaming: {throttle: 48KiB, pageSize: 8KiB}");
        cluster.startJoining(4);

        JsonNode beforeKill = awaitProgress("node4 streaming a fifth of its ranges", p -> p.path("rangesDone").asInt()
                >= p.path("rangesTotal").asInt() / 5 && p.path("rangesTotal").asInt() > 0);
        int doneBeforeKill = beforeKill.path("rangesDone").asInt();
        cluster.kill9(4);
        cluster.restart(4);
        JsonNode resumed = awaitProgress("node4 resuming its join", p -> p.path("state").asText().equals("STREAMING"));
        System.out.printf("joiner killed at %d/%d ranges; resumed at %d/%d%n", doneBeforeKill,
                beforeKill.path("rangesTotal").asInt(), resumed.path("rangesDone").asInt(), resumed.path("rangesTotal").asInt());
        assertThat(resumed.path("rangesDone").asInt()).as("ranges kept from before the kill (checkpoint), not restarted")
                .isGreaterThanOrEqualTo(doneBeforeKill - 1).isPositive();

        int doneBeforeSourceKill = awaitProgress("node4 streaming on", p -> p.path("rangesDone").asInt()
                > resumed.path("rangesDone").asInt() + 5).path("rangesDone").asInt();
        cluster.kill9(1);
        awaitProgress("node4 streaming past the dead source", p -> p.path("rangesDone").asInt() > doneBeforeSourceKill + 20
                || p.path("state").asText().equals("DONE"));
        cluster.restart(1);
        cluster.awaitJoined(4);
        cluster.awaitConverged();

        List<String> missing = new ArrayList<>();
        Map<String, Integer> indexById = new LinkedHashMap<>();
        cluster.memberNodes().forEach(n -> indexById.put(n.id(), n.index()));
        for (Map.Entry<String, String> e : written.entrySet()) {
            for (String replica : AdminProbe.replicas(cluster.client(2), e.getKey())) {
                Optional<List<String>> stored = AdminProbe.local(cluster.client(indexById.get(replica)), e.getKey());
                if (stored.isEmpty() || !stored.get().contains(e.getValue())) {
                    missing.add(e.getKey() + " on " + replica);
                }
            }
        }
        assertThat(missing).as("keys absent from a replica after the join").isEmpty();
    }

    private JsonNode awaitProgress(String what, java.util.function.Predicate<JsonNode> done) {
        return Await.until(Duration.ofSeconds(90), what, () -> {
            if (!cluster.isServing(4)) {
                return Optional.empty();
            }
            Reply reply = cluster.client(4).send("GET", "/api/v1/admin/streaming", null);
            return reply.status() == 200 && done.test(reply.json()) ? Optional.of(reply.json()) : Optional.empty();
        });
    }
}
