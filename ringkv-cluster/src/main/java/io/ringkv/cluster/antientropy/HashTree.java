package io.ringkv.cluster.antientropy;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-depth binary hash tree (Merkle 1987, "A Digital Signature Based on a Conventional
 * Encryption Function"; Dynamo §4.7): {@code 2^depth} leaf hashes and, above them, each node the
 * hash of its two children, so two replicas compare a whole range by its root and find where
 * they differ by descending only into unequal children. Fixed depth (as in Riak's hashtree.erl
 * and Cassandra's MerkleTree) rather than one leaf per key: both replicas cut the range the same
 * way whatever they hold, and memory is known in advance (16 bytes per leaf).
 *
 * <p>Hashes are 64 bits; an all-empty subtree hashes to 0, so an empty range has root 0. Leaves
 * are set by the caller ({@link RangeTree} scans the store); {@link #markDirty} records that a
 * leaf's keys changed since, from any thread, and {@link #takeDirty} hands the dirty leaves to
 * the one thread that rehashes, clearing them first so that a write racing the rehash marks its
 * leaf again. Layout: node 1 is the root, node n has children 2n and 2n+1, level l holds nodes
 * 2^l .. 2^(l+1)-1. Reads and updates of hashes are confined to the rehashing thread or
 * guarded by the owner's lock.
 */
final class HashTree {
    private final int depth;
    private final long[] nodes;
    private final AtomicLongArray dirty;

    /** A tree whose every leaf is dirty: nothing has been hashed yet. */
    HashTree(int depth) {
        this.depth = depth;
        this.nodes = new long[2 << depth];
        int leaves = 1 << depth;
        this.dirty = new AtomicLongArray((leaves + 63) / 64);
        for (int i = 0; i < leaves; i++) {
            markDirty(i);
        }
    }

    int depth() {
        return depth;
    }

    int leaves() {
        return 1 << depth;
    }

    void markDirty(int leaf) {
        long bit = 1L << (leaf & 63);
        int word = leaf >>> 6;
        long old;
        do {
            old = dirty.get(word);
            if ((old & bit) != 0) {
                return;
            }
        } while (!dirty.compareAndSet(word, old, old | bit));
    }

    boolean isDirty(int leaf) {
        return (dirty.get(leaf >>> 6) & (1L << (leaf & 63))) != 0;
    }

    /** The dirty leaves, ascending, now marked clean. */
    int[] takeDirty() {
        int[] out = new int[16];
        int n = 0;
        for (int w = 0; w < dirty.length(); w++) {
            long bits = dirty.getAndSet(w, 0);
            while (bits != 0) {
                int leaf = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = leaf;
            }
        }
        return Arrays.copyOf(out, n);
    }

    int dirtyCount() {
        int n = 0;
        for (int w = 0; w < dirty.length(); w++) {
            n += Long.bitCount(dirty.get(w));
        }
        return n;
    }

    /** Sets leaf hashes without updating their ancestors; call {@link #rehashAncestors} after. */
    void setLeaf(int leaf, long hash) {
        nodes[(1 << depth) + leaf] = hash;
    }

    /** Recomputes every ancestor of {@code sortedLeaves} (ascending), each once. */
    void rehashAncestors(int[] sortedLeaves) {
        int[] level = sortedLeaves;
        for (int l = depth; l > 0; l--) {
            int[] parents = new int[level.length];
            int n = 0;
            for (int pos : level) {
                int parent = pos >>> 1;
                if (n == 0 || parents[n - 1] != parent) {
                    parents[n++] = parent;
                }
            }
            int base = 1 << (l - 1);
            for (int i = 0; i < n; i++) {
                int node = base + parents[i];
                nodes[node] = TreeHashes.parent(nodes[2 * node], nodes[2 * node + 1]);
            }
            level = Arrays.copyOf(parents, n);
        }
    }

    /** The hash at {@code position} (0 .. 2^level - 1) of {@code level} (0 = root .. depth = leaves). */
    long hash(int level, int position) {
        if (level < 0 || level > depth || position < 0 || position >= (1 << level)) {
            throw new IllegalArgumentException("no node " + position + " at level " + level + " of a depth-" + depth + " tree");
        }
        return nodes[(1 << level) + position];
    }

    long root() {
        return nodes[1];
    }
}
