package io.ringkv.cluster.membership;

import java.util.OptionalLong;

/**
 * Tells a second process claiming this node's id from the normal ways a newer state of our id
 * can reach us, and decides who keeps the id. Pure; {@link GossipProtocol} asks it whenever a full
 * state of its own id written by another {@link Instance} arrives.
 *
 * <p>Why it is needed: without it two processes with one id (a copied data directory) each see
 * the other's newer state, raise their generation past it, and take the id back, every round:
 * the id's address, and with it who serves the id's ranges, flips between the two for as long as
 * both run.
 *
 * <p>The rule, from what each side can know:
 * <ul>
 *   <li>A rival that <b>started after us</b> (greater instance) exists only if some process
 *       started with our id while we were running: it is a duplicate, whatever its state says,
 *       and we keep the id (and move past its state, as for any newer state of us).
 *   <li>A rival that <b>started before us</b> and holds a newer state than ours is either the
 *       process we replace (it is dead; a restart that found a stale generation) or the
 *       original this process duplicates (it is running). We do not take the id from it at
 *       once: we <i>hold</i>. If a later state of that rival arrives, its heartbeat advanced
 *       while we watched: it runs, and we refuse. If none arrives within {@code holdMillis}
 *       (suspectAfter, the failure detector's own "not advancing" threshold), it is dead and we
 *       move past it.
 * </ul>
 * So the process that started first keeps the id at both ends, and the ring's view of the id
 * changes at most twice (to the newcomer when it starts, back when the original answers),
 * instead of every round. A restart on the same data directory, or a node moved to a new
 * address after its old process died, is never a conflict: the old process is older and does
 * not advance.
 *
 * <p>Not thread-safe: the protocol's owner serializes calls.
 */
final class IdGuard {

    /** What to do about a state of our id written by another instance. */
    enum Action {
        /** Nothing: it is not newer than ours. */
        IGNORE,
        /** Move our generation past it, as for any newer state of us. */
        SUPERSEDE,
        /** Keep our state as it is and watch whether the rival advances. */
        HOLD,
        /** The rival started first and is running: stop speaking for the id. */
        REFUSE
    }

    /** An earlier-started rival overtook us with state (generation, heartbeat) at {@code sinceMillis}. */
    private record Hold(Instance rival, long generation, long heartbeat, long sinceMillis) {}

    private final Instance self;
    private final long holdMillis;
    private Hold hold;
    private IdConflict conflict;

    IdGuard(Instance self, long holdMillis) {
        this.self = self;
        this.holdMillis = holdMillis;
    }

    /** The conflict found so far: the first one, kept for the life of the process. */
    IdConflict conflict() {
        return conflict;
    }

    boolean refused() {
        return conflict != null && conflict.selfRefused();
    }

    /** True while an earlier-started rival overtook us and we wait to see whether it runs. */
    boolean holding() {
        return hold != null;
    }

    /** What to do about {@code theirs}, a full state of our id written by another known instance. */
    Action onRivalState(NodeState ours, NodeState theirs, long nowMillis) {
        Instance rival = theirs.instance();
        boolean newer = theirs.supersedes(ours);
        if (rival.compareTo(self) > 0) {
            if (conflict == null) {
                conflict = conflictWith(ours, theirs);
            }
            return newer ? Action.SUPERSEDE : Action.IGNORE;
        }
        if (!newer) {
            return Action.IGNORE; // an older state of an earlier process proves nothing: it may be long dead
        }
        if (hold != null && hold.rival().equals(rival)) {
            if (!theirs.isLaterThan(hold.generation(), hold.heartbeat())) {
                return Action.HOLD;
            }
            hold = null;
            conflict = conflictWith(ours, theirs); // refusing outranks any conflict we kept the id in
            return Action.REFUSE;
        }
        hold = new Hold(rival, theirs.generation(), theirs.heartbeat(), nowMillis);
        return Action.HOLD;
    }

    /**
     * At each round: a held rival that has not advanced for {@code holdMillis} is taken for dead.
     * Returns the generation to move past, or empty while holding on (or holding nothing).
     */
    OptionalLong expireHold(long nowMillis) {
        if (hold == null || nowMillis - hold.sinceMillis() < holdMillis) {
            return OptionalLong.empty();
        }
        long past = hold.generation();
        hold = null;
        return OptionalLong.of(past);
    }

    private static IdConflict conflictWith(NodeState ours, NodeState theirs) {
        return new IdConflict(ours.id(), IdConflict.Claimant.of(ours), IdConflict.Claimant.of(theirs));
    }
}
