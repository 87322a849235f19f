package io.ringkv.storage.sstable;

import java.util.HexFormat;

/**
 * What the engine needs to know about a table without reading it: counts, sequence and time
 * bounds (for tombstone purging and recovery), the key range (for range scans and compaction
 * picking) and sizes. Stored in the table's metadata block (docs/design/storage-format.md).
 *
 * <p>For an empty table the four arrays are empty and the six numbers are 0. Arrays are
 * shared, not copied: callers must not modify them.
 *
 * @param entryCount         entries in the table
 * @param tombstoneCount     entries of kind DELETE
 * @param minSeq             smallest sequence number
 * @param maxSeq             largest sequence number
 * @param minTimestampMillis smallest write time
 * @param maxTimestampMillis largest write time
 * @param firstToken         token of the first entry (16 bytes)
 * @param firstKey           key of the first entry
 * @param lastToken          token of the last entry (16 bytes)
 * @param lastKey            key of the last entry
 * @param fileSizeBytes      size of the table file
 * @param dataBytes          bytes of all data blocks (file size minus index, bloom, metadata, footer)
 */
public record SSTableMetadata(long entryCount, long tombstoneCount, long minSeq, long maxSeq,
                              long minTimestampMillis, long maxTimestampMillis,
                              byte[] firstToken, byte[] firstKey, byte[] lastToken, byte[] lastKey,
                              long fileSizeBytes, long dataBytes) {

    public boolean isEmpty() {
        return entryCount == 0;
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "SSTableMetadata[entries=" + entryCount + ", tombstones=" + tombstoneCount
                + ", seq=" + minSeq + ".." + maxSeq + ", timestampMillis=" + minTimestampMillis + ".." + maxTimestampMillis
                + ", first=" + hex.formatHex(firstToken) + "/" + hex.formatHex(firstKey)
                + ", last=" + hex.formatHex(lastToken) + "/" + hex.formatHex(lastKey)
                + ", fileSizeBytes=" + fileSizeBytes + ", dataBytes=" + dataBytes + "]";
    }
}
