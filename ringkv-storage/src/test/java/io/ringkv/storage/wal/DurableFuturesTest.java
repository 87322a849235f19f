package io.ringkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.EngineListener;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.format.EntryKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CommitLog#whenDurable}: a future completes only after an fsync covered its record,
 * writers share fsyncs with each other and with blocking waiters, completions run on the log's
 * sync thread, and a failed fsync or a close never leaves a future hanging or falsely complete.
 */
class DurableFuturesTest {
    private static final long SEGMENT_BYTES = 64L << 20;

    @TempDir
    Path dir;

    private Path segment() {
        return dir.resolve(CommitLogFormat.segmentFileName(1));
    }

    private final AtomicLong seq = new AtomicLong(1);

    private long append(CommitLog log) {
        synchronized (this) { // the engine's write lock: appends are serialised, waits are not
            return log.append(EntryKind.PUT, new byte[] {1, 2, 3}, new byte[50], seq.getAndIncrement(), 1_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "batch"})
    void everyFutureCompletesOnTheSyncThreadOnlyAfterAnFsyncCoveringIt(String policy) throws Exception {
        RecordingFsync fsync = new RecordingFsync(segment());
        CommitLog log = CommitLog.open(dir, 1, 1, 1_000, policy.equals("always") ? SyncPolicy.always()
                : SyncPolicy.batch(5), SEGMENT_BYTES, EngineListener.NONE, fsync);
        int writers = 16;
        int writesEach = 60;
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            boolean blocking = w % 4 == 0; // some writers wait the old way, sharing fsyncs with the futures
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < writesEach; i++) {
                    long pos = append(log);
                    if (blocking) {
                        log.awaitDurable(pos);
                        check(fsync, pos, violations);
                        completed.incrementAndGet();
                        continue;
                    }
                    Thread writer = Thread.currentThread();
                    log.whenDurable(pos).thenRun(() -> {
                        check(fsync, pos, violations);
                        Thread thread = Thread.currentThread();
                        // the writer itself runs it only when another fsync had covered pos already
                        if (thread != writer && !thread.getName().equals("ringkv-commitlog-group-sync")) {
                            violations.add("completed on " + thread.getName());
                        }
                        completed.incrementAndGet();
                    }).join();
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertThat(t.isAlive()).as("writer %s finished", t).isFalse();
        }
        log.close();
        assertThat(violations).isEmpty();
        assertThat(completed.get()).isEqualTo(writers * writesEach);
        assertThat(fsync.syncs.get()).as("writers shared fsyncs").isLessThan(writers * writesEach / 2);
    }

    private static void check(RecordingFsync fsync, long pos, Queue<String> violations) {
        long durable = fsync.durableFileBytes.get() - CommitLogFormat.HEADER_BYTES;
        if (durable < pos) {
            violations.add("completed at " + pos + " with only " + durable + " durable");
        }
    }

    @Test
    void aFailedFsyncFailsTheWaitingFuturesAndEveryLaterOne() throws Exception {
        RecordingFsync fsync = new RecordingFsync(segment());
        CommitLog log = CommitLog.open(dir, 1, 1, 1_000, SyncPolicy.always(), SEGMENT_BYTES, EngineListener.NONE,
                fsync);
        fsync.gate = new CountDownLatch(1);
        fsync.entered = new CountDownLatch(1);
        CompletableFuture<Void> first = log.whenDurable(append(log));
        assertThat(fsync.entered.await(10, TimeUnit.SECONDS)).as("the sync thread is inside the fsync").isTrue();
        CompletableFuture<Void> second = log.whenDurable(append(log)); // waits behind the hanging fsync
        fsync.fail = true;
        fsync.gate.countDown();

        for (CompletableFuture<Void> f : List.of(first, second)) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StorageException.class).hasMessageContaining("fsync");
        }
        assertThat(log.failed()).isTrue();
        assertThat(log.whenDurable(Long.MAX_VALUE)).isCompletedExceptionally();
        log.close();
    }

    @Test
    void closeForcesWhatWasAppendedAndCompletesItsFutures() throws Exception {
        RecordingFsync fsync = new RecordingFsync(segment());
        CommitLog log = CommitLog.open(dir, 1, 1, 1_000, SyncPolicy.batch(10_000), SEGMENT_BYTES,
                EngineListener.NONE, fsync);
        log.awaitDurable(append(log)); // one group of one: the next leader gathers a group of one
        fsync.gate = new CountDownLatch(1);
        fsync.entered = new CountDownLatch(1);
        CompletableFuture<Void> hanging = log.whenDurable(append(log));
        assertThat(fsync.entered.await(10, TimeUnit.SECONDS)).isTrue();
        long lastPos = append(log);
        CompletableFuture<Void> behind = log.whenDurable(lastPos);
        Thread closer = Thread.ofPlatform().start(log::close);
        fsync.gate.countDown();
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();

        hanging.get(10, TimeUnit.SECONDS);
        behind.get(10, TimeUnit.SECONDS);
        long durable = fsync.durableFileBytes.get() - CommitLogFormat.HEADER_BYTES;
        assertThat(durable).as("an fsync covered the last record").isGreaterThanOrEqualTo(lastPos);
        assertThat(log.whenDurable(Long.MAX_VALUE)).as("after close, nothing new is promised")
                .isCompletedExceptionally();
    }

    @Test
    void underPeriodicSyncAFutureIsCompleteAtOnce() {
        CommitLog log = CommitLog.open(dir, 1, 1, 1_000, SyncPolicy.periodic(10_000), SEGMENT_BYTES,
                EngineListener.NONE, new RecordingFsync(segment()));
        assertThat(log.whenDurable(append(log))).isCompletedWithValue(null);
        log.close();
    }
}
