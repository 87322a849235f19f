package io.ringkv.cluster.coordinator;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per key for the steps of a coordinated write that must not interleave with
 * another write of the same key through this node: take the dot, read the local versions,
 * apply the new one (docs/design/coordinator.md, "One write of a key at a time per coordinator").
 * Keys share a fixed number of locks by hash, so memory does not grow with the key count; two
 * keys on one stripe merely wait for each other for the length of a memtable insert.
 */
final class KeySections {
    private static final int STRIPES = 1024; // a power of two, far above the number of request threads

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    KeySections() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The lock for {@code key}; hold it briefly, never across an fsync or a network wait. */
    ReentrantLock of(byte[] key) {
        int h = Arrays.hashCode(key);
        return locks[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }
}
