package io.ringkv.cluster.node;

import static io.ringkv.cluster.node.Views.member;
import static io.ringkv.cluster.node.Views.normal;
import static io.ringkv.cluster.node.Views.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.MembershipView;
import io.ringkv.cluster.membership.NodeId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The join rule case by case (docs/design/membership-join.md). */
class JoinRuleTest {
    private static final long WAIT = 3_000;
    private static final long STABLE = 2_000;
    private final JoinRule rule = new JoinRule(WAIT, STABLE);

    private static Member joining(int i) {
        return member(i, AnnouncedStatus.JOINING, Liveness.UP, 0, 1);
    }

    /** Seeds node1..node3 as seen by node {@code self}. */
    private static SeedSet threeSeeds(int self) {
        return SeedSet.of(List.of(Views.peer(1), Views.peer(2), Views.peer(3)), Views.peer(self));
    }

    /** node4 is no seed. */
    private static final SeedSet NOT_A_SEED = threeSeeds(4);

    @Test
    void withNoTokenOwnerTheSmallestSeedCreatesTheRingAfterItsWait() {
        MembershipView fresh = view(1, joining(1), joining(2), joining(3), joining(4));
        assertThat(rule.decide(view(4, joining(1), joining(2), joining(4)), NOT_A_SEED, 60_000, 60_000))
                .isEqualTo(new JoinRule.Wait("no node owns tokens yet; a seed creates the ring"));
        assertThat(rule.decide(fresh, threeSeeds(1), WAIT - 1, 60_000)).isInstanceOf(JoinRule.Wait.class);
        assertThat(rule.decide(fresh, threeSeeds(1), WAIT, STABLE - 1)).isInstanceOf(JoinRule.Wait.class);
        assertThat(rule.decide(fresh, threeSeeds(1), WAIT, STABLE)).isInstanceOf(JoinRule.Bootstrap.class);
        assertThat(rule.decide(view(2, joining(1), joining(2), joining(3)), threeSeeds(2), WAIT, STABLE))
                .isEqualTo(new JoinRule.Wait("no node owns tokens yet; seed node1 has the smallest id and creates the ring"));
    }

    @Test
    void anySeedStartsTheRingWhenTheSmallerOnesAreDown() {
        Member down1 = member(1, AnnouncedStatus.JOINING, Liveness.DOWN, 0, 1);
        assertThat(rule.decide(view(2, down1, joining(2), joining(3)), threeSeeds(2), WAIT, STABLE))
                .isInstanceOf(JoinRule.Bootstrap.class);
        assertThat(rule.decide(view(2, joining(2), joining(3)), threeSeeds(2), WAIT, STABLE))
                .as("never heard of").isInstanceOf(JoinRule.Bootstrap.class);
    }

    /** Cut apart, seeds 1 | 2, 3: only the side holding a majority of the seeds starts a ring. */
    @Test
    void aSeedThatSeesNoMajorityOfTheSeedsWaits() {
        assertThat(rule.decide(view(1, joining(1), member(2, AnnouncedStatus.JOINING, Liveness.DOWN, 0, 1),
                member(3, AnnouncedStatus.JOINING, Liveness.DOWN, 0, 1)), threeSeeds(1), 60_000, 60_000))
                .isEqualTo(new JoinRule.Wait("no node owns tokens yet; creating the ring needs 2 of the 3 seeds up"
                        + " and in touch, this node sees 1"));
        assertThat(rule.decide(view(1, joining(1)), threeSeeds(1), 60_000, 60_000)).isInstanceOf(JoinRule.Wait.class);
        assertThat(rule.decide(view(2, joining(2), joining(3)), threeSeeds(2), 60_000, 60_000)).isInstanceOf(JoinRule.Bootstrap.class);
    }

    @Test
    void aNodeWithNoSeedsIsAClusterOfOne() {
        assertThat(rule.decide(view(5, joining(5)), SeedSet.of(List.of(), Views.peer(5)), WAIT, STABLE))
                .isInstanceOf(JoinRule.Bootstrap.class);
    }

    @Test
    void aReplacementTakesTheTokensOfANodeTheClusterSeesDown() {
        NodeId node3 = NodeId.of("node3");
        Member down3 = member(3, AnnouncedStatus.NORMAL, Liveness.DOWN, 4, 1);
        assertThat(rule.decideReplacement(view(4, normal(1), normal(2), down3, joining(4)), node3, STABLE))
                .isEqualTo(new JoinRule.Replace(node3, down3.tokens(), false));
        assertThat(rule.decideReplacement(view(4, normal(1), normal(2), down3, joining(4)), node3, STABLE - 1))
                .isEqualTo(new JoinRule.Wait("membership is still changing"));
        Member left3 = member(3, AnnouncedStatus.LEFT, Liveness.DOWN, 4, 1);
        assertThat(rule.decideReplacement(view(4, normal(1), left3, joining(4)), node3, STABLE))
                .as("already LEFT (removed, or our own announcement before a crash)")
                .isEqualTo(new JoinRule.Replace(node3, left3.tokens(), true));
    }

