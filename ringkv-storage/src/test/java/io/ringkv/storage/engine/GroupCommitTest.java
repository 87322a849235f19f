package io.ringkv.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.EngineClosedException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.wal.FsyncHook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GroupCommitTest {
    private static final int WRITERS = 8;
    private static final int WRITES_PER_WRITER = 150;

    @TempDir
    Path dir;

    /** Counts fsyncs and the records they covered. */
    static final class SyncCounter implements EngineListener {
        final AtomicInteger syncs = new AtomicInteger();
        final AtomicLong records = new AtomicLong();

        @Override
        public void onCommitLogSync(int recordsCovered, long durationNanos) {
            syncs.incrementAndGet();
            records.addAndGet(recordsCovered);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "batch"})
    void concurrentWritersShareFsyncs(String policy) throws Exception {
        SyncCounter counter = new SyncCounter();
        // Each fsync is made slow, as on a real disk, so writers pile up behind it.
        FsyncHook slowFsync = fd -> {
            fd.sync();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        StorageOptions options = StorageOptions.builder(dir)
                .syncPolicy(policy.equals("always") ? SyncPolicy.always() : SyncPolicy.batch(5))
                .listener(counter).build();
        try (LsmEngine engine = LsmEngine.open(options, EngineHooks.NONE.withFsync(slowFsync))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        engine.put(("w" + writer + "-" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
                    }
                });
                t.start();
                threads.add(t);
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            int total = WRITERS * WRITES_PER_WRITER;
            assertThat(counter.records.get()).as("every write covered by exactly one fsync").isEqualTo(total);
            assertThat(counter.syncs.get()).as("fsyncs for %d writes from %d writers", total, WRITERS)
                    .isLessThan(total / 2);
            assertThat(engine.get("w3-7".getBytes(StandardCharsets.UTF_8))).hasSize(100);
        }
    }

    @Test
    void aLoneBatchWriterIsNotDelayedByTheWindow() {
        SyncCounter counter = new SyncCounter();
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.batch(10_000)).listener(counter).build();
        try (StorageEngine engine = StorageEngine.open(options)) {
            // With a 10 s window, waiting out the window even once would blow the test timeout budget.
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                engine.put(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[10]);
            }
            assertThat(System.nanoTime() - start).isLessThan(9_000_000_000L);
            assertThat(counter.records.get()).isEqualTo(50);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "batch", "periodic"})
    void aFailedFsyncStopsWritesInsteadOfPretending(String policy) throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        FsyncHook flaky = fd -> {
            if (failing.get()) {
                failures.incrementAndGet();
                throw new IOException("injected EIO");
            }
            fd.sync();
        };
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(switch (policy) {
            case "always" -> SyncPolicy.always();
            case "batch" -> SyncPolicy.batch(1);
            default -> SyncPolicy.periodic(5);
        }).build();
        try (LsmEngine engine = LsmEngine.open(options, EngineHooks.NONE.withFsync(flaky))) {
            engine.put(b("before"), b("1"));
            failing.set(true);
            if (policy.equals("periodic")) {
                engine.put(b("unsynced"), b("2")); // acknowledged once written to the OS
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (failures.get() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(failures.get()).as("the periodic syncer ran and failed").isPositive();
                // The hook counts the failure just before it throws: the syncer records it a moment later.
                awaitWritesRefused(engine);
            } else {
                assertThatThrownBy(() -> engine.put(b("during"), b("2"))).isInstanceOf(StorageIoException.class)
                        .hasMessageContaining("not durable");
            }
            assertThatThrownBy(() -> engine.put(b("after"), b("3"))).isInstanceOf(EngineClosedException.class);
            assertThat(engine.get(b("before"))).isEqualTo(b("1"));
        }
    }

    private static void awaitWritesRefused(LsmEngine engine) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                engine.put(b("probe"), b("0"));
            } catch (EngineClosedException refused) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void mergeVisibleIsReadableBeforeItsFsyncAndAwaitDurableWaitsForIt() throws Exception {
        CountDownLatch fsyncStarted = new CountDownLatch(1);
        CountDownLatch releaseFsync = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean();
        FsyncHook heldFsync = fd -> {
            if (holding.get()) {
                fsyncStarted.countDown();
                try {
                    releaseFsync.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            fd.sync();
        };
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.always())
                .mergeOperator((k, older, newer) -> older == null ? newer : EngineSmokeTest.concat(older, newer)).build();
        try (LsmEngine engine = LsmEngine.open(options, EngineHooks.NONE.withFsync(heldFsync))) {
            holding.set(true);
            var pending = engine.mergeVisible(b("k"), b("a"));
            assertThat(engine.get(b("k"))).as("visible before it is durable").isEqualTo(b("a"));

            AtomicBoolean durable = new AtomicBoolean();
            Thread waiter = Thread.ofVirtual().start(() -> {
                pending.awaitDurable();
                durable.set(true);
            });
            assertThat(fsyncStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            waiter.join(100);
            assertThat(durable).as("awaitDurable returned while the fsync was still running").isFalse();
            assertThat(pending.isDurable()).isFalse();
            releaseFsync.countDown();
            waiter.join(5_000);
            assertThat(durable).isTrue();
            assertThat(pending.isDurable()).isTrue();
        }
    }

    @Test
    void mergeVisibleReportsAFailedFsyncFromAwaitDurable() {
        AtomicBoolean failing = new AtomicBoolean();
        FsyncHook flaky = fd -> {
            if (failing.get()) {
                throw new IOException("injected EIO");
            }
            fd.sync();
        };
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.always())
                .mergeOperator((k, older, newer) -> newer).build();
        try (LsmEngine engine = LsmEngine.open(options, EngineHooks.NONE.withFsync(flaky))) {
            failing.set(true);
            var pending = engine.mergeVisible(b("k"), b("v"));
            assertThatThrownBy(pending::awaitDurable).isInstanceOf(StorageIoException.class)
                    .hasMessageContaining("not durable");
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
