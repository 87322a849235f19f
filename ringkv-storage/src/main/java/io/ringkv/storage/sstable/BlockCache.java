package io.ringkv.storage.sstable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Decompressed, checksum-verified data blocks shared by every table reader, keyed by
 * (table id, block offset), bounded by bytes, evicting the least recently used block
 * (docs/design/storage-format.md, "Reading and the block cache").
 *
 * <p>Why this shape: a point read that hits the cache should cost no more than a few memory
 * accesses, so a hit allocates nothing (the key is two longs, looked up in a hand-rolled
 * chained hash table rather than a map that would box them), and the cache is split into
 * independently locked shards (as in LevelDB's ShardedLRUCache and RocksDB's LRUCache) so
 * threads rarely wait on each other. Exact LRU within a shard is simple and good enough here;
 * a scan-resistant policy is unnecessary because iterators do not insert blocks.
 */
public final class BlockCache {
    /** Bookkeeping bytes charged per cached block on top of its content. */
    static final int ENTRY_OVERHEAD_BYTES = 96;
    private static final int MAX_SHARDS = 64;
    private static final long MIN_SHARD_BYTES = 1 << 20;

    private final long capacityBytes;
    private final Shard[] shards;
    private final int shardShift;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** A cache of at most {@code capacityBytes}; 0 disables caching (every lookup misses). */
    public BlockCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("block cache capacity must not be negative, was " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        int n = 1;
        while (n < MAX_SHARDS && capacityBytes / (n * 2L) >= MIN_SHARD_BYTES) {
            n *= 2;
        }
        shards = new Shard[n];
        for (int i = 0; i < n; i++) {
            shards[i] = new Shard(capacityBytes / n);
        }
        shardShift = 64 - Integer.numberOfTrailingZeros(n);
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

    DataBlock get(long tableId, long blockOffset) {
        DataBlock b = null;
        if (capacityBytes != 0) {
            long h = hash(tableId, blockOffset);
            b = shardFor(h).get(tableId, blockOffset, h);
        }
        if (b == null) {
            misses.increment();
        } else {
            hits.increment();
        }
        return b;
    }

    void put(long tableId, long blockOffset, DataBlock block) {
        if (capacityBytes == 0) {
            return;
        }
        long h = hash(tableId, blockOffset);
        shardFor(h).put(tableId, blockOffset, h, block, block.weightBytes() + ENTRY_OVERHEAD_BYTES);
    }

    /** Drops every block of a table, so a later table that reuses the id never sees them. */
    void evictTable(long tableId) {
        if (capacityBytes == 0) {
            return;
        }
        for (Shard s : shards) {
            s.removeTable(tableId);
        }
    }

    private Shard shardFor(long hash) {
        return shards.length == 1 ? shards[0] : shards[(int) (hash >>> shardShift)];
    }

    /** Murmur3's 64-bit finalizer over both longs: spreads sequential ids and offsets. */
    static long hash(long tableId, long blockOffset) {
        long h = tableId * 0x9E3779B97F4A7C15L + blockOffset;
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

    /** One independently locked LRU: a chained hash table threaded by a doubly linked recency list. */
    private static final class Shard {
        private final long capacityBytes;
        private Node[] buckets = new Node[16];
        private final Node head = new Node(0, 0, 0, null, 0); // head.next is the most recently used
        private int count;
        private long sizeBytes;
        private long evictions;

        Shard(long capacityBytes) {
            this.capacityBytes = capacityBytes;
            head.prev = head;
            head.next = head;
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

        synchronized DataBlock get(long tableId, long offset, long hash) {
            for (Node n = buckets[(int) hash & (buckets.length - 1)]; n != null; n = n.chain) {
                if (n.tableId == tableId && n.offset == offset) {
                    unlink(n);
                    linkFirst(n);
                    return n.block;
                }
            }
            return null;
        }

        synchronized void put(long tableId, long offset, long hash, DataBlock block, long weight) {
            if (weight > capacityBytes) {
                return; // would evict everything else and still not fit
            }
            int b = (int) hash & (buckets.length - 1);
            for (Node n = buckets[b]; n != null; n = n.chain) {
                if (n.tableId == tableId && n.offset == offset) {
                    unlink(n); // another thread loaded it meanwhile: keep one copy
                    linkFirst(n);
                    return;
                }
            }
            Node node = new Node(tableId, offset, hash, block, weight);
            node.chain = buckets[b];
            buckets[b] = node;
            linkFirst(node);
            count++;
            sizeBytes += weight;
            while (sizeBytes > capacityBytes) {
                Node victim = head.prev;
                remove(victim);
                evictions++;
            }
            if (count > buckets.length - (buckets.length >>> 2)) {
                grow();
            }
        }

        synchronized void removeTable(long tableId) {
            Node n = head.next;
            int bound = count;
            for (int i = 0; i < bound && n != head; i++) {
                Node next = n.next;
                if (n.tableId == tableId) {
                    remove(n);
                }
                n = next;
            }
        }

        private void remove(Node victim) {
            unlink(victim);
            int b = (int) victim.hash & (buckets.length - 1);
            if (buckets[b] == victim) {
                buckets[b] = victim.chain;
            } else {
                Node p = buckets[b];
                while (p.chain != victim) {
                    p = p.chain;
                }
                p.chain = victim.chain;
            }
            count--;
            sizeBytes -= victim.weight;
        }

        private void grow() {
            Node[] old = buckets;
            Node[] grown = new Node[old.length * 2];
            for (Node first : old) {
                Node n = first;
                while (n != null) {
                    Node next = n.chain;
                    int b = (int) n.hash & (grown.length - 1);
                    n.chain = grown[b];
                    grown[b] = n;
                    n = next;
                }
            }
            buckets = grown;
        }

        private void unlink(Node n) {
            n.prev.next = n.next;
            n.next.prev = n.prev;
        }

        private void linkFirst(Node n) {
            n.next = head.next;
            n.prev = head;
            head.next.prev = n;
            head.next = n;
        }
    }

    private static final class Node {
        final long tableId;
        final long offset;
        final long hash;
        final DataBlock block;
        final long weight;
        Node chain;
        Node prev;
        Node next;

        Node(long tableId, long offset, long hash, DataBlock block, long weight) {
            this.tableId = tableId;
            this.offset = offset;
            this.hash = hash;
            this.block = block;
            this.weight = weight;
        }
    }
}
