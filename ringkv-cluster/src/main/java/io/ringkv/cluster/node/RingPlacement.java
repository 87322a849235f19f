package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.MembershipView;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the ring is made of, read from a membership view: for each node with tokens, its labels
 * (data center, rack, weight) and tokens. Two views with equal placements give equal rings, so a
 * holder rebuilds its ring only when a placement changes, never for a heartbeat. Pure.
 */
record RingPlacement(String nodeId, String dataCenter, String rack, double weight, List<Token> tokens) {

    /** The placements of the nodes that serve their tokens (NORMAL or LEAVING): the serving ring. */
    static List<RingPlacement> ofOwners(MembershipView view) {
        return of(view, Member::ownsTokens);
    }

    /**
     * The placements of the nodes that will serve their tokens once the membership changes in
     * progress are done (NORMAL or JOINING; not LEAVING): the ring whose extra replicas of a key
     * (pending replicas) also get its writes meanwhile.
     */
    static List<RingPlacement> ofFuture(MembershipView view) {
        return of(view, m -> m.status() == AnnouncedStatus.NORMAL || m.status() == AnnouncedStatus.JOINING);
    }

    /**
     * The placements of every node holding tokens that has not LEFT, whatever it announces: the
     * ring a joiner allocates against, so it also steers clear of claims still in progress.
     */
    static List<RingPlacement> ofClaims(MembershipView view) {
        return of(view, m -> m.status() != AnnouncedStatus.LEFT);
    }

    private static List<RingPlacement> of(MembershipView view, Predicate<Member> included) {
        return view.members().stream()
                .filter(m -> !m.tokens().isEmpty() && included.test(m))
                .map(m -> new RingPlacement(m.id().value(), m.dc(), m.rack(), m.weight(), m.tokens()))
                .toList();
    }

    io.ringkv.core.ring.Member ringMember() {
        return new io.ringkv.core.ring.Member(nodeId, dataCenter, rack, weight);
    }

    /**
     * The ring of these placements. A token two nodes both claim goes to the smaller id
     * ({@link Ring#withNode}), the rule every node applies alike, so all views agree.
     */
    static Ring ring(List<RingPlacement> placements) {
        Ring ring = Ring.empty();
        for (RingPlacement p : placements) {
            ring = ring.withNode(p.ringMember(), p.tokens());
        }
        return ring;
    }
}
