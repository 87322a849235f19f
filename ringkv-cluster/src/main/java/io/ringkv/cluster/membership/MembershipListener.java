package io.ringkv.cluster.membership;

import java.util.List;

/** Told of every view swap that changed something. Called on the publishing thread; keep it short. */
@FunctionalInterface
public interface MembershipListener {
    void onChange(MembershipView previous, MembershipView current, List<MembershipEvent> events);
}
