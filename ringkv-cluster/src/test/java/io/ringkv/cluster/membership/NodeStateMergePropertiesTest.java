package io.ringkv.cluster.membership;

import io.ringkv.core.ring.Token;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The merge rule is "per node, the state that is newer by FRESHNESS wins". These properties pin
 * down what makes gossip order-insensitive: a total order, so the merge is a join (commutative,
 * associative, idempotent) and every node that has seen the same states holds the same view.
 */
class NodeStateMergePropertiesTest {
    private static final List<String> POOL = List.of("a", "b", "c", "d");
    private static final NodeId SELF = new NodeId("self");

    @Property
    void freshnessIsATotalOrderOnStatesOfOneNode(@ForAll("sameNode") NodeState a, @ForAll("sameNode") NodeState b,
                                                @ForAll("sameNode") NodeState c) {
        int ab = NodeState.FRESHNESS.compare(a, b);
        assertThat(Integer.signum(ab)).isEqualTo(-Integer.signum(NodeState.FRESHNESS.compare(b, a)));
        assertThat(ab == 0).isEqualTo(a.equals(b));
        if (ab <= 0 && NodeState.FRESHNESS.compare(b, c) <= 0) {
            assertThat(NodeState.FRESHNESS.compare(a, c)).isLessThanOrEqualTo(0);
        }
    }

    @Property
    void higherGenerationAlwaysWinsWhateverTheHeartbeats(@ForAll("sameNode") NodeState a, @ForAll("sameNode") NodeState b) {
        Assume.that(a.generation() > b.generation());
        assertThat(a.supersedes(b)).isTrue();
        assertThat(merged(List.of(a, b)).get(a.id())).isEqualTo(a);
        assertThat(merged(List.of(b, a)).get(a.id())).isEqualTo(a);
    }

    @Property
    void mergeIsCommutativeAndIdempotentOnTheResultingView(@ForAll("states") List<NodeState> xs,
                                                          @ForAll("states") List<NodeState> ys) {
        MembershipView xy = viewAfter(xs, ys);
        MembershipView yx = viewAfter(ys, xs);
        MembershipView twice = viewAfter(concat(xs, ys), concat(xs, ys));
        assertThat(yx).isEqualTo(xy);
        assertThat(twice).isEqualTo(xy);
    }

    @Property
    void anyArrivalOrderGivesTheNewestStatePerNode(@ForAll("states") List<NodeState> xs, @ForAll long shuffleSeed) {
        List<NodeState> shuffled = new ArrayList<>(xs);
        Collections.shuffle(shuffled, new Random(shuffleSeed));
        Map<NodeId, NodeState> expected = new HashMap<>();
        for (NodeState s : xs) {
            expected.merge(s.id(), s, (p, q) -> NodeState.FRESHNESS.compare(p, q) >= 0 ? p : q);
        }
        assertThat(merged(shuffled)).isEqualTo(expected);
        assertThat(viewAfter(shuffled, List.of())).isEqualTo(viewAfter(xs, List.of()));
    }

    // ------------------------------------------------------------------ helpers

    private static Map<NodeId, NodeState> merged(List<NodeState> states) {
        GossipProtocol p = receiver();
        apply(p, states);
        Map<NodeId, NodeState> out = new HashMap<>();
        for (Member m : p.view().members()) {
            if (!m.id().equals(SELF)) {
                out.put(m.id(), m.state());
            }
        }
        return out;
    }

    private static MembershipView viewAfter(List<NodeState> first, List<NodeState> second) {
        GossipProtocol p = receiver();
        apply(p, first);
        apply(p, second);
        return p.view();
    }

    private static GossipProtocol receiver() {
        return new GossipProtocol(Fixtures.config(), SELF, 1, Fixtures.info(99));
    }

    private static void apply(GossipProtocol p, List<NodeState> states) {
        p.onAck2(new GossipMessage.Ack2(states.stream().<NodeUpdate>map(NodeUpdate.Full::new).toList()), 0);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Provide
    Arbitrary<List<NodeState>> states() {
        return Arbitraries.of(POOL).flatMap(NodeStateMergePropertiesTest::stateOf).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<NodeState> sameNode() {
        return stateOf("a");
    }

    private static Arbitrary<NodeState> stateOf(String name) {
        NodeId id = new NodeId(name);
        Arbitrary<Long> generation = Arbitraries.longs().between(1, 3);
        Arbitrary<Long> heartbeat = Arbitraries.longs().between(0, 4);
        Arbitrary<Long> metadataVersion = Arbitraries.longs().between(0, 2);
        Arbitrary<NodeInfo> info = Combinators.combine(
                Arbitraries.of(AnnouncedStatus.class),
                Arbitraries.of(1.0, 1.5, 3.0),
                Arbitraries.longs().between(0, 50).set().ofMaxSize(3))
                .as((status, weight, tokens) -> new NodeInfo(status, Fixtures.peer(name.charAt(0)),
                        Fixtures.peer(name.charAt(0) + 100), "dc1", "rack1", weight,
                        new TreeSet<>(tokens).stream().map(t -> new Token(0, t)).toList()));
        Arbitrary<List<Suspicion>> suspicions = Arbitraries.of(POOL).filter(other -> !other.equals(name))
                .set().ofMaxSize(3)
                .flatMap(suspects -> Combinators.combine(
                                Arbitraries.longs().between(1, 3), Arbitraries.longs().between(0, 4))
                        .as((g, h) -> new TreeSet<>(suspects).stream()
                                .map(s -> new Suspicion(new NodeId(s), g, h)).toList()));
        // Different processes may write states with the same numbers: the instance takes part in the tie-break.
        Arbitrary<Instance> instance = Arbitraries.of(new Instance(1, 0), new Instance(1, -7), Instance.UNKNOWN);
        return Combinators.combine(instance, generation, heartbeat, metadataVersion, info, suspicions)
                .as((p, g, h, m, i, s) -> new NodeState(id, p, g, h, m, i, s));
    }
}
