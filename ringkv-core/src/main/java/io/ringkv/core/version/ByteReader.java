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
 *
 * <p>Field names are constants; inside a repeated item ({@link #enterItem}) a failure names the
 * item too ("version 3 timestamp"). The full name is formatted only when a read fails: decoding
 * runs on every stored read and replica message, and building the names eagerly was about 9 %
 * of all bytes a node allocated.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;
    private String itemKind;
    private int itemIndex;

    public ByteReader(byte[] buf, int offset, int end) {
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    /**
     * Until {@link #leaveItem}, failures name {@code kind + index} before the field, as in
     * "version 3 flags" for {@code enterItem("version ", 3)} and field "flags".
     */
    public void enterItem(String kind, int index) {
        itemKind = kind;
        itemIndex = index;
    }

    public void leaveItem() {
        itemKind = null;
    }

    /** {@code field} as a failure names it: with the current item, if any. */
    public String label(String field) {
        return itemKind == null ? field : itemKind + itemIndex + " " + field;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public int u8(String field) {
        if (pos >= end) {
            throw malformed("truncated: " + label(field) + " is missing");
        }
        return buf[pos++] & 0xFF;
    }

    /** Four bytes, big-endian (as {@link ByteWriter#u32} writes them). */
    public int u32(String field) {
        if (end - pos < 4) {
            throw malformed("truncated: " + label(field) + " is missing");
        }
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long varLong(String field) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8(field);
            if (shift == 63 && (b & 0xFE) != 0) {
                throw malformed(label(field) + " does not fit in 64 bits");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw malformed(label(field) + " is a varint longer than 10 bytes");
    }

    /** A non-negative varint that must also fit in an int. */
    public int varInt(String field) {
        long v = varLong(field);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw malformed(label(field) + " is out of range: " + Long.toUnsignedString(v));
        }
        return (int) v;
    }

    /** A count of items that take at least {@code minBytesEach} bytes each: bounded by what is left. */
    public int count(String field, int minBytesEach) {
        int n = varInt(field);
        if ((long) n * minBytesEach > remaining()) {
            throw malformed(label(field) + " says " + n + " but only " + remaining() + " bytes are left");
        }
        return n;
    }

    public byte[] bytes(int length, String field) {
        if (length < 0 || length > remaining()) {
            throw malformed(label(field) + " length " + length + " runs past the end (" + remaining() + " bytes left)");
        }
        byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
        pos += length;
        return out;
    }

    public String shortString(String field) {
        if (pos >= end) {
            throw malformed("truncated: " + label(field) + " length is missing");
        }
        int length = buf[pos++] & 0xFF;
        if (length == 0) {
            throw malformed(label(field) + " is empty");
        }
        if (length > remaining()) {
            throw malformed(label(field) + " length " + length + " runs past the end (" + remaining() + " bytes left)");
        }
        if (isAscii(pos, length)) {
            // Node ids are nearly always ASCII: no strict decoder (and its buffers) per string.
            String s = new String(buf, pos, length, StandardCharsets.US_ASCII);
            pos += length;
            return s;
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
            throw malformed(label(field) + " is not valid UTF-8");
        }
    }

    private boolean isAscii(int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (buf[i] < 0) {
                return false;
            }
        }
        return true;
    }

    public void expectEnd(String what) {
        if (pos != end) {
            throw malformed(label(what) + " has " + (end - pos) + " unexpected trailing bytes");
        }
    }

    public MalformedVersionException malformed(String message) {
        return new MalformedVersionException(message + " (at byte " + pos + ")");
    }
}
