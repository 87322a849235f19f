package io.ringkv.storage.sstable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Decompressed, checksum-verified data blocks shared by every table reader, bounded by bytes
 * (docs/design/storage-format.md, "Reading and the block cache").
 *
 * <p>Why this shape: a point read is bound by cache misses, so a hit must touch as little
 * memory as possible. Each reader keeps a slot per data block ({@link CachedBlocks}); a hit is
 * one array read, setting the block's reference bit and counting the lookup in the frequency
 * sketch (one hash, plain writes to 64 contiguous bytes): no lock, no atomic instruction, no
 * list relinking. The cache itself only decides what to keep: blocks are admitted into one of
 * several independently locked shards (as LevelDB's ShardedLRUCache and RocksDB's caches do),
 * and each shard evicts with CLOCK, the second-chance approximation of LRU (Corbató 1968),
 * which, unlike exact LRU, needs no relinking under a lock on a hit (the idea behind RocksDB's
 * HyperClockCache). Iterators do not admit blocks, so scans do not flush the set point reads
 * depend on.
 *
 * <p>When the cache is full, a block read from disk replaces the block the clock would evict
 * only if it has been looked up more often lately ({@link BlockFrequencySketch}, TinyLFU's
 * admission rule). Without it a data set larger than the cache turns every miss into an
 * eviction, and a block that is evicted after living in the cache for a while dies in the
 * collector's old generation: the churn of a large, uniformly read data set filled the old
 * generation every few seconds and each full collection stalled the node for 50-80 ms.
 * Filtered, the cache keeps the blocks read most, and a block read once lives and dies young.
 */
public final class BlockCache {
    /** Bookkeeping bytes charged per cached block on top of its content. */
    static final int ENTRY_OVERHEAD_BYTES = 96;
    private static final int MAX_SHARDS = 64;
    private static final long MIN_SHARD_BYTES = 1 << 20;
    /** The block size the frequency sketch is sized for unless told: the engine's default. */
    static final int DEFAULT_BLOCK_BYTES = 16 << 10;

    private final long capacityBytes;
    private final Shard[] shards;
    private final BlockFrequencySketch frequencies;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A cache of at most {@code capacityBytes} of blocks of about the engine's default size. */
    public BlockCache(long capacityBytes) {
        this(capacityBytes, DEFAULT_BLOCK_BYTES);
    }

    /**
     * A cache of at most {@code capacityBytes}; 0 disables caching (every lookup misses).
     * {@code blockBytes}, the tables' target block size, sizes the admission filter.
     */
    public BlockCache(long capacityBytes, int blockBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("block cache capacity must not be negative, was " + capacityBytes);
        }
        if (blockBytes <= 0) {
            throw new IllegalArgumentException("block size must be positive, was " + blockBytes);
        }
        this.capacityBytes = capacityBytes;
        this.frequencies = new BlockFrequencySketch((int) Math.min(1 << 24, capacityBytes / blockBytes));
        int n = 1;
        while (n < MAX_SHARDS && capacityBytes / (n * 2L) >= MIN_SHARD_BYTES) {
            n *= 2;
        }
        shards = new Shard[n];
        for (int i = 0; i < n; i++) {
            shards[i] = new Shard(capacityBytes / n, frequencies);
        }
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    /** Lookups served from the cache. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups that had to read the block from disk. */
    public long misses() {
        return misses.sum();
    }

    /** Bytes currently charged (block content plus per-entry overhead). */
    public long sizeBytes() {
        long total = 0;
        for (Shard s : shards) {
            total += s.sizeBytes();
        }
        return total;
    }

    /** Blocks currently cached. */
    public int blockCount() {
        int total = 0;
        for (Shard s : shards) {
            total += s.count();
        }
        return total;
    }

    /** Blocks read from disk that the cache did not keep: looked up less often lately than the block they would replace. */
    public long rejections() {
        long total = 0;
        for (Shard s : shards) {
            total += s.rejections();
        }
        return total;
    }

