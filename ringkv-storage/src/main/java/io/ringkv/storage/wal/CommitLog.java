package io.ringkv.storage.wal;

import io.ringkv.storage.EngineClosedException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead commit log: segments of checksummed records, appended under the engine's
 * write lock and made durable by group commit (docs/design/commit-log.md).
 *
 * <p>Why this shape: appending is a short serialize-and-write(2) under the caller's lock, so
 * the record reaches the OS (and survives kill -9) before the lock is released. Durability is
 * then awaited outside the lock. For {@code always} and {@code batch}, a waiter that finds no
 * leader becomes the leader and forces the file for everyone appended so far; the others park in
 * a {@link GroupCommitQueue} until it wakes exactly those it covered and hands leadership to the
 * oldest one left (PostgreSQL's and RocksDB's group commit). A {@code batch} leader first
 * waits, up to the window, until as many writers are waiting as joined recent groups on
 * average, so a lone writer is not delayed while 16 writers share one fsync. Writers that must
 * not hold a thread while they wait (a node's replica writes) take a future instead
 * ({@link #whenDurable}): the log's sync thread gathers and forces for those in the same way
 * ({@link DurableFutures}). {@code periodic} returns after the write and a background thread
 * forces the file every interval.
 *
 * <p>Positions are logical byte counts since open, not file offsets, so one number says how
 * far the log is durable across segment rolls. A failed write or fsync fails the log for
 * good: nothing is acknowledged afterwards (the "fsyncgate" lesson: after a failed fsync the
 * kernel may have dropped the dirty pages, so retrying would lie).
 */
public final class CommitLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLog.class);
    /** Segments never grow past this, whatever the option says, so replay can hold one in memory. */
    private static final long MAX_SEGMENT_BYTES = 1L << 30;

    private final Path dir;
    private final long segmentBytes;
    private final long windowNanos;
    private final boolean awaitFsync;
    private final EngineListener listener;
    private final FsyncHook fsync;
    private final RecordEncoder encoder = new RecordEncoder();
    private final TreeMap<Long, CommitLogSegment> openSegments = new TreeMap<>();

    private volatile CommitLogSegment current;
    private volatile long appendedPos;
    private volatile long appendedRecords;
    private final AtomicLong syncedPos = new AtomicLong();
    private long syncedRecords;
    private final AtomicLong bytesWritten = new AtomicLong();
    private volatile IOException failure;
    private volatile boolean closed;

    /** Serialises fsyncs: a group leader's, the periodic syncer's and close's. */
    private final ReentrantLock leaderLock = new ReentrantLock();
    private final GroupCommitQueue groupCommit = new GroupCommitQueue();
    /**
     * The moving average of recent groups' sizes (writers that waited for an fsync, leader
     * included), written under {@code leaderLock} by {@link #syncOnce}; rounded down, it is how
     * many writers the next leader gathers ({@link #expectedGroupSize}).
     */
    private volatile double meanGroupSize = 1;
    private final ScheduledExecutorService periodicSyncer;
    /** Futures of writers waiting without a thread, and the thread that forces for them (always, batch). */
    private final DurableFutures durableFutures = new DurableFutures();
    private final Thread futureSyncer;

    private CommitLog(Path dir, SyncPolicy policy, long segmentBytes, EngineListener listener, FsyncHook fsync,
            CommitLogSegment first) {
        this.dir = dir;
        this.segmentBytes = Math.min(segmentBytes, MAX_SEGMENT_BYTES);
        this.listener = listener;
        this.fsync = fsync;
        this.current = first;
        openSegments.put(first.id, first);
        bytesWritten.addAndGet(CommitLogFormat.HEADER_BYTES);
        switch (policy) {
            case SyncPolicy.Always a -> {
                this.awaitFsync = true;
                this.windowNanos = 0;
                this.periodicSyncer = null;
                this.futureSyncer = startFutureSyncer();
            }
            case SyncPolicy.Batch b -> {
                this.awaitFsync = true;
                this.windowNanos = TimeUnit.MILLISECONDS.toNanos(b.windowMillis());
                this.periodicSyncer = null;
                this.futureSyncer = startFutureSyncer();
            }
            case SyncPolicy.Periodic p -> {
                this.awaitFsync = false;
                this.windowNanos = 0;
                this.futureSyncer = null;
                this.periodicSyncer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "ringkv-commitlog-sync");
                    t.setDaemon(true);
                    return t;
                });
                periodicSyncer.scheduleWithFixedDelay(this::periodicSync, p.intervalMillis(), p.intervalMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Starts a new segment {@code firstSegmentId} in {@code dir}; older segments are replayed
     * separately, before this. {@code nextSeq} and {@code nowMillis} become the segment's bases:
     * the seq the next write will get and the current time. The older segments are fsynced
     * first (see {@link #forceReplayedSegments}).
     */
    public static CommitLog open(Path dir, long firstSegmentId, long nextSeq, long nowMillis, SyncPolicy policy,
            long segmentBytes, EngineListener listener, FsyncHook fsync) {
        forceReplayedSegments(dir, firstSegmentId, fsync);
        try {
            return new CommitLog(dir, policy, segmentBytes, listener, fsync,
                    CommitLogSegment.create(dir, firstSegmentId, nextSeq, nowMillis, fsync));
        } catch (IOException e) {
            throw new StorageIoException("cannot create commit log segment in " + dir, e);
        }
    }

    /**
     * Makes every segment below {@code firstSegmentId} durable whole before a newer one exists,
     * so that only the last segment can ever end in a torn record: a roll seals the old segment
     * before creating the next, and this does the same for the segments recovery replayed.
     *
     * <p>Why: a kill -9 leaves records that were written and never fsynced (a writer was waiting
     * for its fsync; under {@code periodic}, acknowledged writes), and a torn tail's truncation.
     * Replay serves those records from then on. Without this, a power loss after the new segment
     * is created could still drop or tear them: writes that readers saw would vanish, and a torn
     * record in a segment that is no longer the last reads as corruption, so the node would not
     * open at all. fsync of a file whose pages are already clean costs little.
     */
    private static void forceReplayedSegments(Path dir, long firstSegmentId, FsyncHook fsync) {
        for (long id : segmentIds(dir)) {
            if (id >= firstSegmentId) {
                break;
            }
            Path path = dir.resolve(CommitLogFormat.segmentFileName(id));
            try {
                CommitLogSegment.forceExisting(path, fsync);
            } catch (IOException e) {
                throw new StorageIoException("cannot fsync replayed commit log segment " + path
                        + "; no newer segment is started before it is durable", e);
            }
        }
    }

    /** Ids of the segment files in {@code dir}, ascending. */
    public static List<Long> segmentIds(Path dir) {
        List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                long id = CommitLogFormat.parseSegmentId(f.getFileName().toString());
                if (id >= 0) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new StorageIoException("cannot list " + dir, e);
        }
        ids.sort(null);
        return ids;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Appends one record holding {@code entries[0..count)} and hands it to the OS. The caller
     * holds the engine's write lock. Returns the log position to pass to {@link #awaitDurable}.
     *
     * @throws IllegalArgumentException if the record is too large (nothing was written)
     */
    public long append(InternalEntry[] entries, int count) {
        checkUsable();
        CommitLogSegment seg = current;
        int recordBytes = RecordEncoder.recordBytes(entries, count, seg.baseSeq, seg.baseTimestampMillis);
        if (mustRoll(seg, recordBytes)) {
            seg = roll(seg, entries[0].seq(), entries[0].timestampMillis());
            recordBytes = RecordEncoder.recordBytes(entries, count, seg.baseSeq, seg.baseTimestampMillis);
        }
        return write(seg, encoder.encode(entries, count, recordBytes, seg.baseSeq, seg.baseTimestampMillis),
                recordBytes);
    }

    /** {@link #append(InternalEntry[], int)} for a single op, without building an entry. */
    public long append(EntryKind kind, byte[] key, byte[] value, long seq, long timestampMillis) {
        return append(kind, key, value, seq, timestampMillis, true);
    }

    /**
     * {@link #append(EntryKind, byte[], byte[], long, long)} for a thread that must not block:
     * returns -1, having written nothing, when the record would start a new segment, because a
     * roll fsyncs the old segment and creates the next (docs/design/commit-log.md, "Segments").
     */
    public long appendWithoutRoll(EntryKind kind, byte[] key, byte[] value, long seq, long timestampMillis) {
        return append(kind, key, value, seq, timestampMillis, false);
    }

    private long append(EntryKind kind, byte[] key, byte[] value, long seq, long timestampMillis, boolean mayRoll) {
        checkUsable();
        CommitLogSegment seg = current;
        int recordBytes = RecordEncoder.recordBytes(key.length, value.length, seq, timestampMillis, seg.baseSeq,
                seg.baseTimestampMillis);
        if (mustRoll(seg, recordBytes)) {
            if (!mayRoll) {
                return -1;
            }
            seg = roll(seg, seq, timestampMillis);
            recordBytes = RecordEncoder.recordBytes(key.length, value.length, seq, timestampMillis, seg.baseSeq,
                    seg.baseTimestampMillis);
        }
        return write(seg, encoder.encode(kind, key, value, seq, timestampMillis, recordBytes, seg.baseSeq,
                seg.baseTimestampMillis), recordBytes);
    }

    private boolean mustRoll(CommitLogSegment seg, int recordBytes) {
        return seg.sizeBytes() + recordBytes > segmentBytes && seg.sizeBytes() > CommitLogFormat.HEADER_BYTES;
    }

    private long write(CommitLogSegment seg, byte[] record, int recordBytes) {
        try {
            seg.write(record, recordBytes);
        } catch (IOException e) {
            fail(e);
            throw new StorageIoException("commit log write to " + seg.path + " failed", e);
        }
        appendedRecords++;
        long pos = appendedPos + recordBytes;
        appendedPos = pos;
        bytesWritten.addAndGet(recordBytes);
        return pos;
    }

    /** The id of the segment new records go to; read under the write lock for an exact answer. */
    public long currentSegmentId() {
        return current.id;
    }

    /** Whether the record ending at {@code pos} is as durable as the policy promises; never blocks. */
    public boolean isDurable(long pos) {
        return !awaitFsync || syncedPos.get() >= pos;
    }

    /** Returns once the write ending at {@code pos} is as durable as the sync policy promises. */
    public void awaitDurable(long pos) {
        if (!awaitFsync || syncedPos.get() >= pos) {
            return;
        }
        switch (groupCommit.awaitTurn(pos)) {
            case DURABLE -> {
                // an fsync covered pos
            }
            case LEAD -> lead(pos);
            case FAILED -> {
                if (syncedPos.get() < pos) {
                    throw notDurable(failure);
                }
            }
            case WITHDRAWN -> throw new StorageException(
                    "interrupted while waiting for the commit log fsync; the write may not be durable");
            case WAITING -> throw new IllegalStateException("group commit returned an undecided turn");
        }
    }

    /**
     * A future that completes once the write ending at {@code pos} is as durable as the sync policy
     * promises, without a thread waiting meanwhile; it fails with a {@link StorageException} when
     * {@link #awaitDurable} would throw. It completes on the log's sync thread unless already
     * durable: what the caller chains on it runs there and must be short and never block.
     */
    public CompletableFuture<Void> whenDurable(long pos) {
        if (!awaitFsync || syncedPos.get() >= pos) {
            return CompletableFuture.completedFuture(null);
        }
        IOException f = failure;
        if (f != null) {
            return CompletableFuture.failedFuture(notDurable(f));
        }
        CompletableFuture<Void> future = durableFutures.add(pos);
        if (future == null) {
            return syncedPos.get() >= pos ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new EngineClosedException(
                            "the commit log closed before this write was durable"));
        }
        return future;
    }

    private Thread startFutureSyncer() {
        Thread t = new Thread(this::syncForFutures, "ringkv-commitlog-group-sync");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The sync thread's loop: completes the futures an fsync (any: its own, a blocking leader's, a
     * roll's) covered; if some still wait, gathers a group as a {@code batch} leader does and forces.
     */
    private void syncForFutures() {
        try {
            while (durableFutures.awaitWork()) {
                durableFutures.completeUpTo(syncedPos.get());
                if (durableFutures.size() == 0) {
                    continue;
                }
                IOException f = failure;
                if (f != null) {
                    durableFutures.failAll(() -> notDurable(f));
                    continue;
                }
                if (windowNanos > 0) {
                    durableFutures.awaitGroup(expectedGroupSize(), System.nanoTime() + windowNanos);
                }
                leaderLock.lock();
                try {
                    if (failure == null) {
                        syncOnce(durableFutures.size() + groupCommit.waitingCount());
                    }
                } catch (StorageIoException e) {
                    // fail() recorded it and woke this loop, which fails the futures left
                } finally {
                    leaderLock.unlock();
                }
                long synced = syncedPos.get();
                durableFutures.completeUpTo(synced);
                groupCommit.completeUpTo(synced);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // closed (or interrupted): close() forced everything appended; fail what is still not durable
            durableFutures.completeUpTo(syncedPos.get());
            IOException f = failure;
            durableFutures.failAll(() -> f != null ? notDurable(f)
                    : new EngineClosedException("the commit log closed before this write was durable"));
        }
    }

    /** Runs one group fsync covering {@code pos}, then wakes the writers it covered and hands on. */
    private void lead(long pos) {
        try {
            if (syncedPos.get() >= pos) {
                return; // a roll or the previous leader covered it meanwhile
            }
            gather();
            IOException f = failure;
            if (f != null) {
                throw notDurable(f);
            }
            leaderLock.lock();
            try {
                syncOnce(groupCommit.waitingCount() + 1);
            } finally {
                leaderLock.unlock();
            }
        } finally {
            groupCommit.release(syncedPos.get());
        }
    }

    private static StorageIoException notDurable(IOException cause) {
        return new StorageIoException("commit log fsync failed, so this write is not durable", cause);
    }

    /** Batch policy: wait, up to the window, for as many writers as recent groups had ({@link #expectedGroupSize}). */
    private void gather() {
        if (windowNanos > 0) {
            groupCommit.awaitGroup(expectedGroupSize() - 1, System.nanoTime() + windowNanos);
        }
    }

    /** How many writers a gathering leader waits for, itself included (at least 1). */
    private int expectedGroupSize() {
        return (int) meanGroupSize;
    }

    /** Forces everything appended so far; {@code group} writers wait for it. Caller holds {@code leaderLock}. */
    private void syncOnce(int group) {
        // Read the position before the segment: data up to target is then in this segment or an
        // older one that its roll already forced.
        long targetRecords = appendedRecords;
        long target = appendedPos;
        CommitLogSegment seg = current;
        if (syncedPos.get() >= target) {
            return;
        }
        long start = System.nanoTime();
        try {
            seg.force(fsync);
        } catch (IOException e) {
            fail(e);
            throw new StorageIoException("commit log fsync of " + seg.path + " failed, so the write is not durable", e);
        }
        syncedPos.accumulateAndGet(target, Math::max);
        int records = (int) Math.max(0, targetRecords - syncedRecords);
        syncedRecords = Math.max(syncedRecords, targetRecords);
        // An average, not the last group's size: at a light load two writers sometimes meet in one
        // fsync by chance, and a leader expecting two after that waited the whole window for a second
        // writer that was not coming (3-4 % of durable updates 2 ms slower at 1,180 YCSB ops/s). One
        // group of two moves the average from 1 to 1.125; a steady load of 10 writers keeps it at 10.
        meanGroupSize += (Math.max(1, group) - meanGroupSize) / 8;
        listener.onCommitLogSync(records, System.nanoTime() - start);
    }

    private void periodicSync() {
        if (failure != null || closed || syncedPos.get() >= appendedPos) {
            return;
        }
        leaderLock.lock();
        try {
            syncOnce(0);
        } catch (RuntimeException e) {
            LOG.error("periodic commit log fsync failed; the engine stops accepting writes", e);
        } finally {
            leaderLock.unlock();
        }
    }

    /** Seals {@code old} and starts the next segment, whose first record has this seq and timestamp. */
    private CommitLogSegment roll(CommitLogSegment old, long firstSeq, long timestampMillis) {
        try {
            return rollOrThrow(old, firstSeq, timestampMillis);
        } catch (IOException e) {
            fail(e);
            throw new StorageIoException("commit log roll after " + old.path + " failed", e);
        }
    }

    private CommitLogSegment rollOrThrow(CommitLogSegment old, long firstSeq, long timestampMillis) throws IOException {
        old.seal(fsync);
        long posAtRoll = appendedPos;
        CommitLogSegment next = CommitLogSegment.create(dir, old.id + 1, firstSeq, timestampMillis, fsync);
        synchronized (openSegments) {
            openSegments.put(next.id, next);
        }
        current = next;
        bytesWritten.addAndGet(CommitLogFormat.HEADER_BYTES);
        syncedPos.accumulateAndGet(posAtRoll, Math::max);
        groupCommit.completeUpTo(posAtRoll);
        durableFutures.wake(); // completes the futures the roll covered, on the sync thread: not under the caller's lock
        return next;
    }

    /**
     * Deletes every segment older than {@code segmentId} (never the current one): their records
     * are all in SSTables recorded by the manifest.
     */
    public void deleteSegmentsBefore(long segmentId) {
        long currentId = current.id;
        for (long id : segmentIds(dir)) {
            if (id >= segmentId || id >= currentId) {
                break;
            }
            CommitLogSegment open;
            synchronized (openSegments) {
                open = openSegments.remove(id);
            }
            Path path = dir.resolve(CommitLogFormat.segmentFileName(id));
            try {
                if (open != null) {
                    open.close();
                }
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("cannot delete flushed commit log segment {}; will retry after the next flush", path, e);
            }
        }
    }

    /** Bytes written to segment files since open, headers included. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    private void checkUsable() {
        IOException f = failure;
        if (f != null) {
            throw new EngineClosedException("the commit log failed earlier (" + f.getMessage()
                    + "); the engine accepts no more writes");
        }
        if (closed) {
            throw new EngineClosedException("the commit log is closed");
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
            LOG.error("commit log failed; the engine stops accepting writes", e);
        }
        groupCommit.failAll();
        durableFutures.wake();
    }

    /** Whether a write or fsync has failed, so the engine must refuse writes. */
    public boolean failed() {
        return failure != null;
    }

    /** Forces what was appended and closes the files. The caller stops appending first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (periodicSyncer != null) {
            periodicSyncer.shutdown();
            try {
                periodicSyncer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leaderLock.lock();
        try {
            if (failure == null && syncedPos.get() < appendedPos) {
                syncOnce(groupCommit.waitingCount() + durableFutures.size());
                groupCommit.completeUpTo(syncedPos.get());
            }
        } finally {
            leaderLock.unlock();
            durableFutures.close();
            if (futureSyncer != null && futureSyncer != Thread.currentThread()) {
                try {
                    futureSyncer.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (openSegments) {
                for (CommitLogSegment s : openSegments.values()) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        LOG.warn("cannot close commit log segment {}", s.path, e);
                    }
                }
                openSegments.clear();
            }
        }
    }
}
