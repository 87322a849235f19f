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
 * <p>The sort is a merge sort over the records' addresses carrying each record's first token
 * long beside it, so almost every comparison is between two longs in one array and the arena
 * is read only when those tie. Records never change once written, so the addresses stay valid
 * and the order stays right for as long as the memtable lives.
 */
public final class SortedRecords implements Iterable<InternalEntry> {
    private static final int INSERTION_SORT_MAX = 16;

    private final MemArena arena;
    private final int size;
    private long[] addresses;
    private long[] his;
    private boolean sorted;

    /** Takes ownership of {@code addresses[0..size)}; sorts on first use. */
    SortedRecords(MemArena arena, long[] addresses, int size) {
        this.arena = arena;
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
            int c = Long.compareUnsigned(his[mid], hi);
            if (c == 0) {
                c = MemRecord.compareToken(arena.chunk(a), MemArena.offset(a), hi, lo);
            }
            if (c <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return iteratorAt(low);
    }

    private Iterator<InternalEntry> iteratorAt(int start) {
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
                long a = addresses[i++];
                return MemRecord.decode(arena.chunk(a), MemArena.offset(a));
            }
        };
    }

    private synchronized void ensureSorted() {
        if (sorted) {
            return;
        }
        long[] h = new long[size];
        for (int i = 0; i < size; i++) {
            long a = addresses[i];
            h[i] = MemRecord.hi(arena.chunk(a), MemArena.offset(a));
        }
        long[] a = addresses;
        mergeSort(h, a, new long[size], new long[size], 0, size);
        his = h;
        addresses = a;
        sorted = true;
    }

    /** Sorts [from, to) of (h, a) by record order, using (th, ta) as scratch. */
    private void mergeSort(long[] h, long[] a, long[] th, long[] ta, int from, int to) {
        if (to - from <= INSERTION_SORT_MAX) {
            insertionSort(h, a, from, to);
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(h, a, th, ta, from, mid);
        mergeSort(h, a, th, ta, mid, to);
        if (compare(h, a, mid - 1, h, a, mid) <= 0) {
            return; // already in order
        }
        System.arraycopy(h, from, th, from, to - from);
        System.arraycopy(a, from, ta, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && compare(th, ta, i, th, ta, j) <= 0)) {
                h[k] = th[i];
                a[k] = ta[i++];
            } else {
                h[k] = th[j];
                a[k] = ta[j++];
            }
        }
    }

    private void insertionSort(long[] h, long[] a, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long hi = h[i];
            long ad = a[i];
            int j = i - 1;
            while (j >= from && compareTo(h[j], a[j], hi, ad) > 0) {
                h[j + 1] = h[j];
                a[j + 1] = a[j];
                j--;
            }
            h[j + 1] = hi;
            a[j + 1] = ad;
        }
    }

    private int compare(long[] h1, long[] a1, int i, long[] h2, long[] a2, int j) {
        return compareTo(h1[i], a1[i], h2[j], a2[j]);
    }

    private int compareTo(long hi1, long address1, long hi2, long address2) {
        int c = Long.compareUnsigned(hi1, hi2);
        if (c != 0) {
            return c;
        }
        return MemRecord.compare(arena.chunk(address1), MemArena.offset(address1),
                arena.chunk(address2), MemArena.offset(address2));
    }
}
