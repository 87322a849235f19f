package io.ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.core.ring.Member;
import io.ringkv.core.ring.ReplicationStrategy;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import io.ringkv.server.http.RingView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/ring}'s replicas are the ring's own placement (Dynamo §4.3 with racks and
 * data centers, {@code ReplicaWalk}), token by token, and its version covers them: a change of
 * placement alone (a node's rack) is a new version, so a client holding the old one fetches again.
 */
class RingViewSourceTest {
    private static final int VNODES = 256;

    /** Six nodes of 256 random tokens each; {@code member} gives each id its data center and rack. */
    private static Ring ring(long seed, Function<String, Member> member) {
        Random random = new Random(seed);
        Ring ring = Ring.empty();
        for (int n = 1; n <= 6; n++) {
            List<Token> tokens = new ArrayList<>();
            for (int t = 0; t < VNODES; t++) {
                tokens.add(new Token(random.nextLong(), random.nextLong()));
            }
            ring = ring.withNode(member.apply("node" + n), tokens);
        }
        return ring;
    }

    /** dc1: node1-3, dc2: node4-6; racks a, a, b in each. */
    private static Member racked(String id) {
        int n = id.charAt(4) - '0';
        return new Member(id, n <= 3 ? "dc1" : "dc2", n % 3 == 0 ? "b" : "a", 1);
    }

    private static List<String> servedReplicas(RingView view, Token token) {
        for (RingView.NodeTokens owner : view.nodes()) {
            int at = owner.tokens().indexOf(token.toString());
            if (at >= 0) {
                return owner.replicas().get(at);
            }
        }
        throw new AssertionError("token " + token + " not in the view");
    }

    /** The first {@code n} distinct owners clockwise: Dynamo's walk without racks or data centers. */
    private static List<String> clockwiseDistinct(Ring ring, int vnode, int n) {
        Set<String> out = new LinkedHashSet<>();
        for (int step = 0; step < ring.tokenCount() && out.size() < n; step++) {
            out.add(ring.ownerAt((vnode + step) % ring.tokenCount()));
        }
        return List.copyOf(out);
    }

    @Test
    void every_tokens_replicas_are_the_rings_placement_under_racks_and_data_centers() {
        Ring ring = ring(7, RingViewSourceTest::racked);
        for (ReplicationStrategy strategy : List.of(ReplicationStrategy.simple(3),
                ReplicationStrategy.perDataCenter(Map.of("dc1", 2, "dc2", 2)))) {
            RingView view = RingViewSource.viewOf("node1", ring, strategy);
            int differFromTheWalk = 0;
            for (int i = 0; i < ring.tokenCount(); i++) {
                List<String> expected = ring.preferenceList(ring.token(i), strategy).replicas();
                assertThat(servedReplicas(view, ring.token(i))).as("token %d under %s", i, strategy).isEqualTo(expected);
                if (!expected.equals(clockwiseDistinct(ring, i, strategy.totalReplicas()))) {
                    differFromTheWalk++;
                }
            }
            assertThat(differFromTheWalk).as("racks and data centers change placement for many ranges under %s", strategy)
                    .isGreaterThan(ring.tokenCount() / 10);
        }
    }

    @Test
    void the_version_changes_with_placement_alone_and_not_without_a_change() {
        ReplicationStrategy three = ReplicationStrategy.simple(3);
        RingView racked = RingViewSource.viewOf("node1", ring(7, RingViewSourceTest::racked), three);
        RingView oneRack = RingViewSource.viewOf("node1", ring(7, Member::of), three);
        assertThat(oneRack.nodes().stream().map(RingView.NodeTokens::tokens).toList())
                .as("the same tokens and owners").isEqualTo(racked.nodes().stream().map(RingView.NodeTokens::tokens).toList());
        assertThat(oneRack.version()).isNotEqualTo(racked.version());
        assertThat(RingViewSource.viewOf("node2", ring(7, RingViewSourceTest::racked), three).version())
                .as("the same ring seen from another node").isEqualTo(racked.version());
        assertThat(RingViewSource.viewOf("node1", ring(7, RingViewSourceTest::racked), ReplicationStrategy.simple(2)).version())
                .as("fewer replicas per range").isNotEqualTo(racked.version());
    }
}
