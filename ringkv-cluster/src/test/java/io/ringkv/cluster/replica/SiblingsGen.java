package io.ringkv.cluster.replica;

import io.ringkv.core.version.Dot;
import io.ringkv.core.version.Siblings;
import io.ringkv.core.version.SiblingsCodec;
import io.ringkv.core.version.VectorClock;
import io.ringkv.core.version.Versioned;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Encoded sibling sets over a few nodes, so versions supersede and conflict often. */
final class SiblingsGen {
    private static final String[] NODES = {"a", "b", "c"};

    private SiblingsGen() {
    }

    static Arbitrary<Versioned> versions() {
        Arbitrary<VectorClock> clocks = Combinators.combine(Arbitraries.of(NODES), Arbitraries.longs().between(1, 4),
                Arbitraries.longs().between(0, 100)).as(VectorClock.Entry::new)
                .list().ofMaxSize(3).uniqueElements(VectorClock.Entry::nodeId).map(VectorClock::of);
        return Combinators.combine(clocks, Arbitraries.of(NODES), Arbitraries.integers().between(1, 2),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2), Arbitraries.integers().between(0, 4),
                Arbitraries.longs().between(0, 20))
                .as((ctx, node, step, value, tomb, ts) -> {
                    Dot dot = new Dot(node, ctx.counter(node) + step);
                    return tomb == 0 ? Versioned.tombstone(ctx, dot, ts) : Versioned.of(ctx, dot, value, ts);
                });
    }

    static Arbitrary<byte[]> encoded() {
        return versions().list().ofMaxSize(4).map(Siblings::of).map(SiblingsCodec::encode);
    }
}
