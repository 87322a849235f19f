package io.ringkv.cluster.membership;

import io.ringkv.core.ring.Token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MembershipHolderTest {

    private static Member member(int i, long generation, AnnouncedStatus status, Liveness liveness, long token) {
        NodeInfo info = Fixtures.info(i).withStatus(status).withTokens(List.of(new Token(0, token)));
        return new Member(new NodeState(Fixtures.id(i), new Instance(generation, 0), generation, 0, 0, info, List.of()), liveness, 0);
    }

    private static MembershipView view(Member... others) {
        Map<NodeId, Member> members = new java.util.HashMap<>();
        members.put(Fixtures.id(0), member(0, 1, AnnouncedStatus.NORMAL, Liveness.UP, 0));
        for (Member m : others) {
            members.put(m.id(), m);
        }
        return new MembershipView(Fixtures.id(0), members);
    }

    @Test
    void listenersHearEachKindOfChangeInOrder() {
        MembershipHolder holder = new MembershipHolder(view());
        List<MembershipEvent> heard = new ArrayList<>();
        holder.subscribe((previous, current, events) -> heard.addAll(events));

        holder.publish(view(member(1, 1, AnnouncedStatus.JOINING, Liveness.UP, 10)));
        holder.publish(view(member(1, 1, AnnouncedStatus.NORMAL, Liveness.UP, 11)));
        holder.publish(view(member(1, 1, AnnouncedStatus.NORMAL, Liveness.SUSPECT, 11)));
        holder.publish(view(member(1, 1, AnnouncedStatus.NORMAL, Liveness.DOWN, 11)));
        holder.publish(view(member(1, 2, AnnouncedStatus.NORMAL, Liveness.UP, 11)));
        holder.publish(view(member(1, 2, AnnouncedStatus.LEFT, Liveness.DOWN, 11)));
        holder.publish(view());

        assertThat(heard).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "Joined",
                "StatusChanged", "TokensChanged",
                "Suspected",
                "Down",
                "Restarted", "Up",
                "StatusChanged", "Down",
                "Removed");
        assertThat(holder.current()).isEqualTo(view());
    }

    @Test
    void aViewWithNoVisibleChangeNotifiesNobody() {
        MembershipHolder holder = new MembershipHolder(view(member(1, 1, AnnouncedStatus.NORMAL, Liveness.UP, 1)));
        List<MembershipEvent> heard = new ArrayList<>();
        holder.subscribe((previous, current, events) -> heard.addAll(events));
        // Only the heartbeat moved.
        Member beat = new Member(new NodeState(Fixtures.id(1), new Instance(1, 0), 1, 9, 0,
                Fixtures.info(1).withTokens(List.of(new Token(0, 1))), List.of()), Liveness.UP, 0);
        assertThat(holder.publish(view(beat))).isEmpty();
        assertThat(heard).isEmpty();
        assertThat(holder.current().member(Fixtures.id(1)).orElseThrow().state().heartbeat()).isEqualTo(9);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        MembershipHolder holder = new MembershipHolder(view());
        List<MembershipEvent> heard = new ArrayList<>();
        holder.subscribe((previous, current, events) -> {
            throw new IllegalStateException("broken subscriber");
        });
        holder.subscribe((previous, current, events) -> heard.addAll(events));
        holder.publish(view(member(1, 1, AnnouncedStatus.NORMAL, Liveness.UP, 1)));
        assertThat(heard).hasSize(1);
    }

    @Test
    void listenersGetThePreviousAndCurrentViewsTheEventsDescribe() {
        MembershipView first = view();
        MembershipView second = view(member(1, 1, AnnouncedStatus.NORMAL, Liveness.UP, 1));
        MembershipHolder holder = new MembershipHolder(first);
        List<MembershipView[]> seen = new ArrayList<>();
        holder.subscribe((previous, current, events) -> seen.add(new MembershipView[] {previous, current}));
        holder.publish(second);
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst()[0]).isSameAs(first);
        assertThat(seen.getFirst()[1]).isSameAs(second);
    }

    @Test
    void aViewOfAnotherNodeIsRefused() {
        MembershipHolder holder = new MembershipHolder(view());
        Map<NodeId, Member> other = Map.of(Fixtures.id(5), member(5, 1, AnnouncedStatus.NORMAL, Liveness.UP, 1));
        assertThatThrownBy(() -> holder.publish(new MembershipView(Fixtures.id(5), other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node5");
    }

    @Test
    void theViewAnswersTheRingsQuestions() {
        MembershipView v = view(member(1, 1, AnnouncedStatus.NORMAL, Liveness.DOWN, 1),
                member(2, 1, AnnouncedStatus.JOINING, Liveness.UP, 2),
                member(3, 1, AnnouncedStatus.LEAVING, Liveness.UP, 3));
        assertThat(v.tokenOwners()).extracting(Member::id).containsExactly(Fixtures.id(0), Fixtures.id(1), Fixtures.id(3));
        assertThat(v.upMembers()).extracting(Member::id).containsExactly(Fixtures.id(0), Fixtures.id(2), Fixtures.id(3));
        assertThat(v.liveness(Fixtures.id(1))).isEqualTo(Liveness.DOWN);
        assertThatThrownBy(() -> v.liveness(Fixtures.id(9))).hasMessageContaining("unknown node node9");
    }
}
