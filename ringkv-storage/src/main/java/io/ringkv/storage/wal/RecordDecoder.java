package io.ringkv.storage.wal;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Checks and decodes records in a segment held in memory. Checking is separate from decoding
 * so replay can cheaply ask "is there any valid record after this bad one?" at every later
 * offset: the structural walk rejects almost every wrong offset before the CRC is computed.
 */
final class RecordDecoder {
    private final CRC32C crc = new CRC32C();

    /** Result of checking the record at an offset: its total size, or why it is bad. */
    record Check(int recordBytes, long firstSeq, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    Check check(byte[] b, int off, int size) {
        int remaining = size - off;
        if (remaining < CommitLogFormat.RECORD_PREFIX_BYTES) {
            return bad("record prefix is truncated (" + remaining + " bytes left)");
        }
        int payloadLength = readInt(b, off);
        if (payloadLength < CommitLogFormat.PAYLOAD_FIXED_BYTES || payloadLength > CommitLogFormat.MAX_RECORD_BYTES) {
            return bad("impossible record length " + payloadLength);
        }
        if (payloadLength > remaining - CommitLogFormat.RECORD_PREFIX_BYTES) {
            return bad("record of " + payloadLength + " bytes runs past the end of the segment");
        }
        int p = off + CommitLogFormat.RECORD_PREFIX_BYTES;
        int end = p + payloadLength;
        long firstSeq = readLong(b, p);
        int count = readInt(b, p + 16);
        if (count < 1 || count > (payloadLength - CommitLogFormat.PAYLOAD_FIXED_BYTES) / CommitLogFormat.OP_FIXED_BYTES) {
            return bad("impossible op count " + count);
        }
        int q = p + CommitLogFormat.PAYLOAD_FIXED_BYTES;
        for (int i = 0; i < count; i++) {
            if (end - q < CommitLogFormat.OP_FIXED_BYTES) {
                return bad("op " + i + " runs past the record");
            }
            byte kind = b[q];
            if (kind < 1 || kind > 3) {
                return bad("unknown entry kind " + kind);
            }
            int keyLength = readInt(b, q + 1);
            int valueLength = readInt(b, q + 5);
            q += CommitLogFormat.OP_FIXED_BYTES;
            if (keyLength < 0 || valueLength < 0 || (long) keyLength + valueLength > end - q) {
                return bad("op " + i + " lengths run past the record");
            }
            q += keyLength + valueLength;
        }
        if (q != end) {
            return bad("ops do not fill the record");
        }
        crc.reset();
        crc.update(b, off, 4);
        crc.update(b, p, payloadLength);
        if ((int) crc.getValue() != readInt(b, off + 4)) {
            return bad("record checksum mismatch");
        }
        return new Check(CommitLogFormat.RECORD_PREFIX_BYTES + payloadLength, firstSeq, null);
    }

    /** Decodes a record that {@link #check} accepted. */
    static InternalEntry[] decode(byte[] b, int off) {
        int p = off + CommitLogFormat.RECORD_PREFIX_BYTES;
        long firstSeq = readLong(b, p);
        long timestampMillis = readLong(b, p + 8);
        int count = readInt(b, p + 16);
        InternalEntry[] entries = new InternalEntry[count];
        int q = p + CommitLogFormat.PAYLOAD_FIXED_BYTES;
        for (int i = 0; i < count; i++) {
            EntryKind kind = EntryKind.fromCode(b[q]);
            int keyLength = readInt(b, q + 1);
            int valueLength = readInt(b, q + 5);
            q += CommitLogFormat.OP_FIXED_BYTES;
            byte[] key = Arrays.copyOfRange(b, q, q + keyLength);
            q += keyLength;
            byte[] value = Arrays.copyOfRange(b, q, q + valueLength);
            q += valueLength;
            entries[i] = new InternalEntry(KeyOrder.token(key), key, firstSeq + i, kind, timestampMillis, value);
        }
        return entries;
    }

    private static Check bad(String problem) {
        return new Check(0, 0, problem);
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static long readLong(byte[] b, int off) {
        return ((long) readInt(b, off) << 32) | (readInt(b, off + 4) & 0xffffffffL);
    }
}
