package io.ringkv.core.version;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A set of write events, the "what I have seen" that a client passes back with a write and that
 * a version records as its causal past: a vector clock (every event of actor X up to
 * {@code past[X]}) plus a few <em>exact</em> events beyond it ({@link #dots()}), each naming one
 * write and nothing below it. This is the causal context of dotted version vectors and of
 * delta-state CRDTs (Almeida, Shoker, Baquero 2018, "Delta State Replicated Data Types", §5's
 * "compact causal context": a version vector plus a dot cloud).
 *
 * <p>Why exact events: a write's reply must claim what the writer saw plus its own write. With a
 * plain vector clock the only way to count the new dot {@code (n1, 102)} in is {@code n1:102},
 * which also claims {@code (n1, 101)}, perhaps another client's concurrent write that this
 * writer never saw; writing that clock back would silently supersede it (issue 10's
 * reproduction). Here the reply claims {@code (n1, 102)} alone unless the coordinator can show
 * nothing of that key lies in the gap (docs/design/versioning.md, "Contexts are exact").
 *
 * <p>Always normalised, so equal event sets have one form: no exact event is already counted by
 * the clock, and none is the clock's next counter for its actor (it would be folded in). Exact
 * events carry the wall-clock time of their write, as clock entries do, for last-write-wins
 * timestamps and truncation. Immutable.
 */
public final class CausalContext {
    /** More exact events than this are cut, oldest first: claiming less is always safe. */
    public static final int MAX_DOTS = 64;

    public static final CausalContext EMPTY = new CausalContext(VectorClock.EMPTY, new VectorClock.Entry[0]);

    private static final Comparator<VectorClock.Entry> BY_EVENT =
            Comparator.comparing(VectorClock.Entry::nodeId).thenComparingLong(VectorClock.Entry::counter);

    private final VectorClock past;
    /** Sorted by actor, then counter; unique; none counted by {@link #past}, none its next counter. */
    private final VectorClock.Entry[] dots;

    private CausalContext(VectorClock past, VectorClock.Entry[] normalisedDots) {
        this.past = past;
        this.dots = normalisedDots;
    }

    /** Every event {@code past} counts, and nothing else. */
    public static CausalContext of(VectorClock past) {
        return past.isEmpty() ? EMPTY : new CausalContext(past, EMPTY.dots);
    }

    /** The events {@code past} counts plus {@code exact} (each one event); normalised. */
    public static CausalContext of(VectorClock past, List<VectorClock.Entry> exact) {
        Objects.requireNonNull(past, "past");
        if (exact.isEmpty()) {
            return of(past);
        }
        return normalise(past, exact.toArray(new VectorClock.Entry[0]));
    }

    /** The clock part: for each actor, every event up to its counter. */
    public VectorClock past() {
        return past;
    }

    /** The exact events beyond {@link #past()}, sorted by actor then counter. */
    public List<VectorClock.Entry> dots() {
        return List.of(dots);
    }

    public boolean hasDots() {
        return dots.length > 0;
    }

    public boolean isEmpty() {
        return past.isEmpty() && dots.length == 0;
    }

    /** Clock entries plus exact events: what the encodings and the truncation bound count. */
    public int size() {
        return past.size() + dots.length;
    }

    /** Whether event {@code (actor, counter)} is in this set. */
    public boolean contains(String actor, long counter) {
        return counter <= past.counter(actor) || indexOfDot(actor, counter) >= 0;
    }

    /** The highest counter of {@code actor} in this set, 0 if none. */
    public long maxCounter(String actor) {
        long max = past.counter(actor);
        for (VectorClock.Entry d : dots) {
            if (d.nodeId().equals(actor)) {
                max = Math.max(max, d.counter());
            }
        }
        return max;
    }

    /** The latest wall-clock time of any event here, 0 when empty. */
    public long maxTimestampMillis() {
        long max = past.maxTimestampMillis();
        for (VectorClock.Entry d : dots) {
            max = Math.max(max, d.timestampMillis());
        }
        return max;
    }

    /** This set plus one exact event. */
    public CausalContext with(VectorClock.Entry event) {
        if (contains(event.nodeId(), event.counter())) {
            return this;
        }
        VectorClock.Entry[] all = Arrays.copyOf(dots, dots.length + 1);
        all[dots.length] = event;
        return normalise(past, all);
    }

    /** The union of both sets. */
    public CausalContext merge(CausalContext other) {
        if (other.isEmpty() || other == this) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        VectorClock mergedPast = past.merge(other.past);
        if (dots.length == 0 && other.dots.length == 0) {
            return of(mergedPast);
        }
        VectorClock.Entry[] all = Arrays.copyOf(dots, dots.length + other.dots.length);
        System.arraycopy(other.dots, 0, all, dots.length, other.dots.length);
        return normalise(mergedPast, all);
    }

    /**
     * This set with every event of {@code actor} up to {@code counter} counted in (the caller has
     * shown that no write of the key it stands for lies unseen in that range).
     */
    public CausalContext withPast(String actor, long counter, long timestampMillis) {
        if (counter <= past.counter(actor)) {
            return this;
        }
        return normalise(past.merge(VectorClock.of(new VectorClock.Entry(actor, counter, timestampMillis))), dots);
    }

    /**
     * At most {@code maxEntries} clock entries (the oldest dropped, never {@code keepActor}'s, as
     * {@link VectorClock#truncate(int, String)}) and at most {@link #MAX_DOTS} exact events (the
     * oldest dropped). Dropping events only ever makes a later write supersede less (Dynamo §4.4).
     */
    public CausalContext truncate(int maxEntries, String keepActor) {
        VectorClock kept = past.truncate(maxEntries, keepActor);
        if (dots.length <= MAX_DOTS) {
            return kept == past ? this : normalise(kept, dots);
        }
        VectorClock.Entry[] newest = dots.clone();
        Arrays.sort(newest, Comparator.comparingLong(VectorClock.Entry::timestampMillis).reversed().thenComparing(BY_EVENT));
        return normalise(kept, Arrays.copyOf(newest, MAX_DOTS));
    }

    private int indexOfDot(String actor, long counter) {
        if (dots.length == 0) {
            return -1;
        }
        return Arrays.binarySearch(dots, new VectorClock.Entry(actor, counter, 0), BY_EVENT);
    }

    /**
     * Sorts, drops events the clock counts, keeps one entry per event (the later timestamp), and
     * folds an actor's events into the clock while they continue it without a gap.
     */
    private static CausalContext normalise(VectorClock past, VectorClock.Entry[] candidates) {
        VectorClock.Entry[] sorted = candidates.clone();
        Arrays.sort(sorted, BY_EVENT);
        List<VectorClock.Entry> kept = new ArrayList<>(sorted.length);
        List<VectorClock.Entry> folded = new ArrayList<>();
        int i = 0;
        while (i < sorted.length) {
            String actor = sorted[i].nodeId();
            long counted = past.counter(actor);
            long frontier = counted;
            long frontierTimestamp = 0;
            int keptBefore = kept.size();
            for (; i < sorted.length && sorted[i].nodeId().equals(actor); i++) {
                VectorClock.Entry d = sorted[i];
                if (d.counter() <= frontier) {
                    if (d.counter() > counted) {
                        frontierTimestamp = Math.max(frontierTimestamp, d.timestampMillis()); // a folded event again
                    }
                } else if (kept.size() > keptBefore && last(kept).counter() == d.counter()) {
                    kept.set(kept.size() - 1, later(last(kept), d)); // the exact event just kept, again
                } else if (d.counter() == frontier + 1 && kept.size() == keptBefore) {
                    frontier = d.counter(); // continues the clock without a gap: count it in
                    frontierTimestamp = Math.max(frontierTimestamp, d.timestampMillis());
                } else {
                    kept.add(d);
                }
            }
            if (frontier > counted) {
                folded.add(new VectorClock.Entry(actor, frontier, Math.max(frontierTimestamp, timestampOf(past, actor))));
            }
        }
        VectorClock newPast = folded.isEmpty() ? past : past.merge(VectorClock.of(folded));
        if (kept.isEmpty()) {
            return of(newPast);
        }
        return new CausalContext(newPast, kept.toArray(new VectorClock.Entry[0]));
    }

    private static VectorClock.Entry last(List<VectorClock.Entry> list) {
        return list.get(list.size() - 1);
    }

    private static VectorClock.Entry later(VectorClock.Entry a, VectorClock.Entry b) {
        return a.timestampMillis() >= b.timestampMillis() ? a : b;
    }

    private static long timestampOf(VectorClock clock, String actor) {
        for (VectorClock.Entry e : clock.entries()) {
            if (e.nodeId().equals(actor)) {
                return e.timestampMillis();
            }
        }
        return 0;
    }

    /** Equal event sets with equal timestamps; normalisation makes the form unique. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CausalContext c && past.equals(c.past) && Arrays.equals(dots, c.dots);
    }

    @Override
    public int hashCode() {
        return past.hashCode() * 31 + Arrays.hashCode(dots);
    }

    /** {@code [n1:4, n2:1]} with exact events after a {@code +}: {@code [n1:4] + {(n1,7)}}. */
    @Override
    public String toString() {
        if (dots.length == 0) {
            return past.toString();
        }
        StringBuilder sb = new StringBuilder(past.toString()).append(" + {");
        for (int i = 0; i < dots.length; i++) {
            sb.append(i == 0 ? "" : ", ").append('(').append(dots[i].nodeId()).append(',').append(dots[i].counter()).append(')');
        }
        return sb.append('}').toString();
    }
}
