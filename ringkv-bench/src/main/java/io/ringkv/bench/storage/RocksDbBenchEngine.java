package io.ringkv.bench.storage;

import io.ringkv.bench.storage.StorageBenchmarkParams.EngineKind;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.FlushOptions;
import org.rocksdb.HyperClockCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through rocksdbjni with the same settings as {@link RingkvBenchEngine}: 64 MiB write
 * buffer, 16 KiB blocks, LZ4, a 10 bits/key bloom filter, default leveled compaction and default
 * background jobs; and, so that a Java caller is compared with RocksDB at its best (issue 14's
 * parity list, docs/benchmarks.md): a hyper-clock block cache (RocksDB's CLOCK cache, as ringkv's
 * is CLOCK) of the row's size, the data-block hash index, statistics off, reads through the
 * allocation-free {@code get(ReadOptions, byte[], byte[])}, and for durable writes pipelined
 * writes without adaptive-yield spinning (which burns a core a 2-core machine does not have).
 */
final class RocksDbBenchEngine implements BenchEngine {
    private final RocksDB db;
    private final Path dir;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    /** Native handles, closed in reverse order of creation (the DB first). */
    private final Deque<AutoCloseable> handles;

    private RocksDbBenchEngine(RocksDB db, Path dir, WriteOptions writeOptions, ReadOptions readOptions,
                               Deque<AutoCloseable> handles) {
        this.db = db;
        this.dir = dir;
        this.writeOptions = writeOptions;
        this.readOptions = readOptions;
        this.handles = handles;
    }

    static RocksDbBenchEngine open(Path dir, Durability durability, long blockCacheBytes) {
        RocksDB.loadLibrary();
        Deque<AutoCloseable> handles = new ArrayDeque<>();
        try {
            // The entry-charge estimate db_bench gives its hyper-clock cache: one block.
            Cache cache = push(handles, new HyperClockCache(blockCacheBytes, EngineSettings.BLOCK_BYTES, -1, false));
            BloomFilter bloom = push(handles, new BloomFilter(EngineSettings.ROCKSDB_BLOOM_BITS_PER_KEY, false));
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockSize(EngineSettings.BLOCK_BYTES)
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash);
            boolean durable = durability == Durability.FSYNC_EACH_WRITE;
            Options options = push(handles, new Options()
                    .setCreateIfMissing(true)
                    .setWriteBufferSize(EngineSettings.MEMTABLE_BYTES)
                    .setMaxWriteBufferNumber(EngineSettings.IMMUTABLE_MEMTABLES + 1)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setCompactionStyle(CompactionStyle.LEVEL)
                    .setTableFormatConfig(table)
                    .setEnablePipelinedWrite(durable)
                    .setEnableWriteThreadAdaptiveYield(!durable));
            WriteOptions writeOptions = push(handles, new WriteOptions()
                    .setSync(durable)
                    .setDisableWAL(false));
            ReadOptions readOptions = push(handles, new ReadOptions());
            RocksDB db = push(handles, RocksDB.open(options, dir.toString()));
            return new RocksDbBenchEngine(db, dir, writeOptions, readOptions, handles);
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
        return EngineKind.ROCKSDBJNI;
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
    public int get(byte[] key, byte[] into) {
        try {
            int length = db.get(readOptions, key, into);
            return length == RocksDB.NOT_FOUND ? -1 : length;
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
        // Statistics are off, so RocksDB does not count its writes; the run measures them from the
        // operating system's side for both engines alike (EngineRun).
        return new DiskUsage(-1, -1, -1, longProperty("rocksdb.live-sst-files-size"), BenchEngine.directoryBytes(dir));
    }

    @Override
    public EngineCounters counters() {
        return new EngineCounters(-1, -1, -1, -1, -1, tableCount());
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

    /** The database's directory (its options file is kept with the results). */
    Path dir() {
        return dir;
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
