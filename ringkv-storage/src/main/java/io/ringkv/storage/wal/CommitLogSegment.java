package io.ringkv.storage.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One append-only segment file being written. Appends are serialized by the caller. Uses
 * {@link RandomAccessFile}, whose writes and syncs are not interruptible (see {@link FsyncHook}).
 */
final class CommitLogSegment {
    final long id;
    final Path path;
    /** Records store their seq and timestamp as differences from these (the header's fields). */
    final long baseSeq;
    final long baseTimestampMillis;
    private final RandomAccessFile file;
    /** Bytes in the file; written only under the engine's write lock. */
    private long sizeBytes;
    /** Set once the segment was fully forced before a newer segment took over. */
    private volatile boolean sealed;
    private volatile boolean closed;

    private CommitLogSegment(long id, Path path, long baseSeq, long baseTimestampMillis, RandomAccessFile file,
            long sizeBytes) {
        this.id = id;
        this.path = path;
        this.baseSeq = baseSeq;
        this.baseTimestampMillis = baseTimestampMillis;
        this.file = file;
        this.sizeBytes = sizeBytes;
    }

    /** Creates the file, writes and forces its header, and makes its name durable. */
    static CommitLogSegment create(Path dir, long id, long baseSeq, long baseTimestampMillis, FsyncHook fsync)
            throws IOException {
        Path path = dir.resolve(CommitLogFormat.segmentFileName(id));
        if (Files.exists(path)) {
            throw new IOException("commit log segment " + path + " already exists");
        }
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        try {
            file.write(CommitLogFormat.header(id, baseSeq, baseTimestampMillis).array());
            fsync.force(file.getFD());
            Directories.fsync(dir);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        return new CommitLogSegment(id, path, baseSeq, baseTimestampMillis, file, CommitLogFormat.HEADER_BYTES);
    }

    /**
     * Forces a segment that an earlier process wrote, and its size (a torn tail's truncation).
     * Opened for writing, though nothing is written: some platforms refuse to flush a read-only
     * handle.
     */
    static void forceExisting(Path path, FsyncHook fsync) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("commit log segment " + path + " is not a regular file");
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            fsync.force(file.getFD());
        }
    }

    long sizeBytes() {
        return sizeBytes;
    }

    void write(byte[] record, int length) throws IOException {
        file.write(record, 0, length);
        sizeBytes += length;
    }

    void force(FsyncHook fsync) throws IOException {
        if (closed && sealed) {
            return; // a roll forced the whole segment before it was closed
        }
        try {
            fsync.force(file.getFD());
        } catch (IOException e) {
            if (!(closed && sealed)) {
                throw e;
            }
        }
    }

    void seal(FsyncHook fsync) throws IOException {
        fsync.force(file.getFD());
        sealed = true;
    }

    void close() throws IOException {
        closed = true;
        file.close();
    }
}
