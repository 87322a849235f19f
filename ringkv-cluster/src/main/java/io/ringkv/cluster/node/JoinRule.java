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
 *   <li>No node holds tokens: the ring is created by the <b>seed with the smallest id</b> among
 *       the seeds this node sees alive, and only if those are a <b>majority</b> of the configured
 *       seeds, after {@code bootstrapWaitMillis} since it started (so that an existing ring can
 *       reach it first). Any seed may thus start the ring when the others are down, and two
 *       groups of seeds cut apart cannot both start one: only one side can hold a majority
 *       (given the same seed list on every node). A node with no seeds is a cluster of one.</li>
 *   <li>Otherwise a node waits while a live node with a <b>smaller id</b> is JOINING without
 *       tokens: joins go in id order, each seeing the previous one's tokens.</li>
 *   <li>And it waits until the parts of its view that allocation depends on (members, their
 *       generations, statuses, tokens, and who is DOWN) have been <b>stable</b> for
 *       {@code stableMillis}, so that news still in flight gets a couple of rounds to arrive.</li>
 * </ol>
 *
 * Pure: the decision is a function of the view, the seeds and two durations. Failure cases and their
 * consequences are in docs/design/membership-join.md.
 */
public final class JoinRule {

    public sealed interface Decision permits Wait, Bootstrap, Allocate, Replace {}

    /** Not yet; {@code reason} is for the log and stays the same while the situation does. */
    public record Wait(String reason) implements Decision {}

    /** Create the ring: allocate as the first node. */
    public record Bootstrap() implements Decision {}

    /** Allocate against {@code ring}, every claim this view knows of. */
    public record Allocate(Ring ring) implements Decision {}

    /** Take over the tokens of {@code deadNode}, which the cluster sees DOWN (or already LEFT). */
    public record Replace(NodeId deadNode, List<Token> tokens, boolean alreadyLeft) implements Decision {}

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
     * @param seeds           the configured seeds and this node's address
     * @param sinceStartMillis time since this node started
     * @param stableForMillis time since {@link #fingerprint} of the view last changed
     */
    public Decision decide(MembershipView view, SeedSet seeds, long sinceStartMillis, long stableForMillis) {
        List<RingPlacement> claims = RingPlacement.ofClaims(view);
        if (claims.isEmpty()) {
            return decideCreation(view, seeds, sinceStartMillis, stableForMillis);
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

    /**
     * For a node started to replace {@code deadNode}: it may take that node's tokens once it knows
     * the ring, the node is DOWN in its view (a live node is never replaced: two nodes would
     * serve the same ranges), and the view is stable. A dead node already LEFT (removed, or this
     * replacement's own announcement before a crash) still hands over the tokens it held.
     */
    public Decision decideReplacement(MembershipView view, NodeId deadNode, long stableForMillis) {
        if (RingPlacement.ofClaims(view).isEmpty()) {
            return new Wait("replacing " + deadNode + ": waiting to hear the ring");
        }
        Optional<Member> dead = view.member(deadNode);
        if (dead.isEmpty()) {
            return new Wait("replacing " + deadNode + ": no member of that id is known (yet)");
        }
        Member d = dead.get();
        if (d.tokens().isEmpty()) {
            return new Wait("replacing " + deadNode + ": it owns no tokens (" + d.status() + "), nothing to take over");
        }
        boolean left = d.status() == AnnouncedStatus.LEFT;
        if (!left && d.liveness() != Liveness.DOWN) {
            return new Wait("replacing " + deadNode + ": it is " + d.liveness() + "; only a node the cluster sees DOWN"
                    + " can be replaced (stop it first)");
        }
        if (stableForMillis < stableMillis) {
            return new Wait("membership is still changing");
        }
        return new Replace(deadNode, d.tokens(), left);
    }

    private Decision decideCreation(MembershipView view, SeedSet seeds, long sinceStartMillis, long stableForMillis) {
        if (!seeds.selfIsSeed()) {
            return new Wait("no node owns tokens yet; a seed creates the ring");
        }
        if (sinceStartMillis < bootstrapWaitMillis) {
            return new Wait("seed: giving an existing ring " + bootstrapWaitMillis + " ms to show up");
        }
        List<NodeId> liveSeeds = view.members().stream()
                .filter(m -> seeds.isSeed(m) && (m.id().equals(view.self()) || m.liveness() != Liveness.DOWN))
                .map(Member::id).sorted().toList();
        if (liveSeeds.size() < seeds.majority()) {
            return new Wait("no node owns tokens yet; creating the ring needs " + seeds.majority() + " of the "
                    + seeds.size() + " seeds up and in touch, this node sees " + liveSeeds.size());
        }
        if (!liveSeeds.getFirst().equals(view.self())) {
            return new Wait("no node owns tokens yet; seed " + liveSeeds.getFirst() + " has the smallest id and creates the ring");
        }
        if (stableForMillis < stableMillis) {
            return new Wait("membership is still changing");
        }
        return new Bootstrap();
    }

    static Fingerprint fingerprint(MembershipView view) {
        return new Fingerprint(view.members().stream()
                .map(m -> new Fingerprint.Entry(m.id(), m.generation(), m.status(), m.tokens(),
                        m.liveness() == Liveness.DOWN))
                .toList());
    }
}
