package io.ringkv.storage.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.storage.MergeOperator;
import io.ringkv.storage.format.EntryKind;
import io.ringkv.storage.format.InternalEntry;
import io.ringkv.storage.format.KeyOrder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The memtable against a sorted map. Tokens are drawn from a few values that share their top
 * 20 bits (the index's fingerprint) and their low bits (the index's slot), and several keys
 * share one token, so probing, fingerprint ties and key-order tie-breaks are all exercised; a
 * tiny expected size makes the index grow and the arena use many small chunks and oversized
 * records.
 */
class MemtablePropertiesTest {
    static final MergeOperator CONCAT = (key, older, newer) -> {
        byte[] base = older == null ? new byte[0] : older;
        byte[] out = Arrays.copyOf(base, base.length + newer.length);
        System.arraycopy(newer, 0, out, base.length, newer.length);
        return out;
    };

    /** One (token, key) identity; in the engine the token is MD5(key), here it is chosen. */
    record Id(byte[] token, byte[] key) implements Comparable<Id> {
        @Override
        public int compareTo(Id o) {
            return KeyOrder.compare(token, key, o.token, o.key);
        }
    }

    record Op(int id, EntryKind kind, int valueBytes) {
    }

    @Provide
    Arbitrary<List<Id>> ids() {
        Arbitrary<Long> his = Arbitraries.of(0L, 1L, 0x00000_FFFF_FFFFFFL, 0x12345_0000_000001L,
                0x12345_0000_000002L, 0xFFFFF_FFFF_FFFFFFL, 0x80000_0000_000000L);
        Arbitrary<Long> los = Arbitraries.of(0L, 1L, 16L, 17L, 1L << 32, -1L);
        Arbitrary<byte[]> keys = Arbitraries.bytes().between((byte) 0, (byte) 2).array(byte[].class).ofMaxSize(3);
        return Combinators.combine(his, los, keys)
                .as((hi, lo, key) -> new Id(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array(), key))
                .list().ofMinSize(1).ofMaxSize(40)
                .map(list -> new ArrayList<>(new TreeSet<>(list))); // distinct by (token, key)
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<EntryKind> kinds = Arbitraries.of(EntryKind.PUT, EntryKind.PUT, EntryKind.DELETE, EntryKind.MERGE);
        Arbitrary<Integer> sizes = Arbitraries.oneOf(Arbitraries.integers().between(0, 20), Arbitraries.of(5000));
        return Combinators.combine(Arbitraries.integers().between(0, 1000), kinds, sizes).as(Op::new)
                .list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void agreesWithASortedMap(@ForAll("ids") List<Id> ids, @ForAll("ops") List<Op> ops) {
        Memtable m = new Memtable(CONCAT, 1, 4096);
        TreeMap<Id, InternalEntry> model = new TreeMap<>();
        long seq = 0;
        for (Op op : ops) {
            Id id = ids.get(op.id() % ids.size());
            seq++;
            byte[] value = op.kind() == EntryKind.DELETE ? new byte[0] : valueOf(seq, op.valueBytes());
            InternalEntry e = new InternalEntry(id.token(), id.key(), seq, op.kind(), 1000 + seq, value);
            model.put(id, MergeRules.combine(model.get(id), e, CONCAT));
            m.apply(id.token(), id.key(), seq, op.kind(), 1000 + seq, value);
        }

        assertThat(m.entryCount()).isEqualTo(model.size());
        assertThat(m.maxSeq()).isEqualTo(seq);
        assertThat(m.minSeq()).isEqualTo(seq == 0 ? 0 : 1);
        for (Id id : ids) {
            assertThat(describe(m.get(id.token(), id.key()))).isEqualTo(describe(model.get(id)));
        }
        assertThat(describeAll(m.iterator())).isEqualTo(describeAll(model.values().iterator()));
        for (Id from : ids) {
            assertThat(describeAll(m.iteratorFrom(from.token())))
                    .isEqualTo(describeAll(after(model, from.token(), null).iterator()));
            for (Id to : ids) {
                if (KeyOrder.compareUnsigned(from.token(), to.token()) < 0) {
                    assertThat(describeAll(m.copyRange(from.token(), to.token()).iterator()))
                            .isEqualTo(describeAll(after(model, from.token(), to.token()).iterator()));
                }
            }
            assertThat(describeAll(m.copyRange(null, from.token()).iterator()))
                    .isEqualTo(describeAll(after(model, null, from.token()).iterator()));
        }
        assertThat(m.sizeBytes()).isPositive();
    }

    /** Keys chosen so their tokens share the top 20 bits (one sort bucket) still sort right, and not quadratically. */
    @Example
    void tokensSharingTheirTopBitsSortByMergeSort() {
        Memtable m = new Memtable(null, 1, 64 << 20);
        TreeMap<Id, InternalEntry> model = new TreeMap<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 5_000; i++) {
            long hi = 0xABCDE_000_0000000L | random.nextLong(1L << 44);
            Id id = new Id(ByteBuffer.allocate(16).putLong(hi).putLong(random.nextLong()).array(), new byte[] {(byte) i});
            InternalEntry e = new InternalEntry(id.token(), id.key(), i + 1, EntryKind.PUT, 0, new byte[] {1});
            model.put(id, e);
            m.apply(e);
        }
        assertThat(describeAll(m.iterator())).isEqualTo(describeAll(model.values().iterator()));
    }

