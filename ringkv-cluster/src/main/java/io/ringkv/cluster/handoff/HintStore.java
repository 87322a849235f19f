package io.ringkv.cluster.handoff;

import io.ringkv.core.version.ConflictPolicy;
import io.ringkv.core.version.Siblings;
import io.ringkv.storage.KeyValue;
import io.ringkv.storage.StorageEngine;
import io.ringkv.storage.StorageOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hints this node holds for other nodes, durably: an LSM engine of its own (its own commit
 * log under the node's sync policy, so an acknowledged hint survives kill -9 of its holder as an
 * acknowledged write does), one record per (target, key) holding the merged versions for it
 * ({@link HintCodec}). Adding merges into the record; delivery removes it only if it is still
 * the record that was delivered, so a hint added meanwhile is never lost with it. Both run under
 * a lock striped by record key. The store is small (hints are the writes of a failure's
 * duration) and bounded by {@code maxBytes}; listing a target's hints scans it whole.
 *
 * <p>Per-target counts (pending, bytes, stored, delivered, expired) are kept in memory; pending
 * and bytes are recounted from the records when the store opens. Thread-safe; every method may
 * block on the disk.
 */
public final class HintStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HintStore.class);
    private static final byte[] WHOLE_RING = new byte[16];
    private static final int STRIPES = 64;

    /** What a node holds for one target, and what became of its hints since this node started. */
    public record TargetStats(long pending, long bytes, long stored, long delivered, long expired) {
    }

    private static final class Counters {
        final AtomicLong pending = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong stored = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong expired = new AtomicLong();

        TargetStats snapshot() {
            return new TargetStats(pending.get(), bytes.get(), stored.get(), delivered.get(), expired.get());
        }
    }

    private final StorageEngine engine;
    private final ConflictPolicy policy;
    private final long maxBytes;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    private HintStore(StorageEngine engine, ConflictPolicy policy, long maxBytes) {
        this.engine = engine;
        this.policy = policy;
        this.maxBytes = maxBytes;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Opens (creating) the store in {@code options.dataDirectory()} and counts what it holds.
     * {@code policy} merges hints for the same key as the replicas' stores do.
     */
    public static HintStore open(StorageOptions options, ConflictPolicy policy, long maxBytes) {
        // Removed hints need no grace: a delete here only hides a delivered or expired hint.
        StorageEngine engine = StorageEngine.open(options.toBuilder().tombstoneGracePeriodMillis(0).build());
        HintStore store = new HintStore(engine, policy, maxBytes);
        try {
            store.countExisting();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return store;
    }

    private void countExisting() {
        try (StorageEngine.RangeIterator it = engine.scan(WHOLE_RING, WHOLE_RING)) {
            while (it.hasNext()) {
                KeyValue kv = it.next();
                Counters c = counters(HintCodec.target(kv.key()));
                c.pending.incrementAndGet();
                c.bytes.addAndGet(size(kv.key(), kv.value()));
                totalBytes.addAndGet(size(kv.key(), kv.value()));
            }
        }
        if (totalBytes.get() > 0) {
            LOG.info("hint store holds {} hints ({} bytes) for {}", counters.values().stream()
                    .mapToLong(c -> c.pending.get()).sum(), totalBytes.get(), counters.keySet());
        }
    }

    /**
     * Adds {@code siblings} to the hint for (target, key), durably: returns once the record is as
     * durable as the sync policy makes writes. A new record that would take the store past its
     * limit is refused with {@link HintStoreFullException}; merging into an existing one is not.
     */
    public void add(String target, byte[] key, Siblings siblings, long nowMillis) {
        byte[] recordKey = HintCodec.recordKey(target, key);
        ReentrantLock stripe = stripe(recordKey);
        stripe.lock();
        try {
            byte[] old = engine.get(recordKey);
            Hint existing = old == null ? null : HintCodec.decode(recordKey, old);
            Siblings merged = existing == null ? siblings : merge(existing.siblings(), siblings);
            long hintedAt = existing == null ? nowMillis : Math.max(existing.hintedAtMillis(), nowMillis);
            byte[] value = HintCodec.value(hintedAt, merged);
            long added = size(recordKey, value) - (old == null ? 0 : size(recordKey, old));
            if (old == null && totalBytes.get() + added > maxBytes) {
                throw new HintStoreFullException("this node's hint store holds " + totalBytes.get()
                        + " bytes, its limit is " + maxBytes + " bytes (handoff.maxBytes)");
            }
            engine.put(recordKey, value);
            Counters c = counters(target);
            if (old == null) {
                c.pending.incrementAndGet();
            }
            c.stored.incrementAndGet();
            c.bytes.addAndGet(added);
            totalBytes.addAndGet(added);
        } finally {
            stripe.unlock();
        }
    }

    /** The versions held for (target, key), if any. */
    public Optional<Siblings> get(String target, byte[] key) {
        byte[] recordKey = HintCodec.recordKey(target, key);
        byte[] value = engine.get(recordKey);
        return value == null ? Optional.empty() : Optional.of(HintCodec.decode(recordKey, value).siblings());
    }

    /** Up to {@code max} hints held for {@code target}, in the engine's order; unreadable records are skipped and logged. */
    public List<Hint> pendingFor(String target, int max) {
        List<Hint> out = new ArrayList<>();
        try (StorageEngine.RangeIterator it = engine.scan(WHOLE_RING, WHOLE_RING)) {
            while (it.hasNext() && out.size() < max) {
                KeyValue kv = it.next();
                if (!HintCodec.target(kv.key()).equals(target)) {
                    continue;
                }
                try {
                    out.add(HintCodec.decode(kv.key(), kv.value()));
                } catch (RuntimeException e) {
                    LOG.error("skipping an unreadable hint for {}: {}", target, e.getMessage());
                }
            }
        }
        return out;
    }

    /** Removes {@code hint} after its target acknowledged it durably, unless a newer hint was merged into it meanwhile. */
    public boolean removeDelivered(Hint hint) {
        return remove(hint, true);
    }

    /** Removes {@code hint} undelivered because it outlived the window, unless a newer hint was merged into it meanwhile. */
    public boolean removeExpired(Hint hint) {
        return remove(hint, false);
    }

    private boolean remove(Hint hint, boolean delivered) {
        byte[] recordKey = HintCodec.recordKey(hint.target(), hint.key());
        ReentrantLock stripe = stripe(recordKey);
        stripe.lock();
        try {
            byte[] current = engine.get(recordKey);
            if (current == null || !Arrays.equals(current, hint.storedBytes())) {
                return false; // changed since it was read: the next round delivers the merged record
            }
            engine.delete(recordKey);
            Counters c = counters(hint.target());
            c.pending.decrementAndGet();
            long size = size(recordKey, current);
            c.bytes.addAndGet(-size);
            totalBytes.addAndGet(-size);
            (delivered ? c.delivered : c.expired).incrementAndGet();
            return true;
        } finally {
            stripe.unlock();
        }
    }

    /** Per target, sorted by target id: what is held now and what became of hints since this node started. */
    public Map<String, TargetStats> stats() {
        Map<String, TargetStats> out = new TreeMap<>();
        counters.forEach((target, c) -> out.put(target, c.snapshot()));
        return out;
    }

    /** Whether any hint is held for {@code target}. */
    public boolean hasHintsFor(String target) {
        Counters c = counters.get(target);
        return c != null && c.pending.get() > 0;
    }

    /** Bytes held for all targets together (keys plus records, roughly what the disk holds). */
    public long totalBytes() {
        return totalBytes.get();
    }

    @Override
    public void close() {
        engine.close();
    }

    private Siblings merge(Siblings a, Siblings b) {
        return policy == ConflictPolicy.LWW ? a.lwwMerge(b) : a.merge(b);
    }

    private Counters counters(String target) {
        return counters.computeIfAbsent(target, t -> new Counters());
    }

    private ReentrantLock stripe(byte[] recordKey) {
        return stripes[Math.floorMod(Arrays.hashCode(recordKey), STRIPES)];
    }

    private static long size(byte[] recordKey, byte[] value) {
        return recordKey.length + value.length;
    }
}
