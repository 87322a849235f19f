package io.ringkv.storage.engine;

import io.ringkv.storage.wal.FsyncHook;

/**
 * Seams for fault injection in tests; production uses {@link #NONE}.
 *
 * @param fsync       how commit log files are forced (inject failures)
 * @param beforeFlush runs on the flush thread before each memtable is written (inject slowness)
 */
public record EngineHooks(FsyncHook fsync, Runnable beforeFlush) {
    public static final EngineHooks NONE = new EngineHooks(FsyncHook.REAL, () -> { });

    public EngineHooks withFsync(FsyncHook f) {
        return new EngineHooks(f, beforeFlush);
    }

    public EngineHooks withBeforeFlush(Runnable r) {
        return new EngineHooks(fsync, r);
    }
}