    /**
     * Small ranges are copied through the range directory, large ones by a pass over the index:
     * both against the model, over many keys, with ranges from a Merkle leaf's width (1/2^18 of
     * the ring) to a quarter of it, bounds on and between keys, and keys rewritten many times.
     */
    @Example
    void smallAndLargeRangeCopiesAgreeWithTheModel() {
        Memtable m = new Memtable(null, 1, 1 << 20);
        TreeMap<Id, InternalEntry> model = new TreeMap<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        List<Id> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(new Id(ByteBuffer.allocate(16).putLong(random.nextLong()).putLong(random.nextLong()).array(),
                    new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        for (int seq = 1; seq <= 60_000; seq++) {
            Id id = ids.get(random.nextInt(ids.size()));
            InternalEntry e = new InternalEntry(id.token(), id.key(), seq, EntryKind.PUT, 0, new byte[] {(byte) seq});
            model.put(id, e);
            m.apply(e);
        }
        for (int i = 0; i < 300; i++) {
            long from = random.nextLong();
            long width = (1L << 46) << random.nextInt(17); // 2^46 .. 2^62 of the ring's 2^64
            byte[] fromToken = ByteBuffer.allocate(16).putLong(from).putLong(0).array();
            byte[] toToken = ByteBuffer.allocate(16).putLong(from + width).putLong(0).array();
            if (i % 3 == 0) { // bounds on existing keys
                fromToken = ids.get(random.nextInt(ids.size())).token();
            }
            if (KeyOrder.compareUnsigned(fromToken, toToken) < 0) {
                assertThat(describeAll(m.copyRange(fromToken, toToken).iterator()))
                        .isEqualTo(describeAll(after(model, fromToken, toToken).iterator()));
            }
        }
    }

    /** Records with token in (from, to], null meaning unbounded. */
    private static List<InternalEntry> after(TreeMap<Id, InternalEntry> model, byte[] from, byte[] to) {
        List<InternalEntry> out = new ArrayList<>();
        for (Map.Entry<Id, InternalEntry> e : model.entrySet()) {
            byte[] t = e.getKey().token();
            if ((from == null || KeyOrder.compareUnsigned(t, from) > 0) && (to == null || KeyOrder.compareUnsigned(t, to) <= 0)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    static byte[] valueOf(long seq, int size) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) (seq * 31 + i);
        }
        return v;
    }

    static String describe(InternalEntry e) {
        if (e == null) {
            return "absent";
        }
        return Arrays.toString(e.token()) + Arrays.toString(e.key()) + " " + e.kind() + " seq=" + e.seq()
                + " ts=" + e.timestampMillis() + " v=" + Arrays.hashCode(e.value()) + "/" + e.value().length;
    }

    static List<String> describeAll(Iterator<InternalEntry> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(e -> out.add(describe(e)));
        return out;
    }
}
