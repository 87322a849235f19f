package io.ringkv.cluster.antientropy;

/**
 * The peer does not replicate exactly the range asked about (its ring differs from ours, a
 * membership change not yet gossiped everywhere) or keeps trees of another depth: the two
 * replicas would compare different things. The range is skipped with that peer, counted, and
 * tried again next round, by when gossip has usually made the rings agree.
 */
final class RangeUnknownException extends ExchangeFailedException {
    RangeUnknownException(String message) {
        super("the peer does not replicate this range as we do: " + message, null);
    }
}
