package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.MembershipView;
import io.ringkv.cluster.membership.Instance;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.cluster.membership.NodeInfo;
import io.ringkv.cluster.membership.NodeState;
import io.ringkv.cluster.transport.PeerAddress;
import io.ringkv.core.ring.Token;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** Hand-made membership views for the node-layer tests. */
final class Views {
    private Views() {
    }

    static PeerAddress peer(int i) {
        return new PeerAddress("127.0.0." + i, 9000 + i);
    }

    /** Node i with {@code tokenCount} tokens i*1000+1.., heartbeat {@code heartbeat}. */
    static Member member(int i, AnnouncedStatus status, Liveness liveness, int tokenCount, long heartbeat) {
        List<Token> tokens = LongStream.rangeClosed(1, tokenCount).mapToObj(t -> new Token(0, i * 1000L + t)).toList();
        NodeInfo info = new NodeInfo(status, peer(i), new PeerAddress("127.0.0." + i, 8000 + i), "dc1", "rack" + i, 1, tokens);
        return new Member(new NodeState(NodeId.of("node" + i), new Instance(1, i), 1, heartbeat, 0, info, List.of()), liveness, heartbeat * 1000);
    }

    static Member normal(int i) {
        return member(i, AnnouncedStatus.NORMAL, Liveness.UP, 4, 1);
    }

    /** A view of node {@code self} holding {@code members} (which must include it). */
    static MembershipView view(int self, Member... members) {
        Map<NodeId, Member> map = new HashMap<>();
        for (Member m : members) {
            map.put(m.id(), m);
        }
        return new MembershipView(NodeId.of("node" + self), map);
    }
}
