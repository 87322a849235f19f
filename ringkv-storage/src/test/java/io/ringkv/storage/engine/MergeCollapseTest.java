package io.ringkv.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge that is its key's first record in the active memtable is combined with what lies below
 * when memory holds that, so reads of the key merge nothing until the next flush; otherwise it
 * stays an operand, and either way reads see the same value.
 */
class MergeCollapseTest {
    @TempDir
    Path dir;

    /** Concatenation with ',' between parts (associative; no older value acts as empty), counting its calls. */
    static final class CountingConcat implements MergeOperator {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public byte[] apply(byte[] key, byte[] older, byte[] newer) {
            calls.incrementAndGet();
            if (older == null) {
                return newer;
            }
            byte[] out = Arrays.copyOf(older, older.length + 1 + newer.length);
            out[older.length] = ',';
            System.arraycopy(newer, 0, out, older.length + 1, newer.length);
            return out;
        }
    }

    @Test
    void readsOfAKeyMergedOverACachedBaseMergeNothing() {
        CountingConcat concat = new CountingConcat();
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .mergeOperator(concat).build();
        try (StorageEngine engine = StorageEngine.open(options)) {
            engine.put(b("cart"), b("apple"));
            engine.flush(); // the base is now in a table, its block cached by the flush
            engine.merge(b("cart"), b("pear"));
            engine.merge(b("cart"), b("fig"));
            int afterWrites = concat.calls.get();

            for (int i = 0; i < 5; i++) {
                assertThat(engine.get(b("cart"))).isEqualTo(b("apple,pear,fig"));
            }
            assertThat(concat.calls.get() - afterWrites).as("merge operator calls made by five reads").isZero();
        }
    }

    @Test
    void aMergeOverABaseOnlyTheDiskHoldsStaysAnOperandAndReadsAgree() {
        CountingConcat concat = new CountingConcat();
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .blockCacheBytes(0).mergeOperator(concat).build();
        try (StorageEngine engine = StorageEngine.open(options)) {
            engine.put(b("cart"), b("apple"));
            engine.flush();
            engine.merge(b("cart"), b("pear"));
            assertThat(concat.calls.get()).as("the write read no block to combine the operand").isZero();

            assertThat(engine.get(b("cart"))).isEqualTo(b("apple,pear"));
            assertThat(concat.calls.get()).as("the read combined it").isPositive();
        }
    }

    @Test
    void mergesOverADeleteOrNothingCollapseToWhatReadsWouldMake() {
        CountingConcat concat = new CountingConcat();
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .mergeOperator(concat).build();
        try (StorageEngine engine = StorageEngine.open(options)) {
            engine.put(b("gone"), b("old"));
            engine.delete(b("gone"));
            engine.flush();
            engine.merge(b("gone"), b("new"));
            engine.merge(b("never"), b("first"));
            int afterWrites = concat.calls.get();

            assertThat(engine.get(b("gone"))).isEqualTo(b("new"));
            assertThat(engine.get(b("never"))).isEqualTo(b("first"));
            assertThat(concat.calls.get() - afterWrites).isZero();
        }
        try (StorageEngine engine = StorageEngine.open(options)) {
            assertThat(engine.get(b("gone"))).as("after replaying the operands from the commit log").isEqualTo(b("new"));
            assertThat(engine.get(b("never"))).isEqualTo(b("first"));
        }
    }

    /**
     * Writers merge distinct operands into a few keys while tiny memtables swap and flush under
     * them: a merge combined ahead with a base that another write overtook would lose that write.
     */
    @Test
    void concurrentMergesAcrossMemtableSwapsKeepEveryOperand() throws Exception {
        CountingConcat concat = new CountingConcat();
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .memtableFlushThresholdBytes(8192).mergeOperator(concat).build();
        int writers = 4;
        int mergesPerWriter = 400;
        int keys = 3;
        try (StorageEngine engine = StorageEngine.open(options)) {
            for (int k = 0; k < keys; k++) {
                engine.put(key(k), b("base"));
            }
            engine.flush();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    awaitQuietly(start);
                    for (int i = 0; i < mergesPerWriter; i++) {
                        engine.merge(key(i % keys), b("w" + writer + "." + i));
                        if (i % 50 == 0) {
                            engine.get(key((i + 1) % keys)); // reads interleave, as on a node
                        }
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEveryOperandOnce(engine, writers, mergesPerWriter, keys);
        }
        try (StorageEngine engine = StorageEngine.open(options)) {
            assertEveryOperandOnce(engine, writers, mergesPerWriter, keys);
        }
    }

    private static void assertEveryOperandOnce(StorageEngine engine, int writers, int mergesPerWriter, int keys) {
        for (int k = 0; k < keys; k++) {
            List<String> parts = List.of(new String(engine.get(key(k)), StandardCharsets.UTF_8).split(","));
            List<String> expected = new ArrayList<>();
            expected.add("base");
            for (int w = 0; w < writers; w++) {
                for (int i = k; i < mergesPerWriter; i += keys) {
                    expected.add("w" + w + "." + i);
                }
            }
            assertThat(parts).as("key %d", k).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(parts.getFirst()).isEqualTo("base");
            for (int w = 0; w < writers; w++) {
                String prefix = "w" + w + ".";
                List<Integer> order = parts.stream().filter(p -> p.startsWith(prefix))
                        .map(p -> Integer.parseInt(p.substring(prefix.length()))).toList();
                assertThat(order).as("writer %d's merges into key %d, in the order written", w, k).isSorted();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] key(int k) {
        return b("key-" + k);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
