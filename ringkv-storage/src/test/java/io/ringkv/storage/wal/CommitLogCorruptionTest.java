package io.ringkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.EngineListener;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages real segment files at every offset and checks replay's verdict: a torn tail is cut
 * off with a report and everything before it is returned intact; damage with valid data after
 * it, or in a segment that is not the last, is a CorruptionException naming file and offset;
 * and in no case is a damaged or invented record returned.
 */
class CommitLogCorruptionTest {
    private static final int RECORDS = 12;
    private static final long BASE_MILLIS = 1005;

    @TempDir
    Path dir;

    private final List<InternalEntry> written = new ArrayList<>();
    /** Start offset of each record in segment 1, plus the end of the file. */
    private final List<Integer> boundaries = new ArrayList<>();
    private byte[] original;
    private Path segment;

    @BeforeEach
    void writeSegment() throws IOException {
        CommitLog log = CommitLog.open(dir, 1, 1, BASE_MILLIS, SyncPolicy.always(), 1 << 20, EngineListener.NONE,
                FsyncHook.REAL);
        boundaries.add(CommitLogFormat.HEADER_BYTES);
        long seq = 1;
        for (int i = 0; i < RECORDS; i++) {
            int ops = 1 + i % 3; // some records are multi-op batches
            InternalEntry[] entries = new InternalEntry[ops];
            for (int j = 0; j < ops; j++) {
                entries[j] = InternalEntry.of(("key-" + i + "-" + j).getBytes(StandardCharsets.UTF_8), seq++,
                        j == 1 ? EntryKind.DELETE : EntryKind.PUT, 1000 + i,
                        j == 1 ? new byte[0] : ("value-" + i).repeat(i + 1).getBytes(StandardCharsets.UTF_8));
                written.add(entries[j]);
            }
            log.awaitDurable(log.append(entries, ops));
            boundaries.add(boundaries.getLast() + RecordEncoder.recordBytes(entries, ops, 1, BASE_MILLIS));
        }
        log.close();
        segment = dir.resolve(CommitLogFormat.segmentFileName(1));
        original = Files.readAllBytes(segment);
        assertThat(original.length).isEqualTo(boundaries.getLast());
    }

    private record Outcome(List<InternalEntry> replayed, CorruptionException error, List<long[]> truncations) {
    }

    private Outcome replay(List<Long> segments) {
        List<InternalEntry> got = new ArrayList<>();
        List<long[]> truncations = new ArrayList<>();
        EngineListener listener = new EngineListener() {
            @Override
            public void onCommitLogTailTruncated(Path seg, long offset, long bytesDropped) {
                truncations.add(new long[] {offset, bytesDropped});
            }
        };
        try {
            new CommitLogReplayer(listener).replay(dir, segments, 0, (id, entries) -> got.addAll(List.of(entries)));
            return new Outcome(got, null, truncations);
        } catch (CorruptionException e) {
            return new Outcome(got, e, truncations);
        }
    }

    /** Records fully contained in the first {@code bytes} bytes. */
    private int recordsWithin(int bytes) {
        int n = 0;
        while (n < RECORDS && boundaries.get(n + 1) <= bytes) {
            n++;
        }
        return n;
    }

    private List<InternalEntry> firstRecordsEntries(int records) {
        int ops = 0;
        for (int i = 0; i < records; i++) {
            ops += 1 + i % 3;
        }
        return written.subList(0, ops);
    }

