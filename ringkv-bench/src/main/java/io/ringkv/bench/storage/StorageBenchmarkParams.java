package io.ringkv.bench.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link StorageBenchmark} runs. Build with {@link #builder()}; the defaults are the
 * figures docs/benchmarks.md reports (1,000,000 keys, 100-byte values, 16 sync writers; a
 * 3,000,000-key data set over a 64 MiB cache for the larger-than-cache rows; 5 repeats).
 *
 * @param dir                 parent of the run's scratch directory ({@code null}: the system temp dir);
 *                            a fresh subdirectory is created and deleted afterwards
 * @param keys                keys loaded by the random-write row (the data set the read rows use)
 * @param valueBytes          size of every value
 * @param readOps             random reads of existing keys
 * @param missingReadOps      reads of keys that were never written
 * @param syncWriters         concurrent writer threads of the durable-write row
 * @param syncWritesPerWriter writes each of those threads makes
 * @param seed                seeds keys, values and read order; the same seed gives both engines the same ops
 * @param rows                which rows to run
 * @param engines             which engines, in the order they run
 * @param rowTimeLimit        every row stops after this long even if its ops are not done (reported)
 * @param progressInterval    how often a long row prints a progress line
 * @param repeats             how many times every engine runs every row; the engines' order rotates
 *                            from one repeat to the next, and the report gives median and min-max
 * @param bigKeys             keys of the larger-than-cache data set (the big-* rows)
 * @param bigCacheBytes       block cache of the engines in the big-* rows; the data set must be at
 *                            least {@link #MIN_BIG_DATA_TO_CACHE} times larger
 * @param resultsDir          where the run leaves what it should be judged by (RocksDB's options
 *                            files, db_bench's logs); {@code null}: none kept
 */
public record StorageBenchmarkParams(
        Path dir,
        int keys,
        int valueBytes,
        long readOps,
        long missingReadOps,
        int syncWriters,
        int syncWritesPerWriter,
        long seed,
        Set<Row> rows,
        List<EngineKind> engines,
        Duration rowTimeLimit,
        Duration progressInterval,
        int repeats,
        int bigKeys,
        long bigCacheBytes,
        Path resultsDir) {

    /** The big-* rows' data set (keys + values) must be at least this many times their block cache. */
    public static final int MIN_BIG_DATA_TO_CACHE = 4;

    /** The benchmark's rows, in the order they run. */
    public enum Row {
        RANDOM_WRITE("write", "random write"),
        RANDOM_READ("read", "random read (existing)"),
        MISSING_READ("missing", "read missing key"),
        SYNC_WRITE("sync-write", "durable write"),
        BIG_READ("big-read", "random read, data 4x+ cache"),
        BIG_MIXED("big-mixed", "50/50 read/write, data 4x+ cache");

        private final String id;
        private final String title;

        Row(String id, String title) {
            this.id = id;
            this.title = title;
        }

        /** Short name used on the command line. */
        public String id() {
            return id;
        }

        public String title() {
            return title;
        }

        /** Rows of the larger-than-cache phase. */
        public boolean big() {
            return this == BIG_READ || this == BIG_MIXED;
        }

        public static Row parse(String id) {
            for (Row row : values()) {
                if (row.id.equalsIgnoreCase(id.strip())) {
                    return row;
                }
            }
            throw new IllegalArgumentException("unknown row '" + id + "'; expected one of "
                    + Arrays.stream(values()).map(Row::id).toList());
        }
    }

    /**
     * The engines compared: ringkv, RocksDB through its Java binding (a Java caller against a Java
     * caller), and RocksDB's own C++ benchmark tool (engine against engine, no JNI in the way).
     */
    public enum EngineKind {
        RINGKV("ringkv"), ROCKSDBJNI("rocksdbjni"), DB_BENCH("db_bench");

        private final String id;

        EngineKind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Engines that run in this JVM through {@link BenchEngine}; db_bench is a separate process. */
        public boolean inProcess() {
            return this != DB_BENCH;
        }

        public static EngineKind parse(String id) {
            String wanted = id.strip();
            if (wanted.equalsIgnoreCase("rocksdb")) {
                return ROCKSDBJNI; // the name this engine had before db_bench joined
            }
            for (EngineKind kind : values()) {
                if (kind.id.equalsIgnoreCase(wanted)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown engine '" + id + "'; expected ringkv, rocksdbjni or db_bench");
        }
    }

    public StorageBenchmarkParams {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(engines, "engines");
        Objects.requireNonNull(rowTimeLimit, "rowTimeLimit");
        Objects.requireNonNull(progressInterval, "progressInterval");
        require(keys >= 1, "keys must be at least 1, was " + keys);
        require(valueBytes >= 1 && valueBytes <= (1 << 20), "value size must be 1 byte to 1 MiB, was " + valueBytes);
        require(readOps >= 0, "read ops must not be negative, was " + readOps);
        require(missingReadOps >= 0, "missing-key read ops must not be negative, was " + missingReadOps);
        require(syncWriters >= 1 && syncWriters <= 1024, "sync writers must be 1..1024, was " + syncWriters);
        require(syncWritesPerWriter >= 1, "writes per sync writer must be at least 1, was " + syncWritesPerWriter);
        require((long) syncWriters * syncWritesPerWriter <= Integer.MAX_VALUE, "sync writers x writes per writer is too large");
        require(!rows.isEmpty(), "choose at least one row");
        require(!engines.isEmpty(), "choose at least one engine");
        require(new LinkedHashSet<>(engines).size() == engines.size(), "an engine is listed twice: " + engines);
        require(rowTimeLimit.toMillis() >= 1, "row time limit must be at least 1 ms, was " + rowTimeLimit);
        require(progressInterval.toMillis() >= 1, "progress interval must be at least 1 ms, was " + progressInterval);
        require(repeats >= 1 && repeats <= 100, "repeats must be 1..100, was " + repeats);
        require(bigKeys >= 1, "big-row keys must be at least 1, was " + bigKeys);
        require(bigCacheBytes >= 1 << 20, "big-row cache must be at least 1 MiB, was " + bigCacheBytes);
        boolean bigRows = rows.stream().anyMatch(Row::big);
        require(!bigRows || bigDataBytes(bigKeys, valueBytes) >= MIN_BIG_DATA_TO_CACHE * bigCacheBytes,
                String.format(Locale.ROOT, "the big rows' data (%,d keys = %,d MiB) must be at least %dx their cache "
                                + "(%,d MiB): raise --big-keys or lower --big-cache-mib",
                        bigKeys, bigDataBytes(bigKeys, valueBytes) >> 20, MIN_BIG_DATA_TO_CACHE, bigCacheBytes >> 20));
        rows = Set.copyOf(EnumSet.copyOf(rows));
        engines = List.copyOf(engines);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public boolean runs(Row row) {
        return rows.contains(row);
    }

    /** Key + value bytes of the larger-than-cache data set (keys average {@link KeySpace#MEAN_KEY_BYTES}). */
    public long bigDataBytes() {
        return bigDataBytes(bigKeys, valueBytes);
    }

    private static long bigDataBytes(int keys, int valueBytes) {
        return (long) keys * (KeySpace.MEAN_KEY_BYTES + valueBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private Path dir;
        private int keys = 1_000_000;
        private int valueBytes = 100;
        private long readOps = 1_000_000;
        private long missingReadOps = 1_000_000;
        private int syncWriters = 16;
        private int syncWritesPerWriter = 2_000;
        private long seed = 20240601L;
        private Set<Row> rows = EnumSet.allOf(Row.class);
        private List<EngineKind> engines = List.of(EngineKind.RINGKV, EngineKind.ROCKSDBJNI, EngineKind.DB_BENCH);
        private Duration rowTimeLimit = Duration.ofMinutes(5);
        private Duration progressInterval = Duration.ofSeconds(2);
        private int repeats = 5;
        private int bigKeys = 3_000_000;
        private long bigCacheBytes = 64L << 20;
        private Path resultsDir;

        private Builder() {
        }

        public Builder dir(Path v) { this.dir = v; return this; }
        public Builder keys(int v) { this.keys = v; return this; }
        public Builder valueBytes(int v) { this.valueBytes = v; return this; }
        public Builder readOps(long v) { this.readOps = v; return this; }
        public Builder missingReadOps(long v) { this.missingReadOps = v; return this; }
        public Builder syncWriters(int v) { this.syncWriters = v; return this; }
        public Builder syncWritesPerWriter(int v) { this.syncWritesPerWriter = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }
        public Builder rows(Set<Row> v) { this.rows = v; return this; }
        public Builder engines(List<EngineKind> v) { this.engines = v; return this; }
        public Builder rowTimeLimit(Duration v) { this.rowTimeLimit = v; return this; }
        public Builder progressInterval(Duration v) { this.progressInterval = v; return this; }
        public Builder repeats(int v) { this.repeats = v; return this; }
        public Builder bigKeys(int v) { this.bigKeys = v; return this; }
        public Builder bigCacheBytes(long v) { this.bigCacheBytes = v; return this; }
        public Builder resultsDir(Path v) { this.resultsDir = v; return this; }

        /** Rows from a comma-separated list of ids, e.g. "write,read". */
        public Builder rows(String csv) {
            Set<Row> parsed = EnumSet.noneOf(Row.class);
            for (String id : csv.split(",")) {
                parsed.add(Row.parse(id));
            }
            return rows(parsed);
        }

        /** Engines from a comma-separated list, run in the order given, e.g. "rocksdb,ringkv". */
        public Builder engines(String csv) {
            List<EngineKind> parsed = new ArrayList<>();
            for (String id : csv.split(",")) {
                parsed.add(EngineKind.parse(id));
            }
            return engines(parsed);
        }

        public StorageBenchmarkParams build() {
            return new StorageBenchmarkParams(dir, keys, valueBytes, readOps, missingReadOps, syncWriters,
                    syncWritesPerWriter, seed, rows, engines, rowTimeLimit, progressInterval, repeats, bigKeys,
                    bigCacheBytes, resultsDir);
        }
    }
}
