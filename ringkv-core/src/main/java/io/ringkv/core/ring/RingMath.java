package io.ringkv.core.ring;

/**
 * 128-bit unsigned arithmetic on (high, low) longs, and conversion of ring distances to and
 * from fractions of the whole ring. Doubles carry 53 bits, plenty for ownership shares.
 */
final class RingMath {
    private static final double TWO_64 = 0x1p64;

    private RingMath() {
    }

    static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    /** (to - from) mod 2^128 as a fraction of the ring; a zero distance is the whole ring (1.0). */
    static double fraction(long fromHigh, long fromLow, long toHigh, long toLow) {
        long lo = toLow - fromLow;
        long borrow = Long.compareUnsigned(toLow, fromLow) < 0 ? 1 : 0;
        long hi = toHigh - fromHigh - borrow;
        if (hi == 0 && lo == 0) {
            return 1.0;
        }
        return unsignedToDouble(hi) / TWO_64 + unsignedToDouble(lo) / TWO_64 / TWO_64;
    }

    /** The distance covering {@code fraction} of the ring, as {high, low}; fraction in [0, 1). */
    static long[] distance(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1), got " + fraction);
        }
        double scaledHigh = fraction * TWO_64;
        long high = toUnsignedLong(Math.floor(scaledHigh));
        double rest = (scaledHigh - Math.floor(scaledHigh)) * TWO_64;
        long low = toUnsignedLong(Math.floor(rest));
        return new long[] {high, low};
    }

    private static long toUnsignedLong(double d) {
        if (d >= 0x1p63) {
            return (long) (d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) d;
    }
}
