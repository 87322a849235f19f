package io.ringkv.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.EngineListener;
import io.ringkv.storage.PowerLossDisk;
import io.ringkv.storage.StorageIoException;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.format.EntryKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invariant replay's verdict rests on: when a segment is created, every older segment is
 * already durable whole, so only the last segment can end in a torn record. A roll and an open
 * each keep it; {@link PowerLossDisk} records which segment each fsync covered and what it held.
 */
class SegmentDurabilityTest {
    /** Longer than any test: under it nothing is fsynced except by a roll, an open or close. */
    private static final SyncPolicy NO_BACKGROUND_SYNC = SyncPolicy.periodic(3_600_000);

    @TempDir
    Path dir;

    final PowerLossDisk disk = new PowerLossDisk();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path segment(long id) {
        return dir.resolve(CommitLogFormat.segmentFileName(id));
    }

    @Test
    void aRollForcesTheOldSegmentWholeBeforeCreatingTheNext() throws IOException {
        CommitLog log = CommitLog.open(dir, 1, 1, 1000, NO_BACKGROUND_SYNC, 128, EngineListener.NONE, disk);
        long seq = 1;
        while (CommitLog.segmentIds(dir).size() < 2) {
            log.append(EntryKind.PUT, b("key-" + seq), new byte[20], seq, 1000);
            seq++;
        }
        assertThat(disk.forcedSegments()).containsExactly(1L, 1L, 2L);
        assertThat(disk.durableBytes(1)).isEqualTo(Files.readAllBytes(segment(1)));
        log.close();
    }

    @Test
    void openForcesTheSegmentsReplayReadBeforeCreatingItsOwn() throws IOException {
        CommitLog killed = CommitLog.open(dir, 1, 1, 1000, NO_BACKGROUND_SYNC, 1 << 20, EngineListener.NONE, disk);
        killed.append(EntryKind.PUT, b("a"), b("1"), 1, 1000); // written, never fsynced
        disk.kill();
        assertThatThrownBy(killed::close).isInstanceOf(StorageIoException.class);
        disk.restart();
        assertThat(disk.durableBytes(1)).as("only the header was forced").hasSize(CommitLogFormat.HEADER_BYTES);

        CommitLog reopened = CommitLog.open(dir, 2, 2, 2000, NO_BACKGROUND_SYNC, 1 << 20, EngineListener.NONE, disk);
        assertThat(disk.forcedSegments()).containsExactly(1L, 1L, 2L);
        assertThat(disk.durableBytes(1)).isEqualTo(Files.readAllBytes(segment(1)));
        reopened.close();
    }

    @Test
    void openRefusesToStartASegmentWhenAnOlderOneCannotBeForced() throws IOException {
        CommitLog first = CommitLog.open(dir, 1, 1, 1000, NO_BACKGROUND_SYNC, 1 << 20, EngineListener.NONE, disk);
        first.close();
        FsyncHook failing = fd -> {
            throw new IOException("injected EIO");
        };
        assertThatThrownBy(() -> CommitLog.open(dir, 2, 1, 2000, NO_BACKGROUND_SYNC, 1 << 20, EngineListener.NONE,
                failing)).isInstanceOf(StorageIoException.class).hasMessageContaining(segment(1).toString());
        assertThat(CommitLog.segmentIds(dir)).as("no newer segment was started").isEqualTo(List.of(1L));
    }
}
