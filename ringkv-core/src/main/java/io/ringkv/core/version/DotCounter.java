package io.ringkv.core.version;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues the dot counters of one actor: strictly increasing, never reused. Uniqueness is what
 * lets concurrent writes through one node stay siblings (see {@link Versioned}).
 *
 * <p>The actor is a node between unclean stops ({@link Actors#newIncarnation}): the counter starts
 * at 1 for a new actor, or above what the actor issued before a clean stop, and no wall clock is
 * involved. A crash, a wiped directory or a wall clock that moved backwards cannot make it reissue
 * a counter, because the next process writes as a different actor (docs/design/versioning.md,
 * "Actors"). The counter is actor-wide, not per key, so issuing one needs no read of the key's
 * versions. Thread-safe.
 */
public final class DotCounter {
    private final String actor;
    private final AtomicLong last = new AtomicLong();

    /** A counter for a new actor: the first dot is 1. */
    public DotCounter(String actor) {
        this(actor, 0);
    }

    /** A counter resuming {@code actor}, which issued counters up to {@code alreadyIssued}. */
    public DotCounter(String actor, long alreadyIssued) {
        if (alreadyIssued < 0) {
            throw new IllegalArgumentException("issued counters must not be negative, got " + alreadyIssued);
        }
        this.actor = NodeIds.require(actor);
        this.last.set(alreadyIssued);
    }

    public String actor() {
        return actor;
    }

    /** The highest counter issued so far, 0 before the first. */
    public long issued() {
        return last.get();
    }

    /**
     * The next dot for a write on top of {@code context} whose key's stored versions already
     * name this actor up to {@code storedMax}: above both, so the new write is never one they
     * have seen.
     *
     * @throws IllegalArgumentException if {@code context} claims counters of this actor it never
     *                                  issued (a forged context: accepting it would make this
     *                                  actor's next writes look already seen)
     */
    public Dot next(CausalContext context, long storedMax) {
        long claimed = context.maxCounter(actor);
        long issued = last.get();
        if (claimed > issued) {
            throw new IllegalArgumentException("the context claims write " + claimed + " of " + actor
                    + ", which has issued only " + issued);
        }
        return new Dot(actor, last.updateAndGet(prev -> Math.max(prev, storedMax) + 1));
    }
}
