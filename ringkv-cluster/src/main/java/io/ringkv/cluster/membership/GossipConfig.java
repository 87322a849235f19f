package io.ringkv.cluster.membership;

import io.ringkv.cluster.transport.PeerAddress;
import java.util.List;
import java.util.Objects;

/**
 * Gossip and failure-detector settings. Defaults and the reasons for them are in
 * docs/decisions/failure-detector.md; the simulation ({@code bin/ringkv sim gossip}) measures
 * what they give.
 *
 * @param clusterName          peers with another name are refused, so two clusters sharing a
 *                             seed list never merge
 * @param seeds                contacted while this node knows fewer live peers than the fanout
 * @param gossipIntervalMillis one round: bump heartbeat, detect, start exchanges
 * @param gossipFanout         peers contacted per round
 * @param gossipTimeoutMillis  deadline of each gossip request
 * @param suspectAfterMillis   a peer whose heartbeat has not advanced this long is suspected
 * @param downConfirmations    distinct suspecting nodes needed for DOWN (at least 2)
 * @param forgetLeftAfterMillis a LEFT node's entry is dropped this long after its last change
 * @param forgetDownAfterMillis a silent node's entry is dropped this long after its last heartbeat, unless it
 *                             owns tokens (those stay until they leave or are removed)
 * @param forgetQuarantineMillis after dropping an entry, older states of it are ignored this long
 *                             so that slower peers cannot gossip it back
 * @param maxGossipPayloadBytes rough cap on the updates in one Ack or Ack2; the rest follow in
 *                             later rounds
 */
public record GossipConfig(
        String clusterName,
        List<PeerAddress> seeds,
        long gossipIntervalMillis,
        int gossipFanout,
        long gossipTimeoutMillis,
        long suspectAfterMillis,
        int downConfirmations,
        long forgetLeftAfterMillis,
        long forgetDownAfterMillis,
        long forgetQuarantineMillis,
        int maxGossipPayloadBytes) {

    public static final int MAX_FANOUT = 32;
    public static final int MAX_SEEDS = 64;

    public GossipConfig {
        Objects.requireNonNull(clusterName, "clusterName");
        if (clusterName.isEmpty() || clusterName.length() > 255) {
            throw new IllegalArgumentException("clusterName must be 1..255 characters");
        }
        seeds = List.copyOf(Objects.requireNonNull(seeds, "seeds"));
        require(seeds.size() <= MAX_SEEDS, "at most " + MAX_SEEDS + " seeds, was " + seeds.size());
        require(gossipIntervalMillis >= 1, "gossipIntervalMillis must be >= 1, was " + gossipIntervalMillis);
        require(gossipFanout >= 1 && gossipFanout <= MAX_FANOUT,
                "gossipFanout must be 1.." + MAX_FANOUT + ", was " + gossipFanout);
        require(gossipTimeoutMillis >= 1, "gossipTimeoutMillis must be >= 1, was " + gossipTimeoutMillis);
        require(suspectAfterMillis >= 2 * gossipIntervalMillis,
                "suspectAfterMillis (" + suspectAfterMillis + ") must be at least two gossip intervals ("
                        + 2 * gossipIntervalMillis + "): one round of silence is normal");
        require(downConfirmations >= 2, "downConfirmations must be >= 2 (two sources agree), was "
                + downConfirmations);
        require(forgetLeftAfterMillis >= suspectAfterMillis,
                "forgetLeftAfterMillis must be >= suspectAfterMillis, was " + forgetLeftAfterMillis);
        require(forgetDownAfterMillis >= suspectAfterMillis,
                "forgetDownAfterMillis must be >= suspectAfterMillis, was " + forgetDownAfterMillis);
        require(forgetQuarantineMillis >= gossipIntervalMillis,
                "forgetQuarantineMillis must be >= gossipIntervalMillis, was " + forgetQuarantineMillis);
        require(maxGossipPayloadBytes >= 4096,
                "maxGossipPayloadBytes must be >= 4096, was " + maxGossipPayloadBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults, with the given seeds. */
    public static GossipConfig defaults(List<PeerAddress> seeds) {
        return builder().seeds(seeds).build();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.clusterName = clusterName;
        b.seeds = seeds;
        b.gossipIntervalMillis = gossipIntervalMillis;
        b.gossipFanout = gossipFanout;
        b.gossipTimeoutMillis = gossipTimeoutMillis;
        b.suspectAfterMillis = suspectAfterMillis;
        b.downConfirmations = downConfirmations;
        b.forgetLeftAfterMillis = forgetLeftAfterMillis;
        b.forgetDownAfterMillis = forgetDownAfterMillis;
        b.forgetQuarantineMillis = forgetQuarantineMillis;
        b.maxGossipPayloadBytes = maxGossipPayloadBytes;
        return b;
    }

    /** Mutable builder; defaults as documented in docs/decisions/failure-detector.md. */
    public static final class Builder {
        private String clusterName = "ringkv";
        private List<PeerAddress> seeds = List.of();
        private long gossipIntervalMillis = 1_000;
        private int gossipFanout = 3;
        private long gossipTimeoutMillis = 1_000;
        private long suspectAfterMillis = 8_000;
        private int downConfirmations = 2;
        private long forgetLeftAfterMillis = 10 * 60_000L;
        private long forgetDownAfterMillis = 72 * 3_600_000L;
        private long forgetQuarantineMillis = 60_000;
        private int maxGossipPayloadBytes = 1 << 20;

        private Builder() {}

        public Builder clusterName(String v) { clusterName = v; return this; }
        public Builder seeds(List<PeerAddress> v) { seeds = v; return this; }
        public Builder gossipIntervalMillis(long v) { gossipIntervalMillis = v; return this; }
        public Builder gossipFanout(int v) { gossipFanout = v; return this; }
        public Builder gossipTimeoutMillis(long v) { gossipTimeoutMillis = v; return this; }
        public Builder suspectAfterMillis(long v) { suspectAfterMillis = v; return this; }
        public Builder downConfirmations(int v) { downConfirmations = v; return this; }
        public Builder forgetLeftAfterMillis(long v) { forgetLeftAfterMillis = v; return this; }
        public Builder forgetDownAfterMillis(long v) { forgetDownAfterMillis = v; return this; }
        public Builder forgetQuarantineMillis(long v) { forgetQuarantineMillis = v; return this; }
        public Builder maxGossipPayloadBytes(int v) { maxGossipPayloadBytes = v; return this; }

        public GossipConfig build() {
            return new GossipConfig(clusterName, seeds, gossipIntervalMillis, gossipFanout,
                    gossipTimeoutMillis, suspectAfterMillis, downConfirmations, forgetLeftAfterMillis,
                    forgetDownAfterMillis, forgetQuarantineMillis, maxGossipPayloadBytes);
        }
    }
}
