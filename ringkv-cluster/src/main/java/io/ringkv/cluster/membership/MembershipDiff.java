package io.ringkv.cluster.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The events that turn one view into the next. Pure; order: by node id, then by kind; a new id conflict last. */
final class MembershipDiff {
    private MembershipDiff() {}

    static List<MembershipEvent> between(MembershipView previous, MembershipView next) {
        List<MembershipEvent> events = new ArrayList<>();
        for (Member now : next.members()) {
            Member before = previous.member(now.id()).orElse(null);
            if (before == null) {
                events.add(new MembershipEvent.Joined(now));
                continue;
            }
            if (now.generation() > before.generation()) {
                events.add(new MembershipEvent.Restarted(now, before.generation()));
            }
            if (now.status() != before.status()) {
                events.add(new MembershipEvent.StatusChanged(now, before.status()));
            }
            if (!now.tokens().equals(before.tokens())) {
                events.add(new MembershipEvent.TokensChanged(now, before.tokens()));
            }
            if (now.liveness() != before.liveness()) {
                events.add(switch (now.liveness()) {
                    case UP -> new MembershipEvent.Up(now);
                    case SUSPECT -> new MembershipEvent.Suspected(now);
                    case DOWN -> new MembershipEvent.Down(now);
                });
            }
        }
        for (Member gone : previous.members()) {
            if (next.member(gone.id()).isEmpty()) {
                events.add(new MembershipEvent.Removed(gone));
            }
        }
        next.idConflict().filter(c -> !previous.idConflict().equals(Optional.of(c)))
                .ifPresent(c -> events.add(new MembershipEvent.IdConflictFound(next.selfMember(), c)));
        return events;
    }
}