    /** Blocks evicted to make room since the cache was made. */
    public long evictions() {
        long total = 0;
        for (Shard s : shards) {
            total += s.evictions();
        }
        return total;
    }

    int shardCount() {
        return shards.length;
    }

    /** Block {@code block} of {@code owner} if cached (marking it used), else null; counts a hit or miss. */
    DataBlock get(CachedBlocks owner, int block) {
        if (capacityBytes != 0) {
            frequencies.increment(hash(owner.tableId, block));
        }
        return getForScan(owner, block);
    }

    /**
     * {@link #get} for an iterator: counts the hit or miss but not the lookup's frequency, so a
     * compaction or a range transfer reading every block does not make them all look popular.
     */
    DataBlock getForScan(CachedBlocks owner, int block) {
        DataBlock b = owner.get(block);
        if (b != null) {
            b.touch();
            hits.increment();
        } else {
            misses.increment();
        }
        return b;
    }

    /**
     * {@link #get} that counts no miss when the block is absent: the caller will not read it from
     * disk now (a memory-only lookup), or it will and {@link #get} counts that read.
     */
    DataBlock peek(CachedBlocks owner, int block) {
        DataBlock b = owner.get(block);
        if (b != null) {
            frequencies.increment(hash(owner.tableId, block));
            b.touch();
            hits.increment();
        }
        return b;
    }

    /**
     * Offers a block just read from disk for a lookup ({@link #get} counted it); a full cache
     * keeps it only if it has been looked up more often lately than the block it would replace.
     * Returns the block to use: {@code loaded}, or the copy another thread cached meanwhile.
     */
    DataBlock admit(CachedBlocks owner, int block, DataBlock loaded) {
        return capacityBytes == 0 ? loaded : offer(owner, block, loaded, frequencies.frequency(hash(owner.tableId, block)));
    }

    /**
     * Caches a block no lookup asked for yet, replacing whatever the clock would evict: a bet that
     * it will be read soon ({@link SSTableReader#preloadBlocks}). Returns the block to use, as
     * {@link #admit} does.
     */
    DataBlock preload(CachedBlocks owner, int block, DataBlock loaded) {
        return capacityBytes == 0 ? loaded : offer(owner, block, loaded, Shard.ALWAYS);
    }

    private DataBlock offer(CachedBlocks owner, int block, DataBlock loaded, int frequency) {
        return shardFor(owner, block).admit(owner, block, loaded, loaded.weightBytes() + ENTRY_OVERHEAD_BYTES, frequency);
    }

    /** Drops every block of a closing reader; later admits for it are refused. */
    void release(CachedBlocks owner) {
        owner.closed = true;
        if (capacityBytes == 0) {
            return;
        }
        for (int i = 0; i < owner.size(); i++) {
            shardFor(owner, i).remove(owner, i); // under the lock even if empty: an admit may be in flight
        }
    }

    private Shard shardFor(CachedBlocks owner, int block) {
        return shards.length == 1 ? shards[0] : shards[(int) (hash(owner.tableId, block) >>> 58) & (shards.length - 1)];
    }

