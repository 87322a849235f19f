package io.ringkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.EngineListener;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.format.EntryKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Group commit wakes each writer only once a fsync covered its record, and a writer that stops
 * waiting (interrupted) never strands the ones queued behind it.
 */
class GroupCommitWakeupTest {
    private static final long SEGMENT_BYTES = 64L << 20;

    @TempDir
    Path dir;

    private Path segment() {
        return dir.resolve(CommitLogFormat.segmentFileName(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "batch"})
    void everyConcurrentWriterIsAcknowledgedOnlyAfterAnFsyncCoveringIt(String policy) throws Exception {
        RecordingFsync fsync = new RecordingFsync(segment());
        CommitLog log = CommitLog.open(dir, 1, 1, 1_000, policy.equals("always") ? SyncPolicy.always()
                : SyncPolicy.batch(5), SEGMENT_BYTES, EngineListener.NONE, fsync);
        int writers = 32;
        int writesEach = 60;
        Object writeLock = new Object(); // the engine's write lock: appends are serialised, waits are not
        AtomicLong seq = new AtomicLong(1);
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger acknowledged = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            // Half platform, half virtual threads: the server waits on virtual threads.
            Thread.Builder builder = w % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            threads.add(builder.start(() -> {
                for (int i = 0; i < writesEach; i++) {
                    long pos;
                    synchronized (writeLock) {
                        pos = log.append(EntryKind.PUT, "key".getBytes(StandardCharsets.UTF_8), new byte[50],
                                seq.getAndIncrement(), 1_000);
                    }
                    log.awaitDurable(pos);
                    long durable = fsync.durableFileBytes.get() - CommitLogFormat.HEADER_BYTES;
                    if (durable < pos) {
                        violations.add("acknowledged at " + pos + " with only " + durable + " durable");
                    }
                    acknowledged.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertThat(t.isAlive()).as("writer %s finished", t).isFalse();
        }
        log.close();
        assertThat(violations).isEmpty();
        assertThat(acknowledged.get()).isEqualTo(writers * writesEach);
        assertThat(fsync.syncs.get()).as("writers shared fsyncs").isLessThan(writers * writesEach / 2);
    }

    @Test
    void anInterruptedWaiterLeavesAndTheWritersBehindItAreStillServed() throws Exception {
        RecordingFsync fsync = new RecordingFsync(segment());
        CommitLog log = CommitLog.open(dir, 1, 1, 1_000, SyncPolicy.always(), SEGMENT_BYTES, EngineListener.NONE,
                fsync);
        fsync.gate = new CountDownLatch(1); // the first leader's fsync hangs until released
        Object writeLock = new Object();
        AtomicLong seq = new AtomicLong(1);
        Runnable write = () -> {
            long pos;
            synchronized (writeLock) {
                pos = log.append(EntryKind.PUT, new byte[] {1}, new byte[] {2}, seq.getAndIncrement(), 1_000);
            }
            log.awaitDurable(pos);
        };
        Queue<Throwable> leaderErrors = new ConcurrentLinkedQueue<>();
        Thread leader = Thread.ofPlatform().start(() -> runCatching(write, leaderErrors));
        awaitParkedOrTimedWaiting(leader, Thread.State.TIMED_WAITING); // inside the gated fsync
        Queue<Throwable> interruptedErrors = new ConcurrentLinkedQueue<>();
        Thread interrupted = Thread.ofPlatform().start(() -> runCatching(write, interruptedErrors));
        awaitParkedOrTimedWaiting(interrupted, Thread.State.WAITING);
        Queue<Throwable> laterErrors = new ConcurrentLinkedQueue<>();
        Thread later = Thread.ofPlatform().start(() -> runCatching(write, laterErrors));
        awaitParkedOrTimedWaiting(later, Thread.State.WAITING);

        interrupted.interrupt();
        interrupted.join(10_000);
        assertThat(interrupted.isAlive()).isFalse();
        assertThat(interruptedErrors).singleElement().isInstanceOf(StorageException.class)
                .extracting(Throwable::getMessage).asString().contains("interrupted");

        fsync.gate.countDown();
        leader.join(10_000);
        later.join(10_000);
        assertThat(leader.isAlive()).isFalse();
        assertThat(later.isAlive()).as("the writer queued behind the interrupted one was served").isFalse();
        assertThat(leaderErrors).isEmpty();
        assertThat(laterErrors).isEmpty();
        // A write after all that still goes through: leadership was not lost.
        Thread after = Thread.ofPlatform().start(write);
        after.join(10_000);
        assertThat(after.isAlive()).isFalse();
        log.close();
    }

    private static void runCatching(Runnable r, Queue<Throwable> errors) {
        try {
            r.run();
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    private static void awaitParkedOrTimedWaiting(Thread t, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(t + " never reached " + state + ", is " + t.getState());
            }
            Thread.sleep(1);
        }
    }
}
