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
 * {@code {all events the context counts} ∪ {dot}}, which may have a gap, and one version
 * supersedes another exactly when its history strictly contains the other's. When a dot is the
 * context's next counter for its node (no gap), this is the plain vector clock order of
 * {@link #clock()}, so Dynamo's examples read the same.
 */
public final class Versioned {
    private static final byte[] NO_BYTES = new byte[0];

    private final VectorClock context;
    private final Dot dot;
    private final byte[] value;
    private final boolean tombstone;
    private final long timestampMillis;
    private final VectorClock clock;

    /**
     * @param context         the clock of everything the writer had seen (the client's context)
     * @param dot             this write's own event; its counter must exceed the context's for its node
     * @param value           the value bytes; must be empty for a tombstone
     * @param tombstone       whether this version records a delete
     * @param timestampMillis coordinator wall-clock time of the write (for last-write-wins, caps, purging)
     */
    public Versioned(VectorClock context, Dot dot, byte[] value, boolean tombstone, long timestampMillis) {
        this(context, dot, Objects.requireNonNull(value, "value").clone(), tombstone, timestampMillis, true);
    }

    private Versioned(VectorClock context, Dot dot, byte[] ownedValue, boolean tombstone, long timestampMillis, boolean unused) {
        this.context = Objects.requireNonNull(context, "context");
        this.dot = Objects.requireNonNull(dot, "dot");
        this.value = Objects.requireNonNull(ownedValue, "value");
        if (context.counter(dot.nodeId()) >= dot.counter()) {
            throw new IllegalArgumentException("dot " + dot + " must be newer than the context's counter "
                    + context.counter(dot.nodeId()) + " for its node");
        }
        if (tombstone && ownedValue.length != 0) {
            throw new IllegalArgumentException("a tombstone carries no value, got " + ownedValue.length + " bytes");
        }
        if (timestampMillis < 0) {
            throw new IllegalArgumentException("timestamp must not be negative, got " + timestampMillis);
        }
        this.tombstone = tombstone;
        this.timestampMillis = timestampMillis;
        this.clock = context.merge(VectorClock.of(new VectorClock.Entry(dot.nodeId(), dot.counter(), timestampMillis)));
    }

    public static Versioned of(VectorClock context, Dot dot, byte[] value, long timestampMillis) {
        return new Versioned(context, dot, value, false, timestampMillis);
    }

    public static Versioned tombstone(VectorClock context, Dot dot, long timestampMillis) {
        return new Versioned(context, dot, NO_BYTES, true, timestampMillis, true);
    }

    /**
     * A new write coordinated by {@code dot.nodeId()} on top of the client's {@code context},
     * with the clock kept to {@code maxClockEntries} entries (the oldest dropped, never the
     * coordinator's own). {@code value == null} writes a tombstone.
     */
    public static Versioned newWrite(VectorClock context, Dot dot, byte[] value, long nowMillis, int maxClockEntries) {
        if (maxClockEntries < 1) {
            throw new IllegalArgumentException("max clock entries must be at least 1, got " + maxClockEntries);
        }
        VectorClock kept;
        if (context.counter(dot.nodeId()) > 0) {
            kept = context.truncate(maxClockEntries, dot.nodeId());
        } else {
            kept = maxClockEntries == 1 ? VectorClock.EMPTY : context.truncate(maxClockEntries - 1);
        }
        return value == null ? tombstone(kept, dot, nowMillis) : of(kept, dot, value, nowMillis);
    }

    /** Package-private: the codec hands over an array it allocated itself. */
    static Versioned ofOwned(VectorClock context, Dot dot, byte[] ownedValue, boolean tombstone, long timestampMillis) {
        return new Versioned(context, dot, ownedValue, tombstone, timestampMillis, true);
    }

    public VectorClock context() {
        return context;
    }

    public Dot dot() {
        return dot;
    }

    /** The version's clock in Dynamo's sense: the context with the dot counted in. */
    public VectorClock clock() {
        return clock;
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

    /**
     * Whether this version's history contains every event of {@code other}'s history: the
     * writer of this version had seen {@code other} (or they are the same write).
     */
    public boolean covers(Versioned other) {
        Dot od = other.dot;
        if (!od.equals(dot) && od.counter() > context.counter(od.nodeId())) {
            return false;
        }
        for (VectorClock.Entry e : other.context.entries()) {
            long mine = context.counter(e.nodeId());
            if (e.counter() <= mine) {
                continue;
            }
            // The only event past our context we know of is our own dot, when it closes the gap.
            boolean filledByDot = e.nodeId().equals(dot.nodeId()) && dot.counter() == mine + 1 && e.counter() == dot.counter();
            if (!filledByDot) {
                return false;
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
        return (tombstone ? "Tombstone" : "Versioned") + clock + " dot=" + dot + " ts=" + timestampMillis
                + (tombstone ? "" : " " + value.length + "B");
    }
}
