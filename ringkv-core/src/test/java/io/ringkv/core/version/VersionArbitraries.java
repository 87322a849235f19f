package io.ringkv.core.version;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators shared by the version property tests: small node sets so that clocks collide often. */
final class VersionArbitraries {
    private static final String[] NODES = {"a", "b", "c", "d", "e"};

    private VersionArbitraries() {
    }

    static Arbitrary<VectorClock> clocks() {
        Arbitrary<VectorClock.Entry> entry = Combinators.combine(
                Arbitraries.of(NODES), Arbitraries.longs().between(1, 6), Arbitraries.longs().between(0, 1000))
                .as(VectorClock.Entry::new);
        return entry.list().ofMaxSize(5).uniqueElements(VectorClock.Entry::nodeId).map(VectorClock::of);
    }

    /** Clocks plus up to three exact events, some of them beyond a gap. */
    static Arbitrary<CausalContext> contexts() {
        Arbitrary<VectorClock.Entry> event = Combinators.combine(
                Arbitraries.of(NODES), Arbitraries.longs().between(1, 9), Arbitraries.longs().between(0, 1000))
                .as(VectorClock.Entry::new);
        return Combinators.combine(clocks(), event.list().ofMaxSize(3)).as(CausalContext::of);
    }

    /** Arbitrary (not necessarily causally sensible) versions: the merge must be a join for any input. */
    static Arbitrary<Versioned> versions() {
        return Combinators.combine(
                contexts(), Arbitraries.of(NODES), Arbitraries.integers().between(1, 3),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3), Arbitraries.integers().between(0, 5),
                Arbitraries.longs().between(0, 50))
                .as((ctx, node, step, value, tombstoneRoll, ts) -> {
                    Dot dot = new Dot(node, ctx.maxCounter(node) + step);
                    return tombstoneRoll == 0 ? Versioned.tombstone(ctx, dot, ts) : Versioned.of(ctx, dot, value, ts);
                });
    }

    static Arbitrary<Siblings> siblings() {
        return versions().list().ofMaxSize(5).map(Siblings::of);
    }

    /**
     * Clients writing through nodes with the contexts they read or got back from their last write,
     * as a real cluster would: one replica that holds every write, the coordinator's view.
     */
    static Arbitrary<List<Versioned>> causalHistories() {
        Arbitrary<int[]> op = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 3))
                .as((node, ctxChoice) -> new int[] {node, ctxChoice});
        return op.list().ofMinSize(1).ofMaxSize(12).map(ops -> {
            List<Versioned> written = new ArrayList<>();
            long[] counters = new long[NODES.length];
            long now = 0;
            for (int[] o : ops) {
                CausalContext ctx = switch (o[1]) {
                    case 0 -> CausalContext.EMPTY;
                    case 1 -> Siblings.of(written).readContext();
                    // the reply to the previous write, written back
                    case 2 -> written.isEmpty() ? CausalContext.EMPTY
                            : Siblings.of(written).contextAfterWriting(written.get(written.size() - 1));
                    // a client that read everything stored at some earlier moment (a stale read)
                    default -> Siblings.of(written.subList(0, written.size() / 2)).readContext();
                };
                String node = NODES[o[0]];
                counters[o[0]] = Math.max(counters[o[0]], ctx.maxCounter(node)) + 1;
                written.add(Versioned.of(ctx, new Dot(node, counters[o[0]]), new byte[] {(byte) written.size()}, now++));
            }
            return written;
        });
    }
}
