package io.ringkv.bench.storage;

import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import io.ringkv.bench.storage.StorageBenchmarkParams.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * ringkv's LSM engine against RocksDB on the same workloads: through rocksdbjni in this process
 * (Java caller against Java caller) and as RocksDB's own db_bench (engine against engine). One
 * engine at a time (each closed, its files deleted and the heap collected before the next
 * starts); every engine runs every row {@code repeats} times, in an order that rotates from one
 * repeat to the next so a machine's drift does not always favour the same one; the report gives
 * median and min-max per row. What the rows are and why the settings are fair is in
 * docs/benchmarks.md, "Storage engine vs RocksDB".
 *
 * <p>Entry points: {@link #run(PrintStream, StorageBenchmarkParams)} (used by
 * {@code bin/ringkv bench storage}) and {@link #main(String[])} for development.
 */
public final class StorageBenchmark {
    /** Exit code: every engine ran every row and every read returned the right answer. */
    public static final int OK = 0;
    /** Exit code: an engine failed, or returned a wrong answer. */
    public static final int FAILED = 1;
    /** Exit code: bad command-line arguments. */
    public static final int USAGE = 2;

    private StorageBenchmark() {
    }

    /** Runs the benchmark, printing progress and results to {@code out}; returns {@link #OK} or {@link #FAILED}. */
    public static int run(PrintStream out, StorageBenchmarkParams params) {
        return run(out, params, BenchEngine::open);
    }

    static int run(PrintStream out, StorageBenchmarkParams params, BenchEngine.Opener opener) {
        if (params.engines().contains(EngineKind.DB_BENCH) && DbBenchRunner.unavailableReason() != null) {
            out.println("storage benchmark: " + DbBenchRunner.unavailableReason()
                    + "; or leave it out with --engines=ringkv,rocksdbjni");
            return FAILED;
        }
        KeySpace keys = new KeySpace(params.seed(), params.valueBytes());
        Path parent = params.dir() != null ? params.dir() : Path.of(System.getProperty("java.io.tmpdir"));
        Path runDir;
        try {
            Files.createDirectories(parent);
            runDir = Files.createTempDirectory(parent, "storage-bench-");
        } catch (IOException e) {
            out.println("cannot create a scratch directory under " + parent + ": " + e);
            return FAILED;
        }
        printHeader(out, params, runDir);
        ReportPrinter printer = new ReportPrinter(params, out);
        List<BenchmarkResults> repeats = new ArrayList<>();
        try {
            for (int repeat = 1; repeat <= params.repeats(); repeat++) {
                List<EngineKind> order = rotated(params.engines(), repeat - 1);
                out.printf(Locale.ROOT, "=== repeat %d of %d, engines in the order %s%n", repeat, params.repeats(),
                        order.stream().map(EngineKind::id).toList());
                BenchmarkResults results = new BenchmarkResults();
                for (Phase phase : Phase.values()) {
                    if (!phase.runsIn(params)) {
                        continue;
                    }
                    for (EngineKind engine : order) {
                        Path dir = runDir.resolve(engine.id() + "-" + phase.dirSuffix);
                        int thisRepeat = repeat;
                        phase(out, results, engine, phase.title, dir, engineDir -> {
                            if (engine.inProcess()) {
                                phase.inProcess.accept(new EngineRun(engine, opener, params, keys, out, results), engineDir);
                            } else {
                                phase.dbBench.accept(new DbBenchRunner(params, out, results, thisRepeat), engineDir);
                            }
                        });
                    }
                }
                repeats.add(results);
                printer.printRepeat(repeat, results);
            }
        } finally {
            deleteTree(runDir, out);
        }
        printer.print(repeats);
        boolean ok = repeats.stream().allMatch(r -> r.failures().isEmpty() && r.wrongAnswers() == 0);
        if (params.resultsDir() != null) {
            out.println("options files and db_bench logs: " + params.resultsDir());
        }
        out.println(ok ? "storage benchmark: done" : "storage benchmark: FAILED (see above)");
        return ok ? OK : FAILED;
    }

    /** The engines in {@code engines}' order, started {@code by} places later (wrapping round). */
    static List<EngineKind> rotated(List<EngineKind> engines, int by) {
        List<EngineKind> order = new ArrayList<>(engines);
        Collections.rotate(order, -(by % engines.size()));
        return order;
    }

    /** The three phases, each on a fresh directory per engine, and what runs them. */
    private enum Phase {
        LOAD_AND_READ("load and read", "load",
                p -> p.runs(Row.RANDOM_WRITE) || p.runs(Row.RANDOM_READ) || p.runs(Row.MISSING_READ),
                EngineRun::loadAndRead, DbBenchRunner::loadAndRead),
        DURABLE_WRITES("durable writes", "sync", p -> p.runs(Row.SYNC_WRITE),
                EngineRun::durableWrites, DbBenchRunner::durableWrites),
        BIG_DATA("data 4x+ the cache", "big", p -> p.runs(Row.BIG_READ) || p.runs(Row.BIG_MIXED),
                EngineRun::bigData, DbBenchRunner::bigData);

        final String title;
        final String dirSuffix;
        private final Predicate<StorageBenchmarkParams> runsIn;
        final BiConsumer<EngineRun, Path> inProcess;
        final BiConsumer<DbBenchRunner, Path> dbBench;

        Phase(String title, String dirSuffix, Predicate<StorageBenchmarkParams> runsIn,
              BiConsumer<EngineRun, Path> inProcess, BiConsumer<DbBenchRunner, Path> dbBench) {
            this.title = title;
            this.dirSuffix = dirSuffix;
            this.runsIn = runsIn;
            this.inProcess = inProcess;
            this.dbBench = dbBench;
        }

        boolean runsIn(StorageBenchmarkParams p) {
            return runsIn.test(p);
        }
    }

    private interface PhaseBody {
        void run(Path dir);
    }

    /** One engine, one phase, a fresh directory; a failure is recorded and the run goes on. */
    private static void phase(PrintStream out, BenchmarkResults results, EngineKind engine, String phase, Path dir,
                              PhaseBody body) {
        out.printf(Locale.ROOT, "== %s: %s (%s)%n", engine.id(), phase, dir);
        long t0 = System.nanoTime();
        try {
            body.run(dir);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // Record and go on: the other engines' figures are still worth printing.
            results.addFailure(new BenchmarkResults.Failure(engine, phase, e));
            out.printf(Locale.ROOT, "  %s failed in %s: %s%n", engine.id(), phase, e);
        } finally {
            deleteTree(dir, out);
            // Leave the next engine a clean heap (the previous engine's memtables and caches are
            // garbage now), no smaller than the first engine had.
            HeapReset.collectKeepingHeapSize();
        }
        out.printf(Locale.ROOT, "  %s %s took %.1f s%n", engine.id(), phase, (System.nanoTime() - t0) / 1e9);
    }

    private static void printHeader(PrintStream out, StorageBenchmarkParams p, Path runDir) {
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "Storage engine vs RocksDB, %s%n", Instant.now());
        out.printf(Locale.ROOT, "keys %,d, values %d B, reads %,d, missing-key reads %,d, durable writers %d x %,d, seed %d%n",
                p.keys(), p.valueBytes(), p.readOps(), p.missingReadOps(), p.syncWriters(), p.syncWritesPerWriter(),
                p.seed());
        out.printf(Locale.ROOT, "block cache %,d MiB; big rows: %,d keys (%,d MiB of keys + values) over a %,d MiB cache (%.1fx)%n",
                EngineSettings.BLOCK_CACHE_BYTES >> 20, p.bigKeys(), p.bigDataBytes() >> 20, p.bigCacheBytes() >> 20,
                (double) p.bigDataBytes() / p.bigCacheBytes());
        out.printf(Locale.ROOT, "engines %s, rows %s, %d repeat(s), row time limit %s%n",
                p.engines().stream().map(EngineKind::id).toList(), p.rows().stream().sorted().map(Row::id).toList(),
                p.repeats(), p.rowTimeLimit());
        if (p.engines().contains(EngineKind.DB_BENCH)) {
            out.printf(Locale.ROOT, "db_bench: %s%n", DbBenchRunner.executable());
        }
        out.printf(Locale.ROOT, "java %s, %d cpus, max heap %,d MiB, scratch %s%n", Runtime.version(), rt.availableProcessors(),
                rt.maxMemory() >> 20, runDir);
    }

    static void deleteTree(Path root, PrintStream out) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            out.println("warning: could not delete " + root + ": " + e);
        }
    }

    /**
     * Development entry point: {@code --keys=N --value-bytes=N --reads=N --missing-reads=N
     * --sync-writers=N --sync-writes=N --seed=N --rows=write,read,missing,sync-write,big-read,big-mixed
     * --engines=ringkv,rocksdbjni,db_bench --dir=PATH --row-time-limit-seconds=N --repeat=N --big-keys=N
     * --big-cache-mib=N --results=DIR}.
     */
    public static void main(String[] args) {
        StorageBenchmarkParams params;
        try {
            params = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("storage benchmark: " + e.getMessage());
            System.exit(USAGE);
            return;
        }
        System.exit(run(System.out, params));
    }

    static StorageBenchmarkParams parseArgs(String[] args) {
        StorageBenchmarkParams.Builder b = StorageBenchmarkParams.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            try {
                switch (name) {
                    case "keys" -> b.keys(Integer.parseInt(value));
                    case "value-bytes" -> b.valueBytes(Integer.parseInt(value));
                    case "reads" -> b.readOps(Long.parseLong(value));
                    case "missing-reads" -> b.missingReadOps(Long.parseLong(value));
                    case "sync-writers" -> b.syncWriters(Integer.parseInt(value));
                    case "sync-writes" -> b.syncWritesPerWriter(Integer.parseInt(value));
                    case "seed" -> b.seed(Long.parseLong(value));
                    case "rows" -> b.rows(value);
                    case "engines" -> b.engines(value);
                    case "dir" -> b.dir(Path.of(value));
                    case "row-time-limit-seconds" -> b.rowTimeLimit(Duration.ofSeconds(Long.parseLong(value)));
                    case "repeat" -> b.repeats(Integer.parseInt(value));
                    case "big-keys" -> b.bigKeys(Integer.parseInt(value));
                    case "big-cache-mib" -> b.bigCacheBytes(Long.parseLong(value) << 20);
                    case "results" -> b.resultsDir(Path.of(value));
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " needs a number, got '" + value + "'");
            }
        }
        return b.build();
    }
}