    /** Same entries in the same order, field by field (InternalEntry holds arrays, so equals would not do). */
    static void assertSameEntries(List<InternalEntry> actual, List<InternalEntry> expected) {
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < actual.size(); i++) {
            InternalEntry a = actual.get(i);
            InternalEntry e = expected.get(i);
            assertThat(a.key()).isEqualTo(e.key());
            assertThat(a.value()).isEqualTo(e.value());
            assertThat(a.token()).isEqualTo(e.token());
            assertThat(a.seq()).isEqualTo(e.seq());
            assertThat(a.kind()).isEqualTo(e.kind());
            assertThat(a.timestampMillis()).isEqualTo(e.timestampMillis());
        }
    }

    @Test
    void intactSegmentReplaysEverything() {
        Outcome o = replay(List.of(1L));
        assertThat(o.error()).isNull();
        assertThat(o.truncations()).isEmpty();
        assertSameEntries(o.replayed(), written);
    }

    @Test
    void truncationAtEveryOffsetIsATornTailAndKeepsThePrefix() throws IOException {
        for (int cut = 0; cut < original.length; cut++) {
            Files.write(segment, java.util.Arrays.copyOf(original, cut));
            Outcome o = replay(List.of(1L));
            assertThat(o.error()).as("cut at %d", cut).isNull();
            int intact = recordsWithin(cut);
            assertSameEntries(o.replayed(), firstRecordsEntries(intact));
            if (cut < CommitLogFormat.HEADER_BYTES) {
                assertThat(Files.exists(segment)).as("a torn header deletes the segment (cut %d)", cut).isFalse();
            } else {
                int boundary = boundaries.get(intact);
                assertThat(Files.size(segment)).as("truncated to the last whole record (cut %d)", cut).isEqualTo(boundary);
                if (cut == boundary) {
                    assertThat(o.truncations()).isEmpty();
                } else {
                    assertThat(o.truncations()).hasSize(1);
                    assertThat(o.truncations().get(0)).containsExactly(boundary, cut - boundary);
                }
            }
        }
    }

    @Test
    void aFlippedByteAnywhereIsATornTailOnlyInTheLastRecord() throws IOException {
        int lastRecordStart = boundaries.get(RECORDS - 1);
        for (int pos = 0; pos < original.length; pos++) {
            byte[] damaged = original.clone();
            damaged[pos] ^= (byte) (1 << (pos % 8));
            Files.write(segment, damaged);
            Outcome o = replay(List.of(1L));
            int record = pos < CommitLogFormat.HEADER_BYTES ? -1 : recordsWithin(pos);
            if (pos >= lastRecordStart) {
                assertThat(o.error()).as("flip at %d in the last record", pos).isNull();
                assertSameEntries(o.replayed(), firstRecordsEntries(RECORDS - 1));
                assertThat(Files.size(segment)).isEqualTo(lastRecordStart);
            } else {
                long expectedOffset = record < 0 ? 0 : boundaries.get(record);
                assertThat(o.error()).as("flip at %d must be reported", pos).isNotNull();
                assertThat(o.error().file()).isEqualTo(segment);
                assertThat(o.error().offset()).as("flip at %d", pos).isEqualTo(expectedOffset);
                assertThat(o.error().getMessage()).contains(segment.toString()).contains("offset " + expectedOffset);
                assertSameEntries(o.replayed(), firstRecordsEntries(Math.max(0, record)));
                assertThat(Files.readAllBytes(segment)).as("nothing is truncated on corruption").isEqualTo(damaged);
            }
        }
    }

    @Test
    void damageInASegmentThatIsNotTheLastIsCorruptionEvenAtItsEnd() throws IOException {
        Files.copy(segment, dir.resolve(CommitLogFormat.segmentFileName(2)));
        byte[] secondHeader = CommitLogFormat.header(2, 1, BASE_MILLIS).array();
        byte[] second = original.clone();
        System.arraycopy(secondHeader, 0, second, 0, secondHeader.length);
        Files.write(dir.resolve(CommitLogFormat.segmentFileName(2)), second);
        // Segment 2 repeats segment 1's seqs; only the verdict on segment 1 matters here.
        byte[] damaged = java.util.Arrays.copyOf(original, original.length - 3);
        Files.write(segment, damaged);
        Outcome o = replay(List.of(1L, 2L));
        assertThat(o.error()).isNotNull();
        assertThat(o.error().file()).isEqualTo(segment);
        assertThat(o.error().offset()).isEqualTo((long) boundaries.get(RECORDS - 1));
        assertThat(o.error().getMessage()).contains("not the last");
    }

    @Test
    void zeroedTailAfterValidRecordsIsTorn() throws IOException {
        byte[] withZeros = java.util.Arrays.copyOf(original, original.length + 4096);
        Files.write(segment, withZeros);
        Outcome o = replay(List.of(1L));
        assertThat(o.error()).isNull();
        assertSameEntries(o.replayed(), written);
        assertThat(Files.size(segment)).isEqualTo(original.length);
    }
}
