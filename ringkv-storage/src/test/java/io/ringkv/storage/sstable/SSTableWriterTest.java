package io.ringkv.storage.sstable;

import static io.ringkv.storage.sstable.TestTables.describe;
import static io.ringkv.storage.sstable.TestTables.drain;
import static io.ringkv.storage.sstable.TestTables.options;
import static io.ringkv.storage.sstable.TestTables.put;
import static io.ringkv.storage.sstable.TestTables.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.Compression;
import io.ringkv.storage.StorageOptions;
import io.ringkv.storage.format.InternalEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SSTableWriterTest {
    @TempDir
    Path dir;

    private static List<InternalEntry> sorted(InternalEntry... entries) {
        List<InternalEntry> list = new ArrayList<>(List.of(entries));
        list.sort(InternalEntry.ORDER);
        return list;
    }

    @Test
    void rejectsOutOfOrderAndDuplicateEntriesAndStaysUsable() {
        List<InternalEntry> es = sorted(put("a", "1"), put("b", "2"), put("c", "3"));
        Path path = dir.resolve("1.sst");
        try (SSTableWriter w = SSTableWriter.create(path, options(4096, Compression.LZ4, 3))) {
            w.append(es.get(1));
            assertThatThrownBy(() -> w.append(es.get(0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
            assertThatThrownBy(() -> w.append(es.get(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
            // same token, smaller key
            assertThatThrownBy(() -> w.append(withToken(es.get(1).token(), "", 1)))
                    .isInstanceOf(IllegalArgumentException.class);
            w.append(es.get(2));
            assertThat(w.entryCount()).isEqualTo(2);
            w.finish();
        }
        try (SSTableReader r = SSTableReader.open(path, 1, new BlockCache(0), new ReadStats())) {
            assertThat(describe(drain(r.iterator()))).containsExactly(describe(es.get(1)), describe(es.get(2)));
        }
    }

    @Test
    void finishPublishesAtomicallyAndLeavesNoTempFile() throws IOException {
        Path path = dir.resolve("2.sst");
        Path tmp = SSTableWriter.tmpPathOf(path);
        assertThat(tmp.getFileName().toString()).isEqualTo("2.sst.tmp");
        try (SSTableWriter w = SSTableWriter.create(path, options(4096, Compression.NONE, 1))) {
            w.append(put("k", "v"));
            assertThat(tmp).exists();
            assertThat(path).doesNotExist();
            SSTableMetadata m = w.finish();
            assertThat(path).exists();
            assertThat(tmp).doesNotExist();
            assertThat(m.fileSizeBytes()).isEqualTo(Files.size(path));
            assertThatThrownBy(() -> w.append(put("z", "v"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        }
        assertThat(path).exists(); // close after finish keeps the table
    }

    @Test
    void closeWithoutFinishAbortsAndDeletesTheTempFile() {
        Path path = dir.resolve("3.sst");
        SSTableWriter w = SSTableWriter.create(path, options(128, Compression.LZ4, 100));
        for (InternalEntry e : TestTables.randomEntries(new java.util.Random(1), 100, 100)) {
            w.append(e);
        }
        assertThat(SSTableWriter.tmpPathOf(path)).exists();
        w.close();
        w.close();
        assertThat(SSTableWriter.tmpPathOf(path)).doesNotExist();
        assertThat(path).doesNotExist();
        assertThatThrownBy(() -> w.append(put("a", "b"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStaleTempFileIsReplacedButAnExistingTableIsNot() throws IOException {
        Path path = dir.resolve("4.sst");
        Files.write(SSTableWriter.tmpPathOf(path), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        TestTables.write(path, List.of(put("k", "v")), options(4096, Compression.NONE, 1));
        try (SSTableReader r = SSTableReader.open(path, 4, new BlockCache(0), new ReadStats())) {
            assertThat(r.metadata().entryCount()).isEqualTo(1);
        }
        assertThatThrownBy(() -> SSTableWriter.create(path, options(4096, Compression.NONE, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already exists");
    }

    @Test
    void optionsAreValidatedWithSpecificMessages() {
        assertThatThrownBy(() -> new SSTableWriterOptions(10, Compression.LZ4, 0.01, 1))
                .hasMessageContaining("block size must be between");
        assertThatThrownBy(() -> new SSTableWriterOptions(4096, Compression.LZ4, 1.0, 1))
                .hasMessageContaining("false-positive rate");
        assertThatThrownBy(() -> new SSTableWriterOptions(4096, Compression.LZ4, 0.01, -1))
                .hasMessageContaining("expected entries");
        assertThatThrownBy(() -> new SSTableWriterOptions(4096, null, 0.01, 1)).isInstanceOf(NullPointerException.class);
        SSTableWriterOptions fromEngine = SSTableWriterOptions.from(StorageOptions.builder(dir).build(), 7);
        assertThat(fromEngine).isEqualTo(new SSTableWriterOptions(16 << 10, Compression.LZ4, 0.01, 7));
    }

    @Test
    void appendingMoreThanExpectedStillFindsEveryEntry() {
        List<InternalEntry> entries = TestTables.randomEntries(new java.util.Random(2), 2000, 20);
        Path path = dir.resolve("5.sst");
        TestTables.write(path, entries, options(1024, Compression.LZ4, 10)); // bloom sized for 10
        try (SSTableReader r = SSTableReader.open(path, 5, new BlockCache(1 << 20), new ReadStats())) {
            for (InternalEntry e : entries) {
                assertThat(r.get(e.token(), e.key())).isNotNull();
            }
        }
    }
}
