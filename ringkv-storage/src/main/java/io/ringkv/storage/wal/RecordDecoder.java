package io.ringkv.storage.wal;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import io.ringkv.storage.format.Varint;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Checks and decodes version-2 records ({@link CommitLogFormat}) in a segment held in memory.
 * Checking is separate from decoding so replay can cheaply ask "is there any valid record after
 * this bad one?" at every later offset: the structural walk rejects almost every wrong offset
 * before the CRC is computed, and it never throws, since nearly every offset it is asked about
 * is garbage.
 */
final class RecordDecoder {
    private static final long MAX_OPS = CommitLogFormat.MAX_RECORD_BYTES / CommitLogFormat.MIN_OP_BYTES;

    private final CRC32C crc = new CRC32C();
    /** Where the last {@link #varint} call stopped; -1 if the varint was malformed. */
    private int cursor;

    /**
     * Result of checking the record at an offset: its total size and its seq's difference from
     * the segment's base seq, or why it is bad.
     */
    record Check(int recordBytes, long seqDelta, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    Check check(byte[] b, int off, int size) {
        if (size - off < CommitLogFormat.MIN_RECORD_BYTES) {
            return bad("record is truncated (" + (size - off) + " bytes left)");
        }
        int p = off + CommitLogFormat.RECORD_CRC_BYTES;
        long payloadLength = varint(b, p, size);
        if (cursor < 0) {
            return bad("malformed record length");
        }
        if (payloadLength < CommitLogFormat.MIN_PAYLOAD_BYTES || payloadLength > CommitLogFormat.MAX_RECORD_BYTES) {
            return bad("impossible record length " + payloadLength);
        }
        p = cursor;
        if (payloadLength > size - p) {
            return bad("record of " + payloadLength + " bytes runs past the end of the segment");
        }
        int end = p + (int) payloadLength;
        long seqDelta = varint(b, p, end);
        if (cursor < 0 || seqDelta < 0) {
            return bad("malformed seq");
        }
        varint(b, cursor, end);
        if (cursor < 0) {
            return bad("malformed timestamp");
        }
        long count = varint(b, cursor, end);
        if (cursor < 0 || count < 1 || count > MAX_OPS || count * CommitLogFormat.MIN_OP_BYTES > end - cursor) {
            return bad("impossible op count " + count);
        }
        int q = cursor;
        for (long i = 0; i < count; i++) {
            if (end - q < CommitLogFormat.MIN_OP_BYTES) {
                return bad("op " + i + " runs past the record");
            }
            byte kind = b[q];
            if (kind < 1 || kind > 3) {
                return bad("unknown entry kind " + kind);
            }
            long keyLength = varint(b, q + 1, end);
            if (cursor < 0 || keyLength > CommitLogFormat.MAX_KEY_BYTES) {
                return bad("op " + i + " has a malformed key length");
            }
            long valueLength = varint(b, cursor, end);
            if (cursor < 0 || valueLength > CommitLogFormat.MAX_VALUE_BYTES) {
                return bad("op " + i + " has a malformed value length");
            }
            q = cursor;
            if (keyLength + valueLength > end - q) {
                return bad("op " + i + " lengths run past the record");
            }
            q += (int) (keyLength + valueLength);
        }
        if (q != end) {
            return bad("ops do not fill the record");
        }
        crc.reset();
        crc.update(b, off + CommitLogFormat.RECORD_CRC_BYTES, end - off - CommitLogFormat.RECORD_CRC_BYTES);
        if ((int) crc.getValue() != readInt(b, off)) {
            return bad("record checksum mismatch");
        }
        return new Check(end - off, seqDelta, null);
    }

    /** Decodes the record of {@code recordBytes} at {@code off} that {@link #check} accepted, in a segment with these bases. */
    InternalEntry[] decode(byte[] b, int off, int recordBytes, long baseSeq, long baseTimestampMillis) {
        int end = off + recordBytes;
        varint(b, off + CommitLogFormat.RECORD_CRC_BYTES, end);
        long firstSeq = baseSeq + varint(b, cursor, end);
        long timestampMillis = baseTimestampMillis + Varint.unzigzag(varint(b, cursor, end));
        int count = (int) varint(b, cursor, end);
        InternalEntry[] entries = new InternalEntry[count];
        int q = cursor;
        for (int i = 0; i < count; i++) {
            EntryKind kind = EntryKind.fromCode(b[q]);
            int keyLength = (int) varint(b, q + 1, end);
            int valueLength = (int) varint(b, cursor, end);
            q = cursor;
            byte[] key = Arrays.copyOfRange(b, q, q + keyLength);
            q += keyLength;
            byte[] value = Arrays.copyOfRange(b, q, q + valueLength);
            q += valueLength;
            entries[i] = new InternalEntry(KeyOrder.token(key), key, firstSeq + i, kind, timestampMillis, value);
        }
        return entries;
    }

    /**
     * Reads an unsigned varint of at most 64 bits starting at {@code off}, not reading at or past
     * {@code limit}. Sets {@link #cursor} after it, or to -1 if it is malformed (runs past the
     * limit, is longer than 10 bytes, or overflows).
     */
    private long varint(byte[] b, int off, int limit) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (off >= limit) {
                break;
            }
            byte x = b[off++];
            if (shift == 63 && (x & 0xFE) != 0) {
                break;
            }
            result |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                cursor = off;
                return result;
            }
        }
        cursor = -1;
        return 0;
    }

    private static Check bad(String problem) {
        return new Check(0, 0, problem);
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
