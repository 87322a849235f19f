package io.ringkv.storage.sstable;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional, thread-safe reads of one table file.
 *
 * <p>Why the reopen dance: {@link FileChannel} is an interruptible channel, so a thread that is
 * interrupted while reading closes the channel for every other thread too. Readers are shared
 * by many request threads (some of which get cancelled), so when that happens we reopen the
 * file: the interrupted caller fails with its interrupt flag kept, everyone else retries.
 */
final class TableFile implements AutoCloseable {
    private static final int MAX_REOPENS_PER_READ = 3;

    private final Path path;
    private volatile FileChannel channel;
    private volatile boolean closed;

    private TableFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    static TableFile open(Path path) {
        try {
            return new TableFile(path, FileChannel.open(path, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new StorageIoException("cannot open table " + path, e);
        }
    }

    Path path() {
        return path;
    }

    long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new StorageIoException("cannot stat table " + path, e);
        }
    }

    /** Reads exactly {@code length} bytes at {@code position}; a short file is corruption. */
    byte[] read(long position, int length) {
        byte[] out = new byte[length];
        readFully(position, ByteBuffer.wrap(out));
        return out;
    }

    private void readFully(long position, ByteBuffer dst) {
        int start = dst.position();
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = channel;
            try {
                dst.position(start);
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, position + dst.position() - start);
                    if (n < 0) {
                        throw new CorruptionException(path, position,
                                "file ends before the " + (dst.limit() - start) + "-byte region it should hold");
                    }
                }
                return;
            } catch (ClosedByInterruptException e) {
                reopen(ch);
                Thread.currentThread().interrupt();
                throw new StorageIoException("read of " + path + " interrupted", e);
            } catch (ClosedChannelException e) { // includes AsynchronousCloseException
                if (closed) {
                    throw new StorageException("table " + path + " is closed");
                }
                if (attempt >= MAX_REOPENS_PER_READ) {
                    throw new StorageIoException("read of " + path + " kept failing after reopening", e);
                }
                reopen(ch);
            } catch (IOException e) {
                throw new StorageIoException("cannot read table " + path + " at offset " + position, e);
            }
        }
    }

    private synchronized void reopen(FileChannel failed) {
        if (closed || channel != failed) {
            return; // closed for good, or someone already reopened
        }
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new StorageIoException("cannot reopen table " + path, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new StorageIoException("cannot close table " + path, e);
        }
    }
}
