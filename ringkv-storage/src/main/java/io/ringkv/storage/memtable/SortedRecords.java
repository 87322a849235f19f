package io.ringkv.storage.memtable;

import io.ringkv.storage.format.InternalEntry;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A fixed set of memtable records in engine order (token, then key), for flushes and scans.
 * The memtable itself is a hash table, so order is made here, once, when someone first asks
 * for it: a flush sorts an immutable memtable once; a scan sorts the part of the active
 * memtable it copied.
 *
 * <p>The sort is a counting sort on the top bits of the token (the index's fingerprints, so
 * this pass never touches the arena), about one record per bucket since tokens are uniform;
 * then each bucket holding more than one record is sorted by full comparison. That is linear
 * in practice, and a bucket made large on purpose (keys chosen for their MD5 prefix) falls back
 * to a merge sort, so it cannot go quadratic. Records never change once written, so the
 * addresses stay valid and the order right for as long as the memtable lives.
 */
public final class SortedRecords implements Iterable<InternalEntry> {
    private static final int INSERTION_SORT_MAX = 16;
    private static final int FINGERPRINT_BITS = 20;

    private final MemArena arena;
    private final int size;
    private int[] fingerprints;
    private long[] addresses;
    private boolean sorted;

    /** Takes ownership of the first {@code size} fingerprints (top 20 token bits) and addresses; sorts on first use. */
    SortedRecords(MemArena arena, int[] fingerprints, long[] addresses, int size) {
        this.arena = arena;
        this.fingerprints = fingerprints;
        this.addresses = addresses;
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** All records in engine order. */
    @Override
    public Iterator<InternalEntry> iterator() {
        ensureSorted();
        return iteratorAt(0);
    }

    /** Records whose token is greater than {@code (hi, lo)} seen as a 16-byte token, in engine order. */
    Iterator<InternalEntry> iteratorAfterToken(long hi, long lo) {
        ensureSorted();
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            long a = addresses[mid];
            if (MemRecord.compareToken(arena.chunk(a), MemArena.offset(a), hi, lo) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return iteratorAt(low);
    }

    private Iterator<InternalEntry> iteratorAt(int start) {
        long[] ordered = addresses;
        return new Iterator<>() {
            private int i = start;

            @Override
            public boolean hasNext() {
                return i < size;
            }

            @Override
            public InternalEntry next() {
                if (i >= size) {
                    throw new NoSuchElementException();
                }
                long a = ordered[i++];
                return MemRecord.decode(arena.chunk(a), MemArena.offset(a));
            }
        };
    }

    private synchronized void ensureSorted() {
        if (sorted) {
            return;
        }
        // About one record per bucket: log2(size) bits of the fingerprint, at most all 20.
        int bits = Math.min(FINGERPRINT_BITS, Math.max(1, 32 - Integer.numberOfLeadingZeros(size)));
        int shift = FINGERPRINT_BITS - bits;
        int[] bucketStart = new int[(1 << bits) + 1];
        for (int i = 0; i < size; i++) {
            bucketStart[(fingerprints[i] >>> shift) + 1]++;
        }
        for (int b = 0; b < 1 << bits; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
        int[] f = new int[size];
        long[] a = new long[size];
        int[] next = bucketStart.clone();
        for (int i = 0; i < size; i++) {
            int slot = next[fingerprints[i] >>> shift]++;
            f[slot] = fingerprints[i];
            a[slot] = addresses[i];
        }
        long[] scratch = null;
        for (int b = 0; b < 1 << bits; b++) {
            int from = bucketStart[b];
            int to = bucketStart[b + 1];
            if (to - from <= INSERTION_SORT_MAX) {
                insertionSort(f, a, from, to);
            } else {
                if (scratch == null) {
                    scratch = new long[size];
                }
                mergeSort(a, scratch, from, to);
            }
        }
        fingerprints = null;
        addresses = a;
        sorted = true;
    }

    /** Sorts [from, to) by fingerprint, then record order. */
    private void insertionSort(int[] f, long[] a, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int fi = f[i];
            long ai = a[i];
            int j = i - 1;
            while (j >= from && (f[j] > fi || f[j] == fi && compare(a[j], ai) > 0)) {
                f[j + 1] = f[j];
                a[j + 1] = a[j];
                j--;
            }
            f[j + 1] = fi;
            a[j + 1] = ai;
        }
    }

    /** Sorts [from, to) of {@code a} by record order, with {@code scratch} as working space. */
    private void mergeSort(long[] a, long[] scratch, int from, int to) {
        if (to - from <= INSERTION_SORT_MAX) {
            for (int i = from + 1; i < to; i++) {
                long ai = a[i];
                int j = i - 1;
                while (j >= from && compare(a[j], ai) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = ai;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, scratch, from, mid);
        mergeSort(a, scratch, mid, to);
        if (compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        System.arraycopy(a, from, scratch, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            a[k] = j >= to || (i < mid && compare(scratch[i], scratch[j]) <= 0) ? scratch[i++] : scratch[j++];
        }
    }

    private int compare(long address1, long address2) {
        return MemRecord.compare(arena.chunk(address1), MemArena.offset(address1),
                arena.chunk(address2), MemArena.offset(address2));
    }
}
