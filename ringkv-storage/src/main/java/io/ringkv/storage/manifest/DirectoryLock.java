package io.ringkv.storage.manifest;

import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageIoException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on the data directory, so two engines (or two processes) never write
 * the same files. The OS releases it when the process dies, even by kill -9.
 */
public final class DirectoryLock implements AutoCloseable {
    static final String NAME = "LOCK";
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static DirectoryLock acquire(Path dir) {
        Path path = dir.resolve(NAME);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new StorageException("data directory " + dir + " is in use by another process");
            }
            return new DirectoryLock(ch, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StorageException("data directory " + dir + " is already open in this process");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StorageIoException("cannot lock " + path, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StorageIoException("cannot release the directory lock", e);
        }
    }
}
