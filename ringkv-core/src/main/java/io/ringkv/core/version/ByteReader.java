package io.ringkv.core.version;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote, checking every length against the bytes actually left
 * so that a corrupt length fails fast instead of allocating gigabytes. Failures are
 * {@link MalformedVersionException}s naming the field and byte offset. Public because the
 * cluster's inter-node message codecs embed these encodings and reuse the same primitives.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteReader(byte[] buf, int offset, int end) {
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public int u8(String field) {
        if (pos >= end) {
            throw malformed("truncated: " + field + " is missing");
        }
        return buf[pos++] & 0xFF;
    }

    public long varLong(String field) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8(field);
            if (shift == 63 && (b & 0xFE) != 0) {
                throw malformed(field + " does not fit in 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw malformed(field + " is a varint longer than 10 bytes");
    }

    /** A non-negative varint that must also fit in an int. */
    public int varInt(String field) {
        long v = varLong(field);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw malformed(field + " is out of range: " + Long.toUnsignedString(v));
        }
        return (int) v;
    }

    /** A count of items that take at least {@code minBytesEach} bytes each: bounded by what is left. */
    public int count(String field, int minBytesEach) {
        int n = varInt(field);
        if ((long) n * minBytesEach > remaining()) {
            throw malformed(field + " says " + n + " but only " + remaining() + " bytes are left");
        }
        return n;
    }

    public byte[] bytes(int length, String field) {
        if (length < 0 || length > remaining()) {
            throw malformed(field + " length " + length + " runs past the end (" + remaining() + " bytes left)");
        }
        byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
        pos += length;
        return out;
    }

    public String shortString(String field) {
        int length = u8(field + " length");
        if (length == 0) {
            throw malformed(field + " is empty");
        }
        if (length > remaining()) {
            throw malformed(field + " length " + length + " runs past the end (" + remaining() + " bytes left)");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, length))
                    .toString();
            pos += length;
            return s;
        } catch (CharacterCodingException e) {
            throw malformed(field + " is not valid UTF-8");
        }
    }

    public void expectEnd(String what) {
        if (pos != end) {
            throw malformed(what + " has " + (end - pos) + " unexpected trailing bytes");
        }
    }

    public MalformedVersionException malformed(String message) {
        return new MalformedVersionException(message + " (at byte " + pos + ")");
    }
}
