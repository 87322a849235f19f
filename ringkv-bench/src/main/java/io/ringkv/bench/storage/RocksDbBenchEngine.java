package io.ringkv.bench.storage;

import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;

/**
 * RocksDB (through rocksdbjni) with the same settings as {@link RingkvBenchEngine}: 64 MiB
 * write buffer, 16 KiB blocks, LZ4, a 256 MiB LRU block cache, a 10 bits/key bloom filter,
 * default leveled compaction and default background jobs. A {@link Statistics} object supplies
 * the bytes written by WAL, flush and compaction, which is how RocksDB itself reports write
 * amplification; its tickers are per-core counters, cheap enough not to skew the figures.
 */
final class RocksDbBenchEngine implements BenchEngine {
    private final RocksDB db;
    private final Path dir;
    private final Statistics statistics;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    /** Native handles, closed in reverse order of creation (the DB first). */
    private final Deque<AutoCloseable> handles;

    private RocksDbBenchEngine(RocksDB db, Path dir, Statistics statistics, WriteOptions writeOptions,
                               ReadOptions readOptions, Deque<AutoCloseable> handles) {
        this.db = db;
        this.dir = dir;
        this.statistics = statistics;
        this.writeOptions = writeOptions;
        this.readOptions = readOptions;
        this.handles = handles;
    }

    static RocksDbBenchEngine open(Path dir, Durability durability) {
        RocksDB.loadLibrary();
        Deque<AutoCloseable> handles = new ArrayDeque<>();
        try {
            LRUCache cache = push(handles, new LRUCache(EngineSettings.BLOCK_CACHE_BYTES));
            BloomFilter bloom = push(handles, new BloomFilter(EngineSettings.ROCKSDB_BLOOM_BITS_PER_KEY, false));
            Statistics statistics = push(handles, new Statistics());
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockSize(EngineSettings.BLOCK_BYTES)
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom);
            Options options = push(handles, new Options()
                    .setCreateIfMissing(true)
                    .setWriteBufferSize(EngineSettings.MEMTABLE_BYTES)
                    .setMaxWriteBufferNumber(EngineSettings.IMMUTABLE_MEMTABLES + 1)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setCompactionStyle(CompactionStyle.LEVEL)
                    .setTableFormatConfig(table)
                    .setStatistics(statistics));
            WriteOptions writeOptions = push(handles, new WriteOptions()
                    .setSync(durability == Durability.FSYNC_EACH_WRITE)
                    .setDisableWAL(false));
            ReadOptions readOptions = push(handles, new ReadOptions());
            RocksDB db = push(handles, RocksDB.open(options, dir.toString()));
            return new RocksDbBenchEngine(db, dir, statistics, writeOptions, readOptions, handles);
        } catch (RocksDBException | RuntimeException e) {
            closeAll(handles);
            throw new IllegalStateException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> handles, T handle) {
        handles.push(handle);
        return handle;
    }

    @Override
    public EngineKind kind() {
        return EngineKind.ROCKSDB;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try {
            db.put(writeOptions, key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb put failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(readOptions, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb get failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb flush failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void compactAll() {
        try {
            db.compactRange(); // whole key range, down to the bottommost level; blocks until done
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb compaction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public DiskUsage diskUsage() {
        return new DiskUsage(
                statistics.getTickerCount(TickerType.WAL_FILE_BYTES),
                statistics.getTickerCount(TickerType.FLUSH_WRITE_BYTES),
                statistics.getTickerCount(TickerType.COMPACT_WRITE_BYTES),
                longProperty("rocksdb.live-sst-files-size"),
                BenchEngine.directoryBytes(dir));
    }

    @Override
    public EngineCounters counters() {
        return new EngineCounters(
                statistics.getTickerCount(TickerType.BLOOM_FILTER_USEFUL),
                statistics.getTickerCount(TickerType.BLOCK_CACHE_DATA_HIT),
                statistics.getTickerCount(TickerType.BLOCK_CACHE_DATA_MISS),
                statistics.getTickerCount(TickerType.WAL_FILE_SYNCED),
                statistics.getTickerCount(TickerType.STALL_MICROS) * 1000,
                tableCount());
    }

    private long tableCount() {
        try {
            return db.getLiveFilesMetaData().size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private long longProperty(String name) {
        try {
            return db.getLongProperty(name);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb property " + name + " unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeAll(handles);
    }

    private static void closeAll(Deque<AutoCloseable> handles) {
        while (!handles.isEmpty()) {
            try {
                handles.pop().close();
            } catch (Exception e) {
                // Best effort: a handle that fails to close must not keep the others open.
            }
        }
    }
}
