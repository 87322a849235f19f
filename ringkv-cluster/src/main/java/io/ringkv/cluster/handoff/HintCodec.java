package io.ringkv.cluster.handoff;

import io.ringkv.core.version.ByteReader;
import io.ringkv.core.version.ByteWriter;
import io.ringkv.core.version.MalformedVersionException;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a hint is laid out in the hint store's engine (docs/design/hinted-handoff.md, "Format"):
 * <pre>
 * record key   := targetLength:u8 target:utf8 key
 * record value := format:u8 (=1) hintedAtMillis:varint siblings      the sibling encoding of versioning.md
 * </pre>
 */
final class HintCodec {
    static final int FORMAT = 1;

    private HintCodec() {
    }

    static byte[] recordKey(String target, byte[] key) {
        byte[] id = target.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new IllegalArgumentException("a hint's target id must be 1 to 255 bytes, got " + id.length);
        }
        byte[] out = new byte[1 + id.length + key.length];
        out[0] = (byte) id.length;
        System.arraycopy(id, 0, out, 1, id.length);
        System.arraycopy(key, 0, out, 1 + id.length, key.length);
        return out;
    }

    static String target(byte[] recordKey) {
        int length = recordKey[0] & 0xff;
        return new String(recordKey, 1, length, StandardCharsets.UTF_8);
    }

    static byte[] key(byte[] recordKey) {
        int length = recordKey[0] & 0xff;
        return Arrays.copyOfRange(recordKey, 1 + length, recordKey.length);
    }

    static byte[] value(long hintedAtMillis, Siblings siblings) {
        byte[] encoded = SiblingsCodec.encode(siblings);
        ByteWriter w = new ByteWriter(11 + encoded.length);
        w.u8(FORMAT);
        w.varLong(hintedAtMillis);
        w.bytes(encoded);
        return w.toByteArray();
    }

    static Hint decode(byte[] recordKey, byte[] value) {
        try {
            ByteReader r = new ByteReader(value, 0, value.length);
            int format = r.u8("format");
            if (format != FORMAT) {
                throw r.malformed("unknown hint format " + format);
            }
            long hintedAt = r.varLong("hinted-at time");
            Siblings siblings = SiblingsCodec.decode(r.bytes(r.remaining(), "siblings"));
            return new Hint(target(recordKey), key(recordKey), siblings, hintedAt, value);
        } catch (MalformedVersionException | IndexOutOfBoundsException e) {
            throw new MalformedVersionException("unreadable hint for node " + safeTarget(recordKey) + ": " + e.getMessage());
        }
    }

    private static String safeTarget(byte[] recordKey) {
        try {
            return target(recordKey);
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }
}
