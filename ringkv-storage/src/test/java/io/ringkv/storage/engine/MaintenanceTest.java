package io.ringkv.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.KeyValue;
import io.ringkv.storage.MutableClock;
import io.ringkv.storage.PendingDurability;
import io.ringkv.storage.PurgePolicy;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.manifest.DataFiles;
import io.ringkv.storage.manifest.ManifestFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backpressure, tombstone purging through the engine, table lifetime under scans, and corrupt tables. */
class MaintenanceTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Hooks under which every flush waits (at most 30 s) for {@code release}: a flush that is stuck. */
    private static EngineHooks flushesWaitFor(CountDownLatch release) {
        return EngineHooks.NONE.withBeforeFlush(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void writersWaitForASlowFlushInsteadOfGrowingMemory() throws Exception {
        CountDownLatch releaseFlush = new CountDownLatch(1);
        AtomicLong stallNanos = new AtomicLong();
        AtomicInteger stalls = new AtomicInteger();
        EngineListener listener = new EngineListener() {
            @Override
            public void onWriteStall(long durationNanos) {
                stalls.incrementAndGet();
                stallNanos.addAndGet(durationNanos);
            }
        };
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .memtableFlushThresholdBytes(8192).maxImmutableMemtables(1).listener(listener).build();
        try (LsmEngine engine = LsmEngine.open(options, flushesWaitFor(releaseFlush))) {
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    engine.put(b("key-" + i), new byte[100]);
                    written.incrementAndGet();
                }
            });
            writer.start();
            // The writer fills the active memtable, swaps it, fills the next one, and must wait.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (writer.getState() != Thread.State.TIMED_WAITING && writer.getState() != Thread.State.WAITING
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int before = written.get();
            Thread.sleep(100);
            assertThat(writer.isAlive()).isTrue();
            assertThat(written.get()).as("no progress while the flush is stuck").isEqualTo(before).isLessThan(2000);
            assertThat(engine.stats().memtableBytes()).as("memory stays bounded")
                    .isLessThan(4 * options.memtableFlushThresholdBytes());
            releaseFlush.countDown();
            writer.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(written.get()).isEqualTo(2000);
            assertThat(stalls.get()).isPositive();
            assertThat(engine.stats().writeStallNanos()).isEqualTo(stallNanos.get()).isPositive();
            assertThat(engine.get(b("key-1999"))).hasSize(100);
        }
    }

    @Test
    void statsCountTheActiveMemtableAndThoseAwaitingTheirFlush() {
        CountDownLatch releaseFlush = new CountDownLatch(1);
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .memtableFlushThresholdBytes(8192).maxImmutableMemtables(3).build();
        try (LsmEngine engine = LsmEngine.open(options, flushesWaitFor(releaseFlush))) {
            assertThat(engine.stats().memtables()).as("a new engine: the active memtable only").isEqualTo(1);
            // Each value alone passes the flush threshold: every put swaps in a fresh memtable, and the
            // full one waits for a flush that is stuck.
            engine.put(b("a"), new byte[9000]);
            assertThat(engine.stats().memtables()).isEqualTo(2);
            engine.put(b("b"), new byte[9000]);
            assertThat(engine.stats().memtables()).isEqualTo(3);
            assertThat(engine.stats().memtableBytes()).isGreaterThanOrEqualTo(2 * 9000);
            releaseFlush.countDown();
            engine.flush();
            assertThat(engine.stats().memtables()).as("flushed: a fresh active memtable only").isEqualTo(1);
            assertThat(engine.stats().liveTables()).isEqualTo(2);
        }
    }

    /** Writes key-0, key-1, ... with tryMergeVisible; the index of the first one refused, or -1. */
    private static int firstRefusedWrite(LsmEngine engine, int attempts) {
        for (int i = 0; i < attempts; i++) {
            if (engine.tryMergeVisible(b("key-" + i), new byte[100]) == null) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void tryMergeVisibleRefusesInsteadOfStallingAndWritesNothing() throws Exception {
        CountDownLatch releaseFlush = new CountDownLatch(1);
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .memtableFlushThresholdBytes(8192).maxImmutableMemtables(1)
                .mergeOperator((k, older, newer) -> newer).build();
        try (LsmEngine engine = LsmEngine.open(options, flushesWaitFor(releaseFlush))) {
            int refusedAt = firstRefusedWrite(engine, 2000);
            assertThat(refusedAt).as("refused once the stuck flush left no room").isPositive();
            assertThat(engine.get(b("key-" + refusedAt))).as("a refused write writes nothing").isNull();
            assertThat(engine.get(b("key-" + (refusedAt - 1)))).hasSize(100);

            releaseFlush.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            PendingDurability accepted = null;
            while (accepted == null && System.nanoTime() < deadline) {
                accepted = engine.tryMergeVisible(b("key-" + refusedAt), new byte[100]);
                Thread.sleep(5);
            }
            assertThat(accepted).as("accepted again once the flush caught up").isNotNull();
            assertThat(accepted.isDurable()).as("periodic sync: durable as promised at once").isTrue();
        }
    }

    @Test
    void tryMergeVisibleLeavesASegmentRollToAWriterThatMayWait() throws Exception {
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .commitLogSegmentBytes(8192).mergeOperator((k, older, newer) -> newer).build();
        try (LsmEngine engine = LsmEngine.open(options, EngineHooks.NONE)) {
            int refusedAt = firstRefusedWrite(engine, 200);
            assertThat(refusedAt).as("refused when the next record needs a new segment (a roll fsyncs)").isPositive();
            assertThat(engine.get(b("key-" + refusedAt))).as("a refused write writes nothing").isNull();
            assertThat(logSegments()).hasSize(1);

            engine.mergeVisible(b("key-" + refusedAt), new byte[100]).awaitDurable(); // rolls
            assertThat(logSegments()).hasSize(2);
            assertThat(engine.tryMergeVisible(b("key-next"), new byte[100])).as("room again in the new segment").isNotNull();
        }
    }

    private List<Path> logSegments() throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        }
    }

    @Test
    void tombstonesArePurgedByCompactAllOnlyAfterTheGracePeriod() {
        MutableClock clock = new MutableClock(1_000_000);
        StorageOptions options = StorageOptions.builder(dir).clock(clock).tombstoneGracePeriodMillis(60_000)
                // A value "TOMBSTONE@t" is a tombstone written at t, purgeable a grace period later.
                .purgePolicy((key, value, now) -> new String(value, StandardCharsets.UTF_8).startsWith("TOMBSTONE@")
                        && now - Long.parseLong(new String(value, StandardCharsets.UTF_8).substring(10)) >= 60_000)
                .build();
        try (StorageEngine e = StorageEngine.open(options)) {
            for (int i = 0; i < 10; i++) {
                e.put(b("k" + i), b("v" + i));
            }
            e.flush();
            e.delete(b("k1"));
            e.put(b("k2"), b("TOMBSTONE@" + clock.millis()));
            e.flush();
            e.compactAll();
            assertThat(e.stats().liveEntriesEstimate()).as("young tombstones are kept").isEqualTo(10);
            assertThat(e.get(b("k1"))).isNull();
            assertThat(e.get(b("k2"))).isEqualTo(b("TOMBSTONE@1000000"));
            clock.advanceMillis(60_000);
            e.compactAll();
            assertThat(e.stats().liveEntriesEstimate()).as("old tombstones and purgeable values are gone").isEqualTo(8);
            assertThat(e.get(b("k1"))).isNull();
            assertThat(e.get(b("k2"))).as("a purged PurgePolicy tombstone reads as absent").isNull();
            assertThat(e.get(b("k3"))).isEqualTo(b("v3"));
        }
    }

    @Test
    void aScanKeepsReadingTablesThatACompactionReplacedAndDeleted() throws IOException {
        StorageOptions options = StorageOptions.builder(dir).build();
        try (StorageEngine e = StorageEngine.open(options)) {
            for (int t = 0; t < 3; t++) {
                for (int i = 0; i < 200; i++) {
                    e.put(b("k" + i), b("v" + t + "-" + i));
                }
                e.flush();
            }
            List<Long> before = ManifestFile.read(dir).tableIds();
            List<KeyValue> seen = new ArrayList<>();
            try (StorageEngine.RangeIterator it = e.scan(new byte[16], new byte[16])) {
                seen.add(it.next());
                e.put(b("k0"), b("written after the scan started"));
                e.compactAll();
                assertThat(ManifestFile.read(dir).tableIds()).hasSize(1).doesNotContainAnyElementsOf(before);
                assertThat(Files.exists(DataFiles.tablePath(dir, before.get(0)))).as("still open by the scan").isTrue();
                it.forEachRemaining(seen::add);
            }
            assertThat(seen).hasSize(200).allSatisfy(kv ->
                    assertThat(new String(kv.value(), StandardCharsets.UTF_8)).startsWith("v2-"));
            assertThat(Files.exists(DataFiles.tablePath(dir, before.get(0)))).as("deleted once the scan closed").isFalse();
            assertThat(e.get(b("k0"))).isEqualTo(b("written after the scan started"));
        }
    }

    @Test
    void aCorruptTableBlockIsAnErrorAndReportedNeverWrongData() throws IOException {
        List<String> corruptions = new ArrayList<>();
        EngineListener listener = new EngineListener() {
            @Override
            public void onCorruption(Path file, long offset, String what) {
                corruptions.add(file.getFileName() + "@" + offset);
            }
        };
        StorageOptions options = StorageOptions.builder(dir).blockSizeBytes(512).listener(listener).build();
        try (StorageEngine e = StorageEngine.open(options)) {
            for (int i = 0; i < 500; i++) {
                e.put(b("k" + i), b("value-" + i));
            }
            e.flush();
        }
        Path table = DataFiles.tablePath(dir, ManifestFile.read(dir).tableIds().get(0));
        byte[] bytes = Files.readAllBytes(table);
        bytes[bytes.length / 4] ^= 0x01; // inside a data block
        Files.write(table, bytes);
        int errors = 0;
        try (StorageEngine e = StorageEngine.open(options)) {
            for (int i = 0; i < 500; i++) {
                try {
                    byte[] v = e.get(b("k" + i));
                    assertThat(v).as("k%d", i).isEqualTo(b("value-" + i));
                } catch (CorruptionException c) {
                    errors++;
                    assertThat(c.file()).isEqualTo(table);
                }
            }
            assertThatThrownBy(() -> {
                try (StorageEngine.RangeIterator it = e.scan(new byte[16], new byte[16])) {
                    it.forEachRemaining(kv -> { });
                }
            }).isInstanceOf(CorruptionException.class);
        }
        assertThat(errors).as("reads of the damaged block fail").isPositive();
        assertThat(corruptions).isNotEmpty().allMatch(s -> s.startsWith(table.getFileName().toString()));
    }
}
