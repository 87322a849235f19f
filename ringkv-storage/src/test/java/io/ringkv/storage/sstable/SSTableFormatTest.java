package io.ringkv.storage.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.Compression;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the bytes of a real file against docs/design/storage-format.md, field by field. */
class SSTableFormatTest {
    @TempDir
    Path dir;

    @Test
    void aOneEntryTableHasTheDocumentedBytes() throws Exception {
        InternalEntry e = InternalEntry.of("key".getBytes(), 300, EntryKind.MERGE, 5, "val".getBytes());
        Path path = dir.resolve("1.sst");
        TestTables.write(path, List.of(e), new SSTableWriterOptions(4096, Compression.NONE, 0.01, 1));
        byte[] file = Files.readAllBytes(path);

        // Data block: token, varint key length, key, varint seq (300 = 0xAC 0x02), kind, varint ts, varint value length, value,
        // then offset[0] = 0, count = 1, then compression byte 0 and the CRC32C of everything before it.
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(e.token());
        block.write(3);
        block.write("key".getBytes());
        block.write(new byte[] {(byte) 0xAC, 0x02, 3, 5, 3});
        block.write("val".getBytes());
        block.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0});
        byte[] expected = block.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(expected);
        byte[] framed = ByteBuffer.allocate(expected.length + 4).put(expected).putInt((int) crc.getValue()).array();
        assertThat(java.util.Arrays.copyOf(file, framed.length)).isEqualTo(framed);

        ByteBuffer footer = ByteBuffer.wrap(file, file.length - 52, 52).slice();
        long indexOffset = footer.getLong(0);
        assertThat(indexOffset).isEqualTo(framed.length);
        int indexLength = footer.getInt(8);
        long bloomOffset = footer.getLong(12);
        assertThat(bloomOffset).isEqualTo(indexOffset + indexLength + 5);
        int bloomLength = footer.getInt(20);
        long metaOffset = footer.getLong(24);
        assertThat(metaOffset).isEqualTo(bloomOffset + bloomLength + 5);
        assertThat(metaOffset + footer.getInt(32) + 5).isEqualTo(file.length - 52);
        assertThat(footer.getInt(36)).isEqualTo(1);
        CRC32C footerCrc = new CRC32C();
        footerCrc.update(file, file.length - 52, 40);
        assertThat(footer.getInt(40)).isEqualTo((int) footerCrc.getValue());
        assertThat(new String(file, file.length - 8, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RKVSSTB1");

        // Index: count 1, then the one handle (0, stored length) and the last token and key.
        ByteBuffer index = ByteBuffer.wrap(file, (int) indexOffset, indexLength).slice();
        assertThat(index.getInt(0)).isEqualTo(1);
        assertThat(index.getLong(4)).isZero();
        assertThat(index.getInt(12)).isEqualTo(expected.length - 1);
        assertThat(indexLength).isEqualTo(4 + 8 + 4 + 16 + 1 + 3);

        // Bloom: k = 6 and m = 512 bits (one block) for one entry at 1%; the entry's k bits, the
        // top 9 bits of h, h*G, h*G^2... for h the token's last 8 bytes, are set.
        ByteBuffer bloom = ByteBuffer.wrap(file, (int) bloomOffset, bloomLength).slice();
        assertThat(bloom.getInt(0)).isEqualTo(6);
        assertThat(bloom.getLong(4)).isEqualTo(512);
        assertThat(bloomLength).isEqualTo(12 + 64);
        long h = ByteBuffer.wrap(e.token()).getLong(8);
        for (int i = 0; i < 6; i++, h *= 0x9E3779B97F4A7C15L) {
            int bit = (int) (h >>> 55);
            assertThat(bloom.get(12 + bit / 8) & (1 << (bit % 8))).isNotZero();
        }
        int set = 0;
        for (int i = 12; i < bloomLength; i++) {
            set += Integer.bitCount(bloom.get(i) & 0xFF);
        }
        assertThat(set).isBetween(1, 6);
    }
}
