package io.ringkv.storage.wal;

import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Serializes one write (a single op or a whole batch) into one checksummed record. One
 * encoder is reused under the engine's write lock, so encoding allocates nothing. CRC32C over
 * a byte array uses the CPU's crc32 instruction.
 */
final class RecordEncoder {
    private ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
    private final CRC32C crc = new CRC32C();

    /** Size of the record for {@code entries[0..count)}, prefix included. */
    static int recordBytes(InternalEntry[] entries, int count) {
        long payload = CommitLogFormat.PAYLOAD_FIXED_BYTES;
        for (int i = 0; i < count; i++) {
            payload += CommitLogFormat.OP_FIXED_BYTES + entries[i].key().length + entries[i].value().length;
        }
        return checkedRecordBytes(payload);
    }

    /** Size of the record of one op, prefix included. */
    static int recordBytes(int keyLength, int valueLength) {
        return checkedRecordBytes(CommitLogFormat.PAYLOAD_FIXED_BYTES + CommitLogFormat.OP_FIXED_BYTES
                + (long) keyLength + valueLength);
    }

    private static int checkedRecordBytes(long payload) {
        if (payload > CommitLogFormat.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("write of " + payload + " bytes exceeds the "
                    + CommitLogFormat.MAX_RECORD_BYTES + "-byte limit on one write or batch");
        }
        return (int) payload + CommitLogFormat.RECORD_PREFIX_BYTES;
    }

    /**
     * Encodes {@code entries[0..count)}, whose seqs are consecutive from {@code entries[0].seq()}
     * and which share one timestamp. Returns the record in {@code [0, recordBytes)} of an array
     * that is valid until the next call.
     */
    byte[] encode(InternalEntry[] entries, int count, int recordBytes) {
        ByteBuffer b = start(recordBytes, entries[0].seq(), entries[0].timestampMillis(), count);
        for (int i = 0; i < count; i++) {
            InternalEntry e = entries[i];
            putOp(b, e.kind(), e.key(), e.value());
        }
        return finish(b, recordBytes);
    }

    /** Encodes a record of one op; same contract as {@link #encode(InternalEntry[], int, int)}. */
    byte[] encode(EntryKind kind, byte[] key, byte[] value, long seq, long timestampMillis, int recordBytes) {
        ByteBuffer b = start(recordBytes, seq, timestampMillis, 1);
        putOp(b, kind, key, value);
        return finish(b, recordBytes);
    }

    private ByteBuffer start(int recordBytes, long firstSeq, long timestampMillis, int count) {
        if (buffer.capacity() < recordBytes) {
            buffer = ByteBuffer.allocate(Math.max(recordBytes, buffer.capacity() * 2));
        }
        ByteBuffer b = buffer;
        b.clear();
        b.putInt(recordBytes - CommitLogFormat.RECORD_PREFIX_BYTES);
        b.putInt(0);
        b.putLong(firstSeq);
        b.putLong(timestampMillis);
        b.putInt(count);
        return b;
    }

    private static void putOp(ByteBuffer b, EntryKind kind, byte[] key, byte[] value) {
        b.put(kind.code());
        b.putInt(key.length);
        b.putInt(value.length);
        b.put(key);
        b.put(value);
    }

    private byte[] finish(ByteBuffer b, int recordBytes) {
        if (b.position() != recordBytes) {
            throw new IllegalStateException("record encoded to " + b.position() + " bytes, expected " + recordBytes);
        }
        byte[] a = b.array();
        crc.reset();
        crc.update(a, 0, 4);
        crc.update(a, CommitLogFormat.RECORD_PREFIX_BYTES, recordBytes - CommitLogFormat.RECORD_PREFIX_BYTES);
        b.putInt(4, (int) crc.getValue());
        return a;
    }
}
