package io.ringkv.core.version;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every version of one key that no other stored version supersedes: one version normally,
 * several after concurrent writes (Dynamo §4.4's "divergent versions", returned to the client
 * to reconcile). Tombstones are versions too, so a delete is ordered against writes exactly
 * like a write.
 *
 * <p>{@link #merge} is a join: it keeps the maximal versions of the union under the
 * "history strictly contains" order of {@link Versioned#supersedes}, a partial order, so merge
 * is commutative, associative and idempotent whatever the inputs. Replicas can therefore apply
 * versions in any order, any number of times, and converge (the storage engine relies on this
 * for its merge operator). Two distinct versions with equal histories (a reused dot, which
 * correct nodes never produce) are both kept rather than one chosen arbitrarily.
 *
 * <p>Immutable; versions are kept in a canonical order so equal sets encode to equal bytes.
 */
public final class Siblings {

    /** The canonical order of versions: by dot, then every other field, so the order is total. */
    static final Comparator<Versioned> CANONICAL = Comparator
            .comparing((Versioned v) -> v.dot().nodeId())
            .thenComparingLong(v -> v.dot().counter())
            .thenComparingLong(Versioned::timestampMillis)
            .thenComparing(Versioned::tombstone)
            .thenComparing(Versioned::valueUnsafe, Arrays::compareUnsigned)
            .thenComparing(Versioned::context, Siblings::compareContexts);

    /** Newest first for the cap and last-write-wins: by timestamp, ties broken canonically. */
    private static final Comparator<Versioned> NEWEST_FIRST =
            Comparator.comparingLong(Versioned::timestampMillis).thenComparing(CANONICAL).reversed();

    public static final Siblings EMPTY = new Siblings(new Versioned[0]);

    /** The result of {@link #cap}: what was kept and how many versions were dropped to get there. */
    public record Capped(Siblings siblings, int droppedVersions) {
        public boolean capExceeded() {
            return droppedVersions > 0;
        }
    }

    private final Versioned[] versions;

    private Siblings(Versioned[] canonical) {
        this.versions = canonical;
    }

    public static Siblings of(Versioned... versions) {
        return of(Arrays.asList(versions));
    }

    /** The maximal versions among {@code versions} (duplicates and superseded versions removed). */
    public static Siblings of(Collection<Versioned> versions) {
        List<Versioned> kept = new ArrayList<>(versions.size());
        for (Versioned v : versions) {
            addTo(kept, v);
        }
        return canonical(kept);
    }

    /**
     * Adds one version: drops the versions it supersedes, and is itself ignored if it is
     * already present or a present version supersedes it.
     */
    public Siblings add(Versioned version) {
        List<Versioned> kept = new ArrayList<>(Arrays.asList(versions));
        if (!addTo(kept, version)) {
            return this;
        }
        return canonical(kept);
    }

    /** The join of both sets: what a replica holds after seeing every version of both. */
    public Siblings merge(Siblings other) {
        if (other.versions.length == 0 || other == this) {
            return this;
        }
        if (versions.length == 0) {
            return other;
        }
        List<Versioned> kept = new ArrayList<>(Arrays.asList(versions));
        boolean changed = false;
        for (Versioned v : other.versions) {
            changed |= addTo(kept, v);
        }
        return changed ? canonical(kept) : this;
    }

    /** @return whether {@code kept} changed */
    private static boolean addTo(List<Versioned> kept, Versioned v) {
        for (Versioned existing : kept) {
            if (existing.equals(v) || existing.supersedes(v)) {
                return false;
            }
        }
        kept.removeIf(v::supersedes);
        kept.add(v);
        return true;
    }

    private static Siblings canonical(List<Versioned> kept) {
        if (kept.isEmpty()) {
            return EMPTY;
        }
        Versioned[] array = kept.toArray(new Versioned[0]);
        Arrays.sort(array, CANONICAL);
        return new Siblings(array);
    }

    /** The versions in canonical order. */
    public List<Versioned> versions() {
        return List.of(versions);
    }

    public int size() {
        return versions.length;
    }

    public boolean isEmpty() {
        return versions.length == 0;
    }

    /**
     * The context a reader of these versions gets: every event of every version's history, with
     * each version's own dot counted in as a clock entry rather than an exact event. That is
     * exact, not an over-claim, because of how sets are built (docs/design/versioning.md,
     * "Contexts are exact"): a set holding a version with dot {@code (X, k)} came from X's merged
     * set, so it also holds every version of the key X coordinated below k, or one whose history
     * contains it. The reader has therefore seen, directly or through a newer version, every
     * event of X up to k that belongs to this key; the counters in between belong to other keys.
     * Exact events inside the versions' contexts stay exact: they carry no such promise.
     */
    public CausalContext readContext() {
        if (versions.length == 1 && !versions[0].context().hasDots()) {
            return CausalContext.of(versions[0].context().past().merge(VectorClock.of(versions[0].dotEntry())));
        }
        List<VectorClock.Entry> ownDots = new ArrayList<>(versions.length);
        List<VectorClock.Entry> exact = new ArrayList<>();
        VectorClock past = VectorClock.EMPTY;
        for (Versioned v : versions) {
            past = past.merge(v.context().past());
            ownDots.add(v.dotEntry());
            exact.addAll(v.context().dots());
        }
        past = past.merge(maxPerActor(ownDots));
        return CausalContext.of(past, exact);
    }

    /**
     * The context to hand the client that wrote {@code written}, given that this set is what its
     * coordinator holds once it applied it: exactly the writer's context plus the new dot, with
     * the dot's actor's clock entry raised as far as that stays exact. Raising the entry to the
     * dot's counter claims every event of that actor in between; most of them are writes of other
     * keys (the counter is actor-wide), but some may be concurrent writes of this key that the
     * writer never saw. The coordinator holds every version of this key its actor wrote, or a
     * version whose history contains it, so those are exactly the events in the gap that some
     * version here has seen and the new history lacks: the entry stops below the first of them.
     * Without concurrent writes through the same node there is none, and the reply context is as
     * compact as a read's.
     */
    public CausalContext contextAfterWriting(Versioned written) {
        CausalContext reply = written.history();
        String actor = written.dot().nodeId();
        long frontier = reply.past().counter(actor);
        long limit = written.dot().counter();
        if (limit <= frontier || !holds(written)) {
            return reply;
        }
        for (Versioned v : versions) {
            if (!v.equals(written)) {
                limit = Math.min(limit, firstUnseenEvent(v, actor, frontier, reply) - 1);
            }
        }
        return limit > frontier ? reply.withPast(actor, limit, written.timestampMillis()) : reply;
    }

    private boolean holds(Versioned version) {
        for (Versioned v : versions) {
            if (v.equals(version)) {
                return true;
            }
        }
        return false;
    }

    /** The lowest counter above {@code frontier} of {@code actor} that {@code v} has seen and {@code reply} lacks. */
    private static long firstUnseenEvent(Versioned v, String actor, long frontier, CausalContext reply) {
        long first = Long.MAX_VALUE;
        long claimed = v.context().past().counter(actor);
        for (long k = frontier + 1; k <= claimed; k++) { // bounded: each step must hit one of reply's exact events
            if (!reply.contains(actor, k)) {
                first = k;
                break;
            }
        }
        for (VectorClock.Entry d : v.context().dots()) {
            if (d.nodeId().equals(actor) && d.counter() > frontier && !reply.contains(actor, d.counter())) {
                first = Math.min(first, d.counter());
            }
        }
        Dot dot = v.dot();
        if (dot.nodeId().equals(actor) && dot.counter() > frontier && !reply.contains(actor, dot.counter())) {
            first = Math.min(first, dot.counter());
        }
        return first;
    }

    /** The highest counter of {@code actor} in any version's history here, 0 if none. */
    public long maxCounter(String actor) {
        long max = 0;
        for (Versioned v : versions) {
            max = Math.max(max, v.context().maxCounter(actor));
            if (v.dot().nodeId().equals(actor)) {
                max = Math.max(max, v.dot().counter());
            }
        }
        return max;
    }

    /** A clock of each actor's highest entry among {@code entries}. */
    private static VectorClock maxPerActor(List<VectorClock.Entry> entries) {
        VectorClock c = VectorClock.EMPTY;
        for (VectorClock.Entry e : entries) {
            c = c.merge(VectorClock.of(e));
        }
        return c;
    }

    /** The values of the versions that are not tombstones (copies), in canonical order. */
    public List<byte[]> liveValues() {
        List<byte[]> out = new ArrayList<>(versions.length);
        for (Versioned v : versions) {
            if (!v.tombstone()) {
                out.add(v.value());
            }
        }
        return out;
    }

    /** Whether something is stored but every version is a delete: the key reads as absent. */
    public boolean isTombstoneOnly() {
        if (versions.length == 0) {
            return false;
        }
        for (Versioned v : versions) {
            if (!v.tombstone()) {
                return false;
            }
        }
        return true;
    }

    /** The latest version timestamp, 0 when empty. */
    public long newestTimestampMillis() {
        long max = 0;
        for (Versioned v : versions) {
            max = Math.max(max, v.timestampMillis());
        }
        return max;
    }

    /**
     * Keeps at most {@code maxVersions} versions, the newest by timestamp. A cap protects a
     * replica from unbounded sibling growth (clients that never pass a context); it drops data,
     * so callers count and log {@link Capped#droppedVersions()}. Capping is applied after a
     * merge; a merge of capped sets is exact only while no cap is hit.
     */
    public Capped cap(int maxVersions) {
        if (maxVersions < 1) {
            throw new IllegalArgumentException("the sibling cap must be at least 1, got " + maxVersions);
        }
        if (versions.length <= maxVersions) {
            return new Capped(this, 0);
        }
        Versioned[] newest = versions.clone();
        Arrays.sort(newest, NEWEST_FIRST);
        List<Versioned> kept = Arrays.asList(newest).subList(0, maxVersions);
        return new Capped(canonical(new ArrayList<>(kept)), versions.length - maxVersions);
    }

    /**
     * Last write wins: the version with the highest timestamp (ties broken by the canonical
     * order, so every replica picks the same one), or empty when there are no versions. It
     * ignores causality on purpose. Use {@link #readContext()} for the context.
     */
    public Optional<Versioned> resolveLww() {
        Versioned best = null;
        for (Versioned v : versions) {
            if (best == null || NEWEST_FIRST.compare(v, best) < 0) {
                best = v;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Last write wins across both sets, ignoring causality: the single newest version of all
     * versions in either, so the result does not depend on the order sets are combined in
     * (argmax over a total order is associative and commutative). The storage merge operator
     * uses it under {@link ConflictPolicy#LWW}.
     */
    public Siblings lwwMerge(Siblings other) {
        Versioned best = null;
        for (Siblings s : new Siblings[] {this, other}) {
            for (Versioned v : s.versions) {
                if (best == null || NEWEST_FIRST.compare(v, best) < 0) {
                    best = v;
                }
            }
        }
        if (best == null) {
            return EMPTY;
        }
        return versions.length == 1 && versions[0] == best ? this : new Siblings(new Versioned[] {best});
    }

    private static int compareContexts(CausalContext a, CausalContext b) {
        int c = compareEntries(a.past().entries(), b.past().entries());
        return c != 0 ? c : compareEntries(a.dots(), b.dots());
    }

    private static int compareEntries(List<VectorClock.Entry> x, List<VectorClock.Entry> y) {
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            VectorClock.Entry e = x.get(i);
            VectorClock.Entry f = y.get(i);
            int c = e.nodeId().compareTo(f.nodeId());
            if (c == 0) {
                c = Long.compare(e.counter(), f.counter());
            }
            if (c == 0) {
                c = Long.compare(e.timestampMillis(), f.timestampMillis());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Siblings s && Arrays.equals(versions, s.versions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(versions);
    }

    @Override
    public String toString() {
        return "Siblings" + Arrays.toString(versions);
    }
}
