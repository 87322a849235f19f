package io.ringkv.bench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class KeySpaceTest {
    // Built once: each KeySpace fills a 4 MiB random value pool.
    private static final KeySpace keys = new KeySpace(7, 100);
    private static final KeySpace sameSeed = new KeySpace(7, 100);
    private static final KeySpace otherSeed = new KeySpace(8, 100);

    @Test
    void loadedKeysAreDistinctAndNeverCollideWithMissingOrDurableWriteKeys() {
        Set<String> seen = new HashSet<>();
        HexFormat hex = HexFormat.of();
        for (long base : new long[] {0, KeySpace.MISSING_BASE, KeySpace.SYNC_BASE, KeySpace.WARMUP_BASE}) {
            for (long i = 0; i < 20_000; i++) {
                assertThat(seen.add(hex.formatHex(keys.key(base + i)))).as("key %d+%d is new", base, i).isTrue();
            }
        }
    }

    @Property
    void keysAre16To24BytesAndDeterministic(@ForAll @LongRange(min = 0, max = 1L << 42) long index) {
        byte[] key = keys.key(index);
        assertThat(key.length).isBetween(16, 24).isEqualTo(keys.keyLength(index));
        assertThat(sameSeed.key(index)).isEqualTo(key);
        assertThat(otherSeed.key(index)).isNotEqualTo(key);
    }

    @Property
    void aValueIsRecognisedOnlyForItsOwnKey(@ForAll @LongRange(min = 0, max = 1L << 42) long index) {
        byte[] value = keys.value(index);
        assertThat(value).hasSize(100);
        assertThat(keys.isValueOf(index, value)).isTrue();
        assertThat(keys.isValueOf(index, null)).isFalse();
        assertThat(keys.isValueOf(index, new byte[100])).isFalse();
        assertThat(keys.isValueOf(index, keys.value(index + 1))).isFalse();
    }

    @Property
    void aReadKeyInReusedArraysIsTheSameKey(@ForAll @LongRange(min = 0, max = 1L << 42) long index) {
        byte[][] scratch = KeySpace.readScratch();
        keys.keyForRead(index + 1, scratch); // leave older bytes in the arrays
        assertThat(keys.keyForRead(index, scratch)).isEqualTo(keys.key(index));
    }
}
