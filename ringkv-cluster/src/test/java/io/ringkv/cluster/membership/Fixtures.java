package io.ringkv.cluster.membership;

import io.ringkv.core.ring.Token;
import io.ringkv.cluster.transport.PeerAddress;
import java.util.List;
import java.util.SplittableRandom;

/** Small builders shared by the membership tests. */
final class Fixtures {
    private Fixtures() {}

    static final long INTERVAL_MILLIS = 1_000;
    static final long SUSPECT_AFTER_MILLIS = 5_000;

    static PeerAddress peer(int i) {
        return new PeerAddress("127.0.0." + i, 7000);
    }

    static NodeInfo info(int i) {
        return new NodeInfo(AnnouncedStatus.NORMAL, peer(i), new PeerAddress("127.0.0." + i, 8000), "dc1",
                "rack" + (i % 3), 1, List.of(new Token(0, i * 1000L)));
    }

    static NodeId id(int i) {
        return new NodeId("node" + i);
    }

    static GossipConfig config(PeerAddress... seeds) {
        return GossipConfig.builder()
                .seeds(List.of(seeds))
                .gossipIntervalMillis(INTERVAL_MILLIS)
                .suspectAfterMillis(SUSPECT_AFTER_MILLIS)
                .forgetLeftAfterMillis(60_000)
                .forgetDownAfterMillis(600_000)
                .forgetQuarantineMillis(30_000)
                .build();
    }

    static GossipProtocol node(int i, long generation, GossipConfig config) {
        return new GossipProtocol(config, id(i), generation, info(i));
    }

    /**
     * One full exchange initiated by {@code from} to {@code to}, every message passing through the
     * codec, as the Gossiper does.
     */
    static void exchange(GossipProtocol from, GossipProtocol to, GossipMessage.Syn syn, long nowMillis) {
        GossipMessage.Syn wireSyn = (GossipMessage.Syn) GossipCodec.decode(GossipCodec.encode(syn));
        GossipMessage.Ack ack = (GossipMessage.Ack) GossipCodec.decode(GossipCodec.encode(to.onSyn(wireSyn, nowMillis)));
        GossipMessage.Ack2 ack2 = (GossipMessage.Ack2) GossipCodec.decode(GossipCodec.encode(from.onAck(ack, nowMillis)));
        to.onAck2(ack2, nowMillis);
    }

    /** {@code from} starts an exchange with {@code to} directly, whatever its peer selection says. */
    static void gossip(GossipProtocol from, GossipProtocol to, long nowMillis) {
        exchange(from, to, new GossipMessage.Syn(from.config().clusterName(), digestsOf(from)), nowMillis);
    }

    /** The digests {@code node} would send, without ticking it. */
    static List<Digest> digestsOf(GossipProtocol node) {
        return node.view().members().stream().map(m -> m.state().digest()).toList();
    }

    static SplittableRandom random(long seed) {
        return new SplittableRandom(seed);
    }
}
