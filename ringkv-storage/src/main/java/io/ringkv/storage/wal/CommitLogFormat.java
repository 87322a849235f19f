package io.ringkv.storage.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The commit log's on-disk layout. docs/design/commit-log.md describes it byte by byte; keep
 * the two in step. All integers are big-endian.
 *
 * <pre>
 * segment header (20 bytes): u32 magic "RKCL" | u16 version | u16 reserved (0) | u64 segmentId | u32 crc32c(bytes 0..15)
 * record:                    u32 payloadLength | u32 crc32c(payloadLength bytes + payload) | payload
 * payload:                   u64 firstSeq | u64 timestampMillis | u32 opCount | opCount x op
 * op:                        u8 kind | u32 keyLength | u32 valueLength | key | value
 * </pre>
 */
public final class CommitLogFormat {
    static final int MAGIC = 0x524B434C;
    static final short VERSION = 1;
    public static final int HEADER_BYTES = 20;
    /** payloadLength + crc. */
    static final int RECORD_PREFIX_BYTES = 8;
    /** firstSeq + timestampMillis + opCount. */
    static final int PAYLOAD_FIXED_BYTES = 20;
    /** kind + keyLength + valueLength. */
    static final int OP_FIXED_BYTES = 9;

    /** Largest key the engine accepts. */
    public static final int MAX_KEY_BYTES = 65_535;
    /** Largest value or merge operand the engine accepts. */
    public static final int MAX_VALUE_BYTES = 16 << 20;
    /** Largest record (one write or batch) the engine accepts. */
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

    static ByteBuffer header(long segmentId) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(segmentId);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** Why the header at the start of {@code bytes} is bad, or null if it is good for {@code segmentId}. */
    static String checkHeader(byte[] bytes, int size, long segmentId) {
        if (size < HEADER_BYTES) {
            return "segment header is truncated (" + size + " of " + HEADER_BYTES + " bytes)";
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, HEADER_BYTES);
        int magic = b.getInt();
        short version = b.getShort();
        b.getShort();
        long id = b.getLong();
        int storedCrc = b.getInt();
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 16);
        if ((int) crc.getValue() != storedCrc) {
            return "segment header checksum mismatch";
        }
        if (magic != MAGIC) {
            return "not a commit log segment (bad magic)";
        }
        if (version != VERSION) {
            return "unsupported commit log version " + version;
        }
        if (id != segmentId) {
            return "segment header names segment " + id + " but the file name says " + segmentId;
        }
        return null;
    }
}
