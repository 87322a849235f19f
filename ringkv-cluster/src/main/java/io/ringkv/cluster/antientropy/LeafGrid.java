package io.ringkv.cluster.antientropy;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.math.BigInteger;

/**
 * Cuts one token range (from, to] into {@code 2^depth} leaves of equal token span, so that two
 * replicas of the range cut it identically from the bounds and the depth alone. With span S and
 * L leaves, leaf i covers the offsets (floor(i*S/L), floor((i+1)*S/L)] from {@code from}; a
 * key at offset o (in (0, S]) lies in leaf ceil(o*L/S) - 1. Both are computed exactly in 128-bit
 * arithmetic (BigInteger: a few hundred nanoseconds, once per write), because a key that a write
 * marks in one leaf and a scan finds in the next would leave a leaf hash stale.
 *
 * <p>A range smaller than L tokens has empty leaves (equal bounds); the whole ring (from == to)
 * has span 2^128.
 */
final class LeafGrid {
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(128);
    private static final BigInteger MASK = RING.subtract(BigInteger.ONE);

    private final TokenRange range;
    private final int depth;
    private final BigInteger from;
    private final BigInteger span;

    LeafGrid(TokenRange range, int depth) {
        if (depth < 1 || depth > AntiEntropyConfig.MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be between 1 and " + AntiEntropyConfig.MAX_DEPTH + ", got " + depth);
        }
        this.range = range;
        this.depth = depth;
        this.from = unsigned(range.fromExclusive());
        BigInteger s = unsigned(range.toInclusive()).subtract(from).and(MASK);
        this.span = s.signum() == 0 ? RING : s;
    }

    TokenRange range() {
        return range;
    }

    int depth() {
        return depth;
    }

    int leaves() {
        return 1 << depth;
    }

    /** The leaf holding {@code token}, which must lie in the range. */
    int leafOf(Token token) {
        BigInteger offset = unsigned(token).subtract(from).and(MASK);
        if (offset.signum() == 0) {
            offset = RING; // only the whole ring holds its own bound: it is the last token
        }
        if (offset.compareTo(span) > 0) {
            throw new IllegalArgumentException(token + " is outside " + range);
        }
        // ceil(o*L/S) - 1 == floor((o*L - 1) / S)
        return offset.shiftLeft(depth).subtract(BigInteger.ONE).divide(span).intValueExact();
    }

    /** Whether leaf {@code i} covers no token at all (a range narrower than its leaf count). */
    boolean isEmpty(int leaf) {
        return boundary(leaf).equals(boundary(leaf + 1));
    }

    /** Leaf {@code i} as a token range, for a scan. Only for a non-empty leaf. */
    TokenRange leafRange(int leaf) {
        return new TokenRange(token(boundary(leaf)), token(boundary(leaf + 1)));
    }

    private BigInteger boundary(int i) {
        return span.multiply(BigInteger.valueOf(i)).shiftRight(depth);
    }

    private Token token(BigInteger offset) {
        BigInteger t = from.add(offset).and(MASK);
        return new Token(t.shiftRight(64).longValue(), t.longValue());
    }

    static BigInteger unsigned(Token t) {
        return new BigInteger(1, t.toBytes());
    }
}
