package io.ringkv.cluster.membership;

import java.util.Collections;
import java.util.List;

/**
 * The two-source rule, as a pure function (docs/decisions/failure-detector.md). For a subject
 * this node knows at (generation, heartbeat), a suspicion counts only if it refers to that
 * heartbeat or a later one: whoever formed it had seen at least as much as we have and still
 * saw nothing newer for suspectAfterMillis. DOWN needs {@code required} such suspicions from
 * distinct nodes (each node's state holds at most one suspicion per subject, so counting states
 * counts distinct nodes); this node's own suspicion alone only makes it SUSPECT.
 */
final class SuspicionCount {
    private SuspicionCount() {}

    /**
     * How many distinct nodes are needed: {@code downConfirmations}, but never more than the other
     * nodes that could say so (in a two-node cluster the survivor is the only possible source).
     */
    static int required(int downConfirmations, int membersNotLeft) {
        return Math.min(downConfirmations, Math.max(1, membersNotLeft - 1));
    }

    static Liveness decide(NodeState subject, boolean selfCounts, int othersCounting, int required) {
        if (subject.status() == AnnouncedStatus.LEFT) {
            return Liveness.DOWN;
        }
        int sources = othersCounting + (selfCounts ? 1 : 0);
        if (sources >= required) {
            return Liveness.DOWN;
        }
        return selfCounts ? Liveness.SUSPECT : Liveness.UP;
    }

    /** True if {@code suspicions} (sorted by suspect) holds a suspicion of the subject's current heartbeat. */
    static boolean counts(List<Suspicion> suspicions, NodeState subject) {
        if (suspicions.isEmpty()) {
            return false;
        }
        int i = Collections.binarySearch(suspicions, new Suspicion(subject.id(), 1, 0),
                (a, b) -> a.suspect().compareTo(b.suspect()));
        return i >= 0 && suspicions.get(i).coversAtLeast(subject.generation(), subject.heartbeat());
    }
}
