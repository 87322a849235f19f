package io.ringkv.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole benchmark with tiny parameters, so CI exercises every row on both engines. */
class StorageBenchmarkTest {
    @TempDir
    Path dir;

    private StorageBenchmarkParams.Builder tiny() {
        return StorageBenchmarkParams.builder()
                .dir(dir)
                .keys(5_000)
                .readOps(5_000)
                .missingReadOps(5_000)
                .syncWriters(16)
                .syncWritesPerWriter(10)
                .rowTimeLimit(Duration.ofSeconds(30))
                .progressInterval(Duration.ofMillis(200));
    }

    @Test
    void bothEnginesRunEveryRowAndPrintARatio() throws Exception {
        String output = run(tiny().build(), StorageBenchmark.OK);

        for (String title : List.of("random write", "random read (existing)", "read missing key",
                "durable write (16 writers)")) {
            // Each row's line carries two ops/s figures and a ratio such as 0.85.
            assertThat(output).containsPattern(Pattern.compile(
                    "\\| " + Pattern.quote(title) + " +\\| +[0-9,.]+ \\| +[0-9,.]+ \\| +[0-9]+\\.[0-9]{2} \\|"));
        }
        assertThat(output).contains("ringkv after load + flush", "rocksdb after full compaction",
                "EngineStats.writeAmplification()", "storage benchmark: done");
        assertThat(output).doesNotContain("FAILED", "WRONG ANSWERS");
        assertScratchDeleted();
    }

    @Test
    void rocksDbAloneRunsEveryRow() throws Exception {
        String output = run(tiny().engines(List.of(EngineKind.ROCKSDB)).build(), StorageBenchmark.OK);

        assertThat(output).contains("random write", "random read (existing)", "read missing key",
                "durable write (16 writers)", "rocksdb after load + flush", "storage benchmark: done");
        // Only one engine: there is no ratio to print.
        assertThat(output).containsPattern("\\| random write +\\| +[0-9,.]+ \\| +n/a \\|");
        // Every missing-key read was answered by a bloom filter or found nothing.
        assertThat(output).doesNotContain("WRONG ANSWERS");
        assertScratchDeleted();
    }

    @Test
    void aFailingEngineIsReportedTheOtherStillRunsAndTheRunReturnsFailure() throws Exception {
        BenchEngine.Opener ringkvBroken = (kind, engineDir, durability) -> {
            if (kind == EngineKind.RINGKV) {
                throw new IllegalStateException("disk on fire");
            }
            return BenchEngine.open(kind, engineDir, durability);
        };
        String output = run(tiny().rows("write,sync-write").build(), ringkvBroken, StorageBenchmark.FAILED);

        assertThat(output).contains("FAILED: ringkv in load and read: java.lang.IllegalStateException: disk on fire",
                "FAILED: ringkv in durable writes", "storage benchmark: FAILED");
        assertThat(output).containsPattern("\\| random write +\\| +failed \\| +[0-9,.]+ \\| +n/a \\|");
        assertScratchDeleted();
    }

    private String run(StorageBenchmarkParams params, int expectedExit) {
        return run(params, BenchEngine::open, expectedExit);
    }

    private String run(StorageBenchmarkParams params, BenchEngine.Opener opener, int expectedExit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            exit = StorageBenchmark.run(out, params, opener);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(expectedExit);
        return output;
    }

    private void assertScratchDeleted() throws Exception {
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("scratch directories are deleted after the run").isEmpty();
        }
    }
}
