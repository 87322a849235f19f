package io.ringkv.cluster.membership;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitive encodings of docs/design/gossip.md with every length and count checked
 * against its bound and against the bytes that remain, so a hostile or corrupt message can
 * neither make us allocate more than it is long nor read past its end.
 */
final class GossipReader {
    private final byte[] buf;
    private int pos;

    GossipReader(byte[] buf) {
        this.buf = buf;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return buf.length - pos;
    }

    int byteValue(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    long varLong(String what) {
        int start = pos;
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            need(1, what);
            int b = buf[pos++] & 0xFF;
            long bits = b & 0x7FL;
            if (shift == 56 && (b & 0x80) != 0) {
                break;
            }
            result |= bits << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    break;
                }
                return result;
            }
        }
        throw new MalformedGossipException(what + " at offset " + start
                + " is not a varint of a non-negative 63-bit value");
    }

    /** A count of elements each at least {@code minElementBytes} long, at most {@code max}. */
    int count(String what, int max, int minElementBytes) {
        int start = pos;
        long n = varLong(what + " count");
        if (n > max) {
            throw new MalformedGossipException(what + " count " + n + " at offset " + start
                    + " exceeds the limit of " + max);
        }
        if (n * minElementBytes > remaining()) {
            throw new MalformedGossipException(what + " count " + n + " at offset " + start
                    + " cannot fit in the " + remaining() + " bytes that remain");
        }
        return (int) n;
    }

    int u16(String what) {
        need(2, what);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u64(String what) {
        need(8, what);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    String string(String what, int maxBytes) {
        int start = pos;
        long len = varLong(what + " length");
        if (len > maxBytes) {
            throw new MalformedGossipException(what + " at offset " + start + " is " + len
                    + " bytes; the limit is " + maxBytes);
        }
        need((int) len, what);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, pos, (int) len))
                    .toString();
            pos += (int) len;
            return s;
        } catch (CharacterCodingException e) {
            throw new MalformedGossipException(what + " at offset " + start + " is not valid UTF-8", e);
        }
    }

    byte[] bytes(int n, String what) {
        need(n, what);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    void expectEnd(String what) {
        if (remaining() != 0) {
            throw new MalformedGossipException(remaining() + " unexpected bytes after the " + what
                    + " at offset " + pos);
        }
    }

    private void need(int n, String what) {
        if (n > remaining()) {
            throw new MalformedGossipException("truncated: " + what + " at offset " + pos + " needs "
                    + n + " bytes, " + remaining() + " remain");
        }
    }
}
