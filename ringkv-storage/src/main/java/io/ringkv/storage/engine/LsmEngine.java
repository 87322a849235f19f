package io.ringkv.storage.engine;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineClosedException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.EngineStats;
import io.ringkv.storage.MemoryRead;
import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.WriteBatch;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import io.ringkv.storage.manifest.DirectoryLock;
import io.ringkv.storage.memtable.Memtable;
import io.ringkv.storage.memtable.MergeRules;
import io.ringkv.storage.sstable.BlockCache;
import io.ringkv.storage.sstable.ReadStats;
import io.ringkv.storage.sstable.SSTableReader;
import io.ringkv.storage.wal.CommitLog;
import io.ringkv.storage.wal.CommitLogFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.LongAdder;

/**
 * The LSM engine (O'Neil et al., "The Log-Structured Merge-Tree", 1996; LevelDB's layout):
 * docs/design/lsm-engine.md. This class is where the pieces meet, so it is larger than most.
 *
 * <p>Write path: validate and hash the key outside any lock; under the write lock assign the
 * seq, append the record to the commit log (one write(2)), apply it to the active memtable and
 * swap the memtable if full; then, outside the lock, wait for the fsync the sync policy asks
 * for, sharing it with concurrent writers. The lock makes log order, seq order and memtable
 * order one and the same, which is what lets the memtable combine merges in place.
 *
 * <p>Read path: pin the current {@link View} (one atomic increment) and consult the active
 * memtable, the immutable memtables and the tables newest first, stopping at the first PUT or
 * DELETE. No lock is taken.
 */
public final class LsmEngine implements StorageEngine {
    /** {@link #lookup}'s answer when it was told to stay in memory and could not; compared by identity. */
    private static final byte[] NOT_IN_MEMORY = new byte[0];

    private final StorageOptions options;
    private final EngineListener listener;
    private final MergeOperator mergeOperator;
    private final DirectoryLock directoryLock;
    private final CommitLog commitLog;
    private final ViewHolder views;
    private final BackgroundWork background;
    private final BlockCache cache;
    private final ReadStats readStats;

    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guarded by writeLock. */
    private Memtable active;
    /** Guarded by writeLock. */
    private long nextSeq;

    private final Object stallMonitor = new Object();
    private volatile boolean closed;
    private volatile Throwable writeFailure;
    private final LongAdder userBytesWritten = new LongAdder();
    private final LongAdder writeStallNanos = new LongAdder();

    LsmEngine(StorageOptions options, EngineHooks hooks, Recovery.Recovered r) {
        this.options = options;
        this.listener = r.listener();
        this.mergeOperator = options.mergeOperator();
        this.directoryLock = r.lock();
        this.cache = r.cache();
        this.readStats = r.readStats();
        this.views = new ViewHolder(r.view());
        this.active = r.view().active();
        this.nextSeq = r.maxSeq() + 1;
        this.background = new BackgroundWork(options, hooks, listener, views, cache, readStats, r.manifest(),
                this::failWrites, this::signalProgress);
        this.commitLog = CommitLog.open(options.dataDirectory(), r.newSegmentId(), nextSeq, options.clock().millis(),
                options.syncPolicy(), options.commitLogSegmentBytes(), listener, hooks.fsync());
        background.start(commitLog);
        for (int i = 0; i < r.view().immutables().size(); i++) {
            background.scheduleFlush();
        }
        background.scheduleCompaction();
    }

    public static StorageEngine open(StorageOptions options) {
        return open(options, EngineHooks.NONE);
    }

