package io.ringkv.storage.sstable;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Encodes and decodes the metadata block (docs/design/storage-format.md, "Metadata block"). */
final class MetadataBlock {
    private static final int FIXED_BYTES = 7 * 8;

    private MetadataBlock() {
    }

    static byte[] encode(SSTableMetadata m) {
        byte[] fixed = new byte[FIXED_BYTES];
        BigEndian.putLong(fixed, 0, m.entryCount());
        BigEndian.putLong(fixed, 8, m.tombstoneCount());
        BigEndian.putLong(fixed, 16, m.minSeq());
        BigEndian.putLong(fixed, 24, m.maxSeq());
        BigEndian.putLong(fixed, 32, m.minTimestampMillis());
        BigEndian.putLong(fixed, 40, m.maxTimestampMillis());
        BigEndian.putLong(fixed, 48, m.dataBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(fixed, 0, fixed.length);
        for (byte[] a : new byte[][] {m.firstToken(), m.firstKey(), m.lastToken(), m.lastKey()}) {
            byte[] len = new byte[5];
            out.write(len, 0, Varint.put(len, 0, a.length));
            out.write(a, 0, a.length);
        }
        return out.toByteArray();
    }

    /** Decodes a verified metadata block; {@code fileSizeBytes} comes from the file itself. */
    static SSTableMetadata decode(byte[] block, int storedLength, long fileSizeBytes) {
        if (storedLength < FIXED_BYTES) {
            throw new MalformedException("metadata block of " + storedLength + " bytes is too short");
        }
        int pos = FIXED_BYTES;
        byte[][] arrays = new byte[4][];
        for (int i = 0; i < 4; i++) {
            long lenAndSize = Varint.getIntAndSize(block, pos, storedLength);
            pos += Varint.encodedSize(lenAndSize);
            int len = Varint.value(lenAndSize);
            if (len > storedLength - pos) {
                throw new MalformedException("metadata field " + i + " runs past the metadata block");
            }
            arrays[i] = Arrays.copyOfRange(block, pos, pos + len);
            pos += len;
        }
        if (pos != storedLength) {
            throw new MalformedException("metadata block has " + (storedLength - pos) + " trailing bytes");
        }
        long entryCount = BigEndian.getLong(block, 0);
        long tombstones = BigEndian.getLong(block, 8);
        if (entryCount < 0 || tombstones < 0 || tombstones > entryCount) {
            throw new MalformedException("metadata counts " + entryCount + "/" + tombstones + " are inconsistent");
        }
        int tokenBytes = entryCount == 0 ? 0 : 16;
        if (arrays[0].length != tokenBytes || arrays[2].length != tokenBytes
                || entryCount == 0 && (arrays[1].length != 0 || arrays[3].length != 0)) {
            throw new MalformedException("metadata first/last token or key length is wrong for " + entryCount + " entries");
        }
        return new SSTableMetadata(entryCount, tombstones,
                BigEndian.getLong(block, 16), BigEndian.getLong(block, 24),
                BigEndian.getLong(block, 32), BigEndian.getLong(block, 40),
                arrays[0], arrays[1], arrays[2], arrays[3], fileSizeBytes, BigEndian.getLong(block, 48));
    }
}
