package io.ringkv.bench.storage;

import io.ringkv.bench.common.LatencySummary;
import io.ringkv.bench.common.ProcessMeters;
import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * RocksDB's own benchmark tool, {@code db_bench} (Debian's {@code rocksdb-tools}), on the same
 * rows with the same sizes and settings as the in-process engines: the engine-against-engine
 * baseline, with no JNI boundary and no Java harness in RocksDB's way. Every row is a separate
 * invocation over the row's database (created by the load), so each is timed by db_bench itself
 * and its CPU is the child's alone.
 *
 * <p>What cannot be identical: db_bench makes its own keys (fixed-size, {@link KeySpace#MEAN_KEY_BYTES}
 * bytes: ours are 16-24) and values (incompressible, as ours are, with {@code --compression_ratio=1});
 * it has no untimed warm-up (native code needs no JIT; its block cache starts cold). Its
 * {@code flush} step prints no timing: the write row's flush is timed from the moment the fill's
 * result line appears to the moment the flush's line does ({@code stdbuf -oL} makes db_bench
 * print line by line).
 */
final class DbBenchRunner {
    /** Where Debian's package puts it; {@code RINGKV_DB_BENCH} names another. */
    static final String DEFAULT_EXECUTABLE = "/usr/bin/db_bench";
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture we run on
    private static final long KILL_GRACE_SECONDS = 60;

    private final StorageBenchmarkParams params;
    private final PrintStream out;
    private final BenchmarkResults results;
    private final String executable;
    private final int repeat;

    DbBenchRunner(StorageBenchmarkParams params, PrintStream out, BenchmarkResults results, int repeat) {
        this.params = params;
        this.out = out;
        this.results = results;
        this.executable = executable();
        this.repeat = repeat;
    }

    static String executable() {
        String configured = System.getenv("RINGKV_DB_BENCH");
        return configured == null || configured.isBlank() ? DEFAULT_EXECUTABLE : configured;
    }

    /** Whether db_bench can run here; the reason it cannot otherwise. */
    static String unavailableReason() {
        Path exe = Path.of(executable());
        if (!Files.isExecutable(exe)) {
            return exe + " not found: install Debian's rocksdb-tools (bench/storage-bench.sh does) or set RINGKV_DB_BENCH";
        }
        return null;
    }

    /** Rows 1-3: load with the fill + flush timed as the write row, compact, then the two read rows. */
    void loadAndRead(Path dir) {
        long cache = EngineSettings.BLOCK_CACHE_BYTES;
        Invocation load = run("load", dir, cache, List.of("--benchmarks=filluniquerandom,flush", "--num=" + params.keys()));
        DbBenchOutput.Result fill = load.output.require("filluniquerandom", load.lines);
        if (params.runs(Row.RANDOM_WRITE)) {
            long flushNanos = load.nanosBetween("filluniquerandom", "flush memtable");
            results.add(row(Row.RANDOM_WRITE, fill, params.keys(), load.cpuNanos, 0)
                    .plusNanos(flushNanos)
                    .withNote(String.format(Locale.ROOT, "incl. final flush %.2f s", flushNanos / 1e9)));
        }
        run("compact", dir, cache, List.of("--benchmarks=compact", "--num=" + params.keys(), "--use_existing_db=1"));
        if (params.runs(Row.RANDOM_READ)) {
            readRow(Row.RANDOM_READ, dir, cache, "readrandom", params.keys(), params.readOps(), params.readOps());
        }
        if (params.runs(Row.MISSING_READ)) {
            readRow(Row.MISSING_READ, dir, cache, "readmissing", params.keys(), params.missingReadOps(), 0);
        }
        keepOptionsFile(dir, "load");
    }

    /** Row 4: each of N threads makes its writes with {@code sync=true}, as EngineRun's writers do. */
    void durableWrites(Path dir) {
        int writers = params.syncWriters();
        int perWriter = params.syncWritesPerWriter();
        long ops = (long) writers * perWriter;
        Invocation sync = run("sync", dir, EngineSettings.BLOCK_CACHE_BYTES, List.of("--benchmarks=fillrandom",
                "--num=" + ops, "--writes=" + perWriter, "--threads=" + writers, "--sync=1",
                "--enable_pipelined_write=1", "--enable_write_thread_adaptive_yield=0"));
        DbBenchOutput.Result r = sync.output.require("fillrandom", sync.lines);
        results.add(row(Row.SYNC_WRITE, r, ops, sync.cpuNanos, 0).withNote("pipelined writes, no adaptive yield"));
        keepOptionsFile(dir, "sync");
    }

