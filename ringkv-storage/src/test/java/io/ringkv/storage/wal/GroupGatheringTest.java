package io.ringkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.EngineListener;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.format.EntryKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code batch} policy's gathering: a leader waits for as many writers as recent groups had
 * on average, so one group of two that met by chance does not make the next lone writer (a light
 * load) wait the whole window for a second writer that is not coming. The window here is 5 s, so
 * a write that waits for it is unmistakable next to a ~1 ms fsync.
 */
class GroupGatheringTest {
    private static final long SEGMENT_BYTES = 64L << 20;
    private static final int WINDOW_MILLIS = 5_000;

    @TempDir
    Path dir;

    private final AtomicLong seq = new AtomicLong(1);

    private long append(CommitLog log) {
        synchronized (this) { // the engine's write lock: appends are serialised, waits are not
            return log.append(EntryKind.PUT, new byte[] {1, 2, 3}, new byte[50], seq.getAndIncrement(), 1_000);
        }
    }

    private CommitLog open(RecordingFsync fsync) {
        return CommitLog.open(dir, 1, 1, 1_000, SyncPolicy.batch(WINDOW_MILLIS), SEGMENT_BYTES, EngineListener.NONE,
                fsync);
    }

    /** Holds the next fsync at a gate (opening the log fsyncs too, so the gate closes only after it). */
    private static void closeGate(RecordingFsync fsync) {
        fsync.gate = new CountDownLatch(1);
        fsync.entered = new CountDownLatch(1);
    }

    @Test
    void aLoneFutureAfterAGroupOfTwoIsNotHeldForTheWindow() throws Exception {
        RecordingFsync fsync = new RecordingFsync(dir.resolve(CommitLogFormat.segmentFileName(1)));
        CommitLog log = open(fsync);
        closeGate(fsync);
        CompletableFuture<Void> first = log.whenDurable(append(log));
        assertThat(fsync.entered.await(10, TimeUnit.SECONDS)).as("the sync thread is inside the first fsync").isTrue();
        CompletableFuture<Void> second = log.whenDurable(append(log));
        CompletableFuture<Void> third = log.whenDurable(append(log));
        fsync.gate.countDown(); // the next fsync covers second and third together: a group of two
        CompletableFuture.allOf(first, second, third).get(10, TimeUnit.SECONDS);

        long start = System.nanoTime();
        log.whenDurable(append(log)).get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("a lone write waited for the window (%d ms) instead of about one fsync", WINDOW_MILLIS)
                .isLessThan(Duration.ofMillis(WINDOW_MILLIS / 2));
        log.close();
    }

    @Test
    void aLoneBlockingWriterAfterAGroupOfTwoIsNotHeldForTheWindow() throws Exception {
        RecordingFsync fsync = new RecordingFsync(dir.resolve(CommitLogFormat.segmentFileName(1)));
        CommitLog log = open(fsync);
        closeGate(fsync);
        Thread leader = Thread.ofPlatform().start(() -> log.awaitDurable(append(log)));
        assertThat(fsync.entered.await(10, TimeUnit.SECONDS)).as("the leader is inside the first fsync").isTrue();
        Thread second = Thread.ofPlatform().start(() -> log.awaitDurable(append(log)));
        Thread third = Thread.ofPlatform().start(() -> log.awaitDurable(append(log)));
        awaitParked(second);
        awaitParked(third);
        fsync.gate.countDown(); // one of them leads the next fsync for both: a group of two
        for (Thread t : new Thread[] {leader, second, third}) {
            t.join(10_000);
            assertThat(t.isAlive()).as("%s finished", t).isFalse();
        }

        long start = System.nanoTime();
        log.awaitDurable(append(log));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("a lone write waited for the window (%d ms) instead of about one fsync", WINDOW_MILLIS)
                .isLessThan(Duration.ofMillis(WINDOW_MILLIS / 2));
        log.close();
    }

    /** Until {@code t} parks in the group commit queue behind the gated leader (10 s at most). */
    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(t.getState()).as("%s waits for its turn", t).isEqualTo(Thread.State.WAITING);
    }
}
