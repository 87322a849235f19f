package io.ringkv.cluster.membership;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The remote entries of one node's membership list with the local bookkeeping gossip does not
 * carry: when each entry's heartbeat last advanced here (the failure detector's input), and
 * which forgotten entries are quarantined. Merge rule: per node, the state that is newer by
 * {@link NodeState#FRESHNESS} wins; a {@link NodeUpdate.HeartbeatDelta} applies only on top of
 * the exact (generation, metadataVersion) it was computed against.
 */
final class MemberTable {

    /** A remote entry and the local time its (generation, heartbeat) last moved forward. */
    record Tracked(NodeState state, long lastAdvancedMillis) {}

    /** States of {@code id} with generation <= {@code generation} are ignored until {@code untilMillis}. */
    private record Quarantine(long generation, long untilMillis) {}

    private final NodeId self;
    private final int capacity;
    private final Map<NodeId, Tracked> entries = new HashMap<>();
    private final Map<NodeId, Quarantine> quarantined = new HashMap<>();

    MemberTable(NodeId self, int capacity) {
        this.self = self;
        this.capacity = capacity;
    }

    Tracked get(NodeId id) {
        return entries.get(id);
    }

    Collection<Tracked> all() {
        return entries.values();
    }

    int size() {
        return entries.size();
    }

    /** True if this node would ignore a state of {@code id} at {@code generation}. */
    boolean isQuarantined(NodeId id, long generation) {
        Quarantine q = quarantined.get(id);
        return q != null && generation <= q.generation();
    }

    /** Applies one update about a remote node; returns true if the table changed. */
    boolean apply(NodeUpdate update, long nowMillis) {
        if (update.id().equals(self)) {
            throw new IllegalArgumentException("updates about the local node are not table entries");
        }
        return switch (update) {
            case NodeUpdate.Full full -> applyFull(full.state(), nowMillis);
            case NodeUpdate.HeartbeatDelta delta -> applyDelta(delta, nowMillis);
        };
    }

    private boolean applyFull(NodeState incoming, long nowMillis) {
        NodeId id = incoming.id();
        if (isQuarantined(id, incoming.generation())) {
            return false;
        }
        Tracked existing = entries.get(id);
        if (existing == null) {
            // +1: the local node is not in this table but counts toward the bound.
            if (entries.size() + 1 >= capacity) {
                return false;
            }
            entries.put(id, new Tracked(incoming, nowMillis));
            return true;
        }
        if (!incoming.supersedes(existing.state())) {
            return false;
        }
        long advanced = incoming.isLaterThan(existing.state().generation(), existing.state().heartbeat())
                ? nowMillis : existing.lastAdvancedMillis();
        entries.put(id, new Tracked(incoming, advanced));
        return true;
    }

    private boolean applyDelta(NodeUpdate.HeartbeatDelta delta, long nowMillis) {
        Tracked existing = entries.get(delta.id());
        if (existing == null) {
            return false;
        }
        NodeState old = existing.state();
        if (old.generation() != delta.generation() || old.metadataVersion() != delta.metadataVersion()
                || delta.heartbeat() <= old.heartbeat()) {
            return false;
        }
        NodeState merged = new NodeState(old.id(), old.instance(), old.generation(), delta.heartbeat(),
                old.metadataVersion(), old.info(), delta.suspicions());
        entries.put(delta.id(), new Tracked(merged, nowMillis));
        return true;
    }

    /** Drops an entry and ignores its current and older generations for {@code quarantineMillis}. */
    void forget(NodeId id, long nowMillis, long quarantineMillis) {
        Tracked gone = entries.remove(id);
        if (gone != null) {
            quarantined.put(id, new Quarantine(gone.state().generation(), nowMillis + quarantineMillis));
        }
    }

    void expireQuarantines(long nowMillis) {
        Iterator<Quarantine> it = quarantined.values().iterator();
        while (it.hasNext()) {
            if (it.next().untilMillis() <= nowMillis) {
                it.remove();
            }
        }
    }
}
