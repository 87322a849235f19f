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
import java.util.Locale;

/**
 * ringkv's LSM engine against RocksDB on the same workloads, in one process, one engine at a
 * time (each closed, its files deleted and the heap collected before the next starts), printing
 * both figures and their ratio per row. What the rows are and why the settings are fair is in
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
        KeySpace keys = new KeySpace(params.seed(), params.valueBytes());
        BenchmarkResults results = new BenchmarkResults();
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
        try {
            boolean loadPhase = params.runs(Row.RANDOM_WRITE) || params.runs(Row.RANDOM_READ)
                    || params.runs(Row.MISSING_READ);
            if (loadPhase) {
                for (EngineKind engine : params.engines()) {
                    phase(out, results, engine, "load and read", runDir.resolve(engine.id() + "-load"),
                            dir -> new EngineRun(engine, opener, params, keys, out, results).loadAndRead(dir));
                }
            }
            if (params.runs(Row.SYNC_WRITE)) {
                for (EngineKind engine : params.engines()) {
                    phase(out, results, engine, "durable writes", runDir.resolve(engine.id() + "-sync"),
                            dir -> new EngineRun(engine, opener, params, keys, out, results).durableWrites(dir));
                }
            }
        } finally {
            deleteTree(runDir, out);
        }
        new ReportPrinter(params, out).print(results);
        boolean ok = results.failures().isEmpty() && results.wrongAnswers() == 0;
        out.println(ok ? "storage benchmark: done" : "storage benchmark: FAILED (see above)");
        return ok ? OK : FAILED;
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
            // Record and go on: the other engine's figures are still worth printing.
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
        out.printf(Locale.ROOT, "engines %s, rows %s, row time limit %s%n", p.engines().stream().map(EngineKind::id).toList(),
                p.rows().stream().sorted().map(Row::id).toList(), p.rowTimeLimit());
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
     * --sync-writers=N --sync-writes=N --seed=N --rows=write,read,missing,sync-write
     * --engines=ringkv,rocksdb --dir=PATH --row-time-limit-seconds=N}.
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
                    default -> throw new IllegalArgumentException("unknown option --" + name);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " needs a number, got '" + value + "'");
            }
        }
        return b.build();
    }
}
