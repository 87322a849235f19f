package io.ringkv.cli;

import io.ringkv.bench.storage.StorageBenchmark;
import io.ringkv.bench.storage.StorageBenchmarkParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ringkv bench storage}: benchmarks that print figures (docs/benchmarks.md). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Runs a benchmark and prints its figures.",
        subcommands = {BenchCommand.Storage.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw Main.missingSubcommand(spec);
    }

    /** ringkv's LSM engine against RocksDB, same workloads (docs/benchmarks.md). */
    @Command(name = "storage", mixinStandardHelpOptions = true,
            description = "ringkv's storage engine against RocksDB on the same workloads (docs/benchmarks.md).")
    static final class Storage implements Callable<Integer> {
        @Option(names = "--keys", paramLabel = "N", description = "keys loaded (default: 1000000)")
        Integer keys;
        @Option(names = "--value-bytes", paramLabel = "B", description = "value size (default: 100)")
        Integer valueBytes;
        @Option(names = "--reads", paramLabel = "N", description = "random reads of existing keys (default: 1000000)")
        Long reads;
        @Option(names = "--missing-reads", paramLabel = "N", description = "reads of absent keys (default: 1000000)")
        Long missingReads;
        @Option(names = "--sync-writers", paramLabel = "T", description = "durable-write threads (default: 16)")
        Integer syncWriters;
        @Option(names = "--sync-writes", paramLabel = "N", description = "writes per durable-write thread (default: 2000)")
        Integer syncWrites;
        @Option(names = "--seed", paramLabel = "S", description = "random seed")
        Long seed;
        @Option(names = "--rows", paramLabel = "LIST", description = "rows: write,read,missing,sync-write (default: all)")
        String rows;
        @Option(names = "--engines", paramLabel = "LIST", description = "engines in order: ringkv,rocksdb (default: both)")
        String engines;
        @Option(names = "--dir", paramLabel = "DIR", description = "parent of the scratch directory (default: system temp)")
        Path dir;
        @Option(names = "--row-time-limit-seconds", paramLabel = "S", description = "stop a row after this long (default: 300)")
        Long rowTimeLimitSeconds;

        @Override
        public Integer call() {
            StorageBenchmarkParams params;
            try {
                StorageBenchmarkParams.Builder b = StorageBenchmarkParams.builder();
                if (keys != null) b.keys(keys);
                if (valueBytes != null) b.valueBytes(valueBytes);
                if (reads != null) b.readOps(reads);
                if (missingReads != null) b.missingReadOps(missingReads);
                if (syncWriters != null) b.syncWriters(syncWriters);
                if (syncWrites != null) b.syncWritesPerWriter(syncWrites);
                if (seed != null) b.seed(seed);
                if (rows != null) b.rows(rows);
                if (engines != null) b.engines(engines);
                if (dir != null) b.dir(dir);
                if (rowTimeLimitSeconds != null) b.rowTimeLimit(Duration.ofSeconds(rowTimeLimitSeconds));
                params = b.build();
            } catch (IllegalArgumentException e) {
                throw new CliException("bench storage: " + e.getMessage(), CliException.USAGE);
            }
            return StorageBenchmark.run(System.out, params);
        }
    }
}
