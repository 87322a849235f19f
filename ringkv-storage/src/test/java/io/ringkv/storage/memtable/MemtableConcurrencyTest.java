package io.ringkv.storage.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Lock-free readers against the one writer, across many index growths and arena chunks: a key
 * the writer has published is always found, with a whole value of that key (never a torn or
 * foreign record), and never an older version than one already seen.
 */
class MemtableConcurrencyTest {
    static final int KEYS = 60_000;
    static final int ROUNDS = 3;

    @Test
    void readersAlwaysSeeWholePublishedRecords() throws Exception {
        Memtable m = new Memtable(null, 1, 4096); // tiny: the index grows from 64 slots, chunks are 4 KiB
        AtomicLong published = new AtomicLong(-1); // highest (round * KEYS + i) fully applied
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Thread reader = Thread.ofPlatform().start(() -> {
            SplittableRandom random = new SplittableRandom(7);
            try {
                while (published.get() < (long) ROUNDS * KEYS - 1 && System.nanoTime() < deadline) {
                    long upTo = published.get();
                    if (upTo < 0) {
                        continue;
                    }
                    int i = (int) random.nextLong(Math.min(upTo + 1, KEYS));
                    long minRound = (upTo - i) / KEYS; // every round up to this one wrote key i already
                    byte[] key = key(i);
                    InternalEntry e = m.get(KeyOrder.token(key), key);
                    assertThat(e).as("key %d published", i).isNotNull();
                    ByteBuffer v = ByteBuffer.wrap(e.value());
                    assertThat(v.getInt()).isEqualTo(i);
                    int round = v.getInt();
                    assertThat(round).isGreaterThanOrEqualTo((int) minRound);
                    assertThat(e.seq()).isEqualTo((long) round * KEYS + i + 1);
                    assertThat(e.value()).hasSize(8 + (i % 50));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        for (int round = 0; round < ROUNDS && failure.get() == null; round++) {
            for (int i = 0; i < KEYS; i++) {
                byte[] key = key(i);
                long seq = (long) round * KEYS + i + 1;
                byte[] value = ByteBuffer.allocate(8 + (i % 50)).putInt(i).putInt(round).array();
                m.apply(KeyOrder.token(key), key, seq, EntryKind.PUT, 0, value);
                published.set(seq - 1);
            }
        }
        reader.join(TimeUnit.SECONDS.toMillis(90));
        assertThat(reader.isAlive()).isFalse();
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        assertThat(m.entryCount()).isEqualTo(KEYS);
    }

    private static byte[] key(int i) {
        return ("k" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
