package io.ringkv.cluster.coordinator;

import io.ringkv.cluster.time.Scheduler;
import io.ringkv.core.version.Siblings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One write's messages to the key's other replicas, and the sloppy quorum's hints (Dynamo §4.6,
 * docs/design/hinted-handoff.md): every replica gets REPLICA_WRITE with the whole merged set; a
 * replica that is down or silent ({@link Peers#reachable}), that fails, or that has not answered
 * after {@code hintAfterMillis} also gets a hint: the same set, sent with HINTED_WRITE to the
 * first reachable fallback of the key's preference list not already holding one for this write
 * and in the replica's own data center (this node first when it is such a fallback itself), or,
 * when that data center has none reachable, the first reachable one elsewhere; the holder stores
 * it durably and hands it over once the replica is back. Keeping hints in the replica's data
 * center is what lets a quorum counted per data center be met by hints there
 * (docs/design/coordinator.md, "Data centers"); a hint held elsewhere still brings the replica
 * the write later, but counts only toward a plain count of W. A failed hint moves on to the next
 * fallback; with more replicas to hint for than fallbacks, a fallback holds hints for several.
 * Under a sloppy quorum a hint's acknowledgement counts toward W; under a strict one it is sent
 * all the same but not counted. Answers are reported to the quorum waiter as they come; nothing
 * is cancelled once W is met.
 */
final class WriteFanout {
    private final Peers peers;
    private final LocalHints localHints;
    private final String localNodeId;
    private final byte[] key;
    private final Siblings versions;
    private final List<String> fallbacks;
    private final Function<String, String> dataCenterOf;
    private final boolean sloppy;
    private final Deadline deadline;
    private final QuorumWaiter waiter;
    /** Guarded by this. */
    private final Set<String> answered = new HashSet<>();
    /** Replicas a hint was sent for. Guarded by this. */
    private final Set<String> hinted = new HashSet<>();
    /** Fallbacks chosen to hold hints for this write, in order. Guarded by this. */
    private final List<String> holders = new ArrayList<>();
    /** Fallbacks chosen as holders: each is chosen at most once. Guarded by this. */
    private final Set<String> chosen = new HashSet<>();
    /** Replicas that answered or failed. Guarded by this. */
    private int settled;
    /** Completes once every other replica has answered or failed: the hint timer is no longer needed. */
    private final CompletableFuture<Void> allAnswered = new CompletableFuture<>();

    private WriteFanout(Peers peers, LocalHints localHints, String localNodeId, byte[] key, Siblings versions,
                        List<String> fallbacks, Function<String, String> dataCenterOf, boolean sloppy, Deadline deadline,
                        QuorumWaiter waiter) {
        this.peers = peers;
        this.localHints = localHints;
        this.localNodeId = localNodeId;
        this.key = key;
        this.versions = versions;
        this.fallbacks = fallbacks;
        this.dataCenterOf = dataCenterOf;
        this.sloppy = sloppy;
        this.deadline = deadline;
        this.waiter = waiter;
    }

    /**
     * Sends {@code versions} to {@code otherReplicas} and the hints they need, and to
     * {@code pendingReplicas}; returns at once.
     * {@code waiter} must expect one answer per other replica (hints add their own);
     * {@code fallbacks} are the key's other nodes in preference order, {@code dataCenterOf} names
     * each node's data center, and {@code localHints} is null when this node keeps no hints.
     */
    static void start(Peers peers, LocalHints localHints, String localNodeId, byte[] key, Siblings versions,
                      List<String> otherReplicas, List<String> pendingReplicas, List<String> fallbacks,
                      Function<String, String> dataCenterOf, boolean sloppy, long hintAfterMillis, Scheduler timer,
                      Deadline deadline, QuorumWaiter waiter) {
        WriteFanout fanout = new WriteFanout(peers, localHints, localNodeId, key, versions,
                preferLocal(fallbacks, localNodeId, localHints != null), dataCenterOf, sloppy, deadline, waiter);
        fanout.sendToReplicas(otherReplicas, hintAfterMillis, timer);
        fanout.sendToPending(pendingReplicas);
    }

    /**
     * Pending replicas (nodes joining the key's replicas, docs/design/membership.md) get the write
     * too, so that what they stream and what is written meanwhile together leave them complete.
     * They do not count toward W: until the change completes, the current replicas are the key's.
     */
    private void sendToPending(List<String> pending) {
        if (pending.isEmpty()) {
            return;
        }
        byte[] replicaWrite = ReplicaMessages.writeRequest(key, versions);
        for (String node : pending) {
            peers.request(node, MessageTypes.REPLICA_WRITE, replicaWrite, deadline); // its failure is streaming's to make up
        }
    }

    private void sendToReplicas(List<String> replicas, long hintAfterMillis, Scheduler timer) {
        if (replicas.isEmpty()) {
            return;
        }
        byte[] replicaWrite = ReplicaMessages.writeRequest(key, versions);
        boolean anyReachable = false;
        for (String replica : replicas) {
            boolean reachable = peers.reachable(replica);
            anyReachable |= reachable;
            if (!reachable) {
                hintFor(replica);
            }
            peers.request(replica, MessageTypes.REPLICA_WRITE, replicaWrite, deadline)
                    .thenApply(reply -> {
                        ReplicaMessages.decodeWriteReply(reply);
                        return true;
                    })
                    .whenComplete((ok, failure) -> {
                        if (failure == null) {
                            waiter.succeeded(replica);
                        } else {
                            hintFor(replica); // before the failure counts: the waiter now expects the hint's answer
                            waiter.failed(replica);
                        }
                        settle(replica, failure == null, replicas.size());
                    });
        }
        if (anyReachable && hintAfterMillis < deadline.remainingMillis()) {
            scheduleHintsForSilent(replicas, hintAfterMillis, timer);
        }
    }

    private void settle(String replica, boolean acknowledged, int replicaCount) {
        boolean last;
        synchronized (this) {
            if (acknowledged) {
                answered.add(replica);
            }
            last = ++settled == replicaCount;
        }
        if (last) {
            allAnswered.complete(null);
        }
    }

    /** One timer per write, not per replica: at {@code hintAfterMillis}, hint for every replica still silent. */
    private void scheduleHintsForSilent(List<String> replicas, long hintAfterMillis, Scheduler timer) {
        try {
            Scheduler.Scheduled check = timer.schedule(hintAfterMillis, () -> {
                for (String replica : replicas) {
                    boolean silent;
                    synchronized (this) {
                        silent = !answered.contains(replica);
                    }
                    if (silent) {
                        hintFor(replica);
                    }
                }
            });
            allAnswered.thenRun(check::cancel);
        } catch (RejectedExecutionException closing) {
            // the node is closing: no hints for slow replicas, their requests still complete or time out
        }
    }

    /**
     * Sends one hint for {@code replica}, unless one was sent already: to a fallback holding none
     * for this write yet, or when every reachable fallback holds one, to one of those again (a
     * node may hold hints for several targets; one in the replica's data center if there is),
     * which then does not count toward W a second time.
     */
    private void hintFor(String replica) {
        String holder;
        boolean counts;
        synchronized (this) {
            if (hinted.contains(replica)) {
                return;
            }
            holder = takeFallback(replica);
            counts = holder != null;
            if (holder == null) {
                holder = reusedHolder(replica);
            }
            if (holder == null) {
                return;
            }
            hinted.add(replica);
        }
        sendHint(replica, holder, counts);
    }

    private void sendHint(String replica, String holder, boolean counts) {
        boolean counted = sloppy && counts;
        if (counted) {
            waiter.expectHint(holder, replica);
        }
        CompletableFuture<?> stored = holder.equals(localNodeId)
                ? localHints.add(replica, key, versions)
                : peers.request(holder, MessageTypes.HINTED_WRITE, HintMessages.hintedWrite(replica, key, versions), deadline)
                        .thenAccept(ReplicaMessages::decodeWriteReply);
        stored.whenComplete((ok, failure) -> {
            if (failure == null) {
                if (counted) {
                    waiter.hintStored(holder, replica);
                }
                return;
            }
            String next;
            synchronized (this) {
                next = takeFallback(replica);
            }
            if (next != null) {
                sendHint(replica, next, counts);
            }
            if (counted) {
                waiter.hintFailed(holder, replica);
            }
        });
    }

    /**
     * The first reachable fallback not chosen yet in {@code replica}'s data center, else the first
     * elsewhere, or null; remembered as a holder. Called holding this.
     */
    private String takeFallback(String replica) {
        String dataCenter = dataCenterOf.apply(replica);
        String elsewhere = null;
        for (String candidate : fallbacks) {
            if (chosen.contains(candidate) || !(candidate.equals(localNodeId) || peers.reachable(candidate))) {
                continue;
            }
            if (Objects.equals(dataCenter, dataCenterOf.apply(candidate))) {
                return hold(candidate);
            }
            if (elsewhere == null) {
                elsewhere = candidate;
            }
        }
        return elsewhere == null ? null : hold(elsewhere);
    }

    private String hold(String fallback) {
        chosen.add(fallback);
        holders.add(fallback);
        return fallback;
    }

    /** A holder already chosen for this write to take one more hint, in turn: among those in {@code replica}'s data center if any. Called holding this. */
    private String reusedHolder(String replica) {
        if (holders.isEmpty()) {
            return null;
        }
        String dataCenter = dataCenterOf.apply(replica);
        List<String> sameDataCenter = holders.stream().filter(h -> Objects.equals(dataCenter, dataCenterOf.apply(h))).toList();
        List<String> pool = sameDataCenter.isEmpty() ? holders : sameDataCenter;
        return pool.get(hinted.size() % pool.size());
    }

    /** This node first when it is a fallback and keeps hints (no message, and it is certainly up); without a store, never. */
    private static List<String> preferLocal(List<String> fallbacks, String localNodeId, boolean keepsHints) {
        if (!fallbacks.contains(localNodeId)) {
            return fallbacks;
        }
        List<String> others = fallbacks.stream().filter(f -> !f.equals(localNodeId)).toList();
        if (!keepsHints) {
            return others;
        }
        return Stream.concat(Stream.of(localNodeId), others.stream()).toList();
    }
}
