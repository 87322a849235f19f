package io.ringkv.storage.wal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An fsync for commit log tests: a slow disk that records how many bytes of the segment file each
 * completed fsync covered (what was written before it started), and that a test can hold at a
 * gate or make fail.
 */
final class RecordingFsync implements FsyncHook {
    final AtomicLong durableFileBytes = new AtomicLong();
    final AtomicInteger syncs = new AtomicInteger();
    /** Fsyncs wait here (30 s at most) until the test opens it. */
    volatile CountDownLatch gate = new CountDownLatch(0);
    /** Counted down as each fsync starts. */
    volatile CountDownLatch entered = new CountDownLatch(0);
    /** Fsyncs from now on throw instead of syncing. */
    volatile boolean fail;
    private final Path segment;

    RecordingFsync(Path segment) {
        this.segment = segment;
    }

    @Override
    public void force(FileDescriptor fd) throws IOException {
        long covered = Files.size(segment);
        entered.countDown();
        try {
            gate.await(30, TimeUnit.SECONDS);
            Thread.sleep(1); // a slow disk, so writers pile up behind each fsync
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (fail) {
            throw new IOException("injected fsync failure");
        }
        fd.sync();
        durableFileBytes.accumulateAndGet(covered, Math::max);
        syncs.incrementAndGet();
    }
}
