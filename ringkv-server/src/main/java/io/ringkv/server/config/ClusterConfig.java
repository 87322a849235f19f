package io.ringkv.server.config;

import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.version.ContextCodec;
import java.util.List;
import java.util.Objects;

/**
 * Inter-node settings: who this node is to its peers and how it gossips
 * (docs/configuration.md, "cluster"; docs/design/gossip.md).
 *
 * @param name                 cluster name; gossip from a node with another name is refused
 * @param peerHost             address the inter-node listener binds and outgoing inter-node sockets bind to
 * @param peerPort             port of the inter-node listener
 * @param seeds                peer addresses contacted first to join; the first one creates the ring
 * @param dataCenter           data center name, for placing replicas in distinct data centers
 * @param rack                 rack name, for placing replicas on distinct racks
 * @param weight               relative capacity; a node of weight 2 takes twice the share of the ring
 * @param gossipIntervalMillis one gossip round
 * @param gossipFanout         peers contacted per round
 * @param suspectAfterMillis   a peer whose heartbeat has not advanced this long is suspected
 * @param ioThreads            event loop threads of the inter-node transport; 0 for the default (cores, at most 4)
 * @param secret               the key clients' contexts are authenticated under, the same on every node;
 *                             empty when not configured (then derived from the cluster name)
 */
public record ClusterConfig(
        String name,
        String peerHost,
        int peerPort,
        List<PeerAddress> seeds,
        String dataCenter,
        String rack,
        int weight,
        long gossipIntervalMillis,
        int gossipFanout,
        long suspectAfterMillis,
        int ioThreads,
        String secret) {

    public ClusterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(peerHost, "peerHost");
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(secret, "secret");
    }

    /** Whether {@code cluster.secret} is set; without it a client who knows the cluster name could forge a context. */
    public boolean hasSecret() {
        return !secret.isEmpty();
    }

    /**
     * The codec of clients' contexts: authenticated under {@code secret}, or, when none is set,
     * under a key derived from the cluster name (which still refuses another cluster's contexts
     * and damaged ones, but not forged ones).
     */
    public ContextCodec contexts() {
        return ContextCodec.forSecret(hasSecret() ? secret : "cluster name " + name);
    }

    /** Where this node listens for peers (and what it announces). */
    public PeerAddress peerAddress() {
        return new PeerAddress(peerHost, peerPort);
    }

    /**
     * Deadline of one gossip request: one interval, but at least a second, so that a busy machine
     * with a short test interval does not fail every exchange.
     */
    public long gossipTimeoutMillis() {
        return Math.max(gossipIntervalMillis, 1_000);
    }

    /** The gossip settings; everything not configurable here keeps GossipConfig's documented default. */
    public GossipConfig gossip() {
        return GossipConfig.builder()
                .clusterName(name)
                .seeds(seeds)
                .gossipIntervalMillis(gossipIntervalMillis)
                .gossipTimeoutMillis(gossipTimeoutMillis())
                .gossipFanout(gossipFanout)
                .suspectAfterMillis(suspectAfterMillis)
                .build();
    }
}
