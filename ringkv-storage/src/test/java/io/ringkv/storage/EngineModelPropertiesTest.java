package io.ringkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.format.KeyOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of puts, merges, deletes, batches, gets, scans, flushes, compactions and
 * close/reopen, checked step by step against a plain map. Memtables are tiny and compaction
 * thresholds low so every sequence crosses memtable swaps, background flushes and compactions;
 * the grace period is zero so tombstones are purged whenever a compaction may do so, which
 * would resurrect old values if the purge rule were wrong.
 */
class EngineModelPropertiesTest {
    /** Concatenation: associative, and null (no older value) acts as empty. */
    static final MergeOperator CONCAT = (key, older, newer) -> {
        if (older == null) {
            return newer;
        }
        byte[] out = Arrays.copyOf(older, older.length + newer.length);
        System.arraycopy(newer, 0, out, older.length, newer.length);
        return out;
    };

    sealed interface Op {
    }

    record Put(int key, String value) implements Op {
    }

    record Merge(int key, String operand) implements Op {
    }

    record Delete(int key) implements Op {
    }

    record Batch(List<Op> ops) implements Op {
    }

    record Get(int key) implements Op {
    }

    record Scan(int fromKey, int toKey) implements Op {
    }

    record Flush() implements Op {
    }

    record CompactAll() implements Op {
    }

    record Reopen() implements Op {
    }

    @Property(tries = 40)
    void engineAgreesWithAMap(@ForAll("ops") List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("ringkv-model");
        StorageOptions options = StorageOptions.builder(dir)
                .syncPolicy(SyncPolicy.periodic(1000))
                .memtableFlushThresholdBytes(4096)
                .commitLogSegmentBytes(4096)
                .blockSizeBytes(512)
                .compactionMinThreshold(2)
                .compactionMaxThreshold(4)
                .maxTablesBeforeStall(6)
                .tombstoneGracePeriodMillis(0)
                .mergeOperator(CONCAT)
                .build();
        Map<String, byte[]> model = new HashMap<>();
        StorageEngine engine = StorageEngine.open(options);
        try {
            int step = 0;
            for (Op op : ops) {
                step++;
                switch (op) {
                    case Get g -> assertThat(engine.get(key(g.key())))
                            .as("step %d: get k%d", step, g.key()).isEqualTo(model.get("k" + g.key()));
                    case Scan s -> checkScan(engine, model, s, step);
                    case Flush f -> engine.flush();
                    case CompactAll c -> engine.compactAll();
                    case Reopen r -> {
                        engine.close();
                        engine = StorageEngine.open(options);
                    }
                    case Batch b -> {
                        WriteBatch batch = new WriteBatch();
                        for (Op inner : b.ops()) {
                            switch (inner) {
                                case Put p -> batch.put(key(p.key()), bytes(p.value()));
                                case Merge m -> batch.merge(key(m.key()), bytes(m.operand()));
                                case Delete d -> batch.delete(key(d.key()));
                                default -> throw new IllegalStateException();
                            }
                            applyToModel(model, inner);
                        }
                        engine.write(batch);
                    }
                    default -> {
                        switch (op) {
                            case Put p -> engine.put(key(p.key()), bytes(p.value()));
                            case Merge m -> engine.merge(key(m.key()), bytes(m.operand()));
                            case Delete d -> engine.delete(key(d.key()));
                            default -> throw new IllegalStateException();
                        }
                        applyToModel(model, op);
                    }
                }
            }
            // Finally every key, after a reopen.
            engine.close();
            engine = StorageEngine.open(options);
            for (int k = 0; k < KEYS; k++) {
                assertThat(engine.get(key(k))).as("final get k%d", k).isEqualTo(model.get("k" + k));
            }
            checkScan(engine, model, new Scan(-1, -1), -1);
        } finally {
            engine.close();
            deleteRecursively(dir);
        }
    }