    /** The big rows over a data set several times the (smaller) cache. */
    void bigData(Path dir) {
        long cache = params.bigCacheBytes();
        int keys = params.bigKeys();
        run("big load", dir, cache, List.of("--benchmarks=filluniquerandom,flush,compact", "--num=" + keys));
        if (params.runs(Row.BIG_READ)) {
            readRow(Row.BIG_READ, dir, cache, "readrandom", keys, params.readOps(), params.readOps());
        }
        if (params.runs(Row.BIG_MIXED)) {
            Invocation mixed = run("big mixed", dir, cache, List.of("--benchmarks=readrandomwriterandom",
                    "--readwritepercent=50", "--num=" + keys, "--reads=" + params.readOps(), "--use_existing_db=1"));
            DbBenchOutput.Result r = mixed.output.require("readrandomwriterandom", mixed.lines);
            results.add(row(Row.BIG_MIXED, r, params.readOps(), mixed.cpuNanos, 0).withNote("db_bench readrandomwriterandom"));
        }
        keepOptionsFile(dir, "big");
    }

    private void readRow(Row row, Path dir, long cache, String benchmark, int keys, long reads, long expectFound) {
        Invocation read = run(row.id(), dir, cache, List.of("--benchmarks=" + benchmark, "--num=" + keys,
                "--reads=" + reads, "--use_existing_db=1"));
        DbBenchOutput.Result r = read.output.require(benchmark, read.lines);
        long wrong = r.found() < 0 ? 0 : Math.abs(expectFound - r.found());
        results.add(row(row, r, reads, read.cpuNanos, wrong).withNote("cold block cache at start (no warm-up)"));
    }

    private RowResult row(Row row, DbBenchOutput.Result r, long planned, long cpuNanos, long wrongAnswers) {
        LatencySummary latency = r.latency() != null ? r.latency()
                : new LatencySummary(r.operations(), Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new RowResult(row, EngineKind.DB_BENCH, planned, r.operations(), wrongAnswers,
                (long) (r.seconds() * 1e9), 0, latency, new ProcessMeters(cpuNanos, -1, -1), "");
    }

    /** The settings every invocation shares: those EngineSettings gives the in-process engines. */
    private List<String> common(Path dir, long cacheBytes) {
        return List.of("--db=" + dir, "--value_size=" + params.valueBytes(), "--key_size=" + KeySpace.MEAN_KEY_BYTES,
                "--compression_type=lz4", "--compression_ratio=1", "--block_size=" + EngineSettings.BLOCK_BYTES,
                "--cache_size=" + cacheBytes, "--cache_type=hyper_clock_cache",
                "--bloom_bits=" + (int) EngineSettings.ROCKSDB_BLOOM_BITS_PER_KEY,
                "--write_buffer_size=" + EngineSettings.MEMTABLE_BYTES,
                "--max_write_buffer_number=" + (EngineSettings.IMMUTABLE_MEMTABLES + 1),
                "--use_data_block_hash_index=1", "--statistics=0", "--histogram=1",
                "--seed=" + (params.seed() & Long.MAX_VALUE | 1));
    }

    private Invocation run(String step, Path dir, long cacheBytes, List<String> benchmarkArgs) {
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", executable));
        command.addAll(common(dir, cacheBytes));
        command.addAll(benchmarkArgs);
        out.printf(Locale.ROOT, "  db_bench %s: %s%n", step, String.join(" ", benchmarkArgs));
        long cpuBefore = childrenCpuNanos();
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start db_bench (" + executable + "): " + e.getMessage(), e);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
                arrivals.add(System.nanoTime());
            }
            if (!process.waitFor(params.rowTimeLimit().toSeconds() + KILL_GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("db_bench " + step + " did not finish in time");
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException("cannot read db_bench's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while db_bench ran", e);
        }
        keepLog(step, lines);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("db_bench " + step + " exited with " + process.exitValue() + ": "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
        return new Invocation(lines, arrivals, DbBenchOutput.parse(lines), childrenCpuNanos() - cpuBefore);
    }

    /**
     * CPU time of this process's waited-for children (fields cutime and cstime of /proc/self/stat):
     * the kernel adds a child's CPU there when it is reaped, so the difference across one
     * invocation is db_bench's own, all its threads included. 10 ms resolution.
     */
    static long childrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
            long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void keepLog(String step, List<String> lines) {
        if (params.resultsDir() == null) {
            return;
        }
        Path file = params.resultsDir().resolve("db_bench-" + step.replace(' ', '-') + "-repeat" + repeat + ".log");
        try {
            Files.createDirectories(params.resultsDir());
            Files.write(file, lines);
        } catch (IOException e) {
            out.println("warning: cannot keep db_bench's output in " + file + ": " + e);
        }
    }

    private void keepOptionsFile(Path dir, String phase) {
        RocksDbOptionsFile.keep(dir, params.resultsDir(), "db_bench-" + phase, out);
    }

    /** One finished db_bench process: its lines, when each arrived, the parsed results and its CPU. */
    private record Invocation(List<String> lines, List<Long> arrivals, DbBenchOutput output, long cpuNanos) {

        /** Nanoseconds from the line starting with {@code first} to the next line starting with {@code second}. */
        long nanosBetween(String first, String second) {
            int from = -1;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (from < 0 && line.startsWith(first)) {
                    from = i;
                } else if (from >= 0 && line.startsWith(second)) {
                    return arrivals.get(i) - arrivals.get(from);
                }
            }
            throw new IllegalStateException("db_bench printed no '" + second + "' after '" + first + "'");
        }
    }
}
