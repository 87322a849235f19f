package io.ringkv.storage.memtable;

import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The in-memory run: ONE record per key, in an append-only {@link MemArena}, found through a
 * {@link TokenIndex} hash table; engine order (token, key) is made only when a flush or scan
 * asks for it ({@link SortedRecords}), and a {@link RangeDirectory} lets a scan of a small token
 * range find that range's keys without visiting the rest.
 *
 * <p>Why a hash table and not a skip list: a write needs to find its key (to replace the
 * record or to combine a merge) and a point read needs the same; neither needs order. The
 * skip list we had made every write walk ~20 levels of pointers (each a cache miss) and cost
 * eight long-lived objects per key that the garbage collector copied again and again; it was
 * 55% of the write profile. Order is needed only by the flush, which sorts an immutable
 * memtable once (tens of milliseconds for 64 MiB, on the flush thread), and by scans, which
 * sort the part of the active memtable they copy. Tokens are MD5 digests, so hashing them is
 * free and the table needs no hash function.
 *
 * <p>Writes are applied by one thread at a time (the engine's write lock, which also orders
 * seqs), so read-combine-write needs no CAS loop; readers never lock. Keeping one record per key
 * (combining merges at once, {@link MergeRules}) makes a flush a straight copy. A replaced
 * record's bytes stay in the arena until the memtable is dropped, and count towards its size.
 */
public final class Memtable {
    /** Sizes the index: a key takes at least this many bytes of arena. */
    private static final long MIN_BYTES_PER_KEY = 128;
    /** Ranges expected to hold at most 1/this of the keys are copied through the {@link RangeDirectory}. */
    private static final long DIRECTORY_MAX_SHARE = 32;

    private final MemArena arena;
    private final TokenIndex index;
    private final RangeDirectory directory;
    private final MergeOperator mergeOperator;
    private final long startSegmentId;
    private volatile long sizeBytes;
    private volatile long entryCount;
    private volatile long minSeq = Long.MAX_VALUE;
    private volatile long maxSeq;
    /** Bumped by every write; the memoized order below is valid only for the count it was made at. */
    private volatile long writes;
    private SortedRecords sorted;
    private long sortedAtWrites = -1;

    /**
     * @param startSegmentId the commit log segment holding (or about to hold) this memtable's
     *                       first record: once it is flushed, replay can start at the next
     *                       memtable's start segment
     * @param expectedBytes  roughly how big it will grow (the flush threshold), to size the
     *                       arena's chunks and the index
     */
    public Memtable(MergeOperator mergeOperator, long startSegmentId, long expectedBytes) {
        this.mergeOperator = mergeOperator;
        this.startSegmentId = startSegmentId;
        this.arena = new MemArena(expectedBytes);
        this.index = new TokenIndex(arena, expectedBytes / MIN_BYTES_PER_KEY);
        this.directory = new RangeDirectory(expectedBytes / MIN_BYTES_PER_KEY);
        this.sizeBytes = index.tableBytes() + directory.bytes();
    }

    public Memtable(MergeOperator mergeOperator, long startSegmentId) {
        this(mergeOperator, startSegmentId, 0);
    }

    /** Applies one record. Callers serialize (the engine's write lock). */
    public void apply(InternalEntry e) {
        apply(e.token(), e.key(), e.seq(), e.kind(), e.timestampMillis(), e.value());
    }

    /**
     * Applies one record given by its fields, so the write path allocates no entry. A MERGE is
     * combined with the key's existing record at once. Callers serialize (the engine's write lock).
     */
    public void apply(byte[] token, byte[] key, long seq, EntryKind kind, long timestampMillis, byte[] value) {
        long hi = MemRecord.hi(token);
        long lo = MemRecord.lo(token);
        EntryKind storedKind = kind;
        byte[] storedValue = value;
        if (kind == EntryKind.MERGE) {
            InternalEntry old = get(token, key);
            if (old != null) {
                InternalEntry merged = MergeRules.combine(old,
                        new InternalEntry(token, key, seq, kind, timestampMillis, value), mergeOperator);
                storedKind = merged.kind();
                storedValue = merged.value();
            }
        }
        long address = MemRecord.write(arena, hi, lo, key, seq, storedKind, timestampMillis, storedValue);
        if (index.put(hi, lo, key, address) < 0) {
            directory.add(TokenIndex.fingerprint(hi), address);
            entryCount++;
        }
        sizeBytes = arena.usedBytes() + index.tableBytes() + directory.bytes();
        if (seq < minSeq) {
            minSeq = seq;
        }
        if (seq > maxSeq) {
            maxSeq = seq;
        }
        writes++;
    }

