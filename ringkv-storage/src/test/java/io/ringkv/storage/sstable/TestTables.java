package io.ringkv.storage.sstable;

import io.ringkv.storage.Compression;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Builds entries and tables for the sstable tests. */
final class TestTables {
    private static final HexFormat HEX = HexFormat.of();

    private TestTables() {
    }

    static SSTableWriterOptions options(int blockSizeBytes, Compression compression, long expectedEntries) {
        return new SSTableWriterOptions(blockSizeBytes, compression, 0.01, expectedEntries);
    }

    /** {@code n} entries with distinct random keys, mixed kinds, values of 0..maxValueBytes, sorted. */
    static List<InternalEntry> randomEntries(Random rnd, int n, int maxValueBytes) {
        Set<String> seen = new HashSet<>();
        List<InternalEntry> out = new ArrayList<>(n);
        while (out.size() < n) {
            byte[] key = new byte[1 + rnd.nextInt(24)];
            rnd.nextBytes(key);
            if (!seen.add(HEX.formatHex(key))) {
                continue;
            }
            int roll = rnd.nextInt(10);
            EntryKind kind = roll < 7 ? EntryKind.PUT : roll < 9 ? EntryKind.MERGE : EntryKind.DELETE;
            byte[] value = kind == EntryKind.DELETE ? new byte[0] : value(rnd, rnd.nextInt(maxValueBytes + 1));
            long ts = rnd.nextInt(20) == 0 ? -rnd.nextInt(1000) : 1_700_000_000_000L + rnd.nextInt(1_000_000);
            out.add(InternalEntry.of(key, rnd.nextLong() & Long.MAX_VALUE, kind, ts, value));
        }
        out.sort(InternalEntry.ORDER);
        return out;
    }

    /** Half the values compress well (repeated text), half are random bytes. */
    static byte[] value(Random rnd, int length) {
        byte[] v = new byte[length];
        if (rnd.nextBoolean()) {
            rnd.nextBytes(v);
        } else {
            byte[] word = ("value-" + rnd.nextInt(50) + "-").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < length; i++) {
                v[i] = word[i % word.length];
            }
        }
        return v;
    }

    static InternalEntry put(String key, String value) {
        return InternalEntry.of(key.getBytes(StandardCharsets.UTF_8), 1, EntryKind.PUT, 1000,
                value.getBytes(StandardCharsets.UTF_8));
    }

    static InternalEntry withToken(byte[] token, String key, long seq) {
        return new InternalEntry(token, key.getBytes(StandardCharsets.UTF_8), seq, EntryKind.PUT, 5, ("v" + key).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] token(int fill) {
        byte[] t = new byte[KeyOrder.TOKEN_BYTES];
        java.util.Arrays.fill(t, (byte) fill);
        return t;
    }

    static SSTableMetadata write(Path path, List<InternalEntry> entries, SSTableWriterOptions options) {
        try (SSTableWriter w = SSTableWriter.create(path, options)) {
            for (InternalEntry e : entries) {
                w.append(e);
            }
            return w.finish();
        }
    }

    /** A readable, comparable rendering of every field (records compare arrays by identity). */
    static String describe(InternalEntry e) {
        return e == null ? "null" : HEX.formatHex(e.token()) + "/" + HEX.formatHex(e.key()) + " seq=" + e.seq() + " "
                + e.kind() + " ts=" + e.timestampMillis() + " value=" + HEX.formatHex(e.value());
    }

    static List<String> describe(List<InternalEntry> entries) {
        return entries.stream().map(TestTables::describe).toList();
    }

    static List<InternalEntry> drain(SSTableIterator it) {
        List<InternalEntry> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }
}
