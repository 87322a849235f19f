package io.ringkv.storage.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The commit log's on-disk layout, format version 2. docs/design/commit-log.md describes it
 * byte by byte; keep the two in step. Fixed-width integers are big-endian; varints are
 * unsigned LEB128 ({@link io.ringkv.storage.format.Varint}), zigzag-mapped where signed.
 *
 * <pre>
 * segment header (36 bytes): u32 magic "RKCL" | u16 version (2) | u16 reserved (0) | u64 segmentId
 *                            | u64 baseSeq | u64 baseTimestampMillis | u32 crc32c(bytes 0..31)
 * record:                    u32 crc32c(everything after it in the record) | varint payloadLength | payload
 * payload:                   varint (firstSeq - baseSeq) | zigzag varint (timestampMillis - baseTimestampMillis)
 *                            | varint opCount | opCount x op
 * op:                        u8 kind | varint keyLength | varint valueLength | key | value
 * </pre>
 *
 * Version 1 stored seq and timestamp in full and lengths as u32: 37 bytes of overhead per
 * single-op record, against 11-16 now for keys and values under 128 bytes. This build reads
 * only version 2 and refuses to open a directory holding a segment of another version rather
 * than guess.
 */
public final class CommitLogFormat {
    static final int MAGIC = 0x524B434C;
    static final short VERSION = 2;
    public static final int HEADER_BYTES = 36;
    /** The CRC in front of every record. */
    static final int RECORD_CRC_BYTES = 4;
    /** Smallest possible record: crc, a 1-byte length and the smallest payload. */
    static final int MIN_RECORD_BYTES = RECORD_CRC_BYTES + 1 + 6;
    /** Smallest possible payload: 1-byte seq delta, timestamp delta and op count, and one op of empty key and value. */
    static final int MIN_PAYLOAD_BYTES = 6;
    /** Smallest possible op: kind and two 1-byte lengths. */
    static final int MIN_OP_BYTES = 3;

    /** Largest key the engine accepts. */
    public static final int MAX_KEY_BYTES = 65_535;
    /** Largest value or merge operand the engine accepts. */
    public static final int MAX_VALUE_BYTES = 16 << 20;
    /** Largest record payload (one write or batch) the engine accepts. */
    public static final int MAX_RECORD_BYTES = 64 << 20;

    private static final String PREFIX = "commitlog-";
    private static final String SUFFIX = ".log";

    private CommitLogFormat() {
    }

    public static String segmentFileName(long segmentId) {
        String digits = Long.toString(segmentId);
        return PREFIX + "0".repeat(Math.max(0, 16 - digits.length())) + digits + SUFFIX;
    }

    /** The segment id named by {@code fileName}, or -1 if it is not a segment name. */
    public static long parseSegmentId(String fileName) {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) {
            return -1;
        }
        String digits = fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    /** A segment's header fields, as {@link #checkHeader} read them. */
    record Header(long segmentId, long baseSeq, long baseTimestampMillis) {
    }

    /**
     * The header of a new segment. Records store their seq and timestamp as differences from
     * {@code baseSeq} and {@code baseTimestampMillis}: the next seq and the time when the
     * segment is started, so the differences stay small.
     */
    static ByteBuffer header(long segmentId, long baseSeq, long baseTimestampMillis) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(segmentId).putLong(baseSeq)
                .putLong(baseTimestampMillis);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, HEADER_BYTES - 4);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /**
     * Reads the header at the start of {@code bytes} for segment {@code segmentId}; throws
     * {@link BadHeaderException} saying why it is unusable.
     */
    static Header checkHeader(byte[] bytes, int size, long segmentId) {
        if (size >= 6 && readInt(bytes, 0) == MAGIC && readShort(bytes, 4) != VERSION) {
            // Another version's segment: never mistake it for a torn header (which is deleted).
            throw new BadHeaderException("commit log format version " + readShort(bytes, 4)
                    + " is not supported by this build, which reads version " + VERSION
                    + " only; replay and flush it with the build that wrote it", true);
        }
        if (size < HEADER_BYTES) {
            throw new BadHeaderException("segment header is truncated (" + size + " of " + HEADER_BYTES + " bytes)", false);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER_BYTES - 4);
        if ((int) crc.getValue() != readInt(bytes, HEADER_BYTES - 4)) {
            throw new BadHeaderException("segment header checksum mismatch", false);
        }
        if (readInt(bytes, 0) != MAGIC) {
            throw new BadHeaderException("not a commit log segment (bad magic)", false);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 8, HEADER_BYTES - 12);
        long id = b.getLong();
        long baseSeq = b.getLong();
        long baseTimestampMillis = b.getLong();
        if (id != segmentId) {
            throw new BadHeaderException("segment header names segment " + id + " but the file name says " + segmentId,
                    false);
        }
        return new Header(id, baseSeq, baseTimestampMillis);
    }

    private static int readInt(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 4).getInt();
    }

    private static short readShort(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 2).getShort();
    }

    /** Why a segment header is unusable. */
    static final class BadHeaderException extends RuntimeException {
        /** The header is intact but of a version this build cannot read: never a torn tail. */
        final boolean unsupportedVersion;

        BadHeaderException(String problem, boolean unsupportedVersion) {
            super(problem, null, false, false);
            this.unsupportedVersion = unsupportedVersion;
        }
    }
}
