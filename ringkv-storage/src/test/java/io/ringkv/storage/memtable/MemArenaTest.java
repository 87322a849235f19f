package io.ringkv.storage.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemArenaTest {
    static final long MIB = 1 << 20;

    @Test
    void bigMemtablesUnderG1GetChunksOfExactlyOneRegion() {
        assertThat(MemArena.chunkBytesFor(64 * MIB, 2 * MIB)).isEqualTo(2 * MIB - 64);
        assertThat(MemArena.chunkBytesFor(64 * MIB, 16 * MIB)).isEqualTo(16 * MIB - 64);
    }

    @Test
    void smallMemtablesGetSmallOrdinaryChunks() {
        assertThat(MemArena.chunkBytesFor(4096, 2 * MIB)).isEqualTo(MemArena.MIN_CHUNK_BYTES);
        assertThat(MemArena.chunkBytesFor(4 * MIB, 2 * MIB)).isEqualTo(256 << 10);
        assertThat(MemArena.chunkBytesFor(64 * MIB, 32 * MIB)).isEqualTo(4 * MIB);
        assertThat(MemArena.chunkBytesFor(64 * MIB, 0)).isEqualTo(MemArena.DEFAULT_MAX_CHUNK_BYTES);
    }

    @Test
    void recordsLargerThanAChunkGetTheirOwnAndTheChunkStaysOpen() {
        MemArena arena = new MemArena(4096);
        long a = arena.allocate(100);
        long big = arena.allocate(10_000);
        long b = arena.allocate(100);
        assertThat(arena.chunk(big)).hasSize(10_000);
        assertThat(arena.chunk(a)).isSameAs(arena.chunk(b));
        assertThat(MemArena.offset(b)).isEqualTo(MemArena.offset(a) + 100);
        assertThat(arena.usedBytes()).isEqualTo(10_200);
    }
}
