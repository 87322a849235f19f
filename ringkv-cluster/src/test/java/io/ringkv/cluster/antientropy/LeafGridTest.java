package io.ringkv.cluster.antientropy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The write path's leaf of a token (128-bit arithmetic on longs) against the definition in
 * BigInteger, and against the leaf bounds that scans use: a token must lie in the range of the
 * leaf it is marked in, or a leaf hash goes stale.
 */
class LeafGridTest {
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(128);

    @Provide
    Arbitrary<Long> words() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 2L, -2L));
    }

    @Property(tries = 2000)
    void leafOfMatchesTheDefinitionAndTheLeafBounds(@ForAll("words") long fromHi, @ForAll("words") long fromLo,
                                                    @ForAll("words") long spanHi, @ForAll("words") long spanLo,
                                                    @ForAll("words") long atHi, @ForAll("words") long atLo,
                                                    @ForAll @IntRange(min = 1, max = 20) int depth) {
        BigInteger from = new BigInteger(1, new Token(fromHi, fromLo).toBytes());
        // Spans from 1 token to the whole ring; small ones often, as vnode ranges of a tiny test ring.
        BigInteger span = new BigInteger(1, new Token(spanHi, spanLo).toBytes());
        if (spanHi == 0 && spanLo == 0) {
            span = RING;
        } else if (Long.remainderUnsigned(atHi, 3) == 0) {
            span = span.mod(BigInteger.valueOf(5000)).add(BigInteger.ONE);
        }
        TokenRange range = new TokenRange(token(from), token(from.add(span)));
        LeafGrid grid = new LeafGrid(range, depth);
        BigInteger offset = new BigInteger(1, new Token(atHi, atLo).toBytes()).mod(span).add(BigInteger.ONE); // (0, S]
        Token at = token(from.add(offset));

        int leaf = grid.leafOf(at);

        int expected = offset.shiftLeft(depth).subtract(BigInteger.ONE).divide(span).intValueExact();
        assertThat(leaf).isEqualTo(expected);
        assertThat(grid.isEmpty(leaf)).isFalse();
        assertThat(grid.leafRange(leaf).contains(at)).as("the token lies in its leaf's range").isTrue();
    }

    @Example
    void theRangesBoundsAreItsFirstAndLastLeaves() {
        TokenRange range = new TokenRange(new Token(5, -1), new Token(9, 3));
        LeafGrid grid = new LeafGrid(range, 10);
        assertThat(grid.leafOf(new Token(6, 0))).isZero(); // the first token after "from"
        assertThat(grid.leafOf(new Token(9, 3))).isEqualTo(1023);
        assertThatThrownBy(() -> grid.leafOf(new Token(5, -1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> grid.leafOf(new Token(9, 4))).isInstanceOf(IllegalArgumentException.class);

        LeafGrid ring = new LeafGrid(new TokenRange(new Token(7, 7), new Token(7, 7)), 4);
        assertThat(ring.leafOf(new Token(7, 7))).as("the whole ring's own bound is its last token").isEqualTo(15);
        assertThat(ring.leafOf(new Token(7, 8))).isZero();
    }

    private static Token token(BigInteger t) {
        BigInteger m = t.mod(RING);
        return new Token(m.shiftRight(64).longValue(), m.longValue());
    }
}