    /** Murmur3's 64-bit finalizer: spreads sequential ids and block numbers over shards. */
    static long hash(long tableId, long block) {
        long h = tableId * 0x9E3779B97F4A7C15L + block;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public String toString() {
        return "BlockCache[capacityBytes=" + capacityBytes + ", sizeBytes=" + sizeBytes() + ", blocks=" + blockCount()
                + ", hits=" + hits() + ", misses=" + misses() + ", shards=" + shards.length + "]";
    }

    /**
     * One independently locked CLOCK: a circular list of cached blocks and a hand. The blocks
     * are the list's nodes themselves ({@link DataBlock}'s cache fields), so the clock hand
     * reads one object per block it examines, the one that holds the reference bit.
     */
    private static final class Shard {
        /** A candidate frequency that admits whatever the victim's. */
        static final int ALWAYS = Integer.MAX_VALUE;

        private final long capacityBytes;
        private final BlockFrequencySketch frequencies;
        private DataBlock hand; // next block the clock examines; new blocks go just behind it
        private int count;
        private long sizeBytes;
        private long evictions;
        private long rejections;

        Shard(long capacityBytes, BlockFrequencySketch frequencies) {
            this.capacityBytes = capacityBytes;
            this.frequencies = frequencies;
        }

        synchronized long sizeBytes() {
            return sizeBytes;
        }

        synchronized int count() {
            return count;
        }

        synchronized long evictions() {
            return evictions;
        }

        synchronized long rejections() {
            return rejections;
        }

        synchronized DataBlock admit(CachedBlocks owner, int slot, DataBlock block, long weight, int frequency) {
            DataBlock existing = owner.get(slot);
            if (existing != null) {
                return existing; // another thread loaded it meanwhile: keep one copy
            }
            if (owner.closed || weight > capacityBytes || block.cacheOwner != null) {
                return block; // closing reader, a block too big to ever fit, or one cached already
            }
            if (sizeBytes + weight > capacityBytes && frequency != ALWAYS) {
                DataBlock victim = nextVictim();
                if (frequency <= frequencies.frequency(hash(victim.cacheOwner.tableId, victim.cacheSlot))) {
                    rejections++;
                    return block; // the incumbent has been read as often: keep it (ties favour it)
                }
            }
            block.cacheOwner = owner;
            block.cacheSlot = slot;
            block.cacheWeight = weight;
            if (hand == null) {
                block.prev = block;
                block.next = block;
                hand = block;
            } else {
                block.next = hand;
                block.prev = hand.prev;
                hand.prev.next = block;
                hand.prev = block;
            }
            owner.set(slot, block);
            count++;
            sizeBytes += weight;
            evictUntilWithinCapacity(block);
            return block;
        }

        /**
         * Moves the hand to the block the clock would evict next, giving referenced blocks their
         * second chance on the way; the cache is not empty.
         */
        private DataBlock nextVictim() {
            for (int examined = 0; hand.clearReferenced() && examined < 2 * count; examined++) {
                hand = hand.next;
            }
            return hand;
        }

        /** CLOCK sweep; {@code keep} is the block just admitted, evicted only if nothing else is left. */
        private void evictUntilWithinCapacity(DataBlock keep) {
            // Each pass over a referenced block clears its bit, so two full turns always find a victim.
            for (int examined = 0; sizeBytes > capacityBytes && hand != null; examined++) {
                DataBlock b = hand;
                boolean secondChance = b.clearReferenced() && examined < 2 * count;
                if (secondChance || b == keep && count > 1) {
                    hand = b.next;
                    continue;
                }
                unlink(b);
                evictions++;
            }
        }

        synchronized void remove(CachedBlocks owner, int slot) {
            DataBlock b = owner.get(slot);
            if (b != null && b.cacheOwner == owner) {
                unlink(b);
            }
        }

        private void unlink(DataBlock b) {
            if (b.next == b) {
                hand = null;
            } else {
                b.prev.next = b.next;
                b.next.prev = b.prev;
                if (hand == b) {
                    hand = b.next;
                }
            }
            b.cacheOwner.set(b.cacheSlot, null);
            // Cut the evicted block's links. It is garbage now (unless a reader still holds it),
            // but if it has been promoted the young collector cannot know that until the next
            // marking, and treats its fields as roots: still linked, it would keep its (young)
            // neighbours alive, they theirs, and a churning cache would drag every block it
            // ever held into the old generation ("nepotism": 1-2.6 s young pauses in a
            // larger-than-cache read benchmark).
            b.prev = null;
            b.next = null;
            count--;
            sizeBytes -= b.cacheWeight;
        }
    }
}
