package io.ringkv.cluster.node;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.MembershipView;
import io.ringkv.cluster.membership.NodeId;
import io.ringkv.core.ring.Ring;
import io.ringkv.core.ring.Token;
import java.util.List;
import java.util.Optional;

/**
 * When may a node that owns no tokens pick them? Token allocation is decentralised (each joiner
 * runs {@code BalancedTokenAllocator} on the ring it learned by gossip), so two nodes deciding
 * from the same view would split the same ranges (docs/design/ring.md, "Concurrent joins with
 * stale views"). This rule admits one join at a time, as Cassandra advises for bootstrap:
 *
 * <ol>
 *   <li>No node holds tokens: only the <b>first seed</b> (the node whose peer address is the first
 *       configured seed, or a node with no seeds) may create the ring, and only after
 *       {@code bootstrapWaitMillis} since it started, so that an existing ring can reach it first.</li>
 *   <li>Otherwise a node waits while a live node with a <b>smaller id</b> is JOINING without
 *       tokens: joins go in id order, each seeing the previous one's tokens.</li>
 *   <li>And it waits until the parts of its view that allocation depends on (members, their
 *       generations, statuses, tokens, and who is DOWN) have been <b>stable</b> for
 *       {@code stableMillis}, so that news still in flight gets a couple of rounds to arrive.</li>
 * </ol>
 *
 * Pure: the decision is a function of the view and two durations. Failure cases and their
 * consequences are in docs/design/membership-join.md.
 */
public final class JoinRule {

    public sealed interface Decision permits Wait, Bootstrap, Allocate {}

    /** Not yet; {@code reason} is for the log and stays the same while the situation does. */
    public record Wait(String reason) implements Decision {}

    /** Create the ring: allocate as the first node. */
    public record Bootstrap() implements Decision {}

    /** Allocate against {@code ring}, every claim this view knows of. */
    public record Allocate(Ring ring) implements Decision {}

    /** What the stability timer watches; a heartbeat alone does not change it. */
    record Fingerprint(List<Entry> entries) {
        record Entry(NodeId id, long generation, AnnouncedStatus status, List<Token> tokens, boolean down) {}
    }

    private final long bootstrapWaitMillis;
    private final long stableMillis;

    public JoinRule(long bootstrapWaitMillis, long stableMillis) {
        if (bootstrapWaitMillis < 0 || stableMillis < 0) {
            throw new IllegalArgumentException("waits must not be negative: " + bootstrapWaitMillis + ", " + stableMillis);
        }
        this.bootstrapWaitMillis = bootstrapWaitMillis;
        this.stableMillis = stableMillis;
    }

    /** The defaults: bootstrap after 3 gossip intervals, a view stable for 2. */
    public static JoinRule forGossipInterval(long gossipIntervalMillis) {
        return new JoinRule(3 * gossipIntervalMillis, 2 * gossipIntervalMillis);
    }

    /**
     * @param view            this node's current view; this node owns no tokens in it
     * @param firstSeed       whether this node is the one that may create the ring
     * @param sinceStartMillis time since this node started
     * @param stableForMillis time since {@link #fingerprint} of the view last changed
     */
    public Decision decide(MembershipView view, boolean firstSeed, long sinceStartMillis, long stableForMillis) {
        List<RingPlacement> claims = RingPlacement.ofClaims(view);
        if (claims.isEmpty()) {
            if (!firstSeed) {
                return new Wait("no node owns tokens yet; the first seed creates the ring");
            }
            if (sinceStartMillis < bootstrapWaitMillis) {
                return new Wait("first seed: giving an existing ring " + bootstrapWaitMillis + " ms to show up");
            }
            if (stableForMillis < stableMillis) {
                return new Wait("membership is still changing");
            }
            return new Bootstrap();
        }
        Optional<Member> earlier = view.members().stream()
                .filter(m -> m.id().compareTo(view.self()) < 0 && m.status() == AnnouncedStatus.JOINING
                        && m.tokens().isEmpty() && m.liveness() != Liveness.DOWN)
                .findFirst();
        if (earlier.isPresent()) {
            return new Wait("node " + earlier.get().id() + " has a smaller id and joins first");
        }
        if (stableForMillis < stableMillis) {
            return new Wait("membership is still changing");
        }
        return new Allocate(RingPlacement.ring(claims));
    }

    static Fingerprint fingerprint(MembershipView view) {
        return new Fingerprint(view.members().stream()
                .map(m -> new Fingerprint.Entry(m.id(), m.generation(), m.status(), m.tokens(),
                        m.liveness() == Liveness.DOWN))
                .toList());
    }
}
