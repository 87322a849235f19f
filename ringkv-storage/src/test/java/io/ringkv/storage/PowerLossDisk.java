package io.ringkv.storage;

import io.ringkv.storage.wal.CommitLog;
import io.ringkv.storage.wal.CommitLogFormat;
import io.ringkv.storage.wal.FsyncHook;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model of what a disk keeps when the power fails, for commit log segments: the engine's
 * {@link FsyncHook} records, per segment, the bytes each fsync made durable, and
 * {@link #losePower} then rewrites every segment file as a power loss may leave it. Everything
 * else in the directory (tables, manifest, directory entries) is taken to be durable: only
 * segments are modelled.
 *
 * <p>{@link #kill} stands for a kill -9: the process is gone before any later fsync, so from then
 * on every fsync fails (and records nothing) and the page cache keeps what was written.
 *
 * <p>The segment behind an fsync is identified by the id in its header, read with pread through
 * the same file descriptor, which moves no file position.
 */
public final class PowerLossDisk implements FsyncHook {
    private final Map<Long, byte[]> durable = new ConcurrentHashMap<>();
    private final List<Long> forced = new CopyOnWriteArrayList<>();
    private volatile boolean killed;

    @Override
    public void force(FileDescriptor fd) throws IOException {
        if (killed) {
            throw new IOException("the process was killed before this fsync");
        }
        fd.sync();
        // Never closed: closing the stream or its channel would close the segment's descriptor.
        FileChannel file = new FileInputStream(fd).getChannel();
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(file.size()));
        while (bytes.hasRemaining() && file.read(bytes, bytes.position()) >= 0) {
            // pread until the whole file is in
        }
        if (bytes.capacity() >= CommitLogFormat.HEADER_BYTES) {
            long id = bytes.getLong(8);
            durable.put(id, bytes.array());
            forced.add(id);
        }
    }

    /** A kill -9: no fsync happens any more, until {@link #restart}. */
    public void kill() {
        killed = true;
    }

    /** The machine is up again; fsyncs work. */
    public void restart() {
        killed = false;
    }

    /** The segment of every successful fsync so far, in order. */
    public List<Long> forcedSegments() {
        return List.copyOf(forced);
    }

    /** Bytes of segment {@code segmentId} that the last fsync made durable, or null if none did. */
    public byte[] durableBytes(long segmentId) {
        return durable.get(segmentId);
    }

    /**
     * Leaves each segment in {@code dir} as a power loss may: what was fsynced, followed by the
     * first half of what was written after it (the kernel may have written some dirty pages
     * back and not others), so a record written but never fsynced is typically torn. A segment
     * never fsynced is deleted.
     */
    public void losePower(Path dir) throws IOException {
        for (long id : CommitLog.segmentIds(dir)) {
            Path path = dir.resolve(CommitLogFormat.segmentFileName(id));
            byte[] kept = durable.get(id);
            if (kept == null) {
                Files.delete(path);
                continue;
            }
            byte[] current = Files.readAllBytes(path);
            if (current.length > kept.length && Arrays.equals(current, 0, kept.length, kept, 0, kept.length)) {
                int unsynced = current.length - kept.length;
                kept = Arrays.copyOf(current, kept.length + unsynced / 2);
            }
            Files.write(path, kept);
        }
    }
}