    private static void applyToModel(Map<String, byte[]> model, Op op) {
        switch (op) {
            case Put p -> model.put("k" + p.key(), bytes(p.value()));
            case Merge m -> model.put("k" + m.key(), CONCAT.apply(null, model.get("k" + m.key()), bytes(m.operand())));
            case Delete d -> model.remove("k" + d.key());
            default -> throw new IllegalStateException();
        }
    }

    /** Scan bounds are tokens of keys (so boundaries are hit exactly); -1 means the zero token. */
    private static void checkScan(StorageEngine engine, Map<String, byte[]> model, Scan s, int step) {
        byte[] from = s.fromKey() < 0 ? new byte[16] : KeyOrder.token(key(s.fromKey()));
        byte[] to = s.toKey() < 0 ? new byte[16] : KeyOrder.token(key(s.toKey()));
        List<String> expected = new ArrayList<>();
        List<Map.Entry<String, byte[]>> inRange = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : model.entrySet()) {
            if (KeyOrder.inRange(KeyOrder.token(bytes(e.getKey())), from, to)) {
                inRange.add(e);
            }
        }
        // Engine order over a wrapping range: first the tokens above from, then from the bottom.
        Comparator<Map.Entry<String, byte[]>> byToken = (a, b) -> KeyOrder.compare(
                KeyOrder.token(bytes(a.getKey())), bytes(a.getKey()), KeyOrder.token(bytes(b.getKey())), bytes(b.getKey()));
        List<Map.Entry<String, byte[]>> high = new ArrayList<>();
        List<Map.Entry<String, byte[]>> low = new ArrayList<>();
        boolean wraps = KeyOrder.compareUnsigned(from, to) >= 0;
        for (Map.Entry<String, byte[]> e : inRange) {
            boolean above = KeyOrder.compareUnsigned(KeyOrder.token(bytes(e.getKey())), from) > 0;
            (wraps && !above ? low : high).add(e);
        }
        high.sort(byToken);
        low.sort(byToken);
        Stream.concat(high.stream(), low.stream())
                .forEach(e -> expected.add(e.getKey() + "=" + new String(e.getValue(), StandardCharsets.UTF_8)));
        List<String> actual = new ArrayList<>();
        try (StorageEngine.RangeIterator it = engine.scan(from, to)) {
            it.forEachRemaining(kv -> actual.add(new String(kv.key(), StandardCharsets.UTF_8) + "="
                    + new String(kv.value(), StandardCharsets.UTF_8)));
        }
        assertThat(actual).as("step %d: scan (%d, %d]", step, s.fromKey(), s.toKey()).isEqualTo(expected);
    }

    static final int KEYS = 24;

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<String> values = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(40)
                .map(s -> s.repeat(1 + s.length() % 5));
        Arbitrary<Op> put = Combinators.combine(keys, values).as(Put::new);
        Arbitrary<Op> merge = Combinators.combine(keys, Arbitraries.strings().alpha().ofLength(3)).as(Merge::new);
        Arbitrary<Op> delete = keys.map(Delete::new);
        Arbitrary<Op> write = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, put), net.jqwik.api.Tuple.of(4, merge), net.jqwik.api.Tuple.of(2, delete));
        Arbitrary<Op> batch = write.list().ofMinSize(1).ofMaxSize(6).map(Batch::new);
        Arbitrary<Op> scan = Combinators.combine(Arbitraries.integers().between(-1, KEYS - 1),
                Arbitraries.integers().between(-1, KEYS - 1)).as(Scan::new);
        Arbitrary<Op> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, write),
                net.jqwik.api.Tuple.of(3, batch),
                net.jqwik.api.Tuple.of(15, keys.map(Get::new)),
                net.jqwik.api.Tuple.of(3, scan),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Flush())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new CompactAll())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())));
        return any.list().ofMinSize(20).ofMaxSize(400);
    }

    static byte[] key(int k) {
        return ("k" + k).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
