package io.ringkv.cluster.membership;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends the primitive encodings of docs/design/gossip.md to a growing byte array. */
final class GossipWriter {
    private byte[] buf = new byte[256];
    private int size;

    void byteValue(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Unsigned LEB128 of a non-negative long: 1 to 9 bytes. */
    void varLong(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("cannot encode negative " + v);
        }
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void u64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        varLong(bytes.length);
        bytes(bytes);
    }

    void bytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