    /** The record for the key, or null; the entry reuses the caller's {@code token} and {@code key}. */
    public InternalEntry get(byte[] token, byte[] key) {
        long address = index.find(MemRecord.hi(token), MemRecord.lo(token), key);
        if (address < 0) {
            return null;
        }
        return MemRecord.decode(arena.chunk(address), MemArena.offset(address), token, key);
    }

    /** Whether the memtable holds a record for the key; allocates nothing. */
    public boolean contains(byte[] token, byte[] key) {
        return index.find(MemRecord.hi(token), MemRecord.lo(token), key) >= 0;
    }

    /** All records in engine order. For an immutable memtable the order is computed once. */
    public Iterator<InternalEntry> iterator() {
        return sortedAll().iterator();
    }

    /** Records whose token is greater than {@code fromTokenExclusive}, in engine order. */
    public Iterator<InternalEntry> iteratorFrom(byte[] fromTokenExclusive) {
        return sortedAll().iteratorAfterToken(MemRecord.hi(fromTokenExclusive), MemRecord.lo(fromTokenExclusive));
    }

    private synchronized SortedRecords sortedAll() {
        long w = writes;
        if (sorted == null || sortedAtWrites != w) {
            sorted = collect(null, null);
            sortedAtWrites = w;
        }
        return sorted;
    }

    /**
     * The records with token in (from, to], where a null bound means the start or end of the
     * ring, for a scan's snapshot of the active memtable. Callers hold the write lock so the copy
     * is exact. A small range costs its own keys ({@link RangeDirectory}), a large one a pass
     * over the index; the sorting happens later, outside the lock, when the scan first reads it.
     */
    public SortedRecords copyRange(byte[] fromTokenExclusive, byte[] toTokenInclusive) {
        return collect(fromTokenExclusive, toTokenInclusive);
    }

    private SortedRecords collect(byte[] fromExclusive, byte[] toInclusive) {
        long minFingerprint = fromExclusive == null ? 0 : TokenIndex.fingerprint(MemRecord.hi(fromExclusive));
        long maxFingerprint = toInclusive == null ? TokenIndex.maxFingerprint()
                : TokenIndex.fingerprint(MemRecord.hi(toInclusive));
        // Tokens are uniform: expect the range's share of the keys.
        long share = index.count() * (maxFingerprint - minFingerprint + 1) >>> 20;
        Collector out = new Collector((int) Math.min(index.count(), share + 16));
        TokenIndex.SlotSink take = (fingerprint, address) -> {
            // Only a record sharing a bound's top 20 bits needs its token read to decide.
            boolean in = fingerprint >= minFingerprint && fingerprint <= maxFingerprint
                    && (fingerprint != minFingerprint || fromExclusive == null || after(address, fromExclusive))
                    && (fingerprint != maxFingerprint || toInclusive == null || !after(address, toInclusive));
            if (in) {
                out.add(fingerprint, address);
            }
        };
        if (share > index.count() / DIRECTORY_MAX_SHARE) {
            index.forEach(minFingerprint, maxFingerprint, take);
        } else {
            // A lookup per key of the range costs a few cache misses; the sequential pass over the
            // whole index wins when the range holds more than a small share of the keys.
            directory.forEach(minFingerprint, maxFingerprint, first -> {
                long current = index.current(first);
                take.accept(TokenIndex.fingerprint(MemRecord.hi(arena.chunk(current), MemArena.offset(current))), current);
            });
        }
        return new SortedRecords(arena, out.fingerprints, out.addresses, out.size);
    }

    /** Growable parallel arrays of the records a scan or flush takes. */
    private static final class Collector {
        int[] fingerprints;
        long[] addresses;
        int size;

        Collector(int expected) {
            fingerprints = new int[Math.max(16, expected)];
            addresses = new long[fingerprints.length];
        }

        void add(long fingerprint, long address) {
            if (size == addresses.length) {
                fingerprints = Arrays.copyOf(fingerprints, size * 2);
                addresses = Arrays.copyOf(addresses, size * 2);
            }
            fingerprints[size] = (int) fingerprint;
            addresses[size++] = address;
        }
    }

    /** Whether the record's token is greater than {@code token}. */
    private boolean after(long address, byte[] token) {
        return MemRecord.compareToken(arena.chunk(address), MemArena.offset(address),
                MemRecord.hi(token), MemRecord.lo(token)) > 0;
    }

    public boolean isEmpty() {
        return entryCount == 0;
    }

    /** Bytes of memory the memtable holds: its arena (replaced records included) and its index. */
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
}
