package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.GossipConfig;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.BalancedTokenAllocator;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node needs to be a cluster member, besides its transport and clock.
 *
 * @param nodeId              stable node name (also its id in vector clocks)
 * @param httpAddress         the client API address gossiped to others (for status and clients)
 * @param dataCenter          placement label; replicas spread over data centers
 * @param rack                placement label; replicas spread over racks
 * @param weight              relative capacity: the share of the ring a join aims at
 * @param gossip              cluster name, seeds and gossip timing
 * @param dataDirectory       where {@link NodeIdentityFile} lives (the storage engine's directory)
 * @param vnodesPerWeightUnit tokens a node of weight 1 claims (docs/design/ring.md: 256)
 * @param joinRule            when a node without tokens may claim them
 * @param streamsData         whether ranges move with membership changes (the server streams them): a
 *                            node joining a ring stays JOINING until it has its data, and may be
 *                            decommissioned; without, a join is NORMAL at once (simulations, tests)
 * @param replaces            a dead node whose tokens this node takes over when it first joins
 *                            (docs/design/membership.md, "Replacing a dead node"); ignored once it owns tokens
 */
public record MembershipSettings(
        String nodeId,
        PeerAddress httpAddress,
        String dataCenter,
        String rack,
        double weight,
        GossipConfig gossip,
        Path dataDirectory,
        int vnodesPerWeightUnit,
        JoinRule joinRule,
        boolean streamsData,
        Optional<String> replaces) {

    public MembershipSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(httpAddress, "httpAddress");
        Objects.requireNonNull(dataCenter, "dataCenter");
        Objects.requireNonNull(rack, "rack");
        Objects.requireNonNull(gossip, "gossip");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(joinRule, "joinRule");
        Objects.requireNonNull(replaces, "replaces");
        if (replaces.filter(nodeId::equals).isPresent()) {
            throw new IllegalArgumentException("node " + nodeId + " cannot replace itself");
        }
    }

    /** 256 vnodes per weight unit and the join rule's defaults for the gossip interval. */
    public static MembershipSettings of(String nodeId, PeerAddress httpAddress, String dataCenter, String rack,
                                        double weight, GossipConfig gossip, Path dataDirectory) {
        return new MembershipSettings(nodeId, httpAddress, dataCenter, rack, weight, gossip, dataDirectory,
                BalancedTokenAllocator.DEFAULT_VNODES_PER_WEIGHT_UNIT,
                JoinRule.forGossipInterval(gossip.gossipIntervalMillis()), false, Optional.empty());
    }

    public MembershipSettings withVnodesPerWeightUnit(int vnodes) {
        return new MembershipSettings(nodeId, httpAddress, dataCenter, rack, weight, gossip, dataDirectory, vnodes, joinRule,
                streamsData, replaces);
    }

    public MembershipSettings withDataStreaming(boolean streams) {
        return new MembershipSettings(nodeId, httpAddress, dataCenter, rack, weight, gossip, dataDirectory,
                vnodesPerWeightUnit, joinRule, streams, replaces);
    }

    /** Takes over the tokens of {@code deadNodeId} at the first join instead of allocating new ones. */
    public MembershipSettings withReplacing(Optional<String> deadNodeId) {
        return new MembershipSettings(nodeId, httpAddress, dataCenter, rack, weight, gossip, dataDirectory,
                vnodesPerWeightUnit, joinRule, streamsData, deadNodeId);
    }
}