    /** Opens with test hooks (fault injection). */
    public static LsmEngine open(StorageOptions options, EngineHooks hooks) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(hooks, "hooks");
        Recovery.Recovered r = Recovery.recover(options);
        try {
            return new LsmEngine(options, hooks, r);
        } catch (RuntimeException e) {
            r.view().tables().release();
            r.lock().close();
            throw e;
        }
    }

    // ---- writes ----

    @Override
    public void put(byte[] key, byte[] value) {
        writeOne(EntryKind.PUT, key, value);
    }

    @Override
    public void merge(byte[] key, byte[] operand) {
        requireMergeOperator();
        writeOne(EntryKind.MERGE, key, operand);
    }

    @Override
    public PendingDurability mergeVisible(byte[] key, byte[] operand) {
        requireMergeOperator();
        return pendingDurability(appendAndApply(EntryKind.MERGE, key, operand, true));
    }

    @Override
    public PendingDurability tryMergeVisible(byte[] key, byte[] operand) {
        requireMergeOperator();
        long pos = appendAndApply(EntryKind.MERGE, key, operand, false);
        return pos < 0 ? null : pendingDurability(pos);
    }

    private PendingDurability pendingDurability(long pos) {
        return new PendingDurability() {
            @Override
            public boolean isDurable() {
                return commitLog.isDurable(pos);
            }

            @Override
            public void awaitDurable() {
                commitLog.awaitDurable(pos);
            }

            @Override
            public CompletableFuture<Void> whenDurable() {
                return commitLog.whenDurable(pos);
            }
        };
    }

    @Override
    public void delete(byte[] key) {
        writeOne(EntryKind.DELETE, key, new byte[0]);
    }

    private void writeOne(EntryKind kind, byte[] key, byte[] value) {
        commitLog.awaitDurable(appendAndApply(kind, key, value, true));
    }

    /**
     * Logs and applies one op; returns its log position. With {@code mayWait} false it returns -1,
     * having written nothing, instead of waiting: for a write stall, for the write lock another
     * thread holds, or for a commit log roll (which fsyncs, under the lock).
     */
    private long appendAndApply(EntryKind kind, byte[] key, byte[] value, boolean mayWait) {
        checkKey(key);
        checkValue(value, kind);
        byte[] token = KeyOrder.token(key);
        if (mayWait) {
            maybeStall();
        } else if (mustStall(views.current())) {
            return -1;
        }
        Collapsed collapsed = kind == EntryKind.MERGE ? collapseAhead(token, key, value) : null;
        long timestampMillis = options.clock().millis();
        long pos;
        if (mayWait) {
            writeLock.lock();
        } else if (!writeLock.tryLock()) {
            return -1;
        }
        try {
            checkWritable();
            long seq = nextSeq;
            pos = mayWait ? commitLog.append(kind, key, value, seq, timestampMillis)
                    : commitLog.appendWithoutRoll(kind, key, value, seq, timestampMillis);
            if (pos < 0) {
                return -1;
            }
            nextSeq++;
            try {
                if (collapsed != null && collapsed.onto() == active && !active.contains(token, key)) {
                    active.apply(token, key, seq, EntryKind.PUT, timestampMillis, collapsed.value());
                } else {
                    active.apply(token, key, seq, kind, timestampMillis, value);
                }
            } catch (RuntimeException ex) {
                throw appliedAfterLogFailed(ex);
            }
            maybeSwapLocked();
        } finally {
            writeLock.unlock();
        }
        userBytesWritten.add(key.length + value.length);
        return pos;
    }

    /** A merge operand already combined with everything older than memtable {@code onto}. */
    private record Collapsed(Memtable onto, byte[] value) {
    }

    /**
     * For a merge that will be its key's first record in the active memtable: the value it makes,
     * computed now, outside the write lock, when memory holds everything older (the immutable
     * memtables, and the block cache for the tables whose filters do not rule the key out). The
     * memtable then keeps a PUT of that value instead of the operand, so until the next flush a
     * read of the key finds a value and merges nothing: otherwise every read of a recently written
     * key would decode, combine and re-encode it with its base again. The write path applies it
     * only if {@code onto} is still the active memtable and still has no record of the key: older
     * records never change what they resolve to (flushes and compactions keep it), so then nothing
     * was written in between. Null when the memtable already holds the key (it combines the
     * operand at once), when a block would have to be read, when older operands have no base
     * (their fold is left to reads and compaction, as before), or when the operator refuses.
     */
    private Collapsed collapseAhead(byte[] token, byte[] key, byte[] operand) {
        View v = views.acquire();
        try {
            Memtable onto = v.active();
            if (onto.contains(token, key)) {
                return null;
            }
            InternalEntry older = resolve(v, token, key, false, true);
            if (older == SSTableReader.NEEDS_READ || older != null && older.kind() == EntryKind.MERGE) {
                return null;
            }
            byte[] base = older == null ? null : MergeRules.valueOf(older, mergeOperator);
            return new Collapsed(onto, mergeOperator.apply(key, base, operand));
        } catch (RuntimeException e) {
            return null; // e.g. an operand the operator cannot read: stored as it is, as before
        } finally {
            v.tables().release();
        }
    }

    @Override
    public void write(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        List<WriteBatch.Op> ops = batch.ops();
        int n = ops.size();
        if (n == 0) {
            return;
        }
        byte[][] tokens = new byte[n][];
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            WriteBatch.Op op = ops.get(i);
            checkKey(op.key());
            checkValue(op.value(), op.kind());
            if (op.kind() == EntryKind.MERGE) {
                requireMergeOperator();
            }
            tokens[i] = KeyOrder.token(op.key());
            bytes += op.key().length + op.value().length;
        }
        maybeStall();
        long timestampMillis = options.clock().millis();
        InternalEntry[] entries = new InternalEntry[n];
        long pos;
        writeLock.lock();
        try {
            checkWritable();
            for (int i = 0; i < n; i++) {
                WriteBatch.Op op = ops.get(i);
                entries[i] = new InternalEntry(tokens[i], op.key(), nextSeq + i, op.kind(), timestampMillis, op.value());
            }
            pos = commitLog.append(entries, n);
            nextSeq += n;
            for (InternalEntry e : entries) {
                applyLocked(e);
            }
            maybeSwapLocked();
        } finally {
            writeLock.unlock();
        }
        userBytesWritten.add(bytes);
        commitLog.awaitDurable(pos);
    }

    private void applyLocked(InternalEntry e) {
        try {
            active.apply(e);
        } catch (RuntimeException ex) {
            throw appliedAfterLogFailed(ex);
        }
    }

    /** The record is in the log but not in memory: serving on would disagree with replay. */
    private StorageException appliedAfterLogFailed(RuntimeException ex) {
        failWrites(ex);
        return new StorageException("applying a write failed after it was logged; the engine stops accepting writes", ex);
    }

    private void maybeSwapLocked() {
        if (active.sizeBytes() >= options.memtableFlushThresholdBytes()) {
            swapLocked();
        }
    }

    private void swapLocked() {
        Memtable fresh = new Memtable(mergeOperator, commitLog.currentSegmentId(), options.memtableFlushThresholdBytes());
        views.swapActive(fresh);
        active = fresh;
        background.scheduleFlush();
    }

    /** Backpressure: wait while flushes or compactions are behind, rather than grow memory or read cost. */
    private void maybeStall() {
        if (!mustStall(views.current())) {
            return;
        }
        long start = System.nanoTime();
        try {
            synchronized (stallMonitor) {
                for (;;) {
                    checkWritable();
                    View v = views.current();
                    if (!mustStall(v)) {
                        break;
                    }
                    Throwable compactionFailure = background.lastCompactionFailure();
                    if (v.tables().size() >= options.maxTablesBeforeStall() && compactionFailure != null) {
                        throw new StorageException("writes refused: " + v.tables().size()
                                + " tables are live and compaction is failing: " + compactionFailure.getMessage(),
                                compactionFailure);
                    }
                    stallMonitor.wait(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a flush or compaction to catch up");
        } finally {
            long stalled = System.nanoTime() - start;
            writeStallNanos.add(stalled);
            listener.onWriteStall(stalled);
        }
    }

    private boolean mustStall(View v) {
        return v.immutables().size() >= options.maxImmutableMemtables()
                || v.tables().size() >= options.maxTablesBeforeStall();
    }

    private void signalProgress() {
        synchronized (stallMonitor) {
            stallMonitor.notifyAll();
        }
    }

    private void failWrites(Throwable t) {
        if (writeFailure == null) {
            writeFailure = t;
        }
        signalProgress();
    }

    private void checkWritable() {
        if (closed) {
            throw new EngineClosedException("the engine is closed");
        }
        Throwable f = writeFailure;
        if (f != null) {
            throw new EngineClosedException("the engine stopped accepting writes after a failure: " + f);
        }
    }

    private void requireMergeOperator() {
        if (mergeOperator == null) {
            throw new IllegalStateException("merge needs a merge operator; none is configured in StorageOptions");
        }
    }

    private static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length > CommitLogFormat.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key of " + key.length + " bytes exceeds the "
                    + CommitLogFormat.MAX_KEY_BYTES + "-byte limit");
        }
    }

    private static void checkValue(byte[] value, EntryKind kind) {
        Objects.requireNonNull(value, kind == EntryKind.MERGE ? "operand" : "value");
        if (value.length > CommitLogFormat.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value of " + value.length + " bytes exceeds the "
                    + CommitLogFormat.MAX_VALUE_BYTES + "-byte limit");
        }
    }

    // ---- reads ----

    @Override
    public byte[] get(byte[] key) {
        return read(key, false);
    }

    @Override
    public MemoryRead getIfInMemory(byte[] key) {
        byte[] value = read(key, true);
        return value == NOT_IN_MEMORY ? MemoryRead.NEEDS_DISK : MemoryRead.of(value);
    }

    private byte[] read(byte[] key, boolean cachedOnly) {
        Objects.requireNonNull(key, "key");
        if (closed) {
            throw new EngineClosedException("the engine is closed");
        }
        byte[] token = KeyOrder.token(key);
        View v = views.acquire();
        try {
            return lookup(v, token, key, cachedOnly);
        } catch (CorruptionException e) {
            listener.onCorruption(e.file(), e.offset(), e.getMessage());
            throw e;
        } finally {
            v.tables().release();
        }
    }

    /** The key's value, or {@link #NOT_IN_MEMORY} when {@code cachedOnly} and a table would need a block read. */
    private byte[] lookup(View v, byte[] token, byte[] key, boolean cachedOnly) {
        InternalEntry resolved = resolve(v, token, key, true, cachedOnly);
        if (resolved == SSTableReader.NEEDS_READ) {
            return NOT_IN_MEMORY;
        }
        return resolved == null ? null : MergeRules.valueOf(resolved, mergeOperator);
    }

    /**
     * The key's records resolved ({@link MergeRules#resolveNewestFirst}): newest first, stop at the
     * first PUT or DELETE and fold the MERGE operands found on the way. Null when no record exists;
     * a MERGE when operands have no base; {@link SSTableReader#NEEDS_READ} as soon as a table would
     * need a block read, with {@code cachedOnly}. Without {@code includeActive}, what lies below the
     * active memtable.
     */
    private InternalEntry resolve(View v, byte[] token, byte[] key, boolean includeActive, boolean cachedOnly) {
        List<InternalEntry> operands = null;
        if (includeActive) {
            InternalEntry e = v.active().get(token, key);
            if (e != null) {
                if (e.kind() != EntryKind.MERGE) {
                    return e;
                }
                operands = add(null, e);
            }
        }
        List<Memtable> imm = v.immutables();
        for (int i = imm.size() - 1; i >= 0; i--) {
            InternalEntry e = imm.get(i).get(token, key);
            if (e != null) {
                if (e.kind() != EntryKind.MERGE) {
                    return withOperands(e, operands);
                }
                operands = add(operands, e);
            }
        }
        for (SSTableReader table : v.tables().newestFirst) {
            InternalEntry e = cachedOnly ? table.getCached(token, key) : table.get(token, key);
            if (e == SSTableReader.NEEDS_READ) {
                return e;
            }
            if (e != null) {
                if (e.kind() != EntryKind.MERGE) {
                    return withOperands(e, operands);
                }
                operands = add(operands, e);
            }
        }
        return operands == null ? null : MergeRules.resolveNewestFirst(operands, mergeOperator);
    }

    private InternalEntry withOperands(InternalEntry base, List<InternalEntry> operands) {
        if (operands == null) {
            return base;
        }
        operands.add(base);
        return MergeRules.resolveNewestFirst(operands, mergeOperator);
    }

    private static List<InternalEntry> add(List<InternalEntry> operands, InternalEntry e) {
        List<InternalEntry> out = operands == null ? new ArrayList<>(4) : operands;
        out.add(e);
        return out;
    }

    @Override
    public RangeIterator scan(byte[] fromTokenExclusive, byte[] toTokenInclusive) {
        requireToken(fromTokenExclusive, "fromTokenExclusive");
        requireToken(toTokenInclusive, "toTokenInclusive");
        int order = KeyOrder.compareUnsigned(fromTokenExclusive, toTokenInclusive);
        byte[] secondTo = order == 0 ? fromTokenExclusive : toTokenInclusive;
        View v;
        List<RangeScan.Piece> pieces = new ArrayList<>(2);
        writeLock.lock();
        try {
            if (closed) {
                throw new EngineClosedException("the engine is closed");
            }
            v = views.acquire();
            if (order < 0) {
                pieces.add(new RangeScan.Piece(fromTokenExclusive, toTokenInclusive,
                        active.copyRange(fromTokenExclusive, toTokenInclusive)));
            } else {
                pieces.add(new RangeScan.Piece(fromTokenExclusive, null, active.copyRange(fromTokenExclusive, null)));
                pieces.add(new RangeScan.Piece(null, secondTo, active.copyRange(null, secondTo)));
            }
        } finally {
            writeLock.unlock();
        }
        return new RangeScan(v, pieces, mergeOperator, listener);
    }

    private static void requireToken(byte[] token, String name) {
        Objects.requireNonNull(token, name);
        if (token.length != KeyOrder.TOKEN_BYTES) {
            throw new IllegalArgumentException(name + " must be " + KeyOrder.TOKEN_BYTES + " bytes, was " + token.length);
        }
    }

    // ---- maintenance ----

    @Override
    public void flush() {
        writeLock.lock();
        try {
            checkWritable();
            if (!active.isEmpty()) {
                swapLocked();
            }
        } finally {
            writeLock.unlock();
        }
        await(background.flushBarrier(), "flush");
        Throwable f = writeFailure;
        if (f != null) {
            throw new StorageException("flush failed: " + f.getMessage(), f);
        }
    }

    @Override
    public void compactAll() {
        if (closed) {
            throw new EngineClosedException("the engine is closed");
        }
        await(background.compactAll(), "compaction");
    }

    private static void await(Future<?> f, String what) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StorageException se) {
                throw se;
            }
            if (cause instanceof java.io.UncheckedIOException u) {
                throw new StorageIoException(what + " failed", u.getCause());
            }
            throw new StorageException(what + " failed: " + cause, cause);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new EngineClosedException("the engine is closed");
        }
    }

    @Override
    public EngineStats stats() {
        View v = views.current();
        long memBytes = v.active().sizeBytes();
        long memEntries = v.active().entryCount();
        for (Memtable m : v.immutables()) {
            memBytes += m.sizeBytes();
            memEntries += m.entryCount();
        }
        return new EngineStats(userBytesWritten.sum(), commitLog.bytesWritten(),
                background.flushBytesWritten.sum(), background.compactionBytesWritten.sum(),
                v.tables().size(), v.tables().totalBytes(), 1 + v.immutables().size(), memBytes, memEntries + v.tables().totalEntries(),
                cache.hits(), cache.misses(), cache.rejections(), readStats.bloomNegatives(), writeStallNanos.sum());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            writeLock.lock();
            try {
                closed = true;
            } finally {
                writeLock.unlock();
            }
        }
        signalProgress();
        try {
            background.close();
        } finally {
            try {
                commitLog.close();
            } finally {
                views.releaseTables();
                directoryLock.close();
            }
        }
    }

    @Override
    public String toString() {
        return "LsmEngine[" + options.dataDirectory() + "]";
    }
}
