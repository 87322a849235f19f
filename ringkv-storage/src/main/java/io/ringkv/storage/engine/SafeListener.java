package io.ringkv.storage.engine;

import io.ringkv.storage.EngineListener;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shields engine threads from a listener that throws despite its contract. */
final class SafeListener implements EngineListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
    private final EngineListener delegate;

    SafeListener(EngineListener delegate) {
        this.delegate = delegate;
    }

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("engine listener threw; ignored", e);
        }
    }

    @Override
    public void onFlush(long entries, long bytes, long durationNanos) {
        guard(() -> delegate.onFlush(entries, bytes, durationNanos));
    }

    @Override
    public void onCompaction(int inputTables, long inputBytes, long outputBytes, long durationNanos) {
        guard(() -> delegate.onCompaction(inputTables, inputBytes, outputBytes, durationNanos));
    }

    @Override
    public void onWriteStall(long durationNanos) {
        guard(() -> delegate.onWriteStall(durationNanos));
    }

    @Override
    public void onCommitLogSync(int records, long durationNanos) {
        guard(() -> delegate.onCommitLogSync(records, durationNanos));
    }

    @Override
    public void onCorruption(Path file, long offset, String what) {
        guard(() -> delegate.onCorruption(file, offset, what));
    }

    @Override
    public void onCommitLogTailTruncated(Path segment, long offset, long bytesDropped) {
        guard(() -> delegate.onCommitLogTailTruncated(segment, offset, bytesDropped));
    }
}
