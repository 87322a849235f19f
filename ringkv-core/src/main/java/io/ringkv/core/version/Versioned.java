package io.ringkv.core.version;

import java.util.Arrays;
import java.util.Objects;

/**
 * One version of a key's value (or a tombstone): what the writer had seen, the write's own
 * event, and the bytes. Immutable; the value array is copied in and out.
 *
 * <p>Why a context plus a dot, not just one vector clock (Dynamo §4.4 uses just one): in
 * Dynamo the coordinator makes the new clock by incrementing its own entry in the client's
 * context. Two clients that write through the same node with the same (or no) context then get
 * the <em>same</em> clock for different values, and one silently replaces the other; and a
 * later writer that saw only one of them supersedes both. Dotted version vectors (Preguiça,
 * Baquero, Almeida, Fonte, Gonçalves 2010, "Dotted Version Vectors: Logical Clocks for
 * Optimistic Replication"; Almeida et al. 2014) fix this by keeping the write's own event (the
 * {@link Dot}) apart from its causal past (the {@code context}). The version's history is
 * {@code {every event of the context} ∪ {dot}}, which may have a gap, and one version supersedes
 * another exactly when its history strictly contains the other's. The context is a
 * {@link CausalContext}: a vector clock plus exact events, because a client writing back the
 * context of its last write must claim that write without claiming the gap below it. When a dot
 * is the context's next counter for its actor and the context has no exact events, this is the
 * plain vector clock order of Dynamo's clocks, so Dynamo's examples read the same.
 */
public final class Versioned {
    private static final byte[] NO_BYTES = new byte[0];

    private final CausalContext context;
    private final Dot dot;
    private final byte[] value;
    private final boolean tombstone;
    private final long timestampMillis;

    /**
     * @param context         everything the writer had seen (the client's context)
     * @param dot             this write's own event; the context must not already hold it
     * @param value           the value bytes; must be empty for a tombstone
     * @param tombstone       whether this version records a delete
     * @param timestampMillis coordinator wall-clock time of the write (for last-write-wins, caps, purging)
     */
    public Versioned(CausalContext context, Dot dot, byte[] value, boolean tombstone, long timestampMillis) {
        this(context, dot, Objects.requireNonNull(value, "value").clone(), tombstone, timestampMillis, true);
    }

    /** A version whose context is a plain vector clock (no exact events). */
    public Versioned(VectorClock context, Dot dot, byte[] value, boolean tombstone, long timestampMillis) {
        this(CausalContext.of(context), dot, value, tombstone, timestampMillis);
    }

    private Versioned(CausalContext context, Dot dot, byte[] ownedValue, boolean tombstone, long timestampMillis, boolean unused) {
        this.context = Objects.requireNonNull(context, "context");
        this.dot = Objects.requireNonNull(dot, "dot");
        this.value = Objects.requireNonNull(ownedValue, "value");
        if (context.contains(dot.nodeId(), dot.counter())) {
            throw new IllegalArgumentException("dot " + dot + " must be a new event, but the context " + context + " holds it");
        }
        if (tombstone && ownedValue.length != 0) {
            throw new IllegalArgumentException("a tombstone carries no value, got " + ownedValue.length + " bytes");
        }
        if (timestampMillis < 0) {
            throw new IllegalArgumentException("timestamp must not be negative, got " + timestampMillis);
        }
        this.tombstone = tombstone;
        this.timestampMillis = timestampMillis;
    }

    public static Versioned of(VectorClock context, Dot dot, byte[] value, long timestampMillis) {
        return new Versioned(CausalContext.of(context), dot, value, false, timestampMillis);
    }

    public static Versioned of(CausalContext context, Dot dot, byte[] value, long timestampMillis) {
        return new Versioned(context, dot, value, false, timestampMillis);
    }

    public static Versioned tombstone(VectorClock context, Dot dot, long timestampMillis) {
        return tombstone(CausalContext.of(context), dot, timestampMillis);
    }

