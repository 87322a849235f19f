package io.ringkv.core.version;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the few primitives the version encodings use (and the cluster's
 * inter-node message codecs, which embed them). Read back with {@link ByteReader}.
 */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** Unsigned LEB128: 7 bits per byte, high bit set on every byte but the last. */
    public void varLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    public void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** A one-byte length and the UTF-8 bytes; node ids are at most 255 bytes by construction. */
    public void shortString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u8(b.length);
        bytes(b);
    }

    public void u32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    public int size() {
        return size;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
