package io.ringkv.core.version;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A vector clock: for each node that coordinated a write, how many of its events a version has
 * seen. Comparing two clocks decides whether one version happened before the other or whether
 * they are concurrent (Lamport 1978, "Time, Clocks, and the Ordering of Events"; Mattern 1989,
 * "Virtual Time and Global States of Distributed Systems"). Dynamo §4.4 attaches one to every
 * version so that replicas can discard versions that a newer one has seen and keep the
 * concurrent ones as siblings for the client to reconcile.
 *
 * <p>Each entry also records the wall-clock time of the node's last increment. It plays no part
 * in the causal order; it exists so that {@link #truncate} can drop the least recently used
 * entries when a clock grows past a bound, exactly as Dynamo §4.4 describes. Truncation loses
 * causal information in the safe direction: versions can later look concurrent (a spurious
 * sibling), never ordered when they were not.
 *
 * <p>Immutable. Entries are kept sorted by node id so that equal clocks encode to equal bytes.
 */
public final class VectorClock {

    /** One node's counter in a clock. */
    public record Entry(String nodeId, long counter, long timestampMillis) {
        public Entry {
            NodeIds.require(nodeId);
            if (counter < 1) {
                throw new IllegalArgumentException("counter for node " + nodeId + " must be at least 1, got " + counter);
            }
            if (timestampMillis < 0) {
                throw new IllegalArgumentException("timestamp for node " + nodeId + " must not be negative, got " + timestampMillis);
            }
        }
    }

    public static final VectorClock EMPTY = new VectorClock(new Entry[0]);

    /** Sorted by node id, unique. */
    private final Entry[] entries;

    private VectorClock(Entry[] sortedUniqueEntries) {
        this.entries = sortedUniqueEntries;
    }

    public static VectorClock of(Entry... entries) {
        return of(Arrays.asList(entries));
    }

    /** A clock with exactly these entries; node ids must be distinct. */
    public static VectorClock of(Collection<Entry> entries) {
        Entry[] sorted = entries.toArray(new Entry[0]);
        for (Entry e : sorted) {
            Objects.requireNonNull(e, "entry");
        }
        Arrays.sort(sorted, Comparator.comparing(Entry::nodeId));
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i - 1].nodeId().equals(sorted[i].nodeId())) {
                throw new IllegalArgumentException("node " + sorted[i].nodeId() + " appears twice in a vector clock");
            }
        }
        return sorted.length == 0 ? EMPTY : new VectorClock(sorted);
    }

    public int size() {
        return entries.length;
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    /** The entries, sorted by node id. */
    public List<Entry> entries() {
        return List.of(entries);
    }

    /** The counter of {@code nodeId}, 0 when the clock has seen no event of that node. */
    public long counter(String nodeId) {
        int i = indexOf(nodeId);
        return i < 0 ? 0 : entries[i].counter();
    }

    /** The latest increment time over all entries, 0 for the empty clock. */
    public long maxTimestampMillis() {
        long max = 0;
        for (Entry e : entries) {
            max = Math.max(max, e.timestampMillis());
        }
        return max;
    }

    /** A clock that has seen one more event of {@code nodeId}, at {@code nowMillis}. */
    public VectorClock increment(String nodeId, long nowMillis) {
        long next = counter(nodeId) + 1;
        if (next <= 0) {
            throw new IllegalStateException("counter of node " + nodeId + " overflowed");
        }
        return merge(of(new Entry(nodeId, next, nowMillis)));
    }

    /** The pointwise maximum: the smallest clock that descends from both. */
    public VectorClock merge(VectorClock other) {
        if (other.entries.length == 0 || other == this) {
            return this;
        }
        if (entries.length == 0) {
            return other;
        }
        List<Entry> out = new ArrayList<>(entries.length + other.entries.length);
        int i = 0;
        int j = 0;
        while (i < entries.length || j < other.entries.length) {
            int c = i == entries.length ? 1 : j == other.entries.length ? -1
                    : entries[i].nodeId().compareTo(other.entries[j].nodeId());
            if (c < 0) {
                out.add(entries[i++]);
            } else if (c > 0) {
                out.add(other.entries[j++]);
            } else {
                out.add(newer(entries[i++], other.entries[j++]));
            }
        }
        return new VectorClock(out.toArray(new Entry[0]));
    }

    /** The entry with the higher counter; on equal counters the later timestamp, so merge commutes. */
    private static Entry newer(Entry a, Entry b) {
        if (a.counter() != b.counter()) {
            return a.counter() > b.counter() ? a : b;
        }
        return a.timestampMillis() >= b.timestampMillis() ? a : b;
    }

    /** How this clock relates to {@code other}; timestamps are ignored. */
    public Occurred compare(VectorClock other) {
        boolean thisAhead = false;
        boolean otherAhead = false;
        int i = 0;
        int j = 0;
        while (i < entries.length || j < other.entries.length) {
            int c = i == entries.length ? 1 : j == other.entries.length ? -1
                    : entries[i].nodeId().compareTo(other.entries[j].nodeId());
            if (c < 0) {
                thisAhead = true;
                i++;
            } else if (c > 0) {
                otherAhead = true;
                j++;
            } else {
                long a = entries[i++].counter();
                long b = other.entries[j++].counter();
                thisAhead |= a > b;
                otherAhead |= b > a;
            }
            if (thisAhead && otherAhead) {
                return Occurred.CONCURRENT;
            }
        }
        return thisAhead ? Occurred.AFTER : otherAhead ? Occurred.BEFORE : Occurred.EQUAL;
    }

    /** Whether this clock has seen every event {@code other} has seen (AFTER or EQUAL). */
    public boolean descends(VectorClock other) {
        Occurred o = compare(other);
        return o == Occurred.AFTER || o == Occurred.EQUAL;
    }

    /**
     * Keeps at most {@code maxEntries} entries, dropping those with the oldest timestamps (ties:
     * the smaller node id goes first, so every replica truncates alike). Dynamo §4.4.
     */
    public VectorClock truncate(int maxEntries) {
        return truncate(maxEntries, null);
    }

    /** As {@link #truncate(int)}, but never drops the entry of {@code keepNodeId} (may be null). */
    public VectorClock truncate(int maxEntries, String keepNodeId) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a vector clock must keep at least 1 entry, got maxEntries=" + maxEntries);
        }
        if (entries.length <= maxEntries) {
            return this;
        }
        Entry[] byAge = entries.clone();
        Arrays.sort(byAge, Comparator.comparingLong(Entry::timestampMillis).thenComparing(Entry::nodeId));
        int toDrop = entries.length - maxEntries;
        List<Entry> kept = new ArrayList<>(maxEntries);
        for (Entry e : byAge) {
            if (toDrop > 0 && !e.nodeId().equals(keepNodeId)) {
                toDrop--;
            } else {
                kept.add(e);
            }
        }
        return of(kept);
    }

    private int indexOf(String nodeId) {
        int lo = 0;
        int hi = entries.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = entries[mid].nodeId().compareTo(nodeId);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Equal when the entries (including timestamps) are equal; use {@link #compare} for causality. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VectorClock other && Arrays.equals(entries, other.entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    /** Dynamo's notation: {@code [Sx:2, Sy:1]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < entries.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(entries[i].nodeId()).append(':').append(entries[i].counter());
        }
        return sb.append(']').toString();
    }
}
