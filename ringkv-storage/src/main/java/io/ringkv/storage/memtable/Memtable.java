package io.ringkv.storage.memtable;

import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory sorted run: a lock-free skip list (Pugh 1990, via
 * {@link ConcurrentSkipListMap}) in engine order (token, key) holding ONE record per key,
 * plus a hash index over the same records for point lookups.
 *
 * <p>Why both: flushes and scans need order, which the skip list gives; but a point lookup in
 * a skip list of a few hundred thousand keys walks ~20 levels, each a cache miss, and profiling
 * showed it dominating both writes (which must read the old record to combine merges) and
 * reads. A {@link ConcurrentHashMap} keyed by the token (already a uniform hash) answers those
 * in one or two cache misses. Writes are applied by one thread at a time (the engine's write
 * lock, which also orders seqs), so read-combine-put needs no CAS loop; readers never lock.
 *
 * <p>Keeping one record per key (combining merges at once, {@link MergeRules}) bounds memory
 * by the number of distinct keys and makes a flush a straight copy.
 */
public final class Memtable {
    /** Approximate heap cost of a key's skip list node, hash node and {@link MemKey}. */
    static final long PER_KEY_OVERHEAD_BYTES = 112;
    private static final byte[] EMPTY = new byte[0];

    private final ConcurrentSkipListMap<MemKey, InternalEntry> sorted = new ConcurrentSkipListMap<>(MemKey.ORDER);
    private final ConcurrentHashMap<MemKey, InternalEntry> index;
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
     * @param expectedBytes  roughly how big it will grow (the flush threshold), to size the index
     */
    public Memtable(MergeOperator mergeOperator, long startSegmentId, long expectedBytes) {
        this.mergeOperator = mergeOperator;
        this.startSegmentId = startSegmentId;
        int expectedKeys = (int) Math.min(1 << 20, Math.max(16, expectedBytes / 256));
        this.index = new ConcurrentHashMap<>(expectedKeys);
    }

    public Memtable(MergeOperator mergeOperator, long startSegmentId) {
        this(mergeOperator, startSegmentId, 0);
    }

    /** Applies one record. Callers serialize (the engine's write lock). */
    public void apply(InternalEntry e) {
        MemKey k = new MemKey(e.token(), e.key());
        InternalEntry old = index.get(k);
        InternalEntry merged = MergeRules.combine(old, e, mergeOperator);
        sorted.put(k, merged);
        index.put(k, merged);
        if (old == null) {
            sizeBytes += merged.sizeBytes() + PER_KEY_OVERHEAD_BYTES;
            entryCount++;
        } else {
            sizeBytes += merged.sizeBytes() - old.sizeBytes();
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
        return index.get(new MemKey(token, key));
    }

    /** All records in engine order (weakly consistent while writes continue). */
    public Iterator<InternalEntry> iterator() {
        return sorted.values().iterator();
    }

    /** Records whose token is greater than {@code fromTokenExclusive}, in engine order. */
    public Iterator<InternalEntry> iteratorFrom(byte[] fromTokenExclusive) {
        byte[] next = successor(fromTokenExclusive);
        if (next == null) {
            return Collections.emptyIterator();
        }
        return sorted.tailMap(new MemKey(next, EMPTY), true).values().iterator();
    }

    /**
     * A copy of the records with token in (from, to], where a null bound means the start or end
     * of the ring, for a scan's snapshot of the active memtable. Callers hold the write lock so
     * the copy is exact.
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
