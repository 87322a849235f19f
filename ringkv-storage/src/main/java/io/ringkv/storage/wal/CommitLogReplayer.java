package io.ringkv.storage.wal;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.format.InternalEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays commit log segments at open. The one hard decision is what a bad record means:
 *
 * <ul>
 *   <li>In the last segment, with no valid record anywhere after it: a write torn by a crash.
 *       It was never acknowledged under {@code always}/{@code batch} (the fsync did not cover
 *       it), so it is truncated away with a warning.</li>
 *   <li>Anywhere else (a non-last segment, or valid records follow it): bytes that were once
 *       durable have changed. Dropping them would silently lose acknowledged writes, so replay
 *       stops with a {@link CorruptionException} naming the file and offset.</li>
 * </ul>
 *
 * <p>A segment that is not the last was fsynced whole before the next one was created: a roll
 * seals it first, and {@link CommitLog#open} forces every segment replay read (the truncation of
 * a torn tail included) before starting a new one. That is why a torn record can only be
 * legitimate in the last segment, and why the truncation below is not forced here.
 *
 * <p>"Valid record after it" is searched at every later byte offset; a structural walk
 * rejects nearly every offset before a CRC is computed, so the search is linear in practice.
 */
public final class CommitLogReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLogReplayer.class);

    /** Receives each decoded record: all ops of one write or batch, in log order. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(long segmentId, InternalEntry[] entries);
    }

    /** What replay found: the highest seq seen (0 if none) and the segment after the last replayed. */
    public record Result(long maxSeq, long nextSegmentId, long records) {
    }

    private final RecordDecoder decoder = new RecordDecoder();
    private final EngineListener listener;

    public CommitLogReplayer(EngineListener listener) {
        this.listener = listener;
    }

    /**
     * Replays segments {@code segmentIds} (ascending) in {@code dir}, handing records whose
     * seq is above {@code skipUpToSeq} to {@code sink}.
     */
    public Result replay(Path dir, List<Long> segmentIds, long skipUpToSeq, RecordSink sink) {
        long maxSeq = 0;
        long records = 0;
        long nextSegmentId = 1;
        for (int i = 0; i < segmentIds.size(); i++) {
            long id = segmentIds.get(i);
            boolean last = i == segmentIds.size() - 1;
            Path path = dir.resolve(CommitLogFormat.segmentFileName(id));
            byte[] bytes;
            try {
                long size = Files.size(path);
                if (size > Integer.MAX_VALUE - 16) {
                    throw new CorruptionException(path, 0, "segment of " + size + " bytes is larger than any segment the engine writes");
                }
                bytes = Files.readAllBytes(path);
            } catch (IOException e) {
                throw new StorageIoException("cannot read commit log segment " + path, e);
            }
            nextSegmentId = id + 1;
            int size = bytes.length;
            CommitLogFormat.Header header;
            try {
                header = CommitLogFormat.checkHeader(bytes, size, id);
            } catch (CommitLogFormat.BadHeaderException e) {
                if (e.unsupportedVersion) {
                    fail(path, 0, e.getMessage());
                }
                // Without a header there is no base seq: any valid record after it is evidence.
                handleBadRecord(path, bytes, 0, CommitLogFormat.HEADER_BYTES, e.getMessage(), last, Long.MIN_VALUE, 0);
                continue;
            }
            int off = CommitLogFormat.HEADER_BYTES;
            while (off < size) {
                RecordDecoder.Check check = decoder.check(bytes, off, size);
                if (!check.ok()) {
                    handleBadRecord(path, bytes, off, off + 1, check.problem(), last, maxSeq, header.baseSeq());
                    break;
                }
                InternalEntry[] entries = decoder.decode(bytes, off, check.recordBytes(), header.baseSeq(),
                        header.baseTimestampMillis());
                long lastSeq = entries[entries.length - 1].seq();
                if (lastSeq > skipUpToSeq) {
                    sink.accept(id, entries);
                    records++;
                }
                maxSeq = Math.max(maxSeq, lastSeq);
                off += check.recordBytes();
            }
        }
        return new Result(maxSeq, nextSegmentId, records);
    }

    /**
     * @param maxSeqSoFar only a valid record with a higher seq counts as "a valid record follows"
     *                    ({@code Long.MIN_VALUE}: any valid record counts)
     * @param baseSeq     the segment's base seq, to turn a record's seq delta into its seq
     */
    private void handleBadRecord(Path path, byte[] bytes, int badOffset, int searchFrom, String problem,
            boolean lastSegment, long maxSeqSoFar, long baseSeq) {
        if (!lastSegment) {
            fail(path, badOffset, problem + " in a segment that is not the last: it was fsynced whole before a newer"
                    + " segment was started, so durable bytes have changed and acknowledged writes would be lost");
        }
        int validAt = findValidRecord(bytes, Math.max(searchFrom, CommitLogFormat.HEADER_BYTES), maxSeqSoFar, baseSeq);
        if (validAt >= 0) {
            fail(path, badOffset, problem + "; a valid record follows at offset " + validAt
                    + ", so this is not a torn tail");
        }
        long dropped = bytes.length - badOffset;
        LOG.warn("commit log {}: {} at offset {}; truncating the torn tail ({} bytes, never acknowledged as durable)",
                path, problem, badOffset, dropped);
        try {
            if (badOffset < CommitLogFormat.HEADER_BYTES) {
                // Torn while being created: it holds nothing. Truncating would leave a headerless
                // file that, once a newer segment exists, would read as mid-log corruption.
                Files.delete(path);
                Directories.fsync(path.getParent());
            } else {
                // Not forced here: CommitLog.open forces this segment, size included, before a
                // newer segment exists. Until then a power loss may bring the torn bytes back,
                // and the next replay, with this segment still the last, cuts them again.
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    ch.truncate(badOffset);
                }
            }
        } catch (IOException e) {
            throw new StorageIoException("cannot truncate the torn tail of " + path, e);
        }
        listener.onCommitLogTailTruncated(path, badOffset, dropped);
    }

    private void fail(Path path, long offset, String what) {
        listener.onCorruption(path, offset, what);
        throw new CorruptionException(path, offset, what
                + ". The engine will not open rather than drop acknowledged writes. Keep the node down and the"
                + " directory as it is; see docs/design/commit-log.md, \"When replay finds corruption\"");
    }

    /** The first offset at or after {@code from} holding a valid record newer than {@code afterSeq}, or -1. */
    private int findValidRecord(byte[] bytes, int from, long afterSeq, long baseSeq) {
        int size = bytes.length;
        int lastStart = size - CommitLogFormat.MIN_RECORD_BYTES;
        for (int p = from; p <= lastStart; p++) {
            RecordDecoder.Check c = decoder.check(bytes, p, size);
            if (c.ok() && (afterSeq == Long.MIN_VALUE || baseSeq + c.seqDelta() > afterSeq)) {
                return p;
            }
        }
        return -1;
    }
}
