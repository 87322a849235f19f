package io.ringkv.cluster.node;

import static io.ringkv.cluster.node.Views.member;
import static io.ringkv.cluster.node.Views.normal;
import static io.ringkv.cluster.node.Views.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cluster.membership.AnnouncedStatus;
import io.ringkv.cluster.membership.Liveness;
import io.ringkv.cluster.membership.Member;
import io.ringkv.cluster.membership.MembershipView;
import org.junit.jupiter.api.Test;

/** The join rule case by case (docs/design/membership-join.md). */
class JoinRuleTest {
    private static final long WAIT = 3_000;
    private static final long STABLE = 2_000;
    private final JoinRule rule = new JoinRule(WAIT, STABLE);

    private static Member joining(int i) {
        return member(i, AnnouncedStatus.JOINING, Liveness.UP, 0, 1);
    }

    @Test
    void withNoTokenOwnerOnlyTheFirstSeedCreatesTheRingAfterItsWait() {
        MembershipView fresh = view(1, joining(1), joining(2), joining(3));
        assertThat(rule.decide(fresh, false, 60_000, 60_000)).isInstanceOf(JoinRule.Wait.class);
        assertThat(rule.decide(fresh, true, WAIT - 1, 60_000)).isInstanceOf(JoinRule.Wait.class);
        assertThat(rule.decide(fresh, true, WAIT, STABLE - 1)).isInstanceOf(JoinRule.Wait.class);
        assertThat(rule.decide(fresh, true, WAIT, STABLE)).isInstanceOf(JoinRule.Bootstrap.class);
        // the first seed does not defer to smaller ids: it is the one that starts the ring
        assertThat(rule.decide(view(3, joining(1), joining(3)), true, WAIT, STABLE)).isInstanceOf(JoinRule.Bootstrap.class);
    }

    @Test
    void joinsGoInIdOrder() {
        MembershipView seenBy3 = view(3, normal(1), joining(2), joining(3));
        assertThat(rule.decide(seenBy3, false, 60_000, 60_000))
                .isEqualTo(new JoinRule.Wait("node node2 has a smaller id and joins first"));
        MembershipView seenBy2 = view(2, normal(1), joining(2), joining(3));
        assertThat(rule.decide(seenBy2, false, 0, STABLE)).isInstanceOfSatisfying(JoinRule.Allocate.class,
                a -> assertThat(a.ring().members()).extracting(m -> m.nodeId()).containsExactly("node1"));
    }

    @Test
    void aDeadSmallerJoinerDoesNotBlockButASuspectedOneDoes() {
        MembershipView deadJoiner = view(3, normal(1), member(2, AnnouncedStatus.JOINING, Liveness.DOWN, 0, 1), joining(3));
        assertThat(rule.decide(deadJoiner, false, 0, STABLE)).isInstanceOf(JoinRule.Allocate.class);
        MembershipView suspected = view(3, normal(1), member(2, AnnouncedStatus.JOINING, Liveness.SUSPECT, 0, 1), joining(3));
        assertThat(rule.decide(suspected, false, 0, STABLE)).isInstanceOf(JoinRule.Wait.class);
    }

    @Test
    void aRecentChangeMakesAJoinerWait() {
        MembershipView v = view(2, normal(1), joining(2));
        assertThat(rule.decide(v, false, 0, STABLE - 1)).isEqualTo(new JoinRule.Wait("membership is still changing"));
        assertThat(rule.decide(v, false, 0, STABLE)).isInstanceOf(JoinRule.Allocate.class);
    }

    @Test
    void allocationSeesEveryClaimNotYetLeftWhateverItsStatus() {
        MembershipView v = view(4, normal(1), member(2, AnnouncedStatus.JOINING, Liveness.UP, 4, 1),
                member(3, AnnouncedStatus.LEFT, Liveness.DOWN, 4, 1), joining(4));
        assertThat(rule.decide(v, false, 0, STABLE)).isInstanceOfSatisfying(JoinRule.Allocate.class,
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
