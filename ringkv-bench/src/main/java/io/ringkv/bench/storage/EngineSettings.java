package io.ringkv.bench.storage;

/**
 * The settings both engines get, in one place so the comparison stays like for like; see
 * docs/benchmarks.md "Storage engine vs RocksDB" for why each value was chosen.
 */
final class EngineSettings {
    /** ringkv memtable flush threshold = RocksDB write_buffer_size. */
    static final long MEMTABLE_BYTES = 64L << 20;
    /** Memtables waiting to flush before writers slow down (RocksDB: max_write_buffer_number - 1). */
    static final int IMMUTABLE_MEMTABLES = 2;
    /** Uncompressed data block size. */
    static final int BLOCK_BYTES = 16 << 10;
    /** Decompressed-block cache (RocksDB: one LRUCache). */
    static final long BLOCK_CACHE_BYTES = 256L << 20;
    /** ringkv's default; RocksDB gets 10 bits per key, which is about 1%. */
    static final double BLOOM_FALSE_POSITIVE_RATE = 0.01;
    static final double ROCKSDB_BLOOM_BITS_PER_KEY = 10;

    private EngineSettings() {
    }
}
