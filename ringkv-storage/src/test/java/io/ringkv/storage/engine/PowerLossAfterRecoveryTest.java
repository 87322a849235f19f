package io.ringkv.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.EngineListener;
import io.ringkv.storage.PowerLossDisk;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.wal.CommitLog;
import io.ringkv.storage.wal.CommitLogFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A kill -9, a restart that replays the log and accepts new writes, then a power loss: the
 * node must open again with everything the restart served. {@link PowerLossDisk} records what
 * each fsync made durable and rewrites the segments as the power loss leaves them.
 *
 * <p>The hazard: a kill -9 leaves records that were written and never fsynced (a writer waiting
 * for its fsync; under {@code periodic}, acknowledged writes). Replay serves them; the restart
 * then starts a newer segment. If the old segment was never fsynced, the power loss tears those
 * records while the segment is no longer the last, and replay takes a bad record in a segment
 * that is not the last for corruption.
 */
class PowerLossAfterRecoveryTest {
    @TempDir
    Path dir;

    final List<String> corruption = new ArrayList<>();
    final List<String> truncated = new ArrayList<>();
    final EngineListener recorder = new EngineListener() {
        @Override
        public void onCorruption(Path file, long offset, String what) {
            corruption.add(file.getFileName() + " at " + offset + ": " + what);
        }

        @Override
        public void onCommitLogTailTruncated(Path segment, long offset, long bytesDropped) {
            truncated.add(segment.getFileName() + " at " + offset);
        }
    };
    final PowerLossDisk disk = new PowerLossDisk();

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static SyncPolicy policy(String name) {
        return switch (name) {
            case "always" -> SyncPolicy.always();
            case "batch" -> SyncPolicy.batch(1);
            default -> SyncPolicy.periodic(3_600_000); // the syncer never runs within the test
        };
    }

    LsmEngine open(String policy) {
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(policy(policy)).listener(recorder).build();
        return LsmEngine.open(options, EngineHooks.NONE.withFsync(disk));
    }

    /**
     * Writes a and b, then is killed while c waits for its fsync: c is written, never fsynced.
     * Returns c's offset in the segment.
     */
    long runUntilKilledWithAnUnsyncedRecord(String policy) throws IOException {
        LsmEngine engine = open(policy);
        engine.put(b("a"), b("1"));
        engine.put(b("b"), b("2"));
        long offsetOfC = Files.size(lastSegment());
        disk.kill();
        if (policy.equals("periodic")) {
            engine.put(b("c"), b("3")); // acknowledged once written; the syncer had not run
        } else {
            assertThatThrownBy(() -> engine.put(b("c"), b("3"))).isInstanceOf(StorageException.class);
        }
        closeAfterKill(engine);
        return offsetOfC;
    }

    Path lastSegment() {
        return dir.resolve(CommitLogFormat.segmentFileName(CommitLog.segmentIds(dir).getLast()));
    }

    /** Releases the directory after {@link PowerLossDisk#kill}: the process is gone, so no fsync happens. */
    static void closeAfterKill(LsmEngine engine) {
        try {
            engine.close();
        } catch (StorageException periodicCloseFsyncFailed) {
            // close's own fsync was refused: the kill landed before it
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "batch", "periodic"})
    void whatARestartReplayedAndServedSurvivesALaterPowerLoss(String policy) throws IOException {
        runUntilKilledWithAnUnsyncedRecord(policy);
        disk.restart();
        long replayedSegment = CommitLog.segmentIds(dir).getLast();

        LsmEngine restarted = open(policy);
        assertThat(restarted.get(b("c"))).as("replay serves c, written before the kill").isEqualTo(b("3"));
        restarted.put(b("e"), b("5"));
        assertThat(CommitLog.segmentIds(dir).getLast()).as("the restart writes a newer segment")
                .isGreaterThan(replayedSegment);
        disk.kill();
        closeAfterKill(restarted);
        disk.losePower(dir);
        disk.restart();

        try (LsmEngine afterPowerLoss = open(policy)) {
            assertThat(afterPowerLoss.get(b("a"))).isEqualTo(b("1"));
            assertThat(afterPowerLoss.get(b("b"))).isEqualTo(b("2"));
            assertThat(afterPowerLoss.get(b("c"))).as("c was served after the restart").isEqualTo(b("3"));
            if (!policy.equals("periodic")) {
                assertThat(afterPowerLoss.get(b("e"))).as("e was acknowledged after an fsync").isEqualTo(b("5"));
            }
        }
        assertThat(corruption).isEmpty();
    }

    /**
     * The kill also tore a record after c (a write(2) cut short). The restart cuts the torn
     * record off and replays c; the cut and c must both be durable before the newer segment is.
     */
    @ParameterizedTest
    @ValueSource(strings = {"always", "batch"})
    void aTornTailTheRestartCutOffStaysCutAfterALaterPowerLoss(String policy) throws IOException {
        long offsetOfC = runUntilKilledWithAnUnsyncedRecord(policy);
        Path segment = lastSegment();
        byte[] written = Files.readAllBytes(segment);
        byte[] recordC = Arrays.copyOfRange(written, (int) offsetOfC, written.length);
        long tornAt = written.length;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(recordC, 0, recordC.length / 2)); // a record's first half
        }
        disk.restart();

        LsmEngine restarted = open(policy);
        assertThat(truncated).containsExactly(segment.getFileName() + " at " + tornAt);
        assertThat(restarted.get(b("c"))).isEqualTo(b("3"));
        restarted.put(b("e"), b("5"));
        disk.kill();
        closeAfterKill(restarted);
        disk.losePower(dir);
        disk.restart();

        try (LsmEngine afterPowerLoss = open(policy)) {
            assertThat(afterPowerLoss.get(b("c"))).isEqualTo(b("3"));
            assertThat(afterPowerLoss.get(b("e"))).isEqualTo(b("5"));
        }
        assertThat(Files.size(segment)).isEqualTo(tornAt);
        assertThat(truncated).as("nothing more to cut after the power loss").hasSize(1);
        assertThat(corruption).isEmpty();
    }

    /**
     * Forcing what replay read does not relax the verdict: once a segment is no longer the last
     * it was durable whole, so a record of it that goes bad later, even its last one, is
     * corruption, and the engine refuses to open naming the segment and the offset.
     */
    @Test
    void aSegmentThatIsNoLongerTheLastStillRefusesToOpenWhenItsDurableBytesChange() throws IOException {
        long offsetOfC = runUntilKilledWithAnUnsyncedRecord("always");
        disk.restart();
        Path replayed = lastSegment();
        try (LsmEngine restarted = open("always")) {
            restarted.put(b("e"), b("5"));
        }
        assertThat(lastSegment()).isNotEqualTo(replayed);
        try (FileChannel ch = FileChannel.open(replayed, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3); // c, fsynced by the restart, loses its last bytes
        }

        assertThatThrownBy(() -> open("always")).isInstanceOfSatisfying(CorruptionException.class, c -> {
            assertThat(c.file()).isEqualTo(replayed);
            assertThat(c.offset()).isEqualTo(offsetOfC);
        }).hasMessageContaining("not the last").hasMessageContaining("When replay finds corruption");
        assertThat(corruption).hasSize(1);
    }
}
