package io.ringkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit log's bytes are exactly what docs/design/commit-log.md says. */
class CommitLogFormatTest {
    @TempDir
    Path dir;

    @Test
    void aSegmentIsTheDocumentedHeaderThenTheDocumentedRecords() throws IOException {
        long baseSeq = 1000;
        long baseMillis = 1_700_000_000_000L;
        CommitLog log = CommitLog.open(dir, 7, baseSeq, baseMillis, SyncPolicy.always(), 1 << 20, EngineListener.NONE,
                FsyncHook.REAL);
        log.awaitDurable(log.append(EntryKind.PUT, bytes("key"), bytes("value"), 1000, baseMillis + 3));
        log.awaitDurable(log.append(EntryKind.DELETE, bytes("k"), new byte[0], 1001, baseMillis - 2));
        log.close();
        byte[] file = Files.readAllBytes(dir.resolve("commitlog-0000000000000007.log"));

        ByteBuffer header = ByteBuffer.allocate(36);
        header.putInt(0x524B434C).putShort((short) 2).putShort((short) 0).putLong(7).putLong(baseSeq).putLong(baseMillis);
        header.putInt(crc(header.array(), 0, 32));
        assertThat(Arrays.copyOf(file, 36)).isEqualTo(header.array());

        // PUT: length 14 | seq delta 0 | zigzag(+3) = 6 | 1 op | kind 1 | key length 3 | value length 5 | key | value
        byte[] put = record("0e 00 06 01 01 03 05" + hex("key") + hex("value"));
        // DELETE: length 7 | seq delta 1 | zigzag(-2) = 3 | 1 op | kind 2 | key length 1 | value length 0 | key
        byte[] delete = record("07 01 03 01 02 01 00" + hex("k"));
        assertThat(put).hasSize(19); // 11 bytes of overhead for this write; format version 1 had 37
        assertThat(Arrays.copyOfRange(file, 36, file.length))
                .isEqualTo(ByteBuffer.allocate(put.length + delete.length).put(put).put(delete).array());
    }

    @Test
    void recordsRoundTripAcrossRollsBatchesLongValuesAndAClockGoingBackwards() {
        List<InternalEntry> written = new ArrayList<>();
        CommitLog log = CommitLog.open(dir, 1, 1, 5_000, SyncPolicy.always(), 4096, EngineListener.NONE, FsyncHook.REAL);
        long seq = 1;
        for (int i = 0; i < 60; i++) {
            long millis = 5_000 + (i % 7 == 0 ? -100_000L * i : 37L * i); // jumps back and forth
            int ops = 1 + i % 4;
            InternalEntry[] batch = new InternalEntry[ops];
            for (int j = 0; j < ops; j++) {
                byte[] value = new byte[i == 30 ? 3000 : (i * 13 + j) % 300]; // some lengths need 2-byte varints
                Arrays.fill(value, (byte) i);
                batch[j] = InternalEntry.of(bytes("key-" + i + "-" + j), seq++, j == 2 ? EntryKind.MERGE : EntryKind.PUT,
                        millis, value);
            }
            written.addAll(List.of(batch));
            log.awaitDurable(ops == 1 ? log.append(batch[0].kind(), batch[0].key(), batch[0].value(), batch[0].seq(),
                    millis) : log.append(batch, ops));
        }
        log.close();
        List<Long> segments = CommitLog.segmentIds(dir);
        assertThat(segments.size()).as("the log rolled").isGreaterThan(5);

        List<InternalEntry> replayed = new ArrayList<>();
        CommitLogReplayer.Result r = new CommitLogReplayer(EngineListener.NONE)
                .replay(dir, segments, 0, (id, entries) -> replayed.addAll(List.of(entries)));
        assertThat(r.maxSeq()).isEqualTo(seq - 1);
        CommitLogCorruptionTest.assertSameEntries(replayed, written);
    }

    @Test
    void aSegmentOfAnotherFormatVersionIsRefusedAndLeftAlone() throws IOException {
        // A version-1 header: magic | version 1 | reserved | id | crc of bytes 0..15, then a record.
        ByteBuffer v1 = ByteBuffer.allocate(20 + 40);
        v1.putInt(0x524B434C).putShort((short) 1).putShort((short) 0).putLong(1);
        v1.putInt(crc(v1.array(), 0, 16));
        v1.put(new byte[40]);
        assertRefusedUntouched(v1.array(), "version 1 is not supported");

        ByteBuffer v3 = ByteBuffer.allocate(64);
        v3.putInt(0x524B434C).putShort((short) 3);
        assertRefusedUntouched(v3.array(), "version 3 is not supported");
    }

    private void assertRefusedUntouched(byte[] content, String message) throws IOException {
        Path segment = dir.resolve(CommitLogFormat.segmentFileName(1));
        Files.write(segment, content);
        assertThatThrownBy(() -> new CommitLogReplayer(EngineListener.NONE).replay(dir, List.of(1L), 0, (id, e) -> { }))
                .isInstanceOfSatisfying(CorruptionException.class, c -> assertThat(c.offset()).isZero())
                .hasMessageContaining(message);
        assertThat(Files.readAllBytes(segment)).as("never truncated or deleted as a torn tail").isEqualTo(content);
    }

    @Test
    void payloadLengthInvertsRecordBytesAtEveryVarintBoundary() {
        for (int payload : new int[] {6, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 64 << 20}) {
            int recordBytes = 4 + io.ringkv.storage.format.Varint.size(payload) + payload;
            assertThat(RecordEncoder.payloadLength(recordBytes)).isEqualTo(payload);
        }
    }

    private static byte[] record(String lengthAndPayloadHex) {
        byte[] body = HexFormat.of().parseHex(lengthAndPayloadHex.replace(" ", ""));
        return ByteBuffer.allocate(4 + body.length).putInt(crc(body, 0, body.length)).put(body).array();
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(bytes(s));
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
