package io.ringkv.cluster.node;

import static io.ringkv.cluster.node.Views.member;
import static io.ringkv.cluster.node.Views.normal;
import static io.ringkv.cluster.node.Views.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.MembershipHolder;
import io.ringkv.core.ring.Token;
import org.junit.jupiter.api.Test;

/** The coordinator's view over membership: which nodes make the ring, when it is rebuilt, liveness and addresses. */
class MembershipClusterViewTest {

    @Test
    void theRingHoldsTheTokenOwnersOnly() {
        MembershipHolder holder = new MembershipHolder(view(1, normal(1), normal(2),
                member(3, AnnouncedStatus.JOINING, Liveness.UP, 0, 1),
                member(4, AnnouncedStatus.LEAVING, Liveness.DOWN, 4, 1),
                member(5, AnnouncedStatus.LEFT, Liveness.DOWN, 4, 1)));
        MembershipClusterView cluster = new MembershipClusterView(holder);

        assertThat(cluster.localNodeId()).isEqualTo("node1");
        assertThat(cluster.ring().members()).extracting(m -> m.nodeId()).containsExactly("node1", "node2", "node4");
        assertThat(cluster.ring().tokenCount()).isEqualTo(12);
        assertThat(cluster.ring().tokensOf("node2")).first().isEqualTo(new Token(0, 2001));
        assertThat(cluster.ring().member("node2").orElseThrow().rack()).isEqualTo("rack2");
    }

    @Test
    void theRingIsRebuiltWhenTokensChangeButNotForHeartbeatsOrLiveness() {
        MembershipHolder holder = new MembershipHolder(view(1, normal(1), member(2, AnnouncedStatus.JOINING, Liveness.UP, 0, 1)));
        MembershipClusterView cluster = new MembershipClusterView(holder);
        assertThat(cluster.ring().members()).extracting(m -> m.nodeId()).containsExactly("node1");
        long builds = cluster.ringBuilds();

        // node2 claims tokens and announces NORMAL: a new ring
        holder.publish(view(1, normal(1), normal(2)));
        assertThat(cluster.ring().members()).extracting(m -> m.nodeId()).containsExactly("node1", "node2");
        assertThat(cluster.ringBuilds()).isEqualTo(builds + 1);
        var ringAfterJoin = cluster.ring();

        // heartbeats move, node2 is suspected, then down, then up again: same ring object
        holder.publish(view(1, member(1, AnnouncedStatus.NORMAL, Liveness.UP, 4, 9), member(2, AnnouncedStatus.NORMAL, Liveness.UP, 4, 9)));
        holder.publish(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.SUSPECT, 4, 9)));
        holder.publish(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.DOWN, 4, 9)));
        holder.publish(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.UP, 10, 10)));
        assertThat(cluster.ringBuilds()).isEqualTo(builds + 2); // node2's token count changed in the last one
        assertThat(cluster.ring().tokensOf("node2")).hasSize(10);

        holder.publish(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.DOWN, 10, 11)));
        assertThat(cluster.ringBuilds()).isEqualTo(builds + 2);
        assertThat(ringAfterJoin).isNotSameAs(cluster.ring());

        // node2 leaves for good
        holder.publish(view(1, normal(1), member(2, AnnouncedStatus.LEFT, Liveness.DOWN, 10, 12)));
        assertThat(cluster.ring().members()).extracting(m -> m.nodeId()).containsExactly("node1");
    }

    @Test
    void livenessAndAddressesFollowTheCurrentView() {
        MembershipHolder holder = new MembershipHolder(view(1, normal(1), normal(2), normal(3)));
        MembershipClusterView cluster = new MembershipClusterView(holder);
        assertThat(cluster.isUp("node2")).isTrue();
        assertThat(cluster.peerAddress("node3")).contains(Views.peer(3));

        holder.publish(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.SUSPECT, 4, 1),
                member(3, AnnouncedStatus.NORMAL, Liveness.DOWN, 4, 1)));
        assertThat(cluster.isUp("node1")).isTrue();
        assertThat(cluster.isUp("node2")).as("SUSPECT is not up").isFalse();
        assertThat(cluster.isUp("node3")).isFalse();
        assertThat(cluster.peerAddress("node3")).as("a down node's address is still known").contains(Views.peer(3));

        assertThat(cluster.isUp("node9")).isFalse();
        assertThat(cluster.peerAddress("node9")).isEmpty();
        assertThat(cluster.isUp("")).isFalse();
        assertThat(cluster.peerAddress("bad\u0001id")).isEmpty();
    }
}
