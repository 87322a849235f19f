package io.ringkv.storage;

import java.nio.file.Path;

/**
 * Receives the engine's background events, so the engine needs no metrics library: the server
 * turns these into Micrometer meters. Callbacks run on engine threads and must be quick and
 * must not throw.
 */
public interface EngineListener {
    EngineListener NONE = new EngineListener() {
    };

    /** A memtable of {@code entries} entries was written as a table of {@code bytes} bytes. */
    default void onFlush(long entries, long bytes, long durationNanos) {
    }

    /** {@code inputTables} tables of {@code inputBytes} were compacted into {@code outputBytes}. */
    default void onCompaction(int inputTables, long inputBytes, long outputBytes, long durationNanos) {
    }

    /** A writer waited {@code durationNanos} because flushing or compaction fell behind. */
    default void onWriteStall(long durationNanos) {
    }

    /** One commit log fsync covering {@code records} records. */
    default void onCommitLogSync(int records, long durationNanos) {
    }

    /** Damaged bytes were found (and not served). */
    default void onCorruption(Path file, long offset, String what) {
    }

    /** A torn tail of the commit log was truncated during replay. */
    default void onCommitLogTailTruncated(Path segment, long offset, long bytesDropped) {
    }
}
