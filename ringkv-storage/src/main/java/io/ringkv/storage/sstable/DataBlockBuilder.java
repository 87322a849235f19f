package io.ringkv.storage.sstable;

import io.ringkv.storage.format.InternalEntry;
import java.util.Arrays;

/**
 * Accumulates entries into the content of one data block (docs/design/storage-format.md,
 * "Data block"): the encoded entries, then one u32 offset per entry, then the count. Its
 * buffers are reused from block to block.
 */
final class DataBlockBuilder {
    private byte[] buffer;
    private int length;
    private int[] offsets = new int[256];
    private int count;

    DataBlockBuilder(int initialCapacityBytes) {
        buffer = new byte[Math.max(64, initialCapacityBytes)];
    }

    static long encodedSize(InternalEntry e) {
        return 16L + Varint.size(e.key().length) + e.key().length + Varint.size(e.seq()) + 1
                + Varint.size(e.timestampMillis()) + Varint.size(e.value().length) + e.value().length;
    }

    void add(InternalEntry e) {
        int size = Math.toIntExact(encodedSize(e));
        ensureCapacity(length + size + 4L * (count + 2));
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        offsets[count++] = length;
        int pos = length;
        System.arraycopy(e.token(), 0, buffer, pos, 16);
        pos += 16;
        pos = Varint.put(buffer, pos, e.key().length);
        System.arraycopy(e.key(), 0, buffer, pos, e.key().length);
        pos += e.key().length;
        pos = Varint.put(buffer, pos, e.seq());
        buffer[pos++] = e.kind().code();
        pos = Varint.put(buffer, pos, e.timestampMillis());
        pos = Varint.put(buffer, pos, e.value().length);
        System.arraycopy(e.value(), 0, buffer, pos, e.value().length);
        pos += e.value().length;
        length = pos;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Content size if the block were finished now. */
    long currentSizeBytes() {
        return length + 4L * count + 4;
    }

    /**
     * Appends the offset array and count, and returns the buffer holding the finished content
     * in {@code [0, finishedLength())}. Valid until the next {@link #reset}.
     */
    byte[] finish() {
        ensureCapacity(currentSizeBytes());
        int pos = length;
        for (int i = 0; i < count; i++) {
            BigEndian.putInt(buffer, pos, offsets[i]);
            pos += 4;
        }
        BigEndian.putInt(buffer, pos, count);
        length = pos + 4;
        return buffer;
    }

    int finishedLength() {
        return length;
    }

    void reset() {
        length = 0;
        count = 0;
    }

    private void ensureCapacity(long needed) {
        if (needed > buffer.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("data block would exceed 2 GiB");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buffer.length)));
        }
    }
}
