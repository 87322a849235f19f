package io.ringkv.cluster.antientropy;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import io.ringkv.storage.KeyValue;
import io.ringkv.storage.StorageEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of one token range this node replicates, kept up to date from the store:
 * writes mark their leaf dirty ({@link #keyWritten}, any thread, no I/O) and {@link #refresh}
 * rehashes only the dirty leaves by scanning their token sub-ranges - one scan per leaf when few
 * are dirty, one scan of the whole range when many are (the first build, after a restart or a
 * ring change, is "every leaf dirty"). A leaf's hash covers the digests of its keys in the
 * engine's (token, key) order, so it is a function of what the store holds, not of the order
 * writes came in.
 *
 * <p>Refreshes and hash reads are serialised on this object; marking is lock-free.
 */
final class RangeTree {
    /** Above this share of dirty leaves one scan of the range beats a scan per leaf, whatever the range holds. */
    private static final int WHOLE_RANGE_SCAN_DIVISOR = 16;
    /**
     * What one store scan costs beyond the bytes it reads, charged to the throttle as bytes: a
     * scan takes the engine's write lock (the lock every writer takes) to copy the memtable's part
     * of the range, then seeks into every table. Charged only its bytes, scans of leaves holding a
     * key or none were almost free, and a node under write load ran hundreds a second: write p99
     * 14 ms -> 234 ms with runs back to back (docs/performance-notes.md, "Foreground latency under
     * background anti-entropy"). While the memtable copy walked the whole memtable index, even
     * 256 KiB a scan left write p99 at 1.8x idle; since the copy costs only the range's keys
     * ({@code RangeDirectory} in the storage module), 32 KiB a scan lets the default 4 MiB/s run
     * 128 scans a second per node. A range whose tree is current costs no scan at all.
     */
    static final long SCAN_COST_BYTES = 32 << 10;
    /** Bytes scanned between two calls to the throttle. */
    private static final long PACE_EVERY_BYTES = 64 << 10;

    private final LeafGrid grid;
    private final HashTree tree;
    private boolean built;
    private long leavesRehashed;
    /** Bytes the last scan of the whole range read, or -1 before the first. */
    private long rangeBytes = -1;

    RangeTree(TokenRange range, int depth) {
        this.grid = new LeafGrid(range, depth);
        this.tree = new HashTree(depth);
    }

    TokenRange range() {
        return grid.range();
    }

    int depth() {
        return grid.depth();
    }

    void keyWritten(Token token) {
        tree.markDirty(grid.leafOf(token));
    }

    /** One key of a leaf as the store holds it now. */
    record LeafEntry(byte[] key, long digest, byte[] stored) {
    }

    /** What a refresh did. */
    record Refresh(int leavesRehashed, long bytesScanned) {
        static final Refresh NOTHING = new Refresh(0, 0);
    }

    /** Rehashes the dirty leaves and their ancestors. */
    synchronized Refresh refresh(StorageEngine engine, Throttle throttle) {
        int[] dirty = tree.takeDirty(); // cleared first: a write racing the scans marks its leaf again
        if (dirty.length == 0) {
            return Refresh.NOTHING;
        }
        long scanned = wholeRangeScanIsCheaper(dirty.length)
                ? rehashByRangeScan(engine, dirty, throttle)
                : rehashByLeafScans(engine, dirty, throttle);
        tree.rehashAncestors(dirty);
        built = true;
        leavesRehashed += dirty.length;
        return new Refresh(dirty.length, scanned);
    }

    /**
     * One scan of the whole range when many leaves are dirty, or when scanning the dirty leaves one
     * by one would cost more (a {@link #SCAN_COST_BYTES} each) than reading the whole range once
     * did last time: a small range (the common case: ~130 keys per range at 100k keys per node)
     * is read whole as soon as a handful of its leaves are dirty.
     */
    private boolean wholeRangeScanIsCheaper(int dirtyLeaves) {
        return dirtyLeaves > tree.leaves() / WHOLE_RANGE_SCAN_DIVISOR
                || (rangeBytes >= 0 && dirtyLeaves * SCAN_COST_BYTES >= SCAN_COST_BYTES + rangeBytes);
    }

    private long rehashByLeafScans(StorageEngine engine, int[] dirty, Throttle throttle) {
        long scanned = 0;
        for (int leaf : dirty) {
            TreeHashes.Leaf hash = new TreeHashes.Leaf();
            long leafBytes = 0;
            if (!grid.isEmpty(leaf)) {
                TokenRange r = grid.leafRange(leaf);
                try (StorageEngine.RangeIterator it = engine.scan(r.fromExclusive().toBytes(), r.toInclusive().toBytes())) {
                    while (it.hasNext()) {
                        KeyValue kv = it.next();
                        hash.add(KeyDigests.digest(kv.key(), kv.value()));
                        leafBytes += kv.key().length + kv.value().length;
                    }
                }
            }
            tree.setLeaf(leaf, hash.hash());
            scanned += leafBytes;
            throttle.pace(grid.isEmpty(leaf) ? 0 : leafBytes + SCAN_COST_BYTES);
        }
        return scanned;
    }

    private long rehashByRangeScan(StorageEngine engine, int[] dirty, Throttle throttle) {
        boolean[] isDirty = new boolean[tree.leaves()];
        for (int leaf : dirty) {
            isDirty[leaf] = true;
        }
        long[] hashes = new long[tree.leaves()];
        long scanned = 0;
        long unpaced = SCAN_COST_BYTES;
        TokenRange r = grid.range();
        try (StorageEngine.RangeIterator it = engine.scan(r.fromExclusive().toBytes(), r.toInclusive().toBytes())) {
            int leaf = -1;
            TreeHashes.Leaf hash = null;
            while (it.hasNext()) {
                KeyValue kv = it.next();
                int at = grid.leafOf(Token.fromBytes(kv.token()));
                if (at != leaf) {
                    if (hash != null) {
                        hashes[leaf] = hash.hash();
                    }
                    leaf = at;
                    hash = isDirty[at] ? new TreeHashes.Leaf() : null;
                }
                long bytes = kv.key().length + kv.value().length;
                scanned += bytes;
                unpaced += bytes;
                if (hash != null) {
                    hash.add(KeyDigests.digest(kv.key(), kv.value()));
                }
                if (unpaced >= PACE_EVERY_BYTES) {
                    throttle.pace(unpaced);
                    unpaced = 0;
                }
            }
            if (hash != null) {
                hashes[leaf] = hash.hash();
            }
        }
        throttle.pace(unpaced);
        for (int d : dirty) {
            tree.setLeaf(d, hashes[d]);
        }
        rangeBytes = scanned;
        return scanned;
    }

    /** The keys of {@code leaf} with their digests, read from the store now (not from the tree). */
    List<LeafEntry> entries(StorageEngine engine, int leaf) {
        List<LeafEntry> out = new ArrayList<>();
        if (grid.isEmpty(leaf)) {
            return out;
        }
        TokenRange r = grid.leafRange(leaf);
        try (StorageEngine.RangeIterator it = engine.scan(r.fromExclusive().toBytes(), r.toInclusive().toBytes())) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                out.add(new LeafEntry(kv.key(), KeyDigests.digest(kv.key(), kv.value()), kv.value()));
            }
        }
        return out;
    }

    synchronized long hash(int level, int position) {
        return tree.hash(level, position);
    }

    synchronized long root() {
        return tree.root();
    }

    int leaves() {
        return tree.leaves();
    }

    boolean isValidLeaf(int leaf) {
        return leaf >= 0 && leaf < tree.leaves();
    }

    /** Whether every leaf has been hashed at least once (the tree was built). */
    synchronized boolean built() {
        return built;
    }

    int dirtyLeaves() {
        return tree.dirtyCount();
    }

    /** Leaves rehashed since this tree was made (for tests and metrics). */
    synchronized long leavesRehashed() {
        return leavesRehashed;
    }
}
