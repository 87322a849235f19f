package io.ringkv.core.ring;

/**
 * The ring interval (fromExclusive, toInclusive], wrapping past the top when from >= to; equal
 * bounds mean the whole ring (a ring with a single token). As in Dynamo §4.2, a vnode at
 * token t owns the keys between the previous token and t.
 */
public record TokenRange(Token fromExclusive, Token toInclusive) {

    public boolean contains(Token t) {
        int order = fromExclusive.compareTo(toInclusive);
        boolean afterFrom = t.compareTo(fromExclusive) > 0;
        boolean upToTo = t.compareTo(toInclusive) <= 0;
        if (order < 0) {
            return afterFrom && upToTo;
        }
        if (order == 0) {
            return true;
        }
        return afterFrom || upToTo;
    }

    /** The share of the ring this range covers, in (0, 1]. */
    public double fraction() {
        return RingMath.fraction(fromExclusive.high(), fromExclusive.low(), toInclusive.high(), toInclusive.low());
    }

    @Override
    public String toString() {
        return "(" + fromExclusive + ", " + toInclusive + "]";
    }
}
