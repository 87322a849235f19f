package io.ringkv.ycsb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A YCSB record (field name -> bytes) as one ringkv value, compactly, because every byte is
 * stored N times and sent on every read:
 *
 * <pre>
 *   byte 0       format version, 0x01
 *   then, for each field until the end of the value:
 *     varint     length of the field name in bytes (unsigned LEB128)
 *     bytes      the field name, UTF-8
 *     varint     length of the field value in bytes
 *     bytes      the field value
 * </pre>
 *
 * The anchors' workloads have one 100-byte field named {@code field0}: 109 bytes stored, where
 * a JSON object with base64 would take about 150.
 */
final class RecordCodec {
    static final int VERSION = 1;

    private RecordCodec() {
    }

    static byte[] encode(Map<String, byte[]> fields) {
        int size = 1;
        for (Map.Entry<String, byte[]> f : fields.entrySet()) {
            size += 10 + f.getKey().length() * 3 + f.getValue().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write(VERSION);
        for (Map.Entry<String, byte[]> f : fields.entrySet()) {
            byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
            writeVarint(out, name.length);
            out.writeBytes(name);
            writeVarint(out, f.getValue().length);
            out.writeBytes(f.getValue());
        }
        return out.toByteArray();
    }

    /** The fields, in stored order; throws IllegalArgumentException for bytes that are not such a record. */
    static Map<String, byte[]> decode(byte[] value) {
        if (value.length == 0 || value[0] != VERSION) {
            throw new IllegalArgumentException("not a YCSB record (format byte " + (value.length == 0 ? "missing" : value[0]) + ")");
        }
        Map<String, byte[]> fields = new LinkedHashMap<>();
        int[] pos = {1};
        while (pos[0] < value.length) {
            int nameLength = readVarint(value, pos);
            String name = new String(slice(value, pos, nameLength), StandardCharsets.UTF_8);
            int valueLength = readVarint(value, pos);
            fields.put(name, slice(value, pos, valueLength));
        }
        return fields;
    }

    private static void writeVarint(ByteArrayOutputStream out, int n) {
        while ((n & ~0x7F) != 0) {
            out.write((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out.write(n);
    }

    private static int readVarint(byte[] b, int[] pos) {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (pos[0] >= b.length) {
                throw new IllegalArgumentException("record truncated inside a length at byte " + pos[0]);
            }
            int next = b[pos[0]++] & 0xFF;
            result |= (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                if (result < 0) {
                    break;
                }
                return result;
            }
        }
        throw new IllegalArgumentException("record has a malformed length before byte " + pos[0]);
    }

    private static byte[] slice(byte[] b, int[] pos, int length) {
        if (length > b.length - pos[0]) {
            throw new IllegalArgumentException("record truncated: " + length + " bytes announced at byte " + pos[0]
                    + ", " + (b.length - pos[0]) + " left");
        }
        byte[] out = Arrays.copyOfRange(b, pos[0], pos[0] + length);
        pos[0] += length;
        return out;
    }
}
