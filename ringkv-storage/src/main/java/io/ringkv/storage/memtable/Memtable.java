package io.ringkv.storage.memtable;

import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory sorted run: a lock-free skip list (Pugh 1990, via
 * {@link ConcurrentSkipListMap}) in engine order (token, key) holding ONE record per key.
 * Writes are applied by one thread at a time (the engine's write lock, which also orders
 * seqs), so "read the old record, combine, put" needs no CAS loop; readers never lock.
 *
 * <p>Keeping one record per key (combining merges at once, {@link MergeRules}) bounds memory
 * by the number of distinct keys and makes a flush a straight copy.
 */
public final class Memtable {
    private static final byte[] EMPTY = new byte[0];

    private final ConcurrentSkipListMap<InternalEntry, InternalEntry> records =
            new ConcurrentSkipListMap<>(InternalEntry.ORDER);
    private final MergeOperator mergeOperator;
    private final long startSegmentId;
    private volatile long sizeBytes;
    private volatile long entryCount;
    private volatile long minSeq = Long.MAX_VALUE;
    private volatile long maxSeq;

    /**
     * @param startSegmentId the commit log segment holding (or about to hold) this memtable's
     *                       first record: once it is flushed, replay can start at the next
     *                       memtable's start segment
     */
    public Memtable(MergeOperator mergeOperator, long startSegmentId) {
        this.mergeOperator = mergeOperator;
        this.startSegmentId = startSegmentId;
    }

    /** Applies one record. Callers serialize (the engine's write lock). */
    public void apply(InternalEntry e) {
        InternalEntry old = records.get(e);
        InternalEntry merged = MergeRules.combine(old, e, mergeOperator);
        records.put(merged, merged);
        long delta = merged.sizeBytes() - (old == null ? 0 : old.sizeBytes());
        sizeBytes += delta;
        if (old == null) {
            entryCount++;
        }
        if (e.seq() < minSeq) {
            minSeq = e.seq();
        }
        if (e.seq() > maxSeq) {
            maxSeq = e.seq();
        }
    }

    /** The record for the key, or null. */
    public InternalEntry get(byte[] token, byte[] key) {
        return records.get(probe(token, key));
    }

    /** All records in engine order (weakly consistent while writes continue). */
    public Iterator<InternalEntry> iterator() {
        return records.values().iterator();
    }

    /** Records whose token is greater than {@code fromTokenExclusive}, in engine order. */
    public Iterator<InternalEntry> iteratorFrom(byte[] fromTokenExclusive) {
        byte[] next = successor(fromTokenExclusive);
        if (next == null) {
            return java.util.Collections.emptyIterator();
        }
        return records.tailMap(probe(next, EMPTY), true).values().iterator();
    }

    /**
     * A copy of the records with token in (from, to] (not wrapping: from < to), for a scan's
     * snapshot of the active memtable. Callers hold the write lock so the copy is exact.
     */
    public List<InternalEntry> copyRange(byte[] fromTokenExclusive, byte[] toTokenInclusive) {
        List<InternalEntry> out = new ArrayList<>();
        Iterator<InternalEntry> it = fromTokenExclusive == null ? iterator() : iteratorFrom(fromTokenExclusive);
        while (it.hasNext()) {
            InternalEntry e = it.next();
            if (toTokenInclusive != null && KeyOrder.compareUnsigned(e.token(), toTokenInclusive) > 0) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public boolean isEmpty() {
        return entryCount == 0;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public long entryCount() {
        return entryCount;
    }

    public long startSegmentId() {
        return startSegmentId;
    }

    /** Highest seq applied, 0 if empty. */
    public long maxSeq() {
        return maxSeq;
    }

    public long minSeq() {
        return entryCount == 0 ? 0 : minSeq;
    }

    static InternalEntry probe(byte[] token, byte[] key) {
        return new InternalEntry(token, key, 0, EntryKind.PUT, 0, EMPTY);
    }

    /** The next 16-byte token after {@code token}, or null if it is the largest. */
    static byte[] successor(byte[] token) {
        byte[] next = token.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (++next[i] != 0) {
                return next;
            }
        }
        return null;
    }
}
