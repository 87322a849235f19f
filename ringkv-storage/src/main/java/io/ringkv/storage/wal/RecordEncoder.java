package io.ringkv.storage.wal;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.Varint;
import java.util.zip.CRC32C;

/**
 * Serializes one write (a single op or a whole batch) into one checksummed record of format
 * version 2 ({@link CommitLogFormat}), with seq and timestamp as differences from the
 * segment's bases. One encoder is reused under the engine's write lock and writes straight
 * into its own array, so encoding allocates nothing. CRC32C over a byte array uses the CPU's
 * crc32 instruction.
 */
final class RecordEncoder {
    private byte[] buffer = new byte[64 << 10];
    private final CRC32C crc = new CRC32C();

    /** Size of the record for {@code entries[0..count)} in a segment with these bases. */
    static int recordBytes(InternalEntry[] entries, int count, long baseSeq, long baseTimestampMillis) {
        long ops = 0;
        for (int i = 0; i < count; i++) {
            ops += opBytes(entries[i].key().length, entries[i].value().length);
        }
        return recordBytes(fixedBytes(entries[0].seq(), entries[0].timestampMillis(), count, baseSeq,
                baseTimestampMillis) + ops);
    }

    /** Size of the record of one op in a segment with these bases. */
    static int recordBytes(int keyLength, int valueLength, long seq, long timestampMillis, long baseSeq,
            long baseTimestampMillis) {
        return recordBytes(fixedBytes(seq, timestampMillis, 1, baseSeq, baseTimestampMillis)
                + opBytes(keyLength, valueLength));
    }

    private static long fixedBytes(long firstSeq, long timestampMillis, int count, long baseSeq,
            long baseTimestampMillis) {
        return Varint.size(seqDelta(firstSeq, baseSeq))
                + Varint.size(Varint.zigzag(timestampMillis - baseTimestampMillis)) + Varint.size(count);
    }

    private static long opBytes(int keyLength, int valueLength) {
        return 1L + Varint.size(keyLength) + Varint.size(valueLength) + keyLength + valueLength;
    }

    private static int recordBytes(long payload) {
        if (payload > CommitLogFormat.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("write of " + payload + " bytes exceeds the "
                    + CommitLogFormat.MAX_RECORD_BYTES + "-byte limit on one write or batch");
        }
        return CommitLogFormat.RECORD_CRC_BYTES + Varint.size(payload) + (int) payload;
    }

    private static long seqDelta(long seq, long baseSeq) {
        if (seq < baseSeq) {
            throw new IllegalStateException("seq " + seq + " is below its segment's base seq " + baseSeq);
        }
        return seq - baseSeq;
    }

    /**
     * Encodes {@code entries[0..count)}, whose seqs are consecutive from {@code entries[0].seq()}
     * and which share one timestamp, into {@code [0, recordBytes)} of an array that is valid
     * until the next call.
     */
    byte[] encode(InternalEntry[] entries, int count, int recordBytes, long baseSeq, long baseTimestampMillis) {
        int p = start(recordBytes, entries[0].seq(), entries[0].timestampMillis(), count, baseSeq, baseTimestampMillis);
        for (int i = 0; i < count; i++) {
            InternalEntry e = entries[i];
            p = putOp(p, e.kind(), e.key(), e.value());
        }
        return finish(p, recordBytes);
    }

    /** Encodes a record of one op; same contract as {@link #encode(InternalEntry[], int, int, long, long)}. */
    byte[] encode(EntryKind kind, byte[] key, byte[] value, long seq, long timestampMillis, int recordBytes,
            long baseSeq, long baseTimestampMillis) {
        int p = start(recordBytes, seq, timestampMillis, 1, baseSeq, baseTimestampMillis);
        return finish(putOp(p, kind, key, value), recordBytes);
    }

    private int start(int recordBytes, long firstSeq, long timestampMillis, int count, long baseSeq,
            long baseTimestampMillis) {
        if (buffer.length < recordBytes) {
            buffer = new byte[Math.max(recordBytes, buffer.length * 2)];
        }
        byte[] b = buffer;
        int p = Varint.put(b, CommitLogFormat.RECORD_CRC_BYTES, payloadLength(recordBytes));
        p = Varint.put(b, p, seqDelta(firstSeq, baseSeq));
        p = Varint.put(b, p, Varint.zigzag(timestampMillis - baseTimestampMillis));
        return Varint.put(b, p, count);
    }

    private int putOp(int p, EntryKind kind, byte[] key, byte[] value) {
        byte[] b = buffer;
        b[p++] = kind.code();
        p = Varint.put(b, p, key.length);
        p = Varint.put(b, p, value.length);
        System.arraycopy(key, 0, b, p, key.length);
        p += key.length;
        System.arraycopy(value, 0, b, p, value.length);
        return p + value.length;
    }

    private byte[] finish(int end, int recordBytes) {
        if (end != recordBytes) {
            throw new IllegalStateException("record encoded to " + end + " bytes, expected " + recordBytes);
        }
        byte[] b = buffer;
        crc.reset();
        crc.update(b, CommitLogFormat.RECORD_CRC_BYTES, recordBytes - CommitLogFormat.RECORD_CRC_BYTES);
        int c = (int) crc.getValue();
        b[0] = (byte) (c >>> 24);
        b[1] = (byte) (c >>> 16);
        b[2] = (byte) (c >>> 8);
        b[3] = (byte) c;
        return b;
    }

    /**
     * The payload length of a record of {@code recordBytes} (as {@link #recordBytes} computed
     * it): the one length whose varint and itself fill what follows the CRC.
     */
    static int payloadLength(int recordBytes) {
        int afterCrc = recordBytes - CommitLogFormat.RECORD_CRC_BYTES;
        for (int lengthBytes = 1; lengthBytes <= 5; lengthBytes++) {
            if (Varint.size(afterCrc - lengthBytes) == lengthBytes) {
                return afterCrc - lengthBytes;
            }
        }
        throw new IllegalArgumentException("no record is " + recordBytes + " bytes long");
    }
}