    public static Versioned tombstone(CausalContext context, Dot dot, long timestampMillis) {
        return new Versioned(context, dot, NO_BYTES, true, timestampMillis, true);
    }

    /**
     * A new write coordinated by {@code dot.nodeId()} on top of the client's {@code context},
     * with the context kept to {@code maxClockEntries} clock entries (the oldest dropped, never
     * the coordinator's own) and {@link CausalContext#MAX_DOTS} exact events. {@code value == null}
     * writes a tombstone.
     */
    public static Versioned newWrite(CausalContext context, Dot dot, byte[] value, long nowMillis, int maxClockEntries) {
        if (maxClockEntries < 1) {
            throw new IllegalArgumentException("max clock entries must be at least 1, got " + maxClockEntries);
        }
        CausalContext kept;
        if (context.past().counter(dot.nodeId()) > 0) {
            kept = context.truncate(maxClockEntries, dot.nodeId());
        } else {
            kept = maxClockEntries == 1 ? CausalContext.of(VectorClock.EMPTY, context.dots())
                    : context.truncate(maxClockEntries - 1, null);
        }
        return value == null ? tombstone(kept, dot, nowMillis) : of(kept, dot, value, nowMillis);
    }

    /** Package-private: the codec hands over an array it allocated itself. */
    static Versioned ofOwned(CausalContext context, Dot dot, byte[] ownedValue, boolean tombstone, long timestampMillis) {
        return new Versioned(context, dot, ownedValue, tombstone, timestampMillis, true);
    }

    /** What the writer had seen. */
    public CausalContext context() {
        return context;
    }

    public Dot dot() {
        return dot;
    }

    /** Every event of this version's history: the context and the dot, exactly. */
    public CausalContext history() {
        return context.with(dotEntry());
    }

    /** The dot as a clock entry stamped with this version's time. */
    VectorClock.Entry dotEntry() {
        return new VectorClock.Entry(dot.nodeId(), dot.counter(), timestampMillis);
    }

    /** A copy of the value bytes (empty for a tombstone). */
    public byte[] value() {
        return value.clone();
    }

    public int valueLength() {
        return value.length;
    }

    byte[] valueUnsafe() {
        return value;
    }

    public boolean tombstone() {
        return tombstone;
    }

    public long timestampMillis() {
        return timestampMillis;
    }

    /** Whether event {@code (actor, counter)} is in this version's history. */
    public boolean hasSeen(String actor, long counter) {
        return (counter == dot.counter() && actor.equals(dot.nodeId())) || context.contains(actor, counter);
    }

    /**
     * Whether this version's history contains every event of {@code other}'s history: the
     * writer of this version had seen {@code other} (or they are the same write).
     */
    public boolean covers(Versioned other) {
        Dot od = other.dot;
        if (!hasSeen(od.nodeId(), od.counter())) {
            return false;
        }
        CausalContext oc = other.context;
        for (VectorClock.Entry e : oc.past().entries()) {
            long mine = context.past().counter(e.nodeId());
            // every event past our clock that the other claims must be one of our exact events;
            // each step must hit one, so this loop is bounded by their number
            for (long k = mine + 1; k <= e.counter(); k++) {
                if (!hasSeen(e.nodeId(), k)) {
                    return false;
                }
            }
        }
        if (oc.hasDots()) {
            for (VectorClock.Entry d : oc.dots()) {
                if (!hasSeen(d.nodeId(), d.counter())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether this version strictly supersedes {@code other}: it covers it and not the reverse. */
    public boolean supersedes(Versioned other) {
        return covers(other) && !other.covers(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Versioned v
                && tombstone == v.tombstone
                && timestampMillis == v.timestampMillis
                && dot.equals(v.dot)
                && context.equals(v.context)
                && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(context, dot, tombstone, timestampMillis) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return (tombstone ? "Tombstone" : "Versioned") + context + " dot=" + dot + " ts=" + timestampMillis
                + (tombstone ? "" : " " + value.length + "B");
    }
}
