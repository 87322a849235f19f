package io.ringkv.cluster.antientropy;

import io.ringkv.core.ring.Token;
import io.ringkv.core.ring.TokenRange;
import java.math.BigInteger;

/**
 * Cuts one token range (from, to] into {@code 2^depth} leaves of equal token span, so that two
 * replicas of the range cut it identically from the bounds and the depth alone. With span S and
 * L leaves, leaf i covers the offsets (floor(i*S/L), floor((i+1)*S/L)] from {@code from}; a
 * key at offset o (in (0, S]) lies in leaf ceil(o*L/S) - 1. Both are exact, because a key that a
 * write marks in one leaf and a scan finds in the next would leave a leaf hash stale: the leaf
 * bounds (for scans) in BigInteger arithmetic, the leaf of a token (on every write) in 128-bit
 * arithmetic on two longs, which costs no allocation ({@link #leafOf}).
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
    /** The same bounds as longs, for {@link #leafOf} on the write path. */
    private final boolean wholeRing;
    private final long fromHi;
    private final long fromLo;
    private final long spanHi;
    private final long spanLo;

    LeafGrid(TokenRange range, int depth) {
        if (depth < 1 || depth > AntiEntropyConfig.MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be between 1 and " + AntiEntropyConfig.MAX_DEPTH + ", got " + depth);
        }
        this.range = range;
        this.depth = depth;
        this.from = unsigned(range.fromExclusive());
        BigInteger s = unsigned(range.toInclusive()).subtract(from).and(MASK);
        this.span = s.signum() == 0 ? RING : s;
        this.wholeRing = s.signum() == 0;
        this.fromHi = range.fromExclusive().high();
        this.fromLo = range.fromExclusive().low();
        this.spanHi = s.shiftRight(64).longValue();
        this.spanLo = s.longValue();
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

    /**
     * The leaf holding {@code token}, which must lie in the range: ceil(o*L/S) - 1, which is
     * floor((o*L - 1) / S) = floor((((o - 1) << depth) | (L - 1)) / S). The top 128 bits of that
     * dividend are o - 1 < S, so a restoring division needs only the last {@code depth} steps.
     */
    int leafOf(Token token) {
        long offsetHi = token.high() - fromHi - (Long.compareUnsigned(token.low(), fromLo) < 0 ? 1 : 0);
        long offsetLo = token.low() - fromLo;
        if (wholeRing) { // S = 2^128: the top bits of o - 1 (o = 0 stands for 2^128, the ring's own bound)
            long hi = offsetHi - (offsetLo == 0 ? 1 : 0);
            return (int) (hi >>> (64 - depth));
        }
        if ((offsetHi | offsetLo) == 0 || compare(offsetHi, offsetLo, spanHi, spanLo) > 0) {
            throw new IllegalArgumentException(token + " is outside " + range);
        }
        long remHi = offsetHi - (offsetLo == 0 ? 1 : 0); // o - 1
        long remLo = offsetLo - 1;
        int quotient = 0;
        for (int step = 0; step < depth; step++) {
            boolean carry = remHi < 0; // the doubled remainder has a 129th bit: it is surely >= S
            remHi = remHi << 1 | remLo >>> 63;
            remLo = remLo << 1 | 1;
            quotient <<= 1;
            if (carry || compare(remHi, remLo, spanHi, spanLo) >= 0) {
                long lo = remLo - spanLo;
                remHi = remHi - spanHi - (Long.compareUnsigned(remLo, spanLo) < 0 ? 1 : 0);
                remLo = lo;
                quotient |= 1;
            }
        }
        return quotient;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int r = Long.compareUnsigned(aHi, bHi);
        return r != 0 ? r : Long.compareUnsigned(aLo, bLo);
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
