package io.ringkv.cluster.antientropy;

import io.ringkv.core.ring.TokenRange;

/** Which ranges a scoped repair covers. */
final class TokenRanges {
    private TokenRanges() {
    }

    /**
     * Whether two ring intervals share a token. Every piece of the intersection of two arcs
     * ends at the end of one of them, so they overlap exactly when one contains the other's end.
     */
    static boolean overlap(TokenRange a, TokenRange b) {
        return a.contains(b.toInclusive()) || b.contains(a.toInclusive());
    }
}
