package io.ringkv.storage.sstable;

import java.util.zip.CRC32C;

/**
 * The fixed 52-byte footer at the end of every table (docs/design/storage-format.md,
 * "Footer"). Being last, it is what a truncated file loses first, so {@link #decode} plus the
 * contiguity check in {@link #checkLayout} detect truncation at open.
 */
record Footer(long indexOffset, int indexStoredLength, long bloomOffset, int bloomStoredLength,
              long metaOffset, int metaStoredLength) {
    static final int BYTES = 52;
    static final int FORMAT_VERSION = 1;
    static final long MAGIC = 0x524B565353544231L; // "RKVSSTB1"
    private static final int CRC_COVERED_BYTES = 40;

    byte[] encode() {
        byte[] b = new byte[BYTES];
        BigEndian.putLong(b, 0, indexOffset);
        BigEndian.putInt(b, 8, indexStoredLength);
        BigEndian.putLong(b, 12, bloomOffset);
        BigEndian.putInt(b, 20, bloomStoredLength);
        BigEndian.putLong(b, 24, metaOffset);
        BigEndian.putInt(b, 32, metaStoredLength);
        BigEndian.putInt(b, 36, FORMAT_VERSION);
        BigEndian.putInt(b, 40, crc(b));
        BigEndian.putLong(b, 44, MAGIC);
        return b;
    }

    private static int crc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, CRC_COVERED_BYTES);
        return (int) crc.getValue();
    }

    /** Decodes and checks the footer; the message says which check failed. */
    static Footer decode(byte[] b) {
        if (BigEndian.getLong(b, 44) != MAGIC) {
            throw new MalformedException("bad magic number: truncated, or not a ringkv SSTable");
        }
        if (BigEndian.getInt(b, 40) != crc(b)) {
            throw new MalformedException("footer checksum mismatch");
        }
        int version = BigEndian.getInt(b, 36);
        if (version != FORMAT_VERSION) {
            throw new MalformedException("unsupported format version " + version + " (this build reads " + FORMAT_VERSION + ")");
        }
        return new Footer(BigEndian.getLong(b, 0), BigEndian.getInt(b, 8), BigEndian.getLong(b, 12),
                BigEndian.getInt(b, 20), BigEndian.getLong(b, 24), BigEndian.getInt(b, 32));
    }

    /** Checks that index, bloom, metadata and footer tile the tail of a file of {@code fileSize} bytes. */
    void checkLayout(long fileSize) {
        int t = BlockFraming.TRAILER_BYTES;
        boolean ok = indexOffset >= 0 && indexOffset <= fileSize
                && indexStoredLength >= 0 && bloomStoredLength >= 0 && metaStoredLength >= 0
                && bloomOffset == indexOffset + indexStoredLength + t
                && metaOffset == bloomOffset + bloomStoredLength + t
                && metaOffset + metaStoredLength + t == fileSize - BYTES;
        if (!ok) {
            throw new MalformedException("footer regions " + this + " do not tile a file of " + fileSize + " bytes");
        }
    }
}
