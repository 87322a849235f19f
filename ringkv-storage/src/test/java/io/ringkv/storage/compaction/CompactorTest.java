package io.ringkv.storage.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.Compression;
import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.PurgePolicy;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.sstable.BlockCache;
import io.ringkv.storage.sstable.ReadStats;
import io.ringkv.storage.sstable.SSTableIterator;
import io.ringkv.storage.sstable.SSTableReader;
import io.ringkv.storage.sstable.SSTableWriter;
import io.ringkv.storage.sstable.SSTableWriterOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compactor on real tables: what survives, depending on age and on what the compaction includes. */
class CompactorTest {
    static final long GRACE = 1000;
    static final long NOW = 1_000_000;
    static final MergeOperator CONCAT = (k, a, b) -> {
        if (a == null) {
            return b;
        }
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    };
    static final SSTableWriterOptions WRITER = new SSTableWriterOptions(4096, Compression.NONE, 0.01, 100);

    @TempDir
    Path dir;
    final BlockCache cache = new BlockCache(1 << 20);
    final List<SSTableReader> open = new ArrayList<>();
    long nextId = 1;

    @AfterEach
    void closeAll() {
        open.forEach(SSTableReader::close);
    }

    static InternalEntry e(String key, long seq, EntryKind kind, long ts, String value) {
        return InternalEntry.of(key.getBytes(StandardCharsets.UTF_8), seq, kind, ts, value.getBytes(StandardCharsets.UTF_8));
    }

    SSTableReader table(InternalEntry... entries) {
        List<InternalEntry> sorted = new ArrayList<>(List.of(entries));
        sorted.sort(InternalEntry.ORDER);
        long id = nextId++;
        Path p = dir.resolve("t" + id + ".sst");
        try (SSTableWriter w = SSTableWriter.create(p, WRITER)) {
            sorted.forEach(w::append);
            w.finish();
        }
        SSTableReader r = SSTableReader.open(p, id, cache, new ReadStats());
        open.add(r);
        return r;
    }

    List<String> compact(boolean includesOldest, PurgePolicy policy, SSTableReader... newestFirst) {
        Compactor c = new Compactor(new PurgeRule(CONCAT, policy, GRACE));
        Path out = dir.resolve("out" + nextId++ + ".sst");
        Compactor.Result r = c.compact(List.of(newestFirst), includesOldest, NOW, out, WRITER, () -> false);
        List<String> result = new ArrayList<>();
        if (r.output() == null) {
            return result;
        }
        try (SSTableReader reader = SSTableReader.open(out, 999, cache, new ReadStats());
             SSTableIterator it = reader.iterator()) {
            it.forEachRemaining(x -> result.add(new String(x.key(), StandardCharsets.UTF_8) + ":" + x.kind() + ":"
                    + new String(x.value(), StandardCharsets.UTF_8)));
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }

    @Test
    void dropsOverwrittenVersionsAndAppliesMerges() {
        SSTableReader old = table(e("a", 1, EntryKind.PUT, NOW, "x"), e("b", 2, EntryKind.PUT, NOW, "old"),
                e("c", 3, EntryKind.MERGE, NOW, "1"));
        SSTableReader young = table(e("a", 4, EntryKind.MERGE, NOW, "y"), e("b", 5, EntryKind.PUT, NOW, "new"),
                e("c", 6, EntryKind.MERGE, NOW, "2"));
        assertThat(compact(false, PurgePolicy.NEVER, young, old))
                .containsExactly("a:PUT:xy", "b:PUT:new", "c:MERGE:12");
        assertThat(compact(true, PurgePolicy.NEVER, young, old))
                .as("with nothing older anywhere, a baseless merge becomes a put")
                .containsExactly("a:PUT:xy", "b:PUT:new", "c:PUT:12");
    }

    @Test
    void tombstonesArePurgedOnlyPastGraceAndOnlyWhenTheOldestTablesAreIncluded() {
        SSTableReader oldest = table(e("k", 1, EntryKind.PUT, NOW - 5000, "v"), e("young", 2, EntryKind.PUT, NOW, "v"));
        SSTableReader tombstones = table(e("k", 3, EntryKind.DELETE, NOW - GRACE, ""),
                e("young", 4, EntryKind.DELETE, NOW - GRACE + 1, ""));
        SSTableReader newer = table(e("other", 5, EntryKind.PUT, NOW, "o"));
        // Without the oldest table, dropping k's tombstone would resurrect k=v from it.
        assertThat(compact(false, PurgePolicy.NEVER, newer, tombstones))
                .containsExactly("k:DELETE:", "other:PUT:o", "young:DELETE:");
        // With it: the old-enough tombstone (and what it shadows) goes; the young one stays.
        assertThat(compact(true, PurgePolicy.NEVER, newer, tombstones, oldest))
                .containsExactly("other:PUT:o", "young:DELETE:");
    }

    @Test
    void purgePolicyValuesAreTreatedAsTombstones() {
        PurgePolicy deadMarkers = (key, value, now) -> new String(value, StandardCharsets.UTF_8).startsWith("DEAD");
        SSTableReader t = table(e("gone", 1, EntryKind.PUT, NOW - GRACE, "DEAD"),
                e("alive", 3, EntryKind.PUT, NOW - GRACE, "ok"));
        assertThat(compact(false, deadMarkers, t)).containsExactly("alive:PUT:ok", "gone:PUT:DEAD");
        assertThat(compact(true, deadMarkers, t)).containsExactly("alive:PUT:ok");
    }

    /**
     * A policy value carries its own time (for ringkv, the delete's timestamp at its
     * coordinator); the record's time is only its last local write here. A tombstone that
     * anti-entropy pushed back to a replica that had purged it is a fresh local write of an old
     * delete: counting the grace from that write restarted it at every push, and replicas whose
     * compactions did not line up passed the tombstone around indefinitely.
     */
    @Test
    void thePolicyAloneDecidesWhenItsValuesArePurgedHoweverRecentTheirLocalWrite() {
        PurgePolicy oldDeletes = (key, value, now) -> new String(value, StandardCharsets.UTF_8).equals("DELETED-LONG-AGO");
        SSTableReader t = table(e("pushed-back", 1, EntryKind.PUT, NOW, "DELETED-LONG-AGO"),
                e("recent", 2, EntryKind.PUT, NOW, "DELETED-JUST-NOW"));
        assertThat(compact(true, oldDeletes, t)).containsExactly("recent:PUT:DELETED-JUST-NOW");
    }

    @Test
    void everythingPurgedMeansNoOutputTable() {
        SSTableReader t = table(e("k", 1, EntryKind.DELETE, 0, ""));
        assertThat(compact(true, PurgePolicy.NEVER, t)).isEmpty();
    }
}
