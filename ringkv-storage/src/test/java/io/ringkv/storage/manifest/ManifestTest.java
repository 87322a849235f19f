package io.ringkv.storage.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.CorruptionException;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.SyncPolicy;
import io.ringkv.storage.wal.CommitLogFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path dir;

    @Test
    void roundTrips() {
        Manifest m = new Manifest(42, 7, 1234, List.of(3L, 9L, 41L));
        ManifestFile.write(dir, m);
        assertThat(ManifestFile.read(dir)).isEqualTo(m);
        assertThat(Files.exists(dir.resolve("MANIFEST.tmp"))).isFalse();
    }

    @Test
    void absentMeansNewEngine() {
        assertThat(ManifestFile.read(dir)).isNull();
    }

    @Test
    void everyDamagedByteIsDetected() throws IOException {
        ManifestFile.write(dir, new Manifest(42, 7, 1234, List.of(3L, 9L, 41L)));
        Path path = dir.resolve(ManifestFile.NAME);
        byte[] original = Files.readAllBytes(path);
        for (int i = 0; i < original.length; i++) {
            byte[] damaged = original.clone();
            damaged[i] ^= 0x10;
            Files.write(path, damaged);
            assertThatThrownBy(() -> ManifestFile.read(dir)).as("flip at %d", i).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(path.toString());
        }
        for (int cut = 0; cut < original.length; cut++) {
            Files.write(path, java.util.Arrays.copyOf(original, cut));
            assertThatThrownBy(() -> ManifestFile.read(dir)).as("cut at %d", cut).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void aCrashBeforeTheRenameLeavesTheOldManifest() throws IOException {
        Manifest old = new Manifest(5, 2, 10, List.of(1L, 4L));
        ManifestFile.write(dir, old);
        // A crash after writing MANIFEST.tmp but before the rename: a half-written new manifest.
        Files.write(dir.resolve("MANIFEST.tmp"), new byte[] {1, 2, 3});
        assertThat(ManifestFile.read(dir)).isEqualTo(old);
    }

    @Test
    void openDeletesOrphansAndKeepsLiveFiles() throws IOException {
        StorageOptions options = StorageOptions.builder(dir).syncPolicy(SyncPolicy.always()).build();
        try (StorageEngine e = StorageEngine.open(options)) {
            e.put(b("a"), b("1"));
            e.flush();
            e.put(b("b"), b("2"));
        }
        Manifest m = ManifestFile.read(dir);
        assertThat(m.tableIds()).hasSize(1);
        Path live = DataFiles.tablePath(dir, m.tableIds().get(0));
        // What crashes leave behind: a half-written table, a finished table never recorded,
        // a manifest temp file, and a segment older than the replay point.
        Path halfWritten = dir.resolve(DataFiles.tablePath(dir, 900).getFileName() + ".tmp");
        Path unrecorded = DataFiles.tablePath(dir, 901);
        Path manifestTmp = dir.resolve("MANIFEST.tmp");
        Path oldSegment = dir.resolve(CommitLogFormat.segmentFileName(m.logReplayStartSegment() - 1 > 0
                ? m.logReplayStartSegment() - 1 : 0));
        for (Path p : List.of(halfWritten, unrecorded, manifestTmp)) {
            Files.write(p, new byte[] {42});
        }
        if (m.logReplayStartSegment() > 1) {
            Files.write(oldSegment, new byte[] {42});
        }
        try (StorageEngine e = StorageEngine.open(options)) {
            assertThat(e.get(b("a"))).isEqualTo(b("1"));
            assertThat(e.get(b("b"))).isEqualTo(b("2"));
        }
        assertThat(halfWritten).doesNotExist();
        assertThat(unrecorded).doesNotExist();
        assertThat(manifestTmp).doesNotExist();
        if (m.logReplayStartSegment() > 1) {
            assertThat(oldSegment).doesNotExist();
        }
        assertThat(live).exists();
    }

    @Test
    void aTableListedButMissingRefusesToOpen() throws IOException {
        StorageOptions options = StorageOptions.builder(dir).build();
        try (StorageEngine e = StorageEngine.open(options)) {
            e.put(b("a"), b("1"));
            e.flush();
        }
        Manifest m = ManifestFile.read(dir);
        Files.delete(DataFiles.tablePath(dir, m.tableIds().get(0)));
        assertThatThrownBy(() -> StorageEngine.open(options)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void rejectsInconsistentCounters() {
        assertThatThrownBy(() -> new Manifest(3, 1, 0, List.of(5L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not below nextTableId");
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