    @Test
    void aLiveOrUnknownNodeIsNeverReplaced() {
        NodeId node3 = NodeId.of("node3");
        assertThat(rule.decideReplacement(view(4, normal(1), normal(3), joining(4)), node3, STABLE))
                .isEqualTo(new JoinRule.Wait("replacing node3: it is UP; only a node the cluster sees DOWN can be replaced"
                        + " (stop it first)"));
        assertThat(rule.decideReplacement(view(4, normal(1), member(3, AnnouncedStatus.NORMAL, Liveness.SUSPECT, 4, 1),
                joining(4)), node3, STABLE)).isInstanceOf(JoinRule.Wait.class);
        assertThat(rule.decideReplacement(view(4, normal(1), joining(4)), node3, STABLE))
                .isEqualTo(new JoinRule.Wait("replacing node3: no member of that id is known (yet)"));
        assertThat(rule.decideReplacement(view(4, joining(4)), node3, STABLE))
                .isEqualTo(new JoinRule.Wait("replacing node3: waiting to hear the ring"));
        assertThat(rule.decideReplacement(view(4, normal(1), member(3, AnnouncedStatus.JOINING, Liveness.DOWN, 0, 1),
                joining(4)), node3, STABLE)).isInstanceOf(JoinRule.Wait.class);
    }

    @Test
    void joinsGoInIdOrder() {
        MembershipView seenBy3 = view(3, normal(1), joining(2), joining(3));
        assertThat(rule.decide(seenBy3, NOT_A_SEED, 60_000, 60_000))
                .isEqualTo(new JoinRule.Wait("node node2 has a smaller id and joins first"));
        MembershipView seenBy2 = view(2, normal(1), joining(2), joining(3));
        assertThat(rule.decide(seenBy2, NOT_A_SEED, 0, STABLE)).isInstanceOfSatisfying(JoinRule.Allocate.class,
                a -> assertThat(a.ring().members()).extracting(m -> m.nodeId()).containsExactly("node1"));
    }

    @Test
    void aDeadSmallerJoinerDoesNotBlockButASuspectedOneDoes() {
        MembershipView deadJoiner = view(3, normal(1), member(2, AnnouncedStatus.JOINING, Liveness.DOWN, 0, 1), joining(3));
        assertThat(rule.decide(deadJoiner, NOT_A_SEED, 0, STABLE)).isInstanceOf(JoinRule.Allocate.class);
        MembershipView suspected = view(3, normal(1), member(2, AnnouncedStatus.JOINING, Liveness.SUSPECT, 0, 1), joining(3));
        assertThat(rule.decide(suspected, NOT_A_SEED, 0, STABLE)).isInstanceOf(JoinRule.Wait.class);
    }

    @Test
    void aRecentChangeMakesAJoinerWait() {
        MembershipView v = view(2, normal(1), joining(2));
        assertThat(rule.decide(v, NOT_A_SEED, 0, STABLE - 1)).isEqualTo(new JoinRule.Wait("membership is still changing"));
        assertThat(rule.decide(v, NOT_A_SEED, 0, STABLE)).isInstanceOf(JoinRule.Allocate.class);
    }

    @Test
    void allocationSeesEveryClaimNotYetLeftWhateverItsStatus() {
        MembershipView v = view(4, normal(1), member(2, AnnouncedStatus.JOINING, Liveness.UP, 4, 1),
                member(3, AnnouncedStatus.LEFT, Liveness.DOWN, 4, 1), joining(4));
        assertThat(rule.decide(v, NOT_A_SEED, 0, STABLE)).isInstanceOfSatisfying(JoinRule.Allocate.class,
                a -> assertThat(a.ring().members()).extracting(m -> m.nodeId()).containsExactly("node1", "node2"));
    }

    @Test
    void theFingerprintIgnoresHeartbeatsButNotTokensStatusOrDown() {
        var base = JoinRule.fingerprint(view(1, normal(1), normal(2)));
        assertThat(JoinRule.fingerprint(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.UP, 4, 99)))).isEqualTo(base);
        assertThat(JoinRule.fingerprint(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.SUSPECT, 4, 1)))).isEqualTo(base);
        assertThat(JoinRule.fingerprint(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.DOWN, 4, 1)))).isNotEqualTo(base);
        assertThat(JoinRule.fingerprint(view(1, normal(1), member(2, AnnouncedStatus.NORMAL, Liveness.UP, 5, 1)))).isNotEqualTo(base);
        assertThat(JoinRule.fingerprint(view(1, normal(1), member(2, AnnouncedStatus.LEAVING, Liveness.UP, 4, 1)))).isNotEqualTo(base);
        assertThat(JoinRule.fingerprint(view(1, normal(1), normal(2), normal(3)))).isNotEqualTo(base);
    }
}
