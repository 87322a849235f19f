package io.ringkv.storage.wal;

import io.ringkv.storage.format.InternalEntry;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Serializes one write (a single op or a whole batch) into one checksummed record. One
 * encoder is reused under the engine's write lock, so the hot path allocates nothing but the
 * entries themselves. CRC32C over a byte array uses the CPU's crc32 instruction.
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
        if (payload > CommitLogFormat.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("write of " + payload + " bytes exceeds the "
                    + CommitLogFormat.MAX_RECORD_BYTES + "-byte limit on one write or batch");
        }
        return (int) payload + CommitLogFormat.RECORD_PREFIX_BYTES;
    }

    /**
     * Encodes {@code entries[0..count)}, whose seqs are consecutive from {@code entries[0].seq()}
     * and which share one timestamp. Returns a heap buffer positioned at 0 and limited to the record;
     * valid until the next call.
     */
    ByteBuffer encode(InternalEntry[] entries, int count, int recordBytes) {
        if (buffer.capacity() < recordBytes) {
            buffer = ByteBuffer.allocate(Math.max(recordBytes, buffer.capacity() * 2));
        }
        ByteBuffer b = buffer;
        b.clear();
        int payloadLength = recordBytes - CommitLogFormat.RECORD_PREFIX_BYTES;
        b.putInt(payloadLength);
        b.putInt(0);
        b.putLong(entries[0].seq());
        b.putLong(entries[0].timestampMillis());
        b.putInt(count);
        for (int i = 0; i < count; i++) {
            InternalEntry e = entries[i];
            b.put(e.kind().code());
            b.putInt(e.key().length);
            b.putInt(e.value().length);
            b.put(e.key());
            b.put(e.value());
        }
        b.flip();
        crc.reset();
        crc.update(b.array(), 0, 4);
        crc.update(b.array(), CommitLogFormat.RECORD_PREFIX_BYTES, payloadLength);
        b.putInt(4, (int) crc.getValue());
        return b;
    }
}
