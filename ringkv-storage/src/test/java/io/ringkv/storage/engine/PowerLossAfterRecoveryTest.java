package io.ringkv.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.EngineListener;
import io.ringkv.storage.PowerLossDisk;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageException;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.wal.CommitLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    final EngineListener recorder = new EngineListener() {
        @Override
        public void onCorruption(Path file, long offset, String what) {
            corruption.add(file.getFileName() + " at " + offset + ": " + what);
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

    /** Writes a and b, then is killed while c waits for its fsync: c is written, never fsynced. */
    void runUntilKilledWithAnUnsyncedRecord(String policy) {
        LsmEngine engine = open(policy);
        engine.put(b("a"), b("1"));
        engine.put(b("b"), b("2"));
        disk.kill();
        if (policy.equals("periodic")) {
            engine.put(b("c"), b("3")); // acknowledged once written; the syncer had not run
        } else {
            assertThatThrownBy(() -> engine.put(b("c"), b("3"))).isInstanceOf(StorageException.class);
        }
        closeAfterKill(engine);
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
}
