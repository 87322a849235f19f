package io.ringkv.storage.wal;

import java.io.FileDescriptor;
import java.io.IOException;

/**
 * How a commit log file is forced to stable storage; tests inject failures here.
 * {@link FileDescriptor#sync()} is used rather than {@code FileChannel.force} because it cannot
 * be interrupted: an interrupt during a channel operation closes the channel, which would turn
 * any caller's interrupted thread into a failed commit log.
 */
@FunctionalInterface
public interface FsyncHook {
    FsyncHook REAL = FileDescriptor::sync;

    void force(FileDescriptor fd) throws IOException;
}
