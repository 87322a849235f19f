package io.ringkv.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.bench.common.ProcessMeters;
import io.ringkv.client.QuorumNotMetException;
import io.ringkv.client.RingkvServerException;
import io.ringkv.client.RingkvUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failures are counted by operation and kind, and each table row counts its own. */
class ClusterReportTest {
    private static final URI NODE = URI.create("http://127.0.0.1:8001");

    @Test
    void failures_are_reported_by_operation_and_kind() {
        WorkerStats a = new WorkerStats();
        WorkerStats b = new WorkerStats();
        long now = System.nanoTime();
        a.readDone(now - 1_000_000);
        b.writeDone(now - 2_000_000);
        a.failed("write", new QuorumNotMetException(2, 1, "1 of 2", NODE));
        b.failed("write", new QuorumNotMetException(2, 0, "0 of 2", NODE));
        b.failed("read", new RingkvServerException(500, "store_failure", "disk", NODE));
        a.failed("read", new RingkvUnavailableException(List.of(NODE + ": refused")));
        PhaseResult r = PhaseResult.merge("measured", List.of(a, b), 1_000_000_000L, ProcessMeters.now());

        assertThat(r.errors()).containsExactly(
                java.util.Map.entry("read RingkvServerException store_failure", 1L),
                java.util.Map.entry("read RingkvUnavailableException", 1L),
                java.util.Map.entry("write QuorumNotMetException", 2L));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ClusterReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)).phase(r);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).containsPattern("\\| read +\\| +1 \\|.*\\| +2 \\|");
        assertThat(text).containsPattern("\\| write +\\| +1 \\|.*\\| +2 \\|");
        assertThat(text).containsPattern("\\| total +\\| +2 \\|.*\\| +4 \\|");
        assertThat(text).contains("write QuorumNotMetException", "2");
    }
}
