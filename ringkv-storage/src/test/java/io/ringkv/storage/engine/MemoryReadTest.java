package io.ringkv.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.MemoryRead;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** getIfInMemory answers what memory can answer and says so when a block would come from the disk. */
class MemoryReadTest {
    @TempDir
    Path dir;

    @Test
    void answersFromMemtablesAndCachedBlocksAndOtherwiseSaysItNeedsTheDisk() {
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000)).blockCacheBytes(0).build();
        try (StorageEngine engine = StorageEngine.open(options)) {
            engine.put(b("flushed"), b("on disk"));
            engine.flush();
            engine.put(b("fresh"), b("in memtable"));

            MemoryRead fresh = engine.getIfInMemory(b("fresh"));
            assertThat(fresh.answered()).isTrue();
            assertThat(fresh.value()).isEqualTo(b("in memtable"));
            assertThat(engine.getIfInMemory(b("flushed"))).as("no block cache").isSameAs(MemoryRead.NEEDS_DISK);
            assertThat(engine.get(b("flushed"))).isEqualTo(b("on disk"));
        }
    }

    @Test
    void aFlushedTableArrivesWithItsBlocksCachedUpToHalfTheCache() {
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.periodic(1000))
                .blockSizeBytes(4096).blockCacheBytes(64 << 10).build();
        int keys = 2000; // ~300 KB of records in 4 KiB blocks, ten times half the cache
        try (StorageEngine engine = StorageEngine.open(options)) {
            for (int i = 0; i < keys; i++) {
                engine.put(b("key-" + i), new byte[100]);
            }
            engine.flush();

            int fromMemory = 0;
            for (int i = 0; i < keys; i++) {
                MemoryRead read = engine.getIfInMemory(b("key-" + i));
                if (read.answered()) {
                    assertThat(read.value()).hasSize(100);
                    fromMemory++;
                }
            }
            // 32 KiB (half the cache) of blocks hold a few hundred of the records: those are answered
            // from memory, the rest still need the disk (the preload stopped at its budget).
            assertThat(fromMemory).as("keys answered from cached blocks right after the flush")
                    .isBetween(keys / 20, keys / 2);
            assertThat(engine.stats().blockCacheMisses()).as("preloading is not a lookup").isZero();
        }
    }

    @Test
    void anAbsentKeyRuledOutByTheBloomFilterIsAnAnswer() {
        try (StorageEngine engine = StorageEngine.open(dir)) {
            engine.put(b("present"), b("v"));
            engine.flush();
            int answered = 0;
            for (int i = 0; i < 100; i++) {
                MemoryRead read = engine.getIfInMemory(b("absent-" + i));
                if (read.answered()) {
                    assertThat(read.value()).isNull();
                    answered++;
                }
            }
            assertThat(answered).as("keys the 1%% bloom filter rules out need no disk").isGreaterThan(90);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
