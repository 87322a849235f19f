package io.ringkv.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

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

/** Runs the whole benchmark with tiny parameters, so CI exercises every row on every engine. */
class StorageBenchmarkTest {
    private static final List<String> ROW_TITLES = List.of("random write", "random read (existing)", "read missing key",
            "durable write (16 writers)", "random read, data 4x+ cache", "50/50 read/write, data 4x+ cache");

    @TempDir
    Path dir;
    @TempDir
    Path results;

    private StorageBenchmarkParams.Builder tiny() {
        return StorageBenchmarkParams.builder()
                .dir(dir)
                .keys(5_000)
                .readOps(5_000)
                .missingReadOps(5_000)
                .syncWriters(16)
                .syncWritesPerWriter(10)
                .bigKeys(40_000)
                .bigCacheBytes(1 << 20)
                .repeats(2)
                .resultsDir(results)
                .rowTimeLimit(Duration.ofSeconds(30))
                .progressInterval(Duration.ofMillis(200));
    }

    @Test
    void theJavaEnginesRunEveryRowTwiceAndPrintMedianRatiosWithTheirRange() throws Exception {
        String output = run(tiny().engines(List.of(EngineKind.RINGKV, EngineKind.ROCKSDBJNI)).build(), StorageBenchmark.OK);

        for (String title : ROW_TITLES) {
            // Each summary line: two "median (min-max)" throughputs and a ratio such as 0.85 (0.80-0.90).
            assertThat(output).containsPattern(Pattern.compile("\\| " + Pattern.quote(title)
                    + " +\\| +[0-9,.]+ \\([0-9,.]+-[0-9,.]+\\) \\| +[0-9,.]+ \\([0-9,.]+-[0-9,.]+\\) \\| +[0-9.]+ \\([0-9.]+-[0-9.]+\\) \\|"));
        }
        assertThat(output).contains("=== repeat 1 of 2, engines in the order [ringkv, rocksdbjni]",
                "=== repeat 2 of 2, engines in the order [rocksdbjni, ringkv]", "bar vs rocksdbjni: worst row's median ratio",
                "ringkv after load + flush", "rocksdbjni after full compaction", "EngineStats.writeAmplification()",
                "storage benchmark: done");
        assertThat(output).doesNotContain("FAILED", "WRONG ANSWERS", "TIME LIMIT");
        // RocksDB's options files are kept, and say what the comparison claims.
        try (Stream<Path> kept = Files.list(results)) {
            List<Path> options = kept.filter(f -> f.getFileName().toString().startsWith("rocksdbjni-")).toList();
            assertThat(options).extracting(f -> f.getFileName().toString().replaceAll("-OPTIONS-.*", ""))
                    .containsExactlyInAnyOrder("rocksdbjni-load", "rocksdbjni-sync", "rocksdbjni-big");
            String load = Files.readString(options.stream().filter(f -> f.toString().contains("-load-")).findFirst().orElseThrow());
            assertThat(load).contains("data_block_index_type=kDataBlockBinaryAndHash", "block_size=16384");
        }
        assertScratchDeleted();
    }

    @Test
    void dbBenchRunsEveryRowAsTheNativeBaseline() throws Exception {
        boolean required = "1".equals(System.getenv("RINGKV_REQUIRE_DB_BENCH"));
        if (!required) {
            assumeThat(DbBenchRunner.unavailableReason()).as("db_bench (Debian rocksdb-tools) is not installed").isNull();
        }
        String output = run(tiny().engines(List.of(EngineKind.RINGKV, EngineKind.DB_BENCH)).build(), StorageBenchmark.OK);

        for (String title : ROW_TITLES) {
            assertThat(output).containsPattern(Pattern.compile("\\| " + Pattern.quote(title)
                    + " +\\| +[0-9,.]+ \\([0-9,.]+-[0-9,.]+\\) \\| +[0-9,.]+ \\([0-9,.]+-[0-9,.]+\\) \\| +[0-9.]+ \\([0-9.]+-[0-9.]+\\) \\|"));
        }
        assertThat(output).contains("bar vs db_bench: worst row's median ratio", "storage benchmark: done");
        assertThat(output).doesNotContain("FAILED", "WRONG ANSWERS");
        try (Stream<Path> kept = Files.list(results)) {
            assertThat(kept.map(f -> f.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("db_bench-load-OPTIONS-"))
                    .anyMatch(name -> name.equals("db_bench-read-repeat2.log"));
        }
        assertScratchDeleted();
    }

    @Test
    void aFailingEngineIsReportedTheOtherStillRunsAndTheRunReturnsFailure() throws Exception {
        BenchEngine.Opener ringkvBroken = (kind, engineDir, durability, cache) -> {
            if (kind == EngineKind.RINGKV) {
                throw new IllegalStateException("disk on fire");
            }
            return BenchEngine.open(kind, engineDir, durability, cache);
        };
        String output = run(tiny().engines(List.of(EngineKind.RINGKV, EngineKind.ROCKSDBJNI)).repeats(1)
                .rows("write,sync-write").build(), ringkvBroken, StorageBenchmark.FAILED);

        assertThat(output).contains("FAILED: ringkv in load and read: java.lang.IllegalStateException: disk on fire",
                "FAILED: ringkv in durable writes", "storage benchmark: FAILED");
        assertThat(output).containsPattern("\\| random write +\\| +n/a \\| +[0-9,.]+ \\| +n/a \\|");
        assertScratchDeleted();
    }

    @Test
    void theEnginesTakeTurnsToGoFirst() {
        List<EngineKind> three = List.of(EngineKind.RINGKV, EngineKind.ROCKSDBJNI, EngineKind.DB_BENCH);
        assertThat(StorageBenchmark.rotated(three, 0)).containsExactly(EngineKind.RINGKV, EngineKind.ROCKSDBJNI, EngineKind.DB_BENCH);
        assertThat(StorageBenchmark.rotated(three, 1)).containsExactly(EngineKind.ROCKSDBJNI, EngineKind.DB_BENCH, EngineKind.RINGKV);
        assertThat(StorageBenchmark.rotated(three, 2)).containsExactly(EngineKind.DB_BENCH, EngineKind.RINGKV, EngineKind.ROCKSDBJNI);
        assertThat(StorageBenchmark.rotated(three, 3)).isEqualTo(StorageBenchmark.rotated(three, 0));
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
